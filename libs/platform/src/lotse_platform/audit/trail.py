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
Entries carry ids only (actor, organisation, record), never names or case content; ``reason``
is a purpose, e.g. ``"Fallbesprechung"``, not a note about a person.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from .. import clock as platform_clock
from ..db.engine import MissingTenantContext, is_postgres, refused_by_row_level_security
from .chain import connection_of
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

    def __post_init__(self) -> None:
        if self.record_id is not None and not isinstance(self.record_id, str):
            object.__setattr__(self, "record_id", str(self.record_id))  # a UUID, an int
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
           reason: str | None = None, request_id: str | None = None) -> AuditEntry:
        """The entry for ``principal`` doing ``action`` on a record."""
        return cls(actor=principal.subject, acting_org=principal.organisation, action=action,
                   record_type=record_type, record_id=record_id, reason=reason,
                   request_id=request_id)


# The column lengths of ``audit_log`` (lotse_platform.db.tables): checked here because SQLite
# would store longer values and PostgreSQL would fail the caller's transaction.
_LIMITS = {"actor": 200, "acting_org": 200, "action": 100, "record_type": 100,
           "record_id": 100, "reason": 500, "request_id": 100}


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
        self.insert(connection, [self.row(tenant, entry)])
        if not is_postgres(connection):
            seal_tenant(connection, self.table, tenant)

    def insert(self, connection: Connection, rows: list[dict[str, Any]]) -> None:
        """INSERT unsealed entries (one statement); a tenant refused by row-level security is
        :class:`MissingTenantContext`."""
        try:
            connection.execute(self._insert, rows)
        except sa.exc.DBAPIError as error:
            if refused_by_row_level_security(error):
                raise MissingTenantContext(
                    "the transaction's tenant context is not the tenant of the audit entry"
                ) from error
            raise
