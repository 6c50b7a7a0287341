"""Small readers for pipeline tests: what the consumer's effect is, what the broker holds."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from prometheus_client import REGISTRY

from lotse_example.adapters import orm
from lotse_example.domain.commands import RecordNote
from lotse_example.service_layer.handlers import record_note
from lotse_platform.testing import Running  # noqa: F401 - re-exported for the pipeline tests


def record_notes(example, tenant: uuid.UUID, area: str, count: int) -> list[uuid.UUID]:
    return [record_note(RecordNote(area, "user-1", f"note {i}"), example.uow(tenant))
            for i in range(count)]


def tally(example, tenant: uuid.UUID, area: str) -> int:
    with example.uow(tenant) as uow:
        found = [t.notes for t in uow.tallies() if t.area_id == area]
    return found[0] if found else 0


def inbox_count(example) -> int:
    with example.engine.connect() as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(orm.platform.inbox)).scalar_one()


def inbox_ids(example) -> set[uuid.UUID]:
    """The event ids the example's consumers have processed (committed)."""
    with example.engine.connect() as connection:
        return set(connection.execute(sa.select(orm.platform.inbox.c.event_id)).scalars())


def unpublished(example) -> int:
    return example.relay().backlog()


def consumed(outcome: str, event_type: str = "example.note.recorded.v1") -> float:
    value = REGISTRY.get_sample_value(
        "lotse_events_consumed_total",
        {"service": "example", "consumer": "example", "event_type": event_type, "outcome": outcome},
    )
    return value or 0.0
