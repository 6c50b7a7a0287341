"""Consuming events: decode, deduplicate with the inbox, handle, commit, then ack.

For each message from the service's quorum queue:

1. The CloudEvents headers and the protobuf body are checked against the contracts. A message
   that is not a valid event can never succeed: it goes straight to the dead-letter queue with
   the reason in ``x-lotse-dead-letter-reason``, and is acked (no crash loop, no redelivery).
2. In one transaction of the service's database (tenant context = the event's tenant) the event
   id is inserted into the inbox; if it was there already the event is a duplicate and only
   acked. Otherwise the handler runs in the same transaction, and it commits.
3. Only after the commit is the message acked. A crash before that redelivers it; the inbox
   makes the second delivery a no-op (reliability invariant 2).

A handler that raises is retried by redelivery (``reject(requeue=True)``) until the queue's
delivery limit; then the broker dead-letters it while the messages behind it keep flowing.
A database that is unreachable is not the event's fault: the consumer holds the message and
retries with backoff until the database is back, without using up the delivery limit.

Batches (throughput): one commit per event bounds a consumer by the database's commit rate
(~2,600/s on this machine, shared with everything else that commits). So the loop takes what has
already arrived (up to ``batch_size`` messages) and processes it in one transaction per tenant.
It also takes what follows within ``gap`` (2 ms) of the message before, for at most ``linger``
(50 ms) after the first: a burst from the relay (a batch it published together) then becomes
one batch rather than several small ones, and the per-transaction work is shared by more events;
a lone event waits at most ``gap``. Per tenant: one multi-row inbox insert (``RETURNING`` says which ids are new), the handlers of the
new events in arrival order (so an aggregate's events keep their order), one commit — and only
after that commit are those messages acked. "Ack only after the commit" holds
for every message; a crash before the commit redelivers the whole batch, and the inbox makes the
second delivery a no-op as before. At low load a batch is a single message. When a handler
raises, the batch's transaction is rolled back (nothing of it committed, nothing acked) and its
messages are processed again one by one exactly as above, so only the failing one is rejected
and retried. Each event is handled in a span continuing its trace (:func:`.tracing.handling`; an
event processed alone with its transaction, in a batch its handler), so what the handler
publishes carries that trace on.
The messages of the committed batches are acked with one ``basic.ack(multiple=True)``.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

import sqlalchemy as sa
from google.protobuf.message import Message
from kombu.connection import Connection
from kombu.entity import Queue
from kombu.messaging import Consumer
from prometheus_client import Counter, Histogram
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import sessionmaker

from .. import metrics, retry, tracing
from ..contracts import ContractViolation, Envelope, EventRegistry
from ..contracts.envelope import NO_HANDLER, REASONS, shown_type
from ..db.engine import TenantSession
from ..db.tables import PlatformTables
from ..uow import SqlAlchemyUnitOfWork
from .publisher import Outgoing, Publisher, publisher_for
from .topology import Topology

log = logging.getLogger("lotse.consumer")

Handler = Callable[[Message, Envelope, SqlAlchemyUnitOfWork], None]

REASON_HEADER = "x-lotse-dead-letter-reason"
#: a handler failed as often as the delivery limit allows (transports without a delivery limit;
#: on RabbitMQ the quorum queue counts and dead-letters itself)
HANDLER_FAILED = "handler_failed"
#: every value of the ``reason`` label of ``lotse_dead_letters_total``
DEAD_LETTER_REASONS = REASONS | {HANDLER_FAILED}
CONSUMER_HEADER = "x-lotse-consumer"
ROUTING_KEY_HEADER = "x-lotse-original-routing-key"

TRANSIENT_DB_ERRORS = (sa.exc.OperationalError, sa.exc.InterfaceError)


class Delivery(Protocol):
    """A message as the consumer takes it from kombu (``kombu.message.Message``, whose
    attributes kombu leaves unannotated); ``headers`` and ``properties`` hold AMQP values."""

    headers: dict[str, Any] | None
    body: bytes
    delivery_info: dict[str, Any]
    properties: dict[str, Any]
    delivery_tag: int

    def ack(self, multiple: bool = False) -> None: ...

    def reject(self, requeue: bool = False) -> None: ...


class _QueueDeclaring(Protocol):
    """The channel as :meth:`EventConsumer._report_depth` uses it (py-amqp's or kombu's)."""

    def queue_declare(self, queue: str, passive: bool = False) -> tuple[str, int, int]: ...


_Received = tuple[Delivery, Envelope, Message]  # a message, decoded


def _insert_ignoring_duplicates(bind: sa.Engine | sa.Connection,
                                table: sa.Table) -> postgresql.Insert | sqlite.Insert:
    if bind.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


class EventConsumer:
    def __init__(
        self,
        *,
        service: str,
        broker_url: str,
        topology: Topology,
        registry: EventRegistry,
        handlers: dict[str, Handler],
        sessions: sessionmaker[TenantSession],
        tables: PlatformTables,
        prefetch: int = 200,
        consumer: str | None = None,
        heartbeat: int = 20,
        uow_class: type[SqlAlchemyUnitOfWork] = SqlAlchemyUnitOfWork,
        batch_size: int = 100,
        linger: float = 0.05,
        gap: float = 0.002,
        source: str | None = None,
    ) -> None:
        unknown = [t for t in handlers if t not in registry]
        if unknown:
            raise ValueError(f"handlers for event types without a contract: {unknown}")
        self.service = service
        #: the CloudEvents source of what handlers publish, the actor of what they audit: the
        #: service's own, as in its API's units of work
        self.source = source or f"/lotse/{service}"
        self.name = consumer or service
        self._broker_url = broker_url
        self._topology = topology
        self._registry = registry
        self._handlers = handlers
        self._sessions = sessions
        self._tables = tables
        self._prefetch = prefetch
        self._heartbeat = heartbeat
        self._uow_class = uow_class
        self._batch_size = max(1, min(batch_size, prefetch))
        self._linger = linger
        self._gap = gap
        self._received: list[Delivery] = []  # messages drained from the socket, not yet processed
        self._use_stop(threading.Event())
        self._attempts: dict[str, int] = {}  # only for transports without a delivery limit
        self._dead_publisher: Publisher | None = None
        self._broker_limits_delivery = True
        #: event type -> (handler duration, {outcome: consumed counter})
        self._metric_children: dict[str, tuple[Histogram, dict[str, Counter]]] = {}
        self._inbox_statement: sa.TextualSelect | None = None
        self.connected = threading.Event()
        #: the current connection reached consuming (then a failure starts the waits anew)
        self._had_connected = False

    # -- processing one event (no broker involved) ----------------------------------------------
    def process(self, envelope: Envelope, event: Message) -> str:
        """Apply the event once; returns ``processed`` or ``duplicate``."""
        handler = self._handlers[envelope.type]
        inbox = self._tables.inbox
        with tracing.handling(envelope, consumer=self.name), self._uow_class(
            self._sessions, self._tables, source=self.source, tenant_id=envelope.tenant,
        ) as uow:
            # RETURNING, not rowcount: drivers report -1 for an INSERT … ON CONFLICT DO NOTHING
            inserted = uow.session.execute(
                _insert_ignoring_duplicates(uow.session.get_bind(), inbox).values(
                    consumer=self.name, event_id=envelope.id, event_type=envelope.type,
                    tenant_id=envelope.tenant, processed_at=datetime.now(UTC),
                ).returning(inbox.c.event_id)
            ).first()
            if inserted is None:
                return "duplicate"
            handler(event, envelope, uow)
            uow.commit()
        return "processed"

    def _process_until_database_answers(self, envelope: Envelope, event: Message) -> str:
        return self._database_retrying(self.process, envelope, event)

    def process_batch(self, tenant: uuid.UUID | None,
                      events: list[tuple[Envelope, Message]]) -> list[str]:
        """Apply events of one tenant in one transaction; ``processed`` or ``duplicate`` each.

        Raises (and commits nothing) when a handler raises.
        """
        inbox = self._tables.inbox
        now = datetime.now(UTC)
        with self._uow_class(self._sessions, self._tables, source=self.source,
                             tenant_id=tenant) as uow:
            # The session holds loaded objects weakly: a read model row that one event updated
            # would be flushed and forgotten before the next event asks for it again (a SELECT
            # and an UPDATE per event). Holding them for the batch lets the next event find it
            # in the identity map, as the same transaction's state, and flushes it once.
            loaded: list[object] = []
            sa.event.listen(uow.session, "loaded_as_persistent",
                            lambda _session, instance: loaded.append(instance))
            if uow.session.get_bind().dialect.name == "postgresql":
                # one statement whose text does not depend on the batch's size: prepared once,
                # where a multi-row VALUES list would be a new statement for every size
                new_ids = set(uow.session.execute(self._inbox_many(), {
                    "consumer": self.name, "tenant": tenant, "now": now,
                    "ids": [envelope.id for envelope, _ in events],
                    "types": [envelope.type for envelope, _ in events],
                }).scalars())
            else:
                new_ids = set(uow.session.execute(
                    _insert_ignoring_duplicates(uow.session.get_bind(), inbox)
                    .returning(inbox.c.event_id),
                    [{"consumer": self.name, "event_id": envelope.id,
                      "event_type": envelope.type, "tenant_id": envelope.tenant,
                      "processed_at": now} for envelope, _ in events],
                ).scalars())
            outcomes = []
            for envelope, event in events:
                if envelope.id not in new_ids:
                    outcomes.append("duplicate")
                    continue
                new_ids.discard(envelope.id)  # the same event twice in one batch: once
                with tracing.handling(envelope, consumer=self.name):
                    self._handlers[envelope.type](event, envelope, uow)
                outcomes.append("processed")
            uow.commit()
        return outcomes

    def _inbox_many(self) -> sa.TextualSelect:
        if self._inbox_statement is None:
            self._inbox_statement = sa.text(
                f"INSERT INTO {self._tables.inbox.name} "
                "(consumer, event_id, event_type, tenant_id, processed_at) "
                "SELECT :consumer, e.id, e.type, :tenant, :now "
                "FROM unnest(:ids, :types) AS e(id, type) "
                "ON CONFLICT DO NOTHING RETURNING event_id"
            ).bindparams(
                sa.bindparam("ids", type_=postgresql.ARRAY(sa.Uuid)),
                sa.bindparam("types", type_=postgresql.ARRAY(sa.String)),
                sa.bindparam("tenant", type_=sa.Uuid),
                sa.bindparam("now", type_=sa.DateTime(timezone=True)),
            ).columns(event_id=sa.Uuid)
        return self._inbox_statement

    def _process_batch_until_database_answers(
            self, tenant: uuid.UUID | None, events: list[tuple[Envelope, Message]]) -> list[str]:
        return self._database_retrying(self.process_batch, tenant, events)

    def _use_stop(self, stop: threading.Event) -> None:
        """Retry on ``stop``: a database that is away is asked again after 0.2 s, 0.4 s … 5 s
        (until the worker is asked to stop; then the error is raised, and not logged)."""
        self._database_retrying = retry.until_stopped(
            stop, first=0.2, most=5.0, retry_on=TRANSIENT_DB_ERRORS,
            before_sleep=retry.log_failure(log, "consumer.database_unavailable",
                                           consumer=self.name))

    # -- messages ---------------------------------------------------------------------------
    def _decode(self, message: Delivery) -> tuple[Envelope, Message] | None:
        """The event, or None when it was not one (then it is dead-lettered and acked)."""
        try:
            envelope = Envelope.from_message(message.headers, message.body)
            event = envelope.decode(self._registry)
            if envelope.type not in self._handlers:
                raise ContractViolation(
                    NO_HANDLER, f"no handler for event type {shown_type(envelope.type)}")
        except ContractViolation as violation:
            routing_key = message.delivery_info.get("routing_key", "")
            self._dead_letter(message, routing_key, violation.reason, str(violation))
            message.ack()
            return None
        return envelope, event

    def on_messages(self, messages: list[Delivery]) -> None:
        """Process what arrived together: one transaction per tenant, acks after its commit.

        The messages of every committed batch are acked together at the end, with one
        ``basic.ack(multiple=True)`` for the highest delivery tag when every message of this
        delivery is settled by then (acked, rejected or dead-lettered), else one by one. Either
        way a message is acked only after the commit of its transaction.
        """
        by_tenant: dict[uuid.UUID | None, list[_Received]] = {}
        for message in messages:
            decoded = self._decode(message)
            if decoded is not None:
                by_tenant.setdefault(decoded[0].tenant, []).append((message, *decoded))
        committed: list[Delivery] = []
        settled = False
        try:
            for tenant, items in by_tenant.items():
                if len(items) == 1:
                    self._handle(*items[0])
                    continue
                started = time.perf_counter()
                try:
                    outcomes = self._process_batch_until_database_answers(
                        tenant, [(envelope, event) for _, envelope, event in items])
                except TRANSIENT_DB_ERRORS:
                    return  # stopping while the database is away: unacked, so redelivered
                except Exception:  # noqa: BLE001 - nothing committed: one by one finds the culprit
                    for item in items:
                        self._handle(*item)
                    continue
                self._count_batch(items, outcomes, time.perf_counter() - started)
                committed.extend(message for message, _, _ in items)
            settled = True
        finally:
            self._ack(committed, all_settled=settled)

    def _count_batch(self, items: list[_Received], outcomes: list[str], seconds: float) -> None:
        share = seconds / len(items)
        now = datetime.now(UTC)
        lag = self._lag
        counts: dict[tuple[str, str], int] = {}
        for (_, envelope, _), outcome in zip(items, outcomes):
            self._metrics_of(envelope.type)[0].observe(share)
            lag.observe(max(0.0, (now - envelope.time).total_seconds()))
            key = (envelope.type, outcome)
            counts[key] = counts.get(key, 0) + 1
            if self._attempts:
                self._attempts.pop(str(envelope.id), None)
        for (event_type, outcome), count in counts.items():
            self._metrics_of(event_type)[1][outcome].inc(count)

    def _ack(self, messages: list[Delivery], *, all_settled: bool) -> None:
        if not messages:
            return
        if all_settled and self._broker_limits_delivery:
            # every earlier delivery on this channel is settled too (each delivery is settled
            # before the next is taken), so one ack up to the highest tag acks exactly these
            # (kombu records the ack on that message only; the others are done with here)
            max(messages, key=lambda m: m.delivery_tag).ack(multiple=True)
            return
        for message in messages:
            message.ack()

    def _metrics_of(self, event_type: str) -> tuple[Histogram, dict[str, Counter]]:
        """(handler duration, {outcome: consumed counter}) of an event type, looked up once."""
        found = self._metric_children.get(event_type)
        if found is None:
            labels = (self.service, self.name, event_type)
            found = self._metric_children[event_type] = (
                metrics.handler_duration.labels(*labels),
                {outcome: metrics.events_consumed.labels(*labels, outcome)
                 for outcome in ("processed", "duplicate")})
        return found

    @property
    def _lag(self) -> Histogram:
        # looked up at each batch, not cached for good: a test (or the benchmark) may swap it
        return metrics.consumer_lag.labels(self.service, self.name)

    def on_message(self, message: Delivery) -> None:
        decoded = self._decode(message)
        if decoded is not None:
            self._handle(message, *decoded)

    def _handle(self, message: Delivery, envelope: Envelope, event: Message) -> None:
        routing_key = message.delivery_info.get("routing_key", "")
        started = time.perf_counter()
        try:
            outcome = self._process_until_database_answers(envelope, event)
        except Exception as error:  # noqa: BLE001 - any handler failure is retried, then dead-lettered
            metrics.events_consumed.labels(self.service, self.name, envelope.type, "failed").inc()
            log.warning("consumer.handler_failed", extra={
                "consumer": self.name, "event_type": envelope.type,
                "event_id": str(envelope.id), "error": type(error).__name__,
            })
            self._retry_or_give_up(message, routing_key, envelope, error)
            return
        handler_duration, consumed = self._metrics_of(envelope.type)
        handler_duration.observe(time.perf_counter() - started)
        self._lag.observe(max(0.0, (datetime.now(UTC) - envelope.time).total_seconds()))
        consumed[outcome].inc()
        if self._attempts:
            self._attempts.pop(str(envelope.id), None)
        message.ack()

    def _retry_or_give_up(self, message: Delivery, routing_key: str, envelope: Envelope,
                          error: Exception) -> None:
        if self._broker_limits_delivery:
            message.reject(requeue=True)  # the quorum queue counts and dead-letters at its limit
            return
        key = str(envelope.id)
        self._attempts[key] = self._attempts.get(key, 0) + 1
        if self._attempts[key] >= self._topology.delivery_limit:
            self._attempts.pop(key)
            self._dead_letter(message, routing_key, HANDLER_FAILED,
                              f"handler failed {self._topology.delivery_limit} times: "
                              f"{type(error).__name__}")
            message.ack()
        else:
            message.reject(requeue=True)

    def _dead_letter(self, message: Delivery, routing_key: str, reason: str,
                     detail: str) -> None:
        """Move ``message`` to the dead-letter exchange: ``reason`` (one of
        :data:`DEAD_LETTER_REASONS`) labels the metric, ``detail`` goes into the message's
        header and the log."""
        if self._dead_publisher is None:
            # its own connection: waiting for a confirm must not dispatch deliveries re-entrantly
            self._dead_publisher = publisher_for(
                Connection(self._broker_url), self._topology.dead_letter_exchange, timeout=30.0)
        headers = dict(message.headers or {})
        headers.update({REASON_HEADER: detail, CONSUMER_HEADER: self.name,
                        ROUTING_KEY_HEADER: routing_key})
        outgoing = Outgoing(bytes(message.body), headers, self.service,
                            message.properties.get("message_id"))
        if not all(self._dead_publisher.publish_batch([outgoing])):
            raise ConnectionError("dead-letter publish not confirmed")  # not acked: redelivered
        metrics.dead_letters.labels(self.service, self.name, reason).inc()
        log.warning("consumer.dead_lettered", extra={"consumer": self.name, "reason": reason,
                                                     "detail": detail})

    # -- the loop ----------------------------------------------------------------------------
    def run(self, stop: threading.Event) -> None:
        """Consume until ``stop`` is set. The broker gone or the connection cut: connect again
        after 0.5 s, 1 s … 10 s; a connection that worked starts that run of waits again, so a
        broker back after its restart is reconnected to within a second, not after the longest
        wait of an earlier outage."""
        self._use_stop(stop)
        pauses = retry.Backoff(first=0.5, most=10.0)
        while not stop.is_set():
            self._had_connected = False
            try:
                self._connect_and_consume(stop)
                return
            except Exception as error:  # noqa: BLE001 - every failure of a connection: again
                worked = self._had_connected
                log.warning("consumer.disconnected", extra={"consumer": self.name,
                                                            "error": type(error).__name__})
            if worked:
                pauses.reset()
            stop.wait(pauses.failed())

    def _connect_and_consume(self, stop: threading.Event) -> None:
        """One connection: consume until ``stop`` is set (at once if it is) or the connection
        fails (raises)."""
        if stop.is_set():
            return
        connection = Connection(self._broker_url, heartbeat=self._heartbeat)
        try:
            self._consume(connection, stop)
        finally:
            self.connected.clear()
            self._close(connection)

    def _consume(self, connection: Connection, stop: threading.Event) -> None:
        connection.ensure_connection(max_retries=1)
        self._broker_limits_delivery = connection.transport.driver_type == "amqp"
        queue = self._topology.declare_service(connection, self.service, list(self._handlers))
        channel = connection.channel()
        self._received = []
        # an instance that may not configure the broker consumes the queue declared for it
        consumer = Consumer(channel, queues=[queue], on_message=self._received.append,
                            prefetch_count=self._prefetch, no_ack=False,
                            auto_declare=self._topology.declare)
        consumer.consume()
        self.connected.set()
        self._had_connected = True
        log.info("consumer.connected", extra={"consumer": self.name})
        last_depth = 0.0
        while not stop.is_set():
            with contextlib.suppress(socket.timeout):  # nothing (more) arrived in time
                _drain(connection, timeout=1.0)
                # and whatever follows within ``gap`` of the one before (a burst from the
                # relay), for at most ``linger`` after the first
                gather_until = time.monotonic() + self._linger
                while len(self._received) < self._batch_size:
                    _drain(connection, timeout=max(0.0, min(
                        self._gap, gather_until - time.monotonic())))
            if self._received:
                batch = self._received[:]
                self._received.clear()
                self.on_messages(batch)
            if self._heartbeat and self._broker_limits_delivery:
                _still_connected(connection)
                connection.heartbeat_check()
            if time.monotonic() - last_depth > 5.0:
                self._report_depth(channel, queue)
                last_depth = time.monotonic()
        consumer.cancel()

    def _report_depth(self, channel: _QueueDeclaring, queue: Queue) -> None:
        if not self._broker_limits_delivery:
            return
        for name in (queue.name, f"{self.service}.dead"):
            try:
                _, count, _ = channel.queue_declare(name, passive=True)
                metrics.queue_depth.labels(name).set(count)
            except Exception:  # noqa: BLE001 - a metric must never stop consumption
                return

    def _close(self, connection: Connection) -> None:
        with contextlib.suppress(Exception):  # already broken
            if connection.connected:
                connection.release()
            else:
                connection.collect()  # drop without talking to a broker that is gone
        if self._dead_publisher is not None:
            with contextlib.suppress(Exception):  # already broken
                self._dead_publisher.close()
        self._dead_publisher = None


# kombu's Connection reconnects silently whenever a lost connection is used again
# (``drain_events``, ``heartbeat_check``, ``default_channel``); a new connection would carry no
# consumer. So the loop checks ``Connection.connected`` before it uses the connection, and a
# lost connection ends the round with an error instead.
def _still_connected(connection: Connection) -> None:
    if not connection.connected:
        raise ConnectionError("broker connection lost")


def _drain(connection: Connection, timeout: float) -> None:
    """``Connection.drain_events`` on this connection only (raises ``socket.timeout`` when
    nothing came within ``timeout``)."""
    _still_connected(connection)
    connection.drain_events(timeout=timeout)
