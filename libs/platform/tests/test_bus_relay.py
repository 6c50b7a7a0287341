"""The outbox relay on the real PostgreSQL and RabbitMQ: each aggregate's events reach the
broker in their order, a row is marked sent only once the broker confirmed it, what the broker
refused is sent again (still in order), one relay per database publishes while a second waits
and takes over, and a cut broker connection does not stop it.

What the relay published is read from a queue of the test's own, bound to the events exchange.
"""

from __future__ import annotations

import socket
import uuid
from collections import defaultdict
from urllib.parse import urlsplit, urlunsplit

import pytest
import sqlalchemy as sa
from kombu import Connection, Consumer, Queue
from prometheus_client import REGISTRY

from lotse.example.v1.events_pb2 import NoteRecorded
from lotse_example.adapters import orm
from lotse_platform.bus import OutboxRelay
from lotse_platform.contracts import event_type_of
from lotse_platform.db import create_engine
from lotse_platform.testing import Running, poll
from tests.support.tcp_proxy import TcpProxy

pytestmark = pytest.mark.integration

TENANT = uuid.UUID("dddddddd-4444-4000-8000-00000000000d")
NOTE_RECORDED = event_type_of(NoteRecorded)
OUTBOX = orm.platform.outbox


# -- arranging ----------------------------------------------------------------------------------
def write_events(example, aggregates: list[str], per_aggregate: int, first: int = 1) -> list[str]:
    """Events ``first..first+per_aggregate-1`` of each aggregate, interleaved across aggregates,
    a few per transaction (as commands would write them); returns the event ids in order."""
    ids = []
    pending = [(aggregate, seq) for seq in range(first, first + per_aggregate)
               for aggregate in aggregates]
    for start in range(0, len(pending), 20):
        with example.uow(TENANT) as uow:
            for aggregate, seq in pending[start:start + 20]:
                event = NoteRecorded(note_id=aggregate, area_id="area-r", author_id="user-1",
                                     length=seq)
                ids.append(str(uow.publish(event, aggregate_id=aggregate, sequence=seq)))
            uow.commit()
    return ids


def aggregates(count: int) -> list[str]:
    return [str(uuid.uuid4()) for _ in range(count)]


class Tap:
    """A queue of the test's own on the events exchange: what the relay got through."""

    def __init__(self, broker_url: str, name: str, **arguments) -> None:
        self.name = f"relay-test.{name}"
        self._connection = Connection(broker_url)
        self._channel = self._connection.channel()
        self._channel.queue_declare(self.name, durable=False, auto_delete=False,
                                    arguments=arguments or None)
        self._channel.queue_bind(self.name, "lotse.events", routing_key=NOTE_RECORDED)
        self.received: list[tuple[str, str, int]] = []  # (event id, aggregate, sequence)

    def take(self) -> int:
        """Take what the queue holds now; returns how many messages."""
        taken = 0
        while (message := self._channel.basic_get(self.name, no_ack=True)) is not None:
            headers = message.headers
            self.received.append((headers["cloudEvents:id"], headers["cloudEvents:subject"],
                                  int(headers["cloudEvents:sequence"])))
            taken += 1
        return taken

    def depth(self) -> int:
        return self._channel.queue_declare(self.name, passive=True).message_count

    def ids(self) -> set[str]:
        return {event_id for event_id, _, _ in self.received}

    def order_per_aggregate(self) -> dict[str, list[int]]:
        """Each aggregate's sequence numbers in the order of their first arrival."""
        seen, order = set(), defaultdict(list)
        for event_id, aggregate, sequence in self.received:
            if event_id not in seen:
                seen.add(event_id)
                order[aggregate].append(sequence)
        return order

    def close(self) -> None:
        self._channel.queue_delete(self.name)
        self._connection.release()


