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

Outbox rows, audit entries and records appended with ``append()`` are collected and written by
``commit()``, right before the ``COMMIT`` and on PostgreSQL in the same round trip
(:mod:`.pending`): the transaction never reads them back, so writing them one statement at a
time would only cost round trips. They commit with the change or not at all; a refusal (e.g. an
audit entry for another tenant) surfaces at ``commit()``.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

import sqlalchemy as sa
from google.protobuf.message import Message
from sqlalchemy.orm import sessionmaker

from .. import clock
from ..audit import AuditEntry, AuditTrail, Purpose
from ..audit.trail import trail_request_id
from ..contracts.outbox import outbox_row
from ..db.engine import MissingTenantContext, TenantSession, refused_by_row_level_security
from ..db.tables import PlatformTables
from ..references import ReferenceReplica
from ..references.store import SqlReferences
from ..signed_copies.store import SqlSignedCopies
from ..tracing import current_traceparent
from . import pending as pending_writes
from .pending import PendingWrites

if TYPE_CHECKING:
    from ..auth.principal import Principal


class UnitOfWork(Protocol):
    session: TenantSession

    def __enter__(self) -> UnitOfWork: ...
    def __exit__(self, *exc: object) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def publish(self, event: Message, *, aggregate_id: object, sequence: int | None = None,
                subject: str | None = None) -> uuid.UUID: ...
    def audit(self, action: str, record_type: str, record_id: object = None, *,
              reason: str | None = None, purpose: Purpose | None = None,
              note: str | None = None) -> None: ...
    def append(self, table: sa.Table, row: dict[str, Any]) -> None: ...
    def today(self) -> date: ...
    @property
    def references(self) -> ReferenceReplica: ...


