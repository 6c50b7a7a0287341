"""The consumer's inbox: an event takes effect once however often it is delivered
(ARCHITECTURE.md, reliability invariant 2), on PostgreSQL and on SQLite.

The inbox row and the handler's effect commit in one transaction: a handler that fails leaves
neither, so the redelivery runs it again. (PostgreSQL reports a rowcount of -1 for
``INSERT … ON CONFLICT DO NOTHING``; a consumer that trusted it let duplicates take effect.)
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import replace
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from kombu import Connection

from lotse.example.v1.events_pb2 import NoteRecorded
from lotse_example.adapters import orm
from lotse_example.bootstrap import bootstrap
from lotse_example.domain.model import AreaTally
from lotse_platform.bus import EventConsumer
from lotse_platform.contracts import Envelope, event_type_of
from lotse_platform.testing import Running, broker_listing, poll, publish_raw, queue_depth

pytestmark = pytest.mark.integration

TENANT = uuid.UUID("cccccccc-3333-4000-8000-00000000000c")
NOTE_RECORDED = event_type_of(NoteRecorded)


def note_recorded(area: str = "area-1", event_id: uuid.UUID | None = None):
    event = NoteRecorded(note_id=str(uuid.uuid4()), area_id=area, author_id="user-1", length=4)
    envelope = Envelope(id=event_id or uuid.uuid4(), type=NOTE_RECORDED, source="/lotse/example",
                        time=datetime.now(UTC), data=event.SerializeToString(), tenant=TENANT)
    return envelope, event


def consumer_with(example, handler, name: str | None = None) -> EventConsumer:
    """A consumer of the example's database with a handler of the test's own."""
    return EventConsumer(service="example", consumer=name, broker_url="memory://",
                         topology=example.topology, registry=example.registry,
                         handlers={NOTE_RECORDED: handler}, sessions=example.sessions,
                         tables=orm.platform)


def tally(example, area: str = "area-1") -> int:
    with example.sessions() as session:
        session.set_tenant(TENANT)
        found = session.execute(sa.select(AreaTally.notes).where(AreaTally.area_id == area))
        return found.scalar_one_or_none() or 0


def inbox_rows(example) -> list:
    inbox = orm.platform.inbox
    with example.engine.connect() as connection:
        return connection.execute(sa.select(inbox.c.consumer, inbox.c.event_id)).all()


def test_the_same_event_processed_twice_takes_effect_once(any_example):
    consumer = any_example.consumer()
    envelope, event = note_recorded()

    first = consumer.process(envelope, event)
    second = consumer.process(envelope, event)

    assert (first, second) == ("processed", "duplicate")
    assert tally(any_example) == 1
    assert inbox_rows(any_example) == [("example", envelope.id)]


def test_a_redelivery_decoded_afresh_from_the_wire_is_recognised_by_its_id(any_example):
    consumer = any_example.consumer()
    envelope, event = note_recorded()
    consumer.process(envelope, event)

    again = Envelope.from_message(envelope.headers(), envelope.data)
    assert consumer.process(again, again.decode(any_example.registry)) == "duplicate"
    assert tally(any_example) == 1


def test_distinct_events_with_the_same_content_each_take_effect(any_example):
    consumer = any_example.consumer()
    envelope, event = note_recorded()
    twin = replace(envelope, id=uuid.uuid4())

    assert consumer.process(envelope, event) == "processed"
    assert consumer.process(twin, event) == "processed"
    assert tally(any_example) == 2


def test_each_consumer_of_a_service_keeps_its_own_inbox(any_example):
    counted = []
    envelope, event = note_recorded()

    assert any_example.consumer().process(envelope, event) == "processed"
    auditor = consumer_with(any_example, lambda *_: counted.append(1), name="example-auditor")
    assert auditor.process(envelope, event) == "processed"
    assert auditor.process(envelope, event) == "duplicate"
    assert counted == [1]


def test_a_handler_gets_the_envelope_and_a_unit_of_work_of_the_events_tenant_and_service(
        any_example):
    """What a handler publishes or audits is the service's own, in the event's tenant, and
    commits with its inbox row; the row names the consumer, event, type and tenant."""
    seen = []

    def publish_and_audit(event, envelope, uow):
        seen.append((envelope, uow.tenant_id))
        uow.publish(NoteRecorded(note_id=event.note_id, area_id="area-9"), aggregate_id="agg-1")
        uow.audit("count", "note", event.note_id)

    envelope, event = note_recorded()
    assert consumer_with(any_example, publish_and_audit).process(envelope, event) == "processed"

    assert seen == [(envelope, TENANT)]
    with any_example.uow(TENANT) as uow:
        outbox = uow.session.execute(sa.select(orm.platform.outbox.c.source,
                                               orm.platform.outbox.c.aggregate_id)).all()
        audited = uow.session.execute(sa.select(orm.platform.audit_log.c.actor,
                                                orm.platform.audit_log.c.record_id)).all()
    assert outbox == [(any_example.source, "agg-1")]
    assert audited == [(f"system:{any_example.source}", event.note_id)]
    inbox = orm.platform.inbox
    with any_example.engine.connect() as connection:
        assert connection.execute(sa.select(inbox.c.consumer, inbox.c.event_id,
                                            inbox.c.event_type, inbox.c.tenant_id)).all() == [
            ("example", envelope.id, NOTE_RECORDED, TENANT)]


def test_a_batch_of_one_tenant_takes_effect_once_per_event_in_one_transaction(any_example):
    """What arrived together for one tenant (the running consumer's batches): events seen
    before, and the same event twice in the batch, are duplicates; the others run their
    handler with their envelope, and everything commits together with the inbox rows."""
    handled = []

    def publish(event, envelope, uow):
        handled.append(envelope)
        uow.publish(NoteRecorded(note_id=event.note_id), aggregate_id=event.note_id)

    consumer = consumer_with(any_example, publish)
    seen_before, first, second = note_recorded(), note_recorded(), note_recorded()
    assert consumer.process(*seen_before) == "processed"

    outcomes = consumer.process_batch(TENANT, [seen_before, first, first, second])

    assert outcomes == ["duplicate", "processed", "duplicate", "processed"]
    assert handled == [seen_before[0], first[0], second[0]]
    inbox = orm.platform.inbox
    with any_example.engine.connect() as connection:
        assert sorted(connection.execute(sa.select(
            inbox.c.consumer, inbox.c.event_id, inbox.c.event_type, inbox.c.tenant_id)).all()) \
            == sorted(("example", e.id, NOTE_RECORDED, TENANT)
                      for e, _ in (seen_before, first, second))
    with any_example.uow(TENANT) as uow:
        assert sorted(uow.session.execute(sa.select(orm.platform.outbox.c.source,
                                                    orm.platform.outbox.c.aggregate_id)).all()) \
            == sorted((any_example.source, ev.note_id) for _, ev in (seen_before, first, second))


def test_a_handler_that_raises_leaves_neither_its_effect_nor_an_inbox_row(any_example):
    def count_then_fail(event, envelope, uow):
        uow.session.add(AreaTally(area_id=event.area_id, notes=1))
        uow.session.flush()  # the effect is written in the transaction, then the handler fails
        raise RuntimeError("handler failed after writing")

    envelope, event = note_recorded()
    with pytest.raises(RuntimeError):
        consumer_with(any_example, count_then_fail).process(envelope, event)

    assert tally(any_example) == 0
    assert inbox_rows(any_example) == []
    # so the redelivery is not mistaken for a duplicate: it runs the handler and takes effect
    assert any_example.consumer().process(envelope, event) == "processed"
    assert tally(any_example) == 1


def test_on_postgresql_two_deliveries_processed_at_the_same_time_take_effect_once(
    pg_example, superuser_engine
):
    envelope, event = note_recorded()
    inside_handler, release = threading.Event(), threading.Event()
    calls = []

    def slow_count(event, envelope, uow):
        calls.append(1)
        inside_handler.set()
        release.wait(timeout=30)
        uow.session.add(AreaTally(area_id=event.area_id, notes=1))

    consumer = consumer_with(pg_example, slow_count)
    outcomes = []
    first = threading.Thread(target=lambda: outcomes.append(consumer.process(envelope, event)))
    second = threading.Thread(target=lambda: outcomes.append(consumer.process(envelope, event)))
    first.start()
    assert inside_handler.wait(timeout=30)
    second.start()
    # the second delivery's inbox insert waits for the first transaction's row lock
    poll(lambda: waiting_on_a_lock(superuser_engine), timeout=30,
         message="the second delivery to wait on the first one's inbox row")
    release.set()
    first.join(timeout=30)
    second.join(timeout=30)

    assert sorted(outcomes) == ["duplicate", "processed"]
    assert calls == [1]
    assert tally(pg_example) == 1


def waiting_on_a_lock(superuser_engine) -> bool:
    with superuser_engine.connect() as connection:
        return bool(connection.execute(sa.text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query ILIKE 'INSERT INTO inbox%'")).scalar_one())


def test_the_same_event_delivered_twice_by_the_broker_takes_effect_once(any_example, broker_url):
    # through the running consumer, whichever way it groups what arrives together
    example = bootstrap(any_example.settings.model_copy(update={"broker_url": broker_url}))
    envelope, _ = note_recorded(area="area-2")
    other, _ = note_recorded(area="area-2")
    with Connection(broker_url) as connection:
        example.topology.declare_service(connection, "example", [NOTE_RECORDED])
        connection.default_channel.queue_purge("example.events")
        for message in (envelope, envelope, other, envelope):
            publish_raw(connection, example.settings.exchange, NOTE_RECORDED, message.data,
                        message.headers(), message_id=str(message.id))
        with Running(example.consumer().run):
            poll(lambda: queue_depth(connection, "example.events") == 0
                 and len(inbox_rows(example)) == 2, timeout=30,
                 message="both events to be processed")
            # all four deliveries are acked, none comes back
            poll(lambda: unacknowledged(connection) == 0, timeout=30, message="every ack")
    example.engine.dispose()

    assert tally(example, "area-2") == 2


def unacknowledged(connection) -> int:
    queues = broker_listing("queues", connection.virtual_host, "name", "messages_unacknowledged")
    return sum(q["messages_unacknowledged"] for q in queues)
