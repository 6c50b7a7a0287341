"""The running consumer, one message at a time and when a handler fails: a lone event is
committed and acked by itself; an event whose handler keeps failing is given back for
redelivery until the delivery limit and then dead-lettered, while the events behind it flow —
counted by the broker on RabbitMQ, by the consumer itself on the in-memory bus of embedded
mode. How it settles each delivery is read off the wire, as the broker sees it."""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from kombu import Connection, Producer
from prometheus_client import REGISTRY

from lotse.example.v1.events_pb2 import NoteRecorded
from lotse_example.domain.model import AreaTally
from lotse_platform.bus import EventConsumer, Topology
from lotse_platform.bus.consumer import REASON_HEADER, ROUTING_KEY_HEADER
from lotse_platform.contracts import Envelope, event_type_of
from lotse_platform.testing import Running, poll, publish_raw, queue_depth
from tests.support.amqp_wiretap import AmqpWiretap, Settlement

NOTE_RECORDED = event_type_of(NoteRecorded)
TENANT = uuid.UUID("0c0a0f0e-5e5e-4a4a-8b8b-0d0d0d0d0d0d")


def note(area: str) -> Envelope:
    event = NoteRecorded(note_id=str(uuid.uuid4()), area_id=area, author_id="user-1", length=4)
    return Envelope(id=uuid.uuid4(), type=NOTE_RECORDED, source="/lotse/example",
                    time=datetime.now(UTC), data=event.SerializeToString(), tenant=TENANT)


def tally(example, area: str) -> int:
    with example.sessions() as session:
        session.set_tenant(TENANT)
        found = session.execute(sa.select(AreaTally.notes).where(AreaTally.area_id == area))
        return found.scalar_one_or_none() or 0


def consumer_of(example, broker_url: str, *, topology=None, service: str = "example",
                failures: list | None = None, **options) -> EventConsumer:
    """The example's consumer, except that its handler fails for every note of area "poison"
    (and appends the event id to ``failures`` each time)."""
    count = example.bus.event_handlers[NOTE_RECORDED]

    def count_unless_poisoned(event, envelope, uow):
        if event.area_id == "poison":
            if failures is not None:
                failures.append(envelope.id)
            raise RuntimeError("this handler always fails")
        count(event, envelope, uow)

    return EventConsumer(
        service=service, broker_url=broker_url, topology=topology or example.topology,
        registry=example.registry, handlers={NOTE_RECORDED: count_unless_poisoned},
        sessions=example.sessions, tables=example.tables, uow_class=example.uow_class,
        **options)


@pytest.mark.integration
def test_a_lone_event_is_committed_and_acked_by_itself(bus_example, broker_url):
    with Connection(broker_url) as connection:
        envelope = note("area-1")
        publish_raw(connection, bus_example.settings.exchange, NOTE_RECORDED, envelope.data,
                    envelope.headers(), message_id=str(envelope.id))
    processed = {"service": "example", "consumer": "example", "event_type": NOTE_RECORDED,
                 "outcome": "processed"}
    before = REGISTRY.get_sample_value("lotse_events_consumed_total", processed) or 0
    with AmqpWiretap(broker_url) as wire:
        with Running(consumer_of(bus_example, wire.url).run):
            poll(lambda: tally(bus_example, "area-1") == 1 and wire.settlements, timeout=15,
                 message="the event committed and acked")
        settled = wire.settlements

    assert settled == [Settlement("ack", settled[0].channel, 1)]
    assert REGISTRY.get_sample_value("lotse_events_consumed_total", processed) == before + 1


@pytest.mark.integration
def test_on_the_broker_a_failing_event_is_given_back_until_the_broker_dead_letters_it(
        bus_example, broker_url):
    limit = bus_example.settings.delivery_limit
    poison, behind = note("poison"), [note("area-1") for _ in range(3)]
    with Connection(broker_url) as connection:
        for envelope in (poison, *behind):
            publish_raw(connection, bus_example.settings.exchange, NOTE_RECORDED,
                        envelope.data, envelope.headers(), message_id=str(envelope.id))
        with AmqpWiretap(broker_url) as wire:
            with Running(consumer_of(bus_example, wire.url).run):
                poll(lambda: queue_depth(connection, "example.dead") == 1
                     and tally(bus_example, "area-1") == 3, timeout=20,
                     message="the poison dead-lettered, the events behind it counted")
            settled = wire.settlements
        assert queue_depth(connection, "example.events") == 0

    rejected = [s for s in settled if s.method == "reject"]
    # each delivery of the poison given back for redelivery, never acked or dropped; the broker
    # counts them and dead-letters it after the limit
    assert len(rejected) >= limit and all(s.requeue for s in rejected)
    assert {s.method for s in settled} == {"ack", "reject"}
    assert not {s.delivery_tag for s in settled if s.method == "ack"} & {
        s.delivery_tag for s in rejected}


