"""The outbox relay: publishes committed outbox rows with publisher confirms, in order per
aggregate, and marks them sent once the broker has confirmed them.

How a relay works (one leader per service database):

- **Pipelined.** It reads the oldest unsent rows (by id), publishes them and, without waiting,
  reads and publishes the next ones while the broker's confirms come back (up to
  ``max_in_flight`` unconfirmed messages). A per-message blocking confirm managed ~1,200 msg/s
  on this machine; see :mod:`.publisher`.
- **Marked only after the confirm.** A confirmed row joins the confirmed set; the set is marked
  sent in one ``UPDATE`` at most every ``poll_interval`` (or when it reaches ``batch_size``, or
  nothing is in flight, or before the next read, which then need not skip those rows). A crash
  before that re-sends them after the restart: duplicates are possible, loss is not (consumers
  deduplicate with their inbox). Reads and marks are single statements in autocommit mode (one
  round trip each), and a batch goes to the socket in one burst.
- **Retransmission keeps each aggregate's order.** A nacked message, or one whose confirm does
  not come within ``confirm_timeout`` (then the connection is dropped and made again), stays
  unsent and is read and published again. Marking exactly the acked rows is not enough for
  order: had the aggregate's *next* event been published in the meantime and acked, it would
  reach consumers before the retransmitted one. So an aggregate has at most one unconfirmed
  event at a time; its next event is published once the previous one is confirmed (one broker
  round trip later, a few milliseconds; other aggregates are not held up). After a nack the
  relay pauses publishing (briefly while the broker still takes some, growing while it refuses
  everything), so a queue that refuses messages (``x-overflow: reject-publish``) is not flooded
  with retransmissions. A consequence to know: one aggregate with more unsent events than a
  batch holds drains at one event per round trip, and events of other aggregates written after
  them wait behind that batch.
- **Reads from the oldest unsent row every time**, skipping the rows it already has in flight,
  rather than following a cursor: ids are taken at insert and transactions commit in another
  order, so a cursor would step over a row whose transaction committed late. (Order per
  aggregate is id order; a service must not write one aggregate's events from concurrent
  transactions without serialising them, e.g. by a lock on the aggregate's row.)
- **One relay per service database** publishes at a time: it holds a session-level PostgreSQL
  advisory lock on a connection of its own and checks every second that this connection is
  alive; a second instance waits as a standby and takes over when the lock comes free (the
  leader stopped or its connection died). The lock is why rows need no ``FOR UPDATE SKIP
  LOCKED``. SQLite runs one process anyway.
- **Broker loss** does not end leadership: the relay forgets what was in flight (still unsent in
  the database), reconnects with backoff and carries on; what was confirmed before is marked.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Unpack, cast

import sqlalchemy as sa
from kombu.connection import Connection
from sqlalchemy.dialects import postgresql

from .. import faults, metrics, retry
from ..contracts.envelope import Envelope
from ..db.engine import is_postgres
from ..db.tables import PlatformTables
from .publisher import Outgoing, Publisher, Settled, publisher_for
from .topology import Topology

log = logging.getLogger("lotse.relay")

LEADER_CHECK_INTERVAL = 1.0  # s between checks that the advisory-lock connection is alive

_Row = sa.Row[Unpack[tuple[Any, ...]]]  # an unsent outbox row (the columns of ``_unsent``)


@dataclass(frozen=True)
class _InFlight:
    aggregate: str
    event_type: str
    published: float  # time.monotonic() when published


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
        max_in_flight: int | None = None,
        standby_interval: float = 2.0,
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
        self._max_in_flight = max_in_flight or 2 * batch_size
        self._standby_interval = standby_interval
        outbox = self._outbox
        self._unsent = (sa.select(outbox.c.id, outbox.c.event_id, outbox.c.event_type,
                                  outbox.c.source, outbox.c.aggregate_id, outbox.c.sequence,
                                  outbox.c.tenant_id, outbox.c.subject, outbox.c.occurred_at,
                                  outbox.c.traceparent, outbox.c.payload)
                        .where(outbox.c.published_at.is_(None)).order_by(outbox.c.id)
                        .limit(sa.bindparam("limit", type_=sa.Integer)))
        # Built once, their sizes and values bound at execution: a statement built anew at every
        # read or mark costs SQLAlchemy its construction and a cache key each time (a tenth of
        # the relay's CPU in the profile, bench/profiles/README.md)
        if is_postgres(engine):
            which = outbox.c.id == sa.any_(sa.bindparam("ids", type_=postgresql.ARRAY(sa.BigInteger)))
        else:
            which = outbox.c.id.in_(sa.bindparam("ids", expanding=True))
        self._mark = outbox.update().where(which).values(
            published_at=sa.bindparam("now", type_=outbox.c.published_at.type))
        self._publisher: Publisher | None = None
        self._last_purge = 0.0
        self._last_backlog = 0.0
        # the pipeline: what the broker has not confirmed yet, and what it has but is not marked
        self._in_flight: dict[int, _InFlight] = {}  # outbox id -> event
        self._publish_order: deque[tuple[float, int]] = deque()  # (published, id), oldest first
        self._busy_aggregates: set[str] = set()  # aggregates with an unconfirmed event
        self._held_back: set[str] = set()  # aggregates whose next event waits for a confirm
        self._confirmed: dict[int, str] = {}  # outbox id -> event type, confirmed, not marked
        self._last_mark = 0.0
        self._pause_until = 0.0  # no publishing before (after a nack or a lost connection)
        # the pauses: 0.5 s, 1 s … 10 s while the broker cannot be reached; 0.1 s, 0.2 s … 10 s
        # while it refuses everything; both start again once a confirm round has no nack
        self._broker_pauses = retry.Backoff(first=0.5, most=10.0)
        self._nack_pauses = retry.Backoff(first=0.1, most=10.0)
        self._standby = False

    # -- broker -----------------------------------------------------------------------------
    def _ensure_publisher(self) -> Publisher:
        if self._publisher is None:
            # kombu declares the exchanges; the publisher has a connection of its own
            with Connection(self._broker_url) as connection:
                connection.ensure_connection(max_retries=1)
                self._topology.declare_exchanges(connection)
                self._publisher = publisher_for(
                    connection, self._topology.exchange, self._confirm_timeout
                )
            log.info("relay.connected", extra={"service": self.service})
        return self._publisher

    def _drop_broker(self) -> None:
        """Close the connection; whatever was in flight is unconfirmed and will be re-sent."""
        if self._publisher is not None:
            try:
                self._publisher.close()  # without waiting long for a broker that is gone
            except Exception:  # noqa: BLE001 - the connection is already broken
                pass
        self._publisher = None
        if self._in_flight:
            metrics.relay_unconfirmed.labels(self.service).inc(len(self._in_flight))
        self._in_flight.clear()
        self._publish_order.clear()
        self._busy_aggregates.clear()
        self._held_back.clear()

    def _broker_failed(self, error: BaseException) -> None:
        pause = self._broker_pauses.failed()
        log.warning("relay.broker_unavailable", extra={
            "service": self.service, "error": type(error).__name__, "retry_in": pause})
        self._drop_broker()
        self._pause_until = time.monotonic() + pause

    # -- reading and publishing ---------------------------------------------------------------
    def _autocommit(self) -> sa.Connection:
        """A connection whose every statement is its own transaction: the relay's reads and
        its marking are single statements, so BEGIN and COMMIT/ROLLBACK would only add round
        trips."""
        return self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")

    def _read_unsent(self, limit: int) -> list[_Row]:
        """The oldest unsent rows that are neither in flight nor confirmed-but-unmarked."""
        known = len(self._in_flight) + len(self._confirmed)
        with self._autocommit() as connection:
            rows = connection.execute(self._unsent, {"limit": limit + known}).all()
        return [r for r in rows if r.id not in self._in_flight and r.id not in self._confirmed]

    def _publish_rows(self, publisher: Publisher, rows: Sequence[_Row]) -> int:
        """Publish in id order, at most one unconfirmed event per aggregate; returns how many.

        The batch goes to the socket together, when the publisher next settles (see
        :mod:`.publisher`)."""
        if not rows:
            return 0
        return self._publish_each(publisher, rows)

    def _publish_each(self, publisher: Publisher, rows: Sequence[_Row]) -> int:
        published = 0
        for row in rows:
            if row.aggregate_id in self._busy_aggregates:
                self._held_back.add(row.aggregate_id)  # read again once its predecessor is confirmed
                continue
            envelope = Envelope(
                id=row.event_id, type=row.event_type, source=row.source, time=row.occurred_at,
                data=row.payload, subject=row.subject, tenant=row.tenant_id,
                traceparent=row.traceparent, sequence=row.sequence,
            )
            now = time.monotonic()
            self._in_flight[row.id] = _InFlight(row.aggregate_id, row.event_type, now)
            self._publish_order.append((now, row.id))
            self._busy_aggregates.add(row.aggregate_id)
            publisher.publish(
                Outgoing(envelope.data, envelope.headers(),
                         self._topology.routing_key(row.event_type), str(envelope.id)),
                row.id)
            published += 1
        return published

    def _apply(self, settled: list[Settled]) -> bool:
        """Record confirms and nacks; True when an aggregate that held back events is free."""
        freed_held_back = False
        nacked = acked_any = 0
        for token, acked in settled:
            outbox_id = cast(int, token)  # the relay publishes with the outbox row id as token
            event = self._in_flight.pop(outbox_id, None)
            if event is None:
                continue
            self._busy_aggregates.discard(event.aggregate)
            if event.aggregate in self._held_back:
                self._held_back.discard(event.aggregate)
                freed_held_back = True
            if acked:
                self._confirmed[outbox_id] = event.event_type
                acked_any += 1
            else:
                nacked += 1
        if nacked:
            # stays unsent, read and published again after a pause: a short one while the
            # broker takes some, growing while it refuses everything
            metrics.relay_unconfirmed.labels(self.service).inc(nacked)
            if acked_any:
                self._nack_pauses.reset()
            pause = self._nack_pauses.failed()
            self._pause_until = time.monotonic() + pause
            log.warning("relay.nacked", extra={"service": self.service, "nacked": nacked,
                                               "retry_in": pause})
        elif settled:
            self._broker_pauses.reset()
            self._nack_pauses.reset()
        return freed_held_back

    def _timed_out(self) -> bool:
        """True when the oldest unconfirmed message has waited longer than ``confirm_timeout``."""
        order, in_flight = self._publish_order, self._in_flight
        # settled entries, and those of an earlier publication of a row sent again, go
        while order and (order[0][1] not in in_flight
                         or in_flight[order[0][1]].published != order[0][0]):
            order.popleft()
        return bool(order) and time.monotonic() - order[0][0] > self._confirm_timeout

    # -- marking ----------------------------------------------------------------------------
    def _mark_confirmed(self) -> int:
        """Mark every confirmed row sent in one statement; returns how many."""
        if not self._confirmed:
            return 0
        faults.point("relay.after_publish")
        ids = list(self._confirmed)
        with self._autocommit() as connection:
            connection.execute(self._mark, {"ids": ids, "now": datetime.now(UTC)})
        for event_type, count in Counter(self._confirmed.values()).items():
            metrics.relay_published.labels(self.service, event_type).inc(count)
        self._confirmed.clear()
        self._last_mark = time.monotonic()
        return len(ids)

    def _mark_due(self) -> bool:
        return bool(self._confirmed) and (
            not self._in_flight
            or len(self._confirmed) >= self._batch_size
            or time.monotonic() - self._last_mark >= self._poll_interval
        )

    # -- one round, for callers outside the loop ---------------------------------------------
    def publish_pending(self) -> int:
        """Publish one batch of unsent events, wait for the confirms, mark the confirmed ones
        sent; returns how many were marked. (The loop in :meth:`run` pipelines instead.)"""
        try:
            publisher = self._ensure_publisher()
            self._publish_rows(publisher, self._read_unsent(self._batch_size))
            deadline = time.monotonic() + self._confirm_timeout
            while self._in_flight and time.monotonic() < deadline:
                self._apply(publisher.settle(min(1.0, max(0.0, deadline - time.monotonic()))))
            if self._in_flight:
                log.warning("relay.unconfirmed", extra={"unconfirmed": len(self._in_flight)})
                self._drop_broker()
        except Exception:
            self._drop_broker()
            raise
        return self._mark_confirmed()

    def backlog(self) -> int:
        with self._autocommit() as connection:
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
        # the database away: again after 0.5 s, 1 s … 10 s, and from 0.5 s again once the relay
        # has taken the lead. Not a tenacity.Retrying: that counts attempts from its call, and
        # here the count starts again in the middle of an attempt (taking the lead, then leading).
        pauses = retry.Backoff(first=0.5, most=10.0)
        while not stop.is_set():
            try:
                with self._leadership(stop) as still_leader:
                    if still_leader is None:
                        continue
                    pauses.reset()
                    self._run_as_leader(stop, still_leader)
            except Exception as error:  # noqa: BLE001 - database away: wait, retry
                log.warning("relay.error", extra={"service": self.service,
                                                  "error": type(error).__name__})
                self._drop_broker()
                stop.wait(pauses.failed())
        self._drop_broker()
        log.info("relay.stop", extra={"service": self.service})

    def _run_as_leader(self, stop: threading.Event, still_leader: Callable[[], None]) -> None:
        log.info("relay.leader", extra={"service": self.service})
        next_read = 0.0  # monotonic time of the next read of the outbox
        next_leader_check = time.monotonic() + LEADER_CHECK_INTERVAL
        while not stop.is_set():
            now = time.monotonic()
            paused = now < self._pause_until
            room = len(self._in_flight) < self._max_in_flight
            rows: list[_Row] = []
            if not paused and room and now >= next_read:
                if self._confirmed:
                    # marked first: rows marked sent are not read again only to be skipped
                    self._mark_confirmed()
                rows = self._read_unsent(self._batch_size)
                next_read = now + self._poll_interval
            try:
                if self._publisher is None and not paused:
                    self._ensure_publisher()
                if self._publisher is not None:
                    if self._publish_rows(self._publisher, rows) and len(rows) >= self._batch_size:
                        next_read = now  # a full batch: more is waiting
                    if self._in_flight:
                        if len(self._in_flight) >= self._max_in_flight:
                            wait = self._poll_interval  # until confirms make room
                        else:
                            wait = max(next_read, self._pause_until) - time.monotonic()
                            wait = min(max(wait, 0.0), self._poll_interval)
                        if self._apply(self._publisher.settle(wait)):
                            next_read = time.monotonic()  # an aggregate's next event may go now
                        if self._timed_out():
                            raise TimeoutError(f"no confirm within {self._confirm_timeout} s")
            except Exception as error:  # noqa: BLE001 - broker gone or connection cut
                self._broker_failed(error)
            if self._mark_due():
                self._mark_confirmed()
            now = time.monotonic()
            if now >= next_leader_check:
                still_leader()
                next_leader_check = now + LEADER_CHECK_INTERVAL
            self._housekeeping(now)
            if not self._in_flight:
                idle = max(next_read, self._pause_until) - now
                if idle > 0:
                    stop.wait(min(idle, LEADER_CHECK_INTERVAL))
        self._finish_in_flight()

    def _finish_in_flight(self) -> None:
        """On stop: wait briefly for outstanding confirms and mark them (fewer duplicates)."""
        deadline = time.monotonic() + min(self._confirm_timeout, 2.0)
        try:
            while self._in_flight and self._publisher is not None and time.monotonic() < deadline:
                self._apply(self._publisher.settle(max(0.0, deadline - time.monotonic())))
            self._mark_confirmed()
        except Exception as error:  # noqa: BLE001 - best effort; unmarked rows are re-sent
            log.warning("relay.stop_unfinished", extra={"service": self.service,
                                                        "error": type(error).__name__})

    def _housekeeping(self, now: float) -> None:
        if now - self._last_backlog > 1.0:
            metrics.outbox_backlog.labels(self.service).set(self.backlog())
            self._last_backlog = now
        if now - self._last_purge > 600:
            self.purge_published()
            self._last_purge = now

    @contextmanager
    def _leadership(self, stop: threading.Event) -> Iterator[Callable[[], None] | None]:
        """Yield a check (raises when leadership is lost) while this relay holds the service's
        advisory lock, None while another relay does (always the leader on SQLite)."""
        if not is_postgres(self._engine):
            yield lambda: None
            return
        connection = self._engine.connect()
        got = False
        try:
            got = connection.execute(
                sa.text("SELECT pg_try_advisory_lock(hashtext(:key))"),
                {"key": f"lotse.relay.{self.service}"},
            ).scalar_one()
            connection.commit()
            if not got:
                if not self._standby:
                    log.info("relay.standby", extra={"service": self.service})
                    self._standby = True
                stop.wait(self._standby_interval)
                yield None
                return

            self._standby = False

            def still_leader() -> None:
                # the lock lives as long as this connection; if it died, so did leadership
                connection.execute(sa.text("SELECT 1"))
                connection.commit()

            yield still_leader
        finally:
            if got:
                # dropping the connection releases the session-level advisory lock (and a
                # broken one must not go back to the pool)
                connection.invalidate()
            connection.close()