@pytest.fixture
def tap(bus_example):
    taps = []

    def make(name: str, **arguments) -> Tap:
        taps.append(Tap(bus_example.settings.broker_url, name, **arguments))
        return taps[-1]

    yield make
    for each in taps:
        each.close()


def relay_of(example, **options) -> OutboxRelay:
    options = {"engine": example.engine, "broker_url": example.settings.broker_url,
               "poll_interval": 0.02, **options}
    return OutboxRelay(service="example", tables=orm.platform, topology=example.topology,
                       **options)


def unsent(example) -> int:
    return example.relay().backlog()


def marked_sent(example) -> set[str]:
    with example.engine.connect() as connection:
        return {str(i) for i in connection.execute(
            sa.select(OUTBOX.c.event_id).where(OUTBOX.c.published_at.is_not(None))).scalars()}


def unconfirmed_total() -> float:
    return REGISTRY.get_sample_value("lotse_relay_unconfirmed_total", {"service": "example"}) or 0.0


# -- order ----------------------------------------------------------------------------------------
def test_each_aggregates_events_reach_the_broker_in_their_order(bus_example, tap):
    taps = tap("order")
    cases = aggregates(20)
    ids = write_events(bus_example, cases, per_aggregate=25)

    with Running(relay_of(bus_example, batch_size=50).run):
        poll(lambda: unsent(bus_example) == 0, timeout=30, message="every event sent")
    poll(lambda: taps.take() == 0 and len(taps.ids()) >= len(ids), timeout=10,
         message="every event in the test's queue")

    assert taps.ids() == set(ids)
    assert taps.order_per_aggregate() == {case: list(range(1, 26)) for case in cases}


# -- nacks: marked only when confirmed, sent again, order kept --------------------------------
def test_what_the_broker_refuses_stays_unsent_and_is_sent_again_in_order(bus_example, tap):
    # a queue that refuses messages beyond ten makes the broker nack them
    full = tap("full", **{"x-max-length": 10, "x-overflow": "reject-publish"})
    cases = aggregates(5)
    ids = write_events(bus_example, cases, per_aggregate=6)
    nacks_before = unconfirmed_total()

    with Running(relay_of(bus_example).run):
        poll(lambda: unconfirmed_total() > nacks_before, timeout=20, message="a nack")
        # only what the broker confirmed is marked sent: exactly the ten the queue took (and
        # nothing more can be confirmed while the queue stays full)
        poll(lambda: unsent(bus_example) == len(ids) - 10, message="the ten to be marked")
        marked = marked_sent(bus_example)
        full.take()
        assert marked == full.ids()
        assert len(marked) == 10

        # room in the queue: what was refused goes again until everything is through
        def all_through() -> bool:
            full.take()
            return full.ids() == set(ids) and unsent(bus_example) == 0

        poll(all_through, timeout=30, message="the refused events sent again")

    assert full.order_per_aggregate() == {case: [1, 2, 3, 4, 5, 6] for case in cases}
    assert marked_sent(bus_example) == set(ids)


def test_while_a_queue_overflows_and_drains_no_event_overtakes_an_earlier_refused_one(
        bus_example, tap):
    # the queue takes three at a time and a consumer empties it as the relay publishes: the
    # broker refuses some messages and takes later ones. A refused event sent again must not
    # arrive after its aggregate's next event.
    small = tap("small", **{"x-max-length": 3, "x-overflow": "reject-publish"})
    cases = aggregates(10)
    ids = write_events(bus_example, cases, per_aggregate=10)
    nacks_before = unconfirmed_total()

    with Connection(bus_example.settings.broker_url) as connection:
        def record(body, message):
            headers = message.headers
            small.received.append((headers["cloudEvents:id"], headers["cloudEvents:subject"],
                                   int(headers["cloudEvents:sequence"])))
            message.ack()

        draining = Consumer(connection.channel(), queues=[Queue(small.name, no_declare=True)],
                            callbacks=[record], prefetch_count=1)
        with draining, Running(relay_of(bus_example).run):
            def all_through() -> bool:
                try:
                    connection.drain_events(timeout=0.05)
                except TimeoutError:
                    pass
                return small.ids() == set(ids) and unsent(bus_example) == 0

            poll(all_through, interval=0, timeout=60, message="every event through")

    assert unconfirmed_total() > nacks_before, "the broker refused nothing: nothing was proven"
    assert small.order_per_aggregate() == {case: list(range(1, 11)) for case in cases}