class SqlAlchemyUnitOfWork:
    """The production unit of work. ``tenant_id`` scopes every query of its session.

    Each event published carries the W3C trace context current at ``publish()`` (the request's
    span, an event handler's: :mod:`lotse_platform.tracing`); ``traceparent`` pins one instead.
    """

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
        self._pending = PendingWrites(tables)

    def today(self) -> date:
        """The calendar day it is for this unit's tenant: the "today" of every date rule."""
        return clock.today(self.tenant_id)

    @property
    def references(self) -> SqlReferences:
        """The replica of identity's directory (ADR 0054): what commands check references
        against (:func:`lotse_platform.references.check`), what the directory's events keep."""
        return SqlReferences(self.session, self._tables.known_reference, self.tenant_id)

    @property
    def signed_copies(self) -> SqlSignedCopies:
        """Signed copies of forms attached to the tenant's records, sealed (ADR 0082)."""
        return SqlSignedCopies(self.session, self._tables.signed_copy, self.tenant_id)

    def __enter__(self) -> SqlAlchemyUnitOfWork:
        self.session = self._sessions()
        self.session.set_tenant(self.tenant_id)
        # a commit of the session itself (not through the unit of work) still writes them
        self.session.info[PENDING] = self._pending
        return self

    def __exit__(self, *exc: object) -> None:
        # Anything not committed explicitly is rolled back, including on exceptions. close()
        # rolls back without expiring what was loaded, so results stay readable after the block.
        self._pending.clear()
        self.session.close()

    def commit(self) -> None:
        """Flush the changes, write the appended rows, outbox rows and audit entries, commit."""
        session = self.session
        if self._pending:
            session.flush()
            try:
                if pending_writes.pipelines(session):
                    pending_writes.write_and_commit(session, self._pending)
                else:
                    pending_writes.write(session, self._pending)
            except sa.exc.DBAPIError as error:
                if refused_by_row_level_security(error):
                    # the audit log and appended tenant-owned rows are checked by the policies
                    raise MissingTenantContext(
                        "the transaction's tenant context is not the tenant of its audit entries "
                        "or appended rows") from error
                raise
        session.commit()

    def rollback(self) -> None:
        self._pending.clear()
        self.session.rollback()

    def append(self, table: sa.Table, row: dict[str, Any]) -> None:
        """Insert ``row`` into ``table`` at ``commit()``, in the round trip of the outbox rows and
        audit entries, not through the ORM's flush.

        For append-only records the transaction does not read back (a note, a log line): the
        ORM's unit of work costs about as much CPU as the rest of such a write. Rows are written
        in the order appended, before the outbox rows, and commit with the change or not at all;
        a refusal (a duplicate key, another tenant's row) surfaces at ``commit()``. A row of a
        tenant-owned table gets the unit of work's tenant when it names none (row-level
        security checks it as it checks any insert). Every row of one table names the same
        columns.
        """
        if "tenant_id" in table.c and "tenant_id" not in row:
            if self.tenant_id is None:
                raise MissingTenantContext(f"a row of {table.name} needs the unit of work's tenant")
            row = {**row, "tenant_id": self.tenant_id}
        rows = self._pending.appended.setdefault(table, [])
        if rows and rows[0].keys() != row.keys():
            raise ValueError(f"rows appended to {table.name} must name the same columns: "
                             f"{sorted(rows[0])} != {sorted(row)}")
        rows.append(row)

    def publish(self, event: Message, *, aggregate_id: object, sequence: int | None = None,
                subject: str | None = None) -> uuid.UUID:
        """Write ``event`` to the outbox in this transaction; returns the event id."""
        row = outbox_row(event, source=self.source, aggregate_id=aggregate_id,
                         tenant_id=self.tenant_id, sequence=sequence, subject=subject,
                         traceparent=self.traceparent or current_traceparent())
        self._pending.outbox.append(row)
        event_id: uuid.UUID = row["event_id"]
        self.published.append(event_id)
        return event_id

    def audit(self, action: str, record_type: str, record_id: object = None, *,
              reason: str | None = None, purpose: Purpose | None = None,
              note: str | None = None) -> None:
        """Append an audit entry in this transaction: it commits with the access or not at all.

        The actor is the unit of work's principal (a request's caller); without one it is the
        service itself (``system:/lotse/<service>``: a consumer, a seed, a migration). The entry
        is written unsealed at ``commit()``; the sealer chains it (ADR 0008). ``reason`` is
        composed by the code from codes and ids; a stated ``purpose`` (the controlled
        vocabulary) becomes the reason instead, and its free-text ``note`` is kept beside the
        entry in ``audit_note``, never in the trail (ADR 0065).
        """
        if self.tenant_id is None:
            raise MissingTenantContext("an audit entry needs the tenant of the unit of work")
        record = None if record_id is None else str(record_id)  # a UUID, an int
        request_id = trail_request_id(self.request_id)
        if self.principal is not None:
            entry = AuditEntry.by(self.principal, action, record_type, record, reason=reason,
                                  request_id=request_id, purpose=purpose, note=note)
        else:
            entry = AuditEntry(actor=f"system:{self.source}"[:200], action=action,
                               record_type=record_type, record_id=record, reason=reason,
                               request_id=request_id, purpose=purpose, note=note)
        row = _audit_trail(self._tables).row(self.tenant_id, entry)
        if entry.note is None:
            self._pending.audit.append(row)
        else:
            self._pending.noted.append((row, entry.note))


PENDING = "lotse.pending_writes"

def _audit_trail(tables: PlatformTables) -> AuditTrail:
    trail = _TRAILS.get(tables.audit_log)
    if trail is None:
        trail = _TRAILS[tables.audit_log] = AuditTrail(tables.audit_log)
    return trail


_TRAILS: dict[sa.Table, AuditTrail] = {}


@sa.event.listens_for(TenantSession, "before_commit")
def _write_what_is_pending(session: TenantSession) -> None:
    """The safety net: ``uow.session.commit()`` must not drop the unit of work's outbox rows or
    audit entries (``uow.commit()`` has written them already)."""
    pending: PendingWrites | None = session.info.get(PENDING)
    if pending:
        pending_writes.write(session, pending)
