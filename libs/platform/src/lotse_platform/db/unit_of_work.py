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
from typing import TYPE_CHECKING, Protocol

from google.protobuf.message import Message
from sqlalchemy.orm import sessionmaker

from ..contracts import event_type_of
from .engine import MissingTenantContext, TenantSession
from .tables import PlatformTables

if TYPE_CHECKING:
    from ..auth.principal import Principal


class UnitOfWork(Protocol):
    session: TenantSession

    def __enter__(self) -> UnitOfWork: ...
    def __exit__(self, *exc) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def publish(self, event: Message, *, aggregate_id, sequence: int | None = None,
                subject: str | None = None) -> uuid.UUID: ...
    def audit(self, action: str, record_type: str, record_id=None, *,
              reason: str | None = None) -> None: ...


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
        principal: Principal | None = None,
        request_id: str | None = None,
    ) -> None:
        self._sessions = sessions
        self._tables = tables
        self.source = source
        self.tenant_id = uuid.UUID(str(tenant_id)) if tenant_id else None
        self.traceparent = traceparent
        self.principal = principal
        self.request_id = request_id
        self.published: list[uuid.UUID] = []

    def __enter__(self) -> SqlAlchemyUnitOfWork:
        self.session = self._sessions()
        self.session.set_tenant(self.tenant_id)
        return self

    def __exit__(self, *exc) -> None:
        # Anything not committed explicitly is rolled back, including on exceptions. close()
        # rolls back without expiring what was loaded, so results stay readable after the block.
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

    def audit(self, action: str, record_type: str, record_id=None, *,
              reason: str | None = None) -> None:
        """Append an audit entry in this transaction: it commits with the access or not at all.

        The actor is the unit of work's principal (a request's caller); without one it is the
        service itself (``system:/lotse/<service>``: a consumer, a seed, a migration).
        """
        from ..audit import AuditEntry, AuditTrail

        if self.tenant_id is None:
            raise MissingTenantContext("an audit entry needs the tenant of the unit of work")
        if self.principal is not None:
            entry = AuditEntry.by(self.principal, action, record_type, record_id,
                                  reason=reason, request_id=self.request_id)
        else:
            entry = AuditEntry(actor=f"system:{self.source}"[:200], action=action,
                               record_type=record_type, record_id=record_id, reason=reason,
                               request_id=self.request_id)
        AuditTrail(self._tables.audit_log).record(self.session, self.tenant_id, entry)
