"""Checking a tenant's audit chain: every hash recomputed, every link and ``seq`` followed, and
the chain held against its checkpoints.

Only sealed entries are in the chain. Entries still waiting for the sealer (ADR 0008) are counted
and their oldest ``at`` reported: a growing number or age means the sealer is not running.

The chain alone cannot show what was done at its end (entries deleted, unsealed, or changed and
every later one re-computed). Checkpoints, signed and kept outside the database (:mod:`.anchor`,
ADR 0066), can: an entry a checkpoint counted must be there, sealed, with the hash the
checkpoint names.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from .. import clock
from ..db.engine import is_postgres
from ..db.tables import platform_tables
from .anchor import Checkpoint
from .chain import GENESIS_HASH, connection_of, enter_tenant, entry_hash
from .sealing import unsealed_of

_AUDIT_LOG = platform_tables(sa.MetaData()).audit_log


@dataclass(frozen=True)
class VerificationResult:
    """``checked`` is the ``seq`` up to which the chain is intact (the number of intact entries
    when checked from the start).

    ``last_hash`` is the hash of the last intact entry. ``anchored`` is the last checkpoint the
    chain matched; ``beyond_anchor`` the sealed entries after it (not anchored yet). ``unsealed``
    entries are not in the chain yet; ``oldest_unsealed`` is the ``at`` of the oldest of them.
    """

    ok: bool
    checked: int
    first_broken_seq: int | None = None
    reason: str | None = None
    last_hash: str | None = None
    unsealed: int = 0
    oldest_unsealed: datetime | None = None
    anchored: Checkpoint | None = None
    beyond_anchor: int = 0

    def unsealed_age(self, now: datetime | None = None) -> float:
        """Seconds the oldest unsealed entry has waited (0 when every entry is sealed)."""
        if self.oldest_unsealed is None:
            return 0.0
        return max(0.0, ((now or clock.now()) - self.oldest_unsealed).total_seconds())


def verify_chain(bind: Session | Connection, tenant_id: uuid.UUID | str, *,
                 table: sa.Table | None = None, checkpoints: Sequence[Checkpoint] = (),
                 start: Checkpoint | None = None) -> VerificationResult:
    """Recompute the chain of ``tenant_id`` in ``seq`` order; report the first broken link, the
    first entry that differs from a checkpoint or is missing though a checkpoint counted it, and
    what is still unsealed.

    ``checkpoints`` must be the tenant's, their signatures checked (:meth:`.AnchorDirectory.read`).
    ``start``: check only from that checkpoint's entry on (it must still have the checkpoint's
    hash), as the checkpoint writer does before it signs the next head.

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
    anchors = {c.seq: c for c in checkpoints if c.tenant_id == tenant}
    if start is not None:
        anchors[start.seq] = start

    def result(ok: bool, checked: int, previous_hash: str, anchored: Checkpoint | None,
               broken_seq: int | None = None, reason: str | None = None) -> VerificationResult:
        return VerificationResult(
            ok=ok, checked=checked, first_broken_seq=broken_seq, reason=reason,
            last_hash=previous_hash if checked else None, unsealed=waiting.entries,
            oldest_unsealed=waiting.oldest, anchored=anchored,
            beyond_anchor=checked - anchored.seq if anchored and ok else 0)

    first = start.seq if start is not None else 1
    rows = connection.execute(
        sa.select(table)
        .where(table.c.tenant_id == tenant, table.c.seq >= first)
        .order_by(table.c.seq)
        .execution_options(yield_per=1000)
    )
    expected_seq, previous_hash, checked = first, GENESIS_HASH, first - 1
    anchored: Checkpoint | None = None
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
            elif entry["prev_hash"] != previous_hash and not (start and seq == start.seq):
                broken = f"prev_hash does not match the hash of entry {seq - 1}"
            elif seq in anchors and anchors[seq].head_hash != entry["hash"]:
                changed = (f"after {anchored.seq} (where an earlier checkpoint still matches)"
                           if anchored else f"up to {seq}")
                broken = (f"entry {seq} differs from the checkpoint of {_when(anchors[seq])}: "
                          f"an entry {changed} was changed and the chain re-computed")
            if broken:
                return result(False, checked, previous_hash, anchored, seq, broken)
            anchored = anchors.get(seq, anchored)
            expected_seq, previous_hash, checked = seq + 1, entry["hash"], seq
    finally:
        rows.close()
    counted = max(anchors.values(), key=lambda c: c.seq, default=None)
    if counted is not None and counted.seq > checked:
        missing = (f"entry {counted.seq}" if counted.seq == checked + 1
                   else f"entries {checked + 1} to {counted.seq}")
        return result(False, checked, previous_hash, anchored, checked + 1,
                      f"{missing} missing: the checkpoint of {_when(counted)} counts "
                      f"{counted.seq} entries, the sealed chain ends at {checked} (entries cut "
                      "off its end, or unsealed)")
    return result(True, checked, previous_hash, anchored)


def _when(checkpoint: Checkpoint) -> str:
    return checkpoint.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