def test_on_the_in_memory_bus_the_consumer_counts_the_failures_and_dead_letters_at_the_limit(
        sqlite_example, caplog):
    caplog.set_level(logging.INFO, logger="lotse.consumer")
    # a topology of this test's own: the in-memory broker is shared by the whole process
    name = f"failing{uuid.uuid4().hex[:8]}"
    topology = Topology(exchange_name=f"{name}.events", dead_letter_exchange_name=f"{name}.dl",
                        delivery_limit=3)
    failures: list[uuid.UUID] = []
    # one message at a time: each delivery runs the handler once (not in a batch, then alone)
    consumer = consumer_of(sqlite_example, "memory://", topology=topology, service=name,
                           failures=failures, batch_size=1)
    poisons, behind = [note("poison"), note("poison")], [note("area-1") for _ in range(3)]
    with Connection("memory://") as connection:
        topology.declare_service(connection, name, [NOTE_RECORDED])
        producer = Producer(connection.default_channel, exchange=topology.exchange)
        for envelope in (*poisons, *behind):
            producer.publish(envelope.data, routing_key=NOTE_RECORDED, headers=envelope.headers(),
                             content_type="application/protobuf", content_encoding="binary",
                             message_id=str(envelope.id))
        with Running(consumer.run):
            poll(lambda: queue_depth(connection, f"{name}.dead") == 2
                 and tally(sqlite_example, "area-1") == 3, timeout=15,
                 message="the poisons dead-lettered, the events behind them counted")
        assert queue_depth(connection, f"{name}.events") == 0
        dead = connection.SimpleQueue(f"{name}.dead")
        letters = [dead.get(timeout=5) for _ in poisons]

    # each tried as often as the limit, counted for itself, not once more or less
    assert Counter(failures) == {poison.id: 3 for poison in poisons}
    assert sorted(Envelope.from_message(letter.headers, letter.body).id for letter in letters) \
        == sorted(poison.id for poison in poisons)
    for letter in letters:
        assert letter.headers[REASON_HEADER] == "handler failed 3 times: RuntimeError"
        assert letter.headers[ROUTING_KEY_HEADER] == NOTE_RECORDED
        assert letter.properties["message_id"] == str(
            Envelope.from_message(letter.headers, letter.body).id)
    labels = {"service": name, "consumer": name}
    assert REGISTRY.get_sample_value("lotse_dead_letters_total", {
        **labels, "reason": "handler_failed"}) == 2
    assert REGISTRY.get_sample_value("lotse_events_consumed_total", {
        **labels, "event_type": NOTE_RECORDED, "outcome": "failed"}) == 6
    # dead-lettered and acked: not given back, and the consumer did not fall over doing it
    assert [r.getMessage() for r in caplog.records].count("consumer.connected") == 1
    assert "consumer.disconnected" not in [r.getMessage() for r in caplog.records]


def test_on_the_in_memory_bus_a_message_that_is_not_an_event_is_dead_lettered_at_once(
        sqlite_example):
    name = f"invalid{uuid.uuid4().hex[:8]}"
    topology = Topology(exchange_name=f"{name}.events", dead_letter_exchange_name=f"{name}.dl")
    failures: list[uuid.UUID] = []
    consumer = consumer_of(sqlite_example, "memory://", topology=topology, service=name,
                           failures=failures)
    good = note("area-1")
    with Connection("memory://") as connection:
        topology.declare_service(connection, name, [NOTE_RECORDED])
        producer = Producer(connection.default_channel, exchange=topology.exchange)
        producer.publish(b"\xff not protobuf", routing_key=NOTE_RECORDED,
                         headers=good.headers(), content_type="application/protobuf",
                         content_encoding="binary", message_id=str(good.id))
        with Running(consumer.run):
            poll(lambda: queue_depth(connection, f"{name}.dead") == 1, timeout=15,
                 message="the message dead-lettered")
        assert queue_depth(connection, f"{name}.events") == 0
        letter = connection.SimpleQueue(f"{name}.dead").get(timeout=5)

    assert letter.headers[REASON_HEADER] == "body is not a valid lotse.example.v1.NoteRecorded"
    assert letter.headers[ROUTING_KEY_HEADER] == NOTE_RECORDED
    assert letter.body == b"\xff not protobuf"
    assert failures == [] and tally(sqlite_example, "area-1") == 0