# -- leadership ------------------------------------------------------------------------------------
def lock_holder(database) -> list[str]:
    """application_name of the connections holding a relay's advisory lock in ``database``."""
    engine = create_engine(database.admin_url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text(
                "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a USING (pid)"
                " WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.granted"
                " AND l.database = (SELECT oid FROM pg_database WHERE datname = :name)"
            ), {"name": database.name}).scalars().all()
    finally:
        engine.dispose()


@pytest.fixture
def named_engines(pg_database):
    engines = {name: create_engine(pg_database.app_url,
                                   connect_args={"application_name": name})
               for name in ("relay-a", "relay-b")}
    yield engines
    for engine in engines.values():
        engine.dispose()


def test_a_second_relay_waits_while_the_first_publishes_and_takes_over_when_it_stops(
        bus_example, tap, pg_database, named_engines):
    taps = tap("leader")
    first = Running(relay_of(bus_example, engine=named_engines["relay-a"]).run)
    second = Running(relay_of(bus_example, engine=named_engines["relay-b"],
                              standby_interval=0.2).run)
    ids = write_events(bus_example, aggregates(1), per_aggregate=1)

    first.__enter__()
    try:
        poll(lambda: lock_holder(pg_database) == ["relay-a"], message="the first relay to lead")
        with second:
            ids += write_events(bus_example, aggregates(10), per_aggregate=5)
            poll(lambda: unsent(bus_example) == 0, message="every event sent")
            poll(lambda: taps.take() == 0 and taps.ids() == set(ids), timeout=10,
                 message="every event in the test's queue")
            # the second one stood by: the lock stayed where it was, each event went out once
            assert lock_holder(pg_database) == ["relay-a"]
            assert len(taps.received) == len(ids)

            first.__exit__(None, None, None)
            ids += write_events(bus_example, aggregates(10), per_aggregate=2)
            poll(lambda: lock_holder(pg_database) == ["relay-b"], timeout=10,
                 message="the second relay to take over")
            poll(lambda: unsent(bus_example) == 0, timeout=10,
                 message="the second relay to publish")
            poll(lambda: taps.take() == 0 and taps.ids() == set(ids), timeout=10,
                 message="every event in the test's queue")
    finally:
        if first.thread.is_alive():
            first.__exit__(None, None, None)


# -- broker loss -----------------------------------------------------------------------------------
def test_the_relay_carries_on_after_its_broker_connection_is_cut(bus_example, tap):
    taps = tap("cut")
    broker = urlsplit(bus_example.settings.broker_url)
    proxy = TcpProxy(broker.hostname, broker.port or 5672)
    proxied = urlunsplit(broker._replace(netloc=f"guest:guest@127.0.0.1:{proxy.port}"))
    cases = aggregates(10)
    ids = write_events(bus_example, cases, per_aggregate=60)
    try:
        with Running(relay_of(bus_example, broker_url=proxied).run):
            poll(lambda: unsent(bus_example) < len(ids), interval=0.005, timeout=20,
                 message="publishing to begin")
            assert proxy.cut() >= 1  # most likely mid-stream: one event per aggregate in flight
            poll(lambda: unsent(bus_example) == 0, timeout=30, message="every event sent")

            # and again when it is idle (if it still has a connection): the next events find
            # the connection gone
            proxy.cut()
            ids += write_events(bus_example, cases, per_aggregate=5, first=61)
            poll(lambda: unsent(bus_example) == 0, timeout=30, message="the later events sent")
            assert proxy.connections >= 2, "the relay never connected again"
    finally:
        proxy.close()

    poll(lambda: taps.take() == 0 and taps.ids() == set(ids), timeout=10,
         message="every event in the test's queue")
    # resent after the cut: duplicates are allowed, gaps and reordering are not
    assert taps.order_per_aggregate() == {case: list(range(1, 66)) for case in cases}


