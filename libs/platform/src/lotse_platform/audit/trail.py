"""Writing the audit trail (*Protokollierung*): who did what to which record, when and why.

Every entry is chained to the one before it of the same tenant: ``seq`` counts 1, 2, 3 … and
``hash`` is the SHA-256 of the entry's canonical form, which contains the previous entry's hash
(``prev_hash``; ``"0" * 64`` for the first). Changing, removing or reordering a sealed entry
therefore breaks the chain from that entry on (:func:`lotse_platform.audit.verify_chain`).

:meth:`AuditTrail.record` writes in the caller's transaction: the entry commits with the access
it documents or not at all. It writes the entry *unsealed* (no ``seq``, ``prev_hash``, ``hash``):
on PostgreSQL the sealer (:mod:`.sealing`) chains committed entries shortly afterwards, so
audited writes of one tenant no longer queue behind one lock (ADR 0008); on SQLite (embedded
mode, one writer at a time anyway) the same sealing runs at once, in the writing transaction.
Entries carry ids only (actor, organisation, record), never names or case content. ``reason``
is composed by the code from codes and ids (``"phase intake -> assessment"``, ``"to tenant
<id>"``), or is a stated purpose from the controlled vocabulary (``purpose:quality_assurance``,
:mod:`.purposes`) — never text a caller typed: the trail cannot be erased. A caller's free-text
note goes into ``audit_note`` beside the entry, erasable (:mod:`.notes`, ADR 0065).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from .. import clock as platform_clock
from ..db.engine import MissingTenantContext, is_postgres, refused_by_row_level_security
from .chain import connection_of
from .purposes import Purpose
from .sealing import seal_tenant

if TYPE_CHECKING:
    from ..auth.principal import Principal

# Common actions; others are allowed if they look alike (lower case, no free text).
READ, CREATE, UPDATE, DELETE, EXPORT = "read", "create", "update", "delete", "export"
_ACTION = re.compile(r"^[a-z][a-z0-9_.-]*$")

@dataclass(frozen=True, kw_only=True)
class AuditEntry:
    """One access to be recorded. ``actor`` and ``acting_org`` are ids from the principal."""

    actor: str
    acting_org: str | None = None
    action: str
    record_type: str
    record_id: str | None = None
    reason: str | None = None
    request_id: str | None = None
    #: a stated purpose: the entry's reason becomes ``purpose:<code>``
    purpose: Purpose | None = None
    #: free text beside the entry, never in it: written to ``audit_note`` (erasable)
    note: str | None = None

    def __post_init__(self) -> None:
        if self.record_id is not None and not isinstance(self.record_id, str):
            object.__setattr__(self, "record_id", str(self.record_id))  # a UUID, an int
        if self.purpose is not None:
            if self.reason is not None:
                raise ValueError("an audit entry names a purpose or a reason, not both")
            object.__setattr__(self, "reason", Purpose(self.purpose).reason)
        if self.note is not None:
            note = self.note.strip()
            if not note or len(note) > _NOTE_LIMIT:
                raise ValueError(f"an audit note has 1 to {_NOTE_LIMIT} characters")
            object.__setattr__(self, "note", note)
        if not self.actor or not self.record_type:
            raise ValueError("an audit entry needs an actor and a record type")
        if not _ACTION.match(self.action or ""):
            raise ValueError("an audit action is a lower-case word such as 'read' or 'export'")
        for name, limit in _LIMITS.items():
            value = getattr(self, name)
            if value is not None and (not isinstance(value, str) or len(value) > limit):
                raise ValueError(f"audit field {name} must be a string of at most {limit} "
                                 "characters")

    @classmethod
    def by(cls, principal: Principal, action: str, record_type: str, record_id: Any = None, *,
           reason: str | None = None, request_id: str | None = None,
           purpose: Purpose | None = None, note: str | None = None) -> AuditEntry:
        """The entry for ``principal`` doing ``action`` on a record."""
        return cls(actor=principal.subject, acting_org=principal.organisation, action=action,
                   record_type=record_type, record_id=record_id, reason=reason,
                   request_id=request_id, purpose=purpose, note=note)


# The column lengths of ``audit_log`` (lotse_platform.db.tables): checked here because SQLite
# would store longer values and PostgreSQL would fail the caller's transaction.
_LIMITS = {"actor": 200, "acting_org": 200, "action": 100, "record_type": 100,
           "record_id": 100, "reason": 500, "request_id": 100}
# ``audit_note.note``
_NOTE_LIMIT = 2000


def trail_request_id(value: str | None) -> str | None:
    """The request id an audit entry keeps: a UUID, as the gateway and the services make them.
    A caller may send an id of her own (``X-Request-ID``, any plain word: a name too); the logs
    keep it, the unerasable trail does not."""
    if value is None:
        return None
    try:
        uuid.UUID(value)
    except ValueError:
        return None
    return value


class AuditTrail:
    """Appends to one service's ``audit_log`` table (``platform_tables(metadata).audit_log``)."""

    def __init__(self, table: sa.Table, *, clock: Callable[[], datetime] | None = None) -> None:
        self.table = table
        self._clock = clock or platform_clock.now
        self._insert = table.insert()

    def row(self, tenant: uuid.UUID, entry: AuditEntry) -> dict[str, Any]:
        """The columns of ``entry`` as written: unsealed, so without seq and hashes."""
        return {
            "tenant_id": tenant,
            # stored as UTC: SQLite keeps the digits and drops the zone
            "at": self._clock().astimezone(UTC),
            "actor": entry.actor,
            "acting_org": entry.acting_org,
            "action": entry.action,
            "record_type": entry.record_type,
            "record_id": entry.record_id,
            "reason": entry.reason,
            "request_id": entry.request_id,
        }

    def record(self, bind: Session | Connection, tenant_id: uuid.UUID | str,
               entry: AuditEntry) -> None:
        """Append ``entry`` for ``tenant_id`` inside the caller's transaction (no commit).

        No lock and no read: an INSERT of the unsealed entry. On PostgreSQL the transaction's
        tenant context must be ``tenant_id`` (a :class:`TenantSession` of that tenant does it);
        row-level security refuses anything else, reported as :class:`MissingTenantContext`
        (the transaction is then aborted). On SQLite the entry is sealed before this returns.
        """
        tenant = uuid.UUID(str(tenant_id))
        session_tenant = bind.info.get("tenant_id") if isinstance(bind, Session) else None
        if session_tenant is not None and session_tenant != tenant:
            raise MissingTenantContext("audit entry for another tenant than the session's")
        connection = connection_of(bind)
        row = self.row(tenant, entry)
        if entry.note is None:
            self.insert(connection, [row])
        else:
            self.insert_noted(connection, [(row, entry.note)])
        if not is_postgres(connection):
            seal_tenant(connection, self.table, tenant)

    def insert(self, connection: Connection, rows: list[dict[str, Any]]) -> None:
        """INSERT unsealed entries (one statement); a tenant refused by row-level security is
        :class:`MissingTenantContext`."""
        with _refusals_as_missing_tenant():
            connection.execute(self._insert, rows)

    def insert_noted(self, connection: Connection, noted: list[tuple[dict[str, Any], str]]) -> None:
        """INSERT entries that have a note, each with its note in ``audit_note`` (keyed by the
        entry's id, so one statement per entry and note)."""
        notes = self.notes_table()
        with _refusals_as_missing_tenant():
            for row, note in noted:
                inserted = connection.execute(self._insert, row).inserted_primary_key
                if inserted is None:
                    raise RuntimeError("the database did not return the audit entry's id")
                entry_id = inserted[0]
                connection.execute(notes.insert(), {
                    "audit_id": entry_id, "tenant_id": row["tenant_id"],
                    "written_at": row["at"], "note": note})

    def notes_table(self) -> sa.Table:
        """The ``audit_note`` table beside this trail's ``audit_log`` (same MetaData)."""
        return notes_table_of(self.table)


def notes_table_of(audit_log: sa.Table) -> sa.Table:
    """``audit_note`` of the MetaData that holds ``audit_log`` (a service's own, or a fresh one)."""
    found = audit_log.metadata.tables.get("audit_note")
    if found is None:
        raise LookupError("audit_note is not defined beside this audit_log "
                          "(platform_tables(metadata) defines both)")
    return found


@contextmanager
def _refusals_as_missing_tenant() -> Iterator[None]:
    try:
        yield
    except sa.exc.DBAPIError as error:
        if refused_by_row_level_security(error):
            raise MissingTenantContext(
                "the transaction's tenant context is not the tenant of the audit entry"
            ) from error
        raise
