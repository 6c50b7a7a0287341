"""The consumer's batches: what arrives together is committed per tenant and acked only after
those commits, with one ``basic.ack(multiple=True)`` when every delivery is settled, and one by
one otherwise (or on a transport without broker-side acks)."""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from kombu import Connection
from prometheus_client import REGISTRY

from lotse.example.v1.events_pb2 import NoteRecorded
from lotse_example.adapters import orm
from lotse_example.bootstrap import bootstrap
from lotse_example.domain.model import AreaTally
from lotse_platform.bus import EventConsumer
from lotse_platform.contracts import Envelope, event_type_of
from lotse_platform.testing import Running, broker_listing, poll, publish_raw, queue_depth
from tests.support.amqp_wiretap import AmqpWiretap, Settlement

NOTE_RECORDED = event_type_of(NoteRecorded)


# -- the acking rule, on its own --------------------------------------------------------------
class FakeChannel:
    def __init__(self) -> None:
        self.acks: list[tuple[int, bool]] = []

    def basic_ack(self, delivery_tag: int, multiple: bool = False) -> None:
        self.acks.append((delivery_tag, multiple))


class FakeMessage:
    def __init__(self, channel: FakeChannel, delivery_tag: int) -> None:
        self.channel, self.delivery_tag = channel, delivery_tag

    def ack(self, multiple: bool = False) -> None:
        self.channel.basic_ack(self.delivery_tag, multiple)


def consumer(amqp: bool = True) -> EventConsumer:
    example = bootstrap(_settings())
    found = EventConsumer(service="example", broker_url="memory://", topology=example.topology,
                          registry=example.registry, handlers={}, sessions=None,
                          tables=orm.platform)
    found._broker_limits_delivery = amqp
    return found


def _settings():
    from lotse_example.settings import ExampleSettings

    return ExampleSettings(database_url="sqlite://", mode="embedded")


def test_a_settled_delivery_is_acked_with_one_multiple_ack_for_its_highest_tag():
    channel = FakeChannel()
    messages = [FakeMessage(channel, tag) for tag in (7, 9, 8)]

    consumer()._ack(messages, all_settled=True)

    assert channel.acks == [(9, True)]


def test_a_delivery_left_partly_unsettled_is_acked_message_by_message():
    channel = FakeChannel()
    messages = [FakeMessage(channel, tag) for tag in (3, 4)]

    consumer()._ack(messages, all_settled=False)

    assert channel.acks == [(3, False), (4, False)]


def test_without_broker_acks_each_message_is_acked_itself():
    channel = FakeChannel()
    messages = [FakeMessage(channel, tag) for tag in (1, 2)]

    consumer(amqp=False)._ack(messages, all_settled=True)

    assert channel.acks == [(1, False), (2, False)]


# -- on the real broker -------------------------------------------------------------------------
def unacknowledged(connection) -> int:
    queues = broker_listing("queues", connection.virtual_host, "name", "messages_unacknowledged")
    return sum(q["messages_unacknowledged"] for q in queues)


def tally(example, tenant: uuid.UUID, area: str) -> int:
    with example.sessions() as session:
        session.set_tenant(tenant)
        found = session.execute(sa.select(AreaTally.notes).where(AreaTally.area_id == area))
        return found.scalar_one_or_none() or 0


def publish_notes(connection, example, tenants: list[uuid.UUID], count: int) -> None:
    """``count`` NoteRecorded events, the tenants taking turns, areas ``area-0`` … ``area-3``."""
    for n in range(count):
        event = NoteRecorded(note_id=str(uuid.uuid4()), area_id=f"area-{n % 4}",
                             author_id="user-1", length=4)
        envelope = Envelope(id=uuid.uuid4(), type=NOTE_RECORDED, source="/lotse/example",
                            time=datetime.now(UTC), data=event.SerializeToString(),
                            tenant=tenants[n % len(tenants)])
        publish_raw(connection, example.settings.exchange, NOTE_RECORDED, envelope.data,
                    envelope.headers(), message_id=str(envelope.id))


@pytest.mark.integration
def test_the_running_consumer_settles_a_delivery_with_one_multiple_ack_as_the_broker_sees_it(
        bus_example, broker_url):
    tenants = [uuid.uuid4(), uuid.uuid4()]
    processed = {"service": "example", "consumer": "example", "event_type": NOTE_RECORDED,
                 "outcome": "processed"}
    before = REGISTRY.get_sample_value("lotse_events_consumed_total", processed) or 0
    with Connection(broker_url) as connection:
        publish_notes(connection, bus_example, tenants, 40)
    with AmqpWiretap(broker_url) as wire:
        # one delivery for sure: the loop gathers until it holds all 40 (they are queued already)
        consumer = EventConsumer(
            service="example", broker_url=wire.url, topology=bus_example.topology,
            registry=bus_example.registry, handlers=bus_example.bus.event_handlers,
            sessions=bus_example.sessions, tables=bus_example.tables,
            uow_class=bus_example.uow_class, batch_size=40, linger=10.0, gap=10.0)
        with Running(consumer.run), Connection(broker_url) as connection:
            poll(lambda: wire.settlements and queue_depth(connection, "example.events") == 0
                 and unacknowledged(connection) == 0, timeout=15,
                 message="the delivery settled")
            assert queue_depth(connection, "example.dead") == 0
        # what the broker was told, up to the consumer's goodbye: one ack up to the 40th
        # delivery tag of its channel, nothing else
        settled = wire.settlements
        assert settled == [Settlement("ack", settled[0].channel, 40, multiple=True)]

    assert [sum(tally(bus_example, t, f"area-{a}") for a in range(4)) for t in tenants] == [
        20, 20]
    assert REGISTRY.get_sample_value("lotse_events_consumed_total", processed) == before + 40


