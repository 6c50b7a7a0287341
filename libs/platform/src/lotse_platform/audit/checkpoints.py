"""The checkpoint writer: anchors every tenant's chain head outside the database (ADR 0066).

A loop of every service's worker (``anchor``, beside ``relay`` and ``sealer``), when
``LOTSE_AUDIT_ANCHOR_DIR`` is set. Once per ``LOTSE_AUDIT_ANCHOR_INTERVAL`` (default 60 s) it
reads each tenant's head (PostgreSQL: through the owner's ``audit_log_heads()``, since row-level
security hides other tenants from the application role) and, where the chain grew since the
tenant's last checkpoint:

1. checks the chain from that checkpoint's entry on (the entry must still have the checkpoint's
   hash; every later hash and link is recomputed), so it never signs a head that a rewrite
   produced — it logs ``audit.anchor_mismatch``, counts it in
   ``lotse_audit_anchor_mismatches_total`` and writes nothing for that tenant instead;
2. signs a :class:`.Checkpoint` of the new head with the anchor key, publishes it through the
   outbox (``audit.checkpoint.written.v1``: a copy for a store outside the service's database
   that binds a queue to it) and writes it to the directory, once (a second worker that finds
   the same head there is content).

A tenant's last checkpoint is read from the directory at the first round and kept in memory.
The entries sealed since the last round are not anchored yet: that window (an interval and a
round) is what a rewrite of the chain's end can still hide in.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from typing import Any

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lotse.audit.v1.events_pb2 import CheckpointWritten

from .. import clock, metrics, retry
from ..contracts.outbox import outbox_row
from .anchor import AnchorConflict, AnchorDirectory, Checkpoint, public_key_text
from .chain import canonical_time
from .heads import Head, chain_heads
from .verify import verify_chain

log = logging.getLogger("lotse.audit")

DEFAULT_INTERVAL = 60.0


class ChainRewritten(RuntimeError):
    """The chain no longer holds what its last checkpoint says (or a second worker anchored
    another head): it is not anchored again until someone looks."""


class AuditCheckpointer:
    """Writes signed checkpoints of every tenant's chain head to an anchor directory."""

    def __init__(self, engine: sa.Engine, table: sa.Table, *, service: str,
                 directory: AnchorDirectory, key: Ed25519PrivateKey,
                 interval: float = DEFAULT_INTERVAL, outbox: sa.Table | None = None) -> None:
        self._engine = engine
        self._table = table
        self._outbox = outbox
        self.service = service
        self.directory = directory
        self._key = key
        self._public = [key.public_key()]
        self._interval = interval
        self._last: dict[uuid.UUID, Checkpoint] = {}

    def heads(self) -> list[Head]:
        with self._engine.connect() as connection:
            return chain_heads(connection, self._table)

    def checkpoint_all(self) -> list[Checkpoint]:
        """One round: a checkpoint for every tenant whose chain grew; returns those written. A
        tenant whose chain was rewritten is logged and counted, and the round goes on."""
        written = []
        for head in self.heads():
            try:
                checkpoint = self.checkpoint(head)
            except ChainRewritten as error:
                metrics.audit_anchor_mismatches.labels(self.service).inc()
                log.error("audit.anchor_mismatch", extra={
                    "service": self.service, "tenant_id": str(head.tenant_id),
                    "detail": str(error)})
                continue
            if checkpoint is not None:
                written.append(checkpoint)
        if written:
            metrics.audit_checkpoints.labels(self.service).inc(len(written))
        return written

    def checkpoint(self, head: Head) -> Checkpoint | None:
        """Anchor ``head``'s tenant if its chain grew since its last checkpoint (checked first).
        :class:`ChainRewritten` when the chain does not hold what that checkpoint says."""
        tenant = head.tenant_id
        last = self._last.get(tenant)
        if last is None:
            last = self.directory.latest(self.service, tenant, self._public)
        if last is not None and (last.seq, last.head_hash) == (head.seq, head.hash):
            self._last[tenant] = last
            return None
        with self._engine.begin() as connection:
            checked = verify_chain(connection, tenant, table=self._table, start=last)
            if not checked.ok or checked.last_hash is None:
                raise ChainRewritten(checked.reason or "no sealed entry")
            if last is not None and checked.checked == last.seq:
                self._last[tenant] = last  # nothing sealed after it: nothing to anchor
                return None
            checkpoint = Checkpoint.signed(self._key, service=self.service, tenant_id=tenant,
                                           seq=checked.checked, head_hash=checked.last_hash,
                                           at=clock.now())
            if self._outbox is not None:
                # before the file: a round that fails after it tries again, event and file
                connection.execute(self._outbox.insert(), checkpoint_event(checkpoint))
        try:
            fresh = self.directory.write(checkpoint)
        except AnchorConflict as error:
            raise ChainRewritten(str(error)) from None
        self._last[tenant] = checkpoint
        return checkpoint if fresh else None

    def run(self, stop: threading.Event) -> None:
        """A round every ``interval`` seconds until ``stop`` is set; a failed round (the database
        or the directory away) is tried again after 2, 4 … seconds, at most an interval."""
        log.info("audit.anchor_start", extra={
            "service": self.service, "key": public_key_text(self._key),
            "interval": self._interval})
        rounds = retry.until_stopped(
            stop, first=2.0, most=self._interval,
            after=retry.log_failure(log, "audit.anchor_error", service=self.service),
            retry_error_callback=retry.quietly)
        while not stop.is_set():
            started = rounds(self._round, stop)
            if started is not None:
                stop.wait(max(0.0, self._interval - (time.monotonic() - started)))
        log.info("audit.anchor_stop", extra={"service": self.service})

    def _round(self, stop: threading.Event) -> float | None:
        if stop.is_set():
            return None
        started = time.monotonic()
        self.checkpoint_all()
        return started


def checkpoint_event(checkpoint: Checkpoint) -> dict[str, Any]:
    """The outbox row of ``audit.checkpoint.written.v1``: the signed checkpoint for a store
    outside the service's database (ids, counts, hashes; no entry content)."""
    event = CheckpointWritten(service=checkpoint.service, tenant_id=str(checkpoint.tenant_id),
                              seq=checkpoint.seq, head_hash=checkpoint.head_hash,
                              at=canonical_time(checkpoint.at), key=checkpoint.key,
                              signature=checkpoint.signature)
    return outbox_row(event, source=f"/lotse/{checkpoint.service}",
                      aggregate_id=f"audit-chain:{checkpoint.tenant_id}",
                      tenant_id=checkpoint.tenant_id, sequence=checkpoint.seq,
                      subject=str(checkpoint.tenant_id))
