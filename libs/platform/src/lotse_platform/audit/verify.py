"""Checking a tenant's audit chain: every hash recomputed, every link and ``seq`` followed.

Only sealed entries are in the chain. Entries still waiting for the sealer (ADR 0008) are counted
and their oldest ``at`` reported: a growing number or age means the sealer is not running.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from .. import clock
from ..db.engine import is_postgres
from ..db.tables import platform_tables
from .sealing import unsealed_of
from .chain import GENESIS_HASH, connection_of, enter_tenant, entry_hash

_AUDIT_LOG = platform_tables(sa.MetaData()).audit_log


@dataclass(frozen=True)
class VerificationResult:
    """``checked`` counts the sealed entries found intact before the first broken one.

    ``last_hash`` is the hash of the last intact entry: kept somewhere else (a report, a ticket),
    it shows later whether entries were cut off the end, which the chain alone cannot.
    ``unsealed`` entries are not in the chain yet; ``oldest_unsealed`` is the ``at`` of the
    oldest of them.
    """

    ok: bool
    checked: int
    first_broken_seq: int | None = None
    reason: str | None = None
    last_hash: str | None = None
    unsealed: int = 0
    oldest_unsealed: datetime | None = None

    def unsealed_age(self, now: datetime | None = None) -> float:
        """Seconds the oldest unsealed entry has waited (0 when every entry is sealed)."""
        if self.oldest_unsealed is None:
            return 0.0
        return max(0.0, ((now or clock.now()) - self.oldest_unsealed).total_seconds())


def verify_chain(bind: Session | Connection, tenant_id: uuid.UUID | str, *,
                 table: sa.Table | None = None) -> VerificationResult:
    """Recompute the chain of ``tenant_id`` in ``seq`` order; report the first broken link and
    what is still unsealed.

    On PostgreSQL a transaction without tenant context gets ``tenant_id`` as its context (so the
    application role sees the tenant's rows under row-level security); one with another tenant's
    context is refused.
    """
    tenant = uuid.UUID(str(tenant_id))
    table = table if table is not None else _AUDIT_LOG
    connection = connection_of(bind)
    if is_postgres(connection):
        enter_tenant(connection, tenant)
    waiting = unsealed_of(connection, table, tenant)
    unsealed, oldest = waiting.entries, waiting.oldest

    rows = connection.execute(
        sa.select(table)
        .where(table.c.tenant_id == tenant, table.c.seq.is_not(None))
        .order_by(table.c.seq)
        .execution_options(yield_per=1000)
    )
    expected_seq, previous_hash, checked = 1, GENESIS_HASH, 0
    try:
        for row in rows:
            entry = row._mapping
            seq = entry["seq"]
            broken = None
            if seq > expected_seq:
                seq, broken = expected_seq, f"entry {expected_seq} missing"
            elif seq < expected_seq:
                broken = f"entry {seq} out of sequence"
            elif entry_hash(dict(entry)) != entry["hash"]:
                broken = "hash mismatch"
            elif entry["prev_hash"] != previous_hash:
                broken = f"prev_hash does not match the hash of entry {seq - 1}"
            if broken:
                return VerificationResult(ok=False, checked=checked, first_broken_seq=seq,
                                          reason=broken, last_hash=_last(checked, previous_hash),
                                          unsealed=unsealed, oldest_unsealed=oldest)
            expected_seq, previous_hash, checked = seq + 1, entry["hash"], checked + 1
    finally:
        rows.close()
    return VerificationResult(ok=True, checked=checked, last_hash=_last(checked, previous_hash),
                              unsealed=unsealed, oldest_unsealed=oldest)


def _last(checked: int, previous_hash: str) -> str | None:
    return previous_hash if checked else None
