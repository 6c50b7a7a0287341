"""Unit of work: one transaction around a handler, with the outbox inside it.

    def record_note(cmd: RecordNote, uow: UnitOfWork) -> uuid.UUID:
        with uow:
            note = Note(...)
            uow.session.add(note)
            uow.publish(NoteRecorded(...), aggregate_id=note.id)
            uow.commit()

Events published through the unit of work are written to the outbox in the same transaction as
the change (ARCHITECTURE.md, reliability invariant 1); nothing reaches the broker unless the
change committed, and nothing committed is lost before the relay sends it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Protocol

from google.protobuf.message import Message
from sqlalchemy.orm import sessionmaker

from ..contracts import event_type_of
from .engine import TenantSession
from .tables import PlatformTables


class UnitOfWork(Protocol):
    session: TenantSession

    def __enter__(self) -> UnitOfWork: ...
    def __exit__(self, *exc) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def publish(self, event: Message, *, aggregate_id, sequence: int | None = None,
                subject: str | None = None) -> uuid.UUID: ...


class SqlAlchemyUnitOfWork:
    """The production unit of work. ``tenant_id`` scopes every query of its session."""

    def __init__(
        self,
        sessions: sessionmaker[TenantSession],
        tables: PlatformTables,
        *,
        source: str,
        tenant_id: uuid.UUID | str | None = None,
        traceparent: str | None = None,
    ) -> None:
        self._sessions = sessions
        self._tables = tables
        self.source = source
        self.tenant_id = uuid.UUID(str(tenant_id)) if tenant_id else None
        self.traceparent = traceparent
        self.published: list[uuid.UUID] = []

    def __enter__(self) -> SqlAlchemyUnitOfWork:
        self.session = self._sessions()
        self.session.set_tenant(self.tenant_id)
        return self

    def __exit__(self, *exc) -> None:
        # Anything not committed explicitly is rolled back, including on exceptions.
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()

    def publish(self, event: Message, *, aggregate_id, sequence: int | None = None,
                subject: str | None = None) -> uuid.UUID:
        """Write ``event`` to the outbox in this transaction; returns the event id."""
        event_id = uuid.uuid4()
        self.session.execute(
            self._tables.outbox.insert().values(
                event_id=event_id,
                event_type=event_type_of(event),
                source=self.source,
                aggregate_id=str(aggregate_id),
                sequence=sequence,
                tenant_id=self.tenant_id,
                subject=subject if subject is not None else str(aggregate_id),
                occurred_at=datetime.now(UTC),
                traceparent=self.traceparent,
                payload=event.SerializeToString(),
            )
        )
        self.published.append(event_id)
        return event_id
