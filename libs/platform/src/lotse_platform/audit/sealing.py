"""Sealing the audit trail: committed entries are chained into their tenant's hash chain.

An audited write only INSERTs its entry, unsealed (:meth:`.AuditTrail.record`). The sealer
then takes a tenant's unsealed entries in insertion order and gives each, exactly once, the next
``seq``, the previous entry's hash as ``prev_hash`` and its own ``hash`` (ADR 0008). Before,
every audited transaction of a tenant took the tenant's advisory lock and read the chain's head,
so all audited writes of a county queued behind one lock until each one's commit.

- **Seal order.** An entry is chained when the sealer first sees it committed. A transaction
  that commits late gets a later ``seq`` than entries inserted after it; ``seq`` is the order of
  the chain, ``at`` the time of the access.
- **Once.** A sealer holds the tenant's transaction-scoped advisory lock (``LOCK_CLASS``, the
  tenant's key) while it seals; another sealer skips that tenant for the round. The UPDATE only
  touches rows whose ``seq`` is still NULL and must touch all of them, the unique ``(tenant_id,
  seq)`` refuses a fork, and on PostgreSQL a trigger allows an UPDATE of ``audit_log`` only from
  unsealed to sealed, changing nothing else; the application role may UPDATE only the three
  chain columns at all.
- **Which tenants.** Row-level security hides other tenants' entries from the application role,
  so on PostgreSQL the function ``audit_log_unsealed()`` (the table owner's, SECURITY DEFINER)
  lists tenant ids with the count and age of their unsealed entries; each tenant is then sealed
  in a transaction of its own tenant context.
- **Where it runs.** :class:`AuditSealer` is a loop of every service's worker (``lotse-<service>
  worker``, beside the relay) sealing once a second; ``lotse-audit seal`` does a round on
  demand. On SQLite the writing transaction seals (:meth:`.AuditTrail.record`).

Until an entry is sealed it is protected by privileges and the trigger, not yet by the chain:
:func:`~lotse_platform.audit.verify_chain` reports how many entries wait and how old the oldest
is, and the sealer exports both as metrics.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection

from .. import metrics, retry
from ..db.engine import is_postgres
from .chain import GENESIS_HASH, LOCK_CLASS, entry_hash, enter_tenant, tenant_lock_key

log = logging.getLogger("lotse.audit")

BATCH_SIZE = 2000  # entries sealed per tenant and transaction


@dataclass(frozen=True)
class Unsealed:
    """A tenant's entries waiting to be sealed."""

    tenant_id: uuid.UUID
    entries: int
    oldest: datetime | None

    def age(self, now: datetime | None = None) -> float:
        """Seconds the oldest unsealed entry has waited (0 when none)."""
        if self.oldest is None:
            return 0.0
        oldest = self.oldest if self.oldest.tzinfo else self.oldest.replace(tzinfo=UTC)
        return max(0.0, ((now or datetime.now(UTC)) - oldest).total_seconds())


def unsealed_tenants(connection: Connection, table: sa.Table) -> list[Unsealed]:
    """Every tenant with unsealed entries (PostgreSQL: through ``audit_log_unsealed()``)."""
    if is_postgres(connection):
        rows = connection.execute(sa.text(
            "SELECT tenant_id, entries, oldest FROM audit_log_unsealed() ORDER BY tenant_id"))
    else:
        rows = connection.execute(
            sa.select(table.c.tenant_id, sa.func.count(), sa.func.min(table.c.at))
            .where(table.c.seq.is_(None)).group_by(table.c.tenant_id).order_by(table.c.tenant_id))
    return [Unsealed(uuid.UUID(str(tenant)), entries, _aware(oldest))
            for tenant, entries, oldest in rows]


def unsealed_of(connection: Connection, table: sa.Table, tenant: uuid.UUID) -> Unsealed:
    """One tenant's unsealed entries, read in its own tenant context."""
    entries, oldest = connection.execute(
        sa.select(sa.func.count(), sa.func.min(table.c.at))
        .where(table.c.tenant_id == tenant, table.c.seq.is_(None))).one()
    return Unsealed(tenant, entries, _aware(oldest))


def _aware(at: datetime | str | None) -> datetime | None:
    if isinstance(at, str):  # SQLite's aggregate comes back as text
        at = datetime.fromisoformat(at)
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at