# -- the publisher on its own ---------------------------------------------------------------------
def outgoing(n: int):
    from lotse_platform.bus.publisher import Outgoing

    event = NoteRecorded(note_id=f"n-{n}", area_id="area-w", length=n)
    return Outgoing(event.SerializeToString(), {"n": n}, NOTE_RECORDED, f"id-{n}")


def confirming_publisher(broker_url: str, example, timeout: float = 10.0):
    from lotse_platform.bus.publisher import ConfirmingPublisher, publisher_for

    with Connection(broker_url) as connection:
        connection.ensure_connection(max_retries=1)
        example.topology.declare_exchanges(connection)
        publisher = publisher_for(connection, example.topology.exchange, timeout)
    assert isinstance(publisher, ConfirmingPublisher)
    return publisher


def settle_all(publisher, count: int) -> list:
    settled: list = []
    poll(lambda: settled.extend(publisher.settle(0.2)) or len(settled) >= count, timeout=30,
         message=f"{count} confirms")
    return settled


def test_a_batch_published_without_waiting_is_confirmed_message_by_message(bus_example, tap):
    received = tap("batch")
    publisher = confirming_publisher(bus_example.settings.broker_url, bus_example)
    try:
        for n in range(300):
            publisher.publish(outgoing(n), token=n)
        assert publisher.unconfirmed == 300
        settled = settle_all(publisher, 300)
        assert publisher.unconfirmed == 0
    finally:
        publisher.close()

    assert sorted(token for token, acked in settled if acked) == list(range(300))
    assert received.depth() == 300


def test_the_publisher_reports_a_nack_for_what_the_broker_refuses(bus_example, tap):
    full = tap("refusing", **{"x-max-length": 2, "x-overflow": "reject-publish"})
    publisher = confirming_publisher(bus_example.settings.broker_url, bus_example)
    try:
        assert publisher.publish_batch([outgoing(n) for n in range(5)]) == [
            True, True, False, False, False]
    finally:
        publisher.close()
    assert full.depth() == 2


def test_a_lost_connection_makes_the_publisher_raise_after_what_was_confirmed(bus_example, tap):
    tap("lost")
    broker = urlsplit(bus_example.settings.broker_url)
    proxy = TcpProxy(broker.hostname, broker.port or 5672)
    proxied = urlunsplit(broker._replace(netloc=f"guest:guest@127.0.0.1:{proxy.port}"))
    publisher = confirming_publisher(proxied, bus_example)
    try:
        publisher.publish(outgoing(1), token=1)
        assert settle_all(publisher, 1) == [(1, True)]
        assert proxy.cut() >= 1

        def raises() -> bool:
            try:
                publisher.publish(outgoing(2), token=2)
                publisher.settle(0.2)
            except ConnectionError:
                return True
            return False

        poll(raises, timeout=10, message="the publisher to notice the cut")
        with pytest.raises(ConnectionError):
            publisher.publish(outgoing(3), token=3)
    finally:
        publisher.close()
        publisher.close()  # again: nothing happens
        proxy.close()


def test_a_publisher_to_a_broker_that_is_not_there_raises_connection_error(bus_example):
    from lotse_platform.bus.publisher import publisher_for

    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]  # closed again: nothing listens there
    broker = urlsplit(bus_example.settings.broker_url)
    nowhere = urlunsplit(broker._replace(netloc=f"guest:guest@127.0.0.1:{port}"))
    with pytest.raises(ConnectionError):
        publisher_for(Connection(nowhere), bus_example.topology.exchange, 5.0)
