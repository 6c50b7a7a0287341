"""The outbox relay: publishes committed outbox rows, in order, and marks them sent.

One batch: read the oldest unsent rows (by id, which is commit order per aggregate), publish
them with confirms, then mark the confirmed prefix sent. A crash between publishing and marking
re-sends the batch after restart: duplicates are possible, loss is not (consumers deduplicate
with their inbox). Only the prefix up to the first unconfirmed row is marked, so a resend keeps
each aggregate's events in their order.

Only one relay per service database publishes at a time: it holds a PostgreSQL advisory lock
(a second instance waits as a standby). SQLite runs one process anyway.
"""

from __future__ import annotations

import logging
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from kombu import Connection

from .. import faults, metrics
from ..contracts.envelope import Envelope
from ..db.engine import is_postgres
from ..db.tables import PlatformTables
from .publisher import Outgoing, publisher_for
from .topology import Topology

log = logging.getLogger("lotse.relay")


class OutboxRelay:
    def __init__(
        self,
        *,
        service: str,
        engine: sa.Engine,
        tables: PlatformTables,
        broker_url: str,
        topology: Topology,
        batch_size: int = 500,
        poll_interval: float = 0.05,
        confirm_timeout: float = 10.0,
        retention: timedelta = timedelta(days=7),
    ) -> None:
        self.service = service
        self._engine = engine
        self._outbox = tables.outbox
        self._broker_url = broker_url
        self._topology = topology
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._confirm_timeout = confirm_timeout
        self._retention = retention
        self._connection: Connection | None = None
        self._publisher = None
        self._last_purge = 0.0
        self._last_backlog = 0.0

    # -- broker -----------------------------------------------------------------------------
    def _ensure_publisher(self):
        if self._publisher is None:
            self._connection = Connection(self._broker_url)
            self._connection.ensure_connection(max_retries=1)
            self._topology.declare_exchanges(self._connection)
            self._publisher = publisher_for(
                self._connection, self._topology.exchange, self._confirm_timeout
            )
        return self._publisher

    def _drop_broker(self) -> None:
        if self._connection is not None:
            try:
                self._connection.release()
            except Exception:  # noqa: BLE001 - the connection is already broken
                pass
        self._connection = None
        self._publisher = None

    # -- one batch --------------------------------------------------------------------------
    def publish_pending(self) -> int:
        """Publish one batch of unsent events; returns how many were confirmed and marked sent."""
        outbox = self._outbox
        with self._engine.connect() as connection:
            rows = connection.execute(
                sa.select(outbox)
                .where(outbox.c.published_at.is_(None))
                .order_by(outbox.c.id)
                .limit(self._batch_size)
            ).all()
        if not rows:
            return 0
        envelopes = [
            Envelope(
                id=row.event_id, type=row.event_type, source=row.source, time=row.occurred_at,
                data=row.payload, subject=row.subject, tenant=row.tenant_id,
                traceparent=row.traceparent, sequence=row.sequence,
            )
            for row in rows
        ]
        confirmed = self._ensure_publisher().publish_batch([Outgoing.of(e) for e in envelopes])
        faults.point("relay.after_publish")
        prefix = 0
        while prefix < len(confirmed) and confirmed[prefix]:
            prefix += 1
        if prefix < len(rows):
            metrics.relay_unconfirmed.labels(self.service).inc(len(rows) - prefix)
            log.warning("relay.unconfirmed", extra={"unconfirmed": len(rows) - prefix})
            if prefix == 0:
                self._drop_broker()  # nothing confirmed: the connection may be dead; reconnect
        if prefix:
            with self._engine.begin() as connection:
                connection.execute(
                    outbox.update()
                    .where(outbox.c.id.in_([row.id for row in rows[:prefix]]))
                    .values(published_at=datetime.now(UTC))
                )
            for row in rows[:prefix]:
                metrics.relay_published.labels(self.service, row.event_type).inc()
        return prefix

    def backlog(self) -> int:
        with self._engine.connect() as connection:
            return connection.execute(
                sa.select(sa.func.count()).select_from(self._outbox)
                .where(self._outbox.c.published_at.is_(None))
            ).scalar_one()

    def purge_published(self) -> int:
        """Delete rows sent longer ago than the retention (they only serve diagnosis)."""
        cutoff = datetime.now(UTC) - self._retention
        with self._engine.begin() as connection:
            return connection.execute(
                self._outbox.delete().where(self._outbox.c.published_at < cutoff)
            ).rowcount

    # -- loop -------------------------------------------------------------------------------
    def run(self, stop: threading.Event) -> None:
        log.info("relay.start", extra={"service": self.service})
        backoff = 0.5
        while not stop.is_set():
            try:
                with self._leadership(stop) as leader:
                    if not leader:
                        continue
                    backoff = 0.5
                    self._run_as_leader(stop)
            except Exception as error:  # noqa: BLE001 - broker or database away: wait, retry
                log.warning("relay.error", extra={"error": type(error).__name__})
                self._drop_broker()
                stop.wait(backoff)
                backoff = min(backoff * 2, 10.0)
        self._drop_broker()
        log.info("relay.stop", extra={"service": self.service})

    def _run_as_leader(self, stop: threading.Event) -> None:
        while not stop.is_set():
            sent = self.publish_pending()
            now = time.monotonic()
            if now - self._last_backlog > 1.0:
                metrics.outbox_backlog.labels(self.service).set(self.backlog())
                self._last_backlog = now
            if now - self._last_purge > 600:
                self.purge_published()
                self._last_purge = now
            if sent < self._batch_size:
                stop.wait(self._poll_interval)

    @contextmanager
    def _leadership(self, stop: threading.Event):
        """Yield True while this relay holds the service's advisory lock (always on SQLite)."""
        if not is_postgres(self._engine):
            yield True
            return
        connection = self._engine.connect()
        try:
            got = connection.execute(
                sa.text("SELECT pg_try_advisory_lock(hashtext(:key))"),
                {"key": f"lotse.relay.{self.service}"},
            ).scalar_one()
            connection.commit()
            if not got:
                log.info("relay.standby", extra={"service": self.service})
                stop.wait(2.0)
            yield got
        finally:
            # dropping the connection releases the session-level advisory lock
            connection.invalidate()
            connection.close()