def seal_tenant(connection: Connection, table: sa.Table, tenant: uuid.UUID | str, *,
                limit: int = BATCH_SIZE) -> int:
    """Seal up to ``limit`` of ``tenant``'s unsealed entries in the caller's transaction, in
    insertion order, after the chain's head; returns how many (0 when another sealer holds the
    tenant). Does not commit.

    PostgreSQL: the transaction's tenant context becomes ``tenant`` (another one is refused).
    """
    tenant = uuid.UUID(str(tenant))
    postgres = is_postgres(connection)
    if postgres:
        enter_tenant(connection, tenant)
        if not connection.execute(sa.select(sa.func.pg_try_advisory_xact_lock(
                LOCK_CLASS, tenant_lock_key(tenant)))).scalar_one():
            return 0  # another sealer is at this tenant: it seals what we would have
    head = connection.execute(
        sa.select(table.c.seq, table.c.hash)
        .where(table.c.tenant_id == tenant, table.c.seq.is_not(None))
        .order_by(table.c.seq.desc()).limit(1)
    ).first()
    waiting = connection.execute(
        sa.select(table).where(table.c.tenant_id == tenant, table.c.seq.is_(None))
        .order_by(table.c.id).limit(limit)
    ).all()
    if not waiting:
        return 0
    seq, prev_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    ids, seqs, prev_hashes, hashes = [], [], [], []
    for row in waiting:
        seq += 1
        values = dict(row._mapping, seq=seq, prev_hash=prev_hash)
        prev_hash = entry_hash(values)
        ids.append(row.id)
        seqs.append(seq)
        prev_hashes.append(values["prev_hash"])
        hashes.append(prev_hash)
    if postgres:
        sealed = connection.execute(_SEAL_MANY, {"ids": ids, "seqs": seqs, "prev_hashes": prev_hashes,
                                                 "hashes": hashes, "tenant": tenant}).rowcount
    else:
        sealed = 0
        for entry_id, entry_seq, entry_prev, entry_hash_ in zip(ids, seqs, prev_hashes, hashes):
            sealed += connection.execute(
                table.update()
                .where(table.c.id == entry_id, table.c.seq.is_(None))
                .values(seq=entry_seq, prev_hash=entry_prev, hash=entry_hash_)).rowcount
    if sealed != len(ids):
        # someone sealed some of them meanwhile: the caller's transaction must not commit
        raise RuntimeError(f"sealed {sealed} of {len(ids)} audit entries; another sealer "
                           "ran without the tenant's lock")
    return sealed


_SEAL_MANY = sa.text(
    "UPDATE audit_log AS a SET seq = s.seq, prev_hash = s.prev_hash, hash = s.hash "
    "FROM unnest(:ids, :seqs, :prev_hashes, :hashes) AS s(id, seq, prev_hash, hash) "
    "WHERE a.id = s.id AND a.tenant_id = :tenant AND a.seq IS NULL"
).bindparams(
    sa.bindparam("ids", type_=postgresql.ARRAY(sa.BigInteger)),
    sa.bindparam("seqs", type_=postgresql.ARRAY(sa.BigInteger)),
    sa.bindparam("prev_hashes", type_=postgresql.ARRAY(sa.String)),
    sa.bindparam("hashes", type_=postgresql.ARRAY(sa.String)),
    sa.bindparam("tenant", type_=sa.Uuid),
)


class AuditSealer:
    """Seals every tenant's committed entries, a transaction per tenant and batch."""

    def __init__(self, engine: sa.Engine, table: sa.Table, *, service: str = "",
                 interval: float = 1.0, batch_size: int = BATCH_SIZE) -> None:
        self._engine = engine
        self._table = table
        self.service = service
        self._interval = interval
        self._batch_size = batch_size

    def pending(self) -> list[Unsealed]:
        with self._engine.connect() as connection:
            return unsealed_tenants(connection, self._table)

    def seal(self, tenant: uuid.UUID | str) -> int:
        """Seal all of one tenant's unsealed entries; returns how many."""
        total = 0
        while True:
            with self._engine.begin() as connection:
                sealed = seal_tenant(connection, self._table, tenant, limit=self._batch_size)
            total += sealed
            if sealed < self._batch_size:
                return total

    def seal_all(self) -> int:
        """One round: every tenant with unsealed entries; returns how many were sealed.

        The gauges say what waited when the round began (an entry waits at most about one
        interval plus a round; a sealer that stopped shows as a growing age at its next start,
        and as the count and age ``lotse-audit verify`` reports)."""
        waiting = self.pending()
        now = datetime.now(UTC)
        metrics.audit_unsealed.labels(self.service).set(sum(w.entries for w in waiting))
        metrics.audit_unsealed_age.labels(self.service).set(
            max((w.age(now) for w in waiting), default=0.0))
        total = sum(self.seal(each.tenant_id) for each in waiting)
        if total:
            metrics.audit_sealed.labels(self.service).inc(total)
        return total

    def run(self, stop: threading.Event) -> None:
        """A round every ``interval`` seconds until ``stop`` is set. A round that fails (the
        database away: entries wait) is tried again after 2, 4 … intervals, at most 30 s."""
        log.info("audit.sealer_start", extra={"service": self.service})
        rounds = retry.until_stopped(
            stop, first=2 * self._interval, most=30.0,
            after=retry.log_failure(log, "audit.sealer_error", service=self.service),
            retry_error_callback=retry.quietly)
        while not stop.is_set():
            started = rounds(self._round, stop)
            if started is not None:
                stop.wait(max(0.0, self._interval - (time.monotonic() - started)))
        log.info("audit.sealer_stop", extra={"service": self.service})

    def _round(self, stop: threading.Event) -> float | None:
        """:meth:`seal_all` unless ``stop`` is set; returns when (monotonic) it began."""
        if stop.is_set():
            return None
        started = time.monotonic()
        self.seal_all()
        return started