@pytest.mark.integration
def test_a_lone_event_of_one_tenant_is_acked_by_itself_and_the_others_batch_follows(
        bus_example, broker_url):
    lone, batched = uuid.uuid4(), uuid.uuid4()
    with Connection(broker_url) as connection:
        publish_notes(connection, bus_example, [lone], 1)
        publish_notes(connection, bus_example, [batched], 10)
    with AmqpWiretap(broker_url) as wire:
        consumer = EventConsumer(
            service="example", broker_url=wire.url, topology=bus_example.topology,
            registry=bus_example.registry, handlers=bus_example.bus.event_handlers,
            sessions=bus_example.sessions, tables=bus_example.tables,
            uow_class=bus_example.uow_class, batch_size=11, linger=10.0, gap=10.0)
        with Running(consumer.run), Connection(broker_url) as connection:
            poll(lambda: queue_depth(connection, "example.events") == 0
                 and unacknowledged(connection) == 0, timeout=15,
                 message="the delivery settled")
        settled = wire.settlements

    channel = settled[0].channel
    assert settled == [Settlement("ack", channel, 1), Settlement("ack", channel, 11, multiple=True)]
    assert [sum(tally(bus_example, t, f"area-{a}") for a in range(4)) for t in (lone, batched)] \
        == [1, 10]


@contextmanager
def database_away_for(example, tenant: uuid.UUID):
    """While the block runs, the tenant's tallies cannot be written: the database answers as a
    lost connection would (SQLSTATE 08006), so the consumer holds that tenant's events and
    retries."""
    owner = sa.create_engine(example.settings.migration_database_url, poolclass=sa.pool.NullPool)
    with owner.begin() as connection:
        connection.execute(sa.text(
            "CREATE FUNCTION lotse_test_away() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF NEW.tenant_id = '{tenant}' THEN RAISE EXCEPTION 'away' USING ERRCODE = '08006';"
            " END IF; RETURN NEW; END $$"))
        connection.execute(sa.text(
            "CREATE TRIGGER lotse_test_away BEFORE INSERT ON area_tallies "
            "FOR EACH ROW EXECUTE FUNCTION lotse_test_away()"))
    try:
        yield
    finally:
        with owner.begin() as connection:
            connection.execute(sa.text("DROP TRIGGER lotse_test_away ON area_tallies"))
            connection.execute(sa.text("DROP FUNCTION lotse_test_away()"))
        owner.dispose()


@pytest.mark.integration
def test_a_delivery_left_partly_unprocessed_acks_only_what_committed_and_loses_nothing(
        bus_example, broker_url):
    """Stopping while one tenant's database work cannot be done: the other tenant's committed
    events are acked one by one, never with a multiple ack that would take the unprocessed
    events (lower delivery tags among them) with it; those come again and are processed."""
    committed, held = uuid.uuid4(), uuid.uuid4()
    with Connection(broker_url) as connection:
        publish_notes(connection, bus_example, [committed, held], 40)  # odd tags, even tags
    with AmqpWiretap(broker_url) as wire, database_away_for(bus_example, held):
        consumer = EventConsumer(
            service="example", broker_url=wire.url, topology=bus_example.topology,
            registry=bus_example.registry, handlers=bus_example.bus.event_handlers,
            sessions=bus_example.sessions, tables=bus_example.tables,
            uow_class=bus_example.uow_class, batch_size=40, linger=10.0, gap=10.0)
        with Running(consumer.run):
            poll(lambda: sum(tally(bus_example, committed, f"area-{a}") for a in range(4)) == 20,
                 timeout=15, message="the first tenant's events committed")
        settled = wire.settlements

    assert settled == [Settlement("ack", settled[0].channel, tag) for tag in range(1, 40, 2)]
    with Running(bus_example.consumer().run), Connection(broker_url) as connection:
        poll(lambda: queue_depth(connection, "example.events") == 0
             and unacknowledged(connection) == 0, timeout=15,
             message="the held events delivered again and acked")
    assert [sum(tally(bus_example, t, f"area-{a}") for a in range(4))
            for t in (committed, held)] == [20, 20]


@pytest.mark.integration
def test_many_tenants_events_arriving_together_are_each_committed_once_and_all_acked(
        pg_example, broker_url):
    example = bootstrap(pg_example.settings.model_copy(update={"broker_url": broker_url}))
    tenants = [uuid.uuid4() for _ in range(3)]
    with Connection(broker_url) as connection:
        example.topology.declare_service(connection, "example", [NOTE_RECORDED])
        connection.default_channel.queue_purge("example.events")
        publish_notes(connection, example, tenants, 240)
        with Running(example.consumer().run):
            poll(lambda: queue_depth(connection, "example.events") == 0
                 and unacknowledged(connection) == 0, timeout=60,
                 message="every event processed and acked")
    try:
        assert [sum(tally(example, t, f"area-{a}") for a in range(4)) for t in tenants] == [
            80, 80, 80]
    finally:
        example.engine.dispose()
