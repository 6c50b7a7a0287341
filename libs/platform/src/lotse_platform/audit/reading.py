"""Reading the audit trail: who accessed which record, when and why (*Protokollauswertung*).

One query for every service, on its own ``audit_log`` and within the caller's tenant (row-level
security): by record (a case, a person's intake), by actor (a user), by period, oldest first,
a page at a time. The entries hold ids and purposes only, never names or case content; a note
beside an entry (``audit_note``, erasable: ADR 0065) comes with it while it exists.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from .purposes import Purpose, purpose_of
from .trail import notes_table_of

MAX_PAGE = 500


@dataclass(frozen=True)
class AuditQuery:
    """Which entries to read; ``None`` leaves a filter out. ``after`` is the cursor of the
    previous page (the last entry's id)."""

    record_type: str | None = None
    record_id: str | None = None
    actor: str | None = None
    action: str | None = None
    purpose: Purpose | None = None
    since: datetime | None = None
    until: datetime | None = None
    after: int | None = None
    limit: int = 100


@dataclass(frozen=True)
class AuditPage:
    entries: list[dict[str, Any]]
    #: the cursor of the next page, or None when this one is the last
    next_after: int | None


def read_audit_trail(bind: Session | Connection, table: sa.Table, tenant: uuid.UUID,
                     query: AuditQuery) -> AuditPage:
    """One page of ``tenant``'s entries matching ``query``, oldest first (by insertion: the order
    in which the sealer chains them). The tenant is a condition of its own, not left to row-level
    security alone: SQLite (embedded mode) has none."""
    if not 1 <= query.limit <= MAX_PAGE:
        raise ValueError(f"limit must be between 1 and {MAX_PAGE}")
    c, notes = table.c, notes_table_of(table)
    conditions = [c.tenant_id == tenant] + [column == value for column, value in (
        (c.record_type, query.record_type), (c.record_id, query.record_id),
        (c.actor, query.actor), (c.action, query.action),
        (c.reason, query.purpose and query.purpose.reason)) if value is not None]
    if query.since is not None:
        conditions.append(c.at >= query.since)
    if query.until is not None:
        conditions.append(c.at < query.until)
    if query.after is not None:
        conditions.append(c.id > query.after)
    statement = (sa.select(c.id, c.at, c.actor, c.acting_org, c.action, c.record_type,
                           c.record_id, c.reason, c.request_id, c.seq, notes.c.note)
                 .select_from(table.outerjoin(notes, sa.and_(
                     notes.c.audit_id == c.id, notes.c.tenant_id == tenant)))
                 .where(*conditions).order_by(c.id).limit(query.limit + 1))
    rows = [dict(row._mapping) for row in bind.execute(statement)]
    more = len(rows) > query.limit
    rows = rows[:query.limit]
    for row in rows:
        row["sealed"] = row["seq"] is not None
        row["purpose"] = purpose_of(row["reason"])
    return AuditPage(rows, rows[-1]["id"] if more else None)
