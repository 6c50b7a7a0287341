"""In-memory stand-ins of the example's adapters, for fast service-layer tests."""

from __future__ import annotations

import uuid
from collections import Counter

from lotse_example.domain.model import AreaTally, Note
from lotse_platform.testing import FakeUnitOfWork


class FakeExampleUnitOfWork(FakeUnitOfWork):
    """:class:`~lotse_example.service_layer.unit_of_work.ExampleUnitOfWork` in memory."""

    def __init__(self, tenant_id: uuid.UUID | None = None) -> None:
        super().__init__(tenant_id, source="/lotse/example")
        self.notes: dict[uuid.UUID, Note] = {}
        self.counted: Counter[str] = Counter()
        self._uncommitted: list[Note] = []
        self._uncounted: Counter[str] = Counter()

    def add_note(self, note: Note) -> None:
        self._uncommitted.append(note)

    def get_note(self, note_id: uuid.UUID) -> Note | None:
        return self.notes.get(note_id)

    def list_notes(self, area_id: str | None = None, limit: int = 100) -> list[Note]:
        found = [n for n in self.notes.values() if area_id is None or n.area_id == area_id]
        return sorted(found, key=lambda n: n.recorded_at, reverse=True)[:limit]

    def count_note(self, area_id: str) -> None:
        self._uncounted[area_id] += 1

    def tallies(self) -> list[AreaTally]:
        return [AreaTally(area, n) for area, n in sorted(self.counted.items())]

    def commit(self) -> None:
        self.notes.update({note.id: note for note in self._uncommitted})
        self.counted.update(self._uncounted)
        super().commit()

    def rollback(self) -> None:
        self._uncommitted.clear()
        self._uncounted.clear()
        super().rollback()
