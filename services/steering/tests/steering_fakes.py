"""In-memory stand-ins of steering's adapters, for fast service-layer tests."""

from __future__ import annotations

import uuid

from lotse_platform.testing import FakeUnitOfWork
from lotse_steering.domain.cases import CaseRecord
from lotse_steering.domain.reconstructions import Reconstruction, Theme


class FakeSteeringUnitOfWork(FakeUnitOfWork):
    """:class:`~lotse_steering.service_layer.unit_of_work.SteeringUnitOfWork` in memory."""

    def __init__(self, tenant_id: uuid.UUID | None = None) -> None:
        super().__init__(tenant_id, source="/lotse/steering")
        self.records: dict[str, CaseRecord] = {}
        self.reconstructions: dict[uuid.UUID, Reconstruction] = {}
        self.themes: dict[uuid.UUID, Theme] = {}
        self._uncommitted: list[object] = []

    def case_record(self, case_id: str) -> CaseRecord | None:
        return self.records.get(case_id)

    def add_case_record(self, record: CaseRecord) -> None:
        self.records[record.case_id] = record

    def case_records(self) -> list[CaseRecord]:
        return [self.records[k] for k in sorted(self.records)]

    def open_case_records(self) -> list[CaseRecord]:
        return [r for r in self.case_records() if r.is_open]

    def add_reconstruction(self, session: Reconstruction) -> None:
        self._uncommitted.append(session)

    def get_reconstruction(self, reconstruction_id: uuid.UUID) -> Reconstruction | None:
        return self.reconstructions.get(reconstruction_id)

    def list_reconstructions(self) -> list[Reconstruction]:
        return sorted(self.reconstructions.values(), key=lambda r: r.held_on, reverse=True)

    def add_theme(self, theme: Theme) -> None:
        self._uncommitted.append(theme)

    def list_themes(self) -> list[Theme]:
        return list(self.themes.values())

    def commit(self) -> None:
        for item in self._uncommitted:
            if isinstance(item, Reconstruction):
                self.reconstructions[item.id] = item
            elif isinstance(item, Theme):
                self.themes[item.id] = item
        self._uncommitted.clear()
        super().commit()

    def rollback(self) -> None:
        self._uncommitted.clear()
        super().rollback()
