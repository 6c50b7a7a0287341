"""Required proof: a poison message cannot stop a consumer.

(a) An event whose handler always fails is redelivered up to the queue's delivery limit, then
the broker moves it to ``<service>.dead``; the events published behind it are all processed.
(b) A message that is not a valid event (body not the declared protobuf, CloudEvents headers
missing) can never succeed: it goes to the dead-letter queue at once, with the reason in
``x-lotse-dead-letter-reason``, and the consumer goes on with the next message.
(c) What a publisher chooses (an event type) never becomes a metric label of its own, nor a log
line of its full length.

The failing handler belongs to a consumer built here, not to the example service.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from kombu import Connection
from prometheus_client import REGISTRY

from lotse.example.v1.events_pb2 import NoteRecorded
from lotse_example.adapters import orm
from lotse_platform import metrics
from lotse_platform.bus import EventConsumer
from lotse_platform.bus import deadletters
from lotse_platform.bus.consumer import DEAD_LETTER_REASONS, REASON_HEADER
from lotse_platform.contracts import Envelope, event_type_of
from lotse_platform.contracts.envelope import SHOWN_TYPE_LENGTH, UNKNOWN_EVENT_TYPE
from lotse_platform.testing import Running, poll, publish_raw, queue_depth

from ..support.pipeline import inbox_ids

pytestmark = [pytest.mark.integration, pytest.mark.slow]

NOTE_RECORDED = event_type_of(NoteRecorded)
TENANT = uuid.UUID("dddddddd-4444-4000-8000-00000000000d")
BEHIND = 50


def note_recorded(area: str) -> Envelope:
    event = NoteRecorded(note_id=str(uuid.uuid4()), area_id=area, author_id="user-1", length=1)
    return Envelope(id=uuid.uuid4(), type=NOTE_RECORDED, source="/lotse/test",
                    time=datetime.now(UTC), data=event.SerializeToString(), tenant=TENANT)


class PoisonTest:
    """A consumer of the example's queue whose handler fails for every note in area "poison"."""

    def __init__(self, example, settings) -> None:
        self.settings = settings
        self.handled: list[uuid.UUID] = []
        self.poison_attempts: list[uuid.UUID] = []
        self.consumer = EventConsumer(
            service="example", broker_url=settings.broker_url, topology=example.topology,
            registry=example.registry, handlers={NOTE_RECORDED: self.handle},
            sessions=example.sessions, tables=orm.platform, prefetch=settings.prefetch)

    def handle(self, event, envelope, uow) -> None:
        if event.area_id == "poison":
            self.poison_attempts.append(envelope.id)
            raise RuntimeError("this handler always fails")
        self.handled.append(envelope.id)

    def publish(self, connection, envelope: Envelope | None = None, *, body: bytes | None = None,
                headers: dict | None = None) -> None:
        publish_raw(connection, self.settings.exchange, NOTE_RECORDED,
                    envelope.data if body is None else body,
                    envelope.headers() if headers is None else headers,
                    message_id=str(envelope.id) if envelope else None)


def dead_letters(connection, service: str = "example") -> list[deadletters.DeadLetter]:
    channel, letters = deadletters.fetch(connection, service)
    channel.close()  # looking does not remove them
    return letters


@pytest.fixture
def consumer_log(caplog):
    caplog.set_level(logging.INFO, logger="lotse.consumer")
    return lambda event: [r for r in caplog.records if r.getMessage() == event]


def committed(example, envelopes: list[Envelope]) -> bool:
    """Every one of ``envelopes`` processed: its inbox row committed with the handler's work."""
    return inbox_ids(example) >= {e.id for e in envelopes}


def test_a_message_whose_handler_always_fails_is_dead_lettered_and_the_ones_behind_it_flow(
    example, example_settings, consumer_log
):
    test = PoisonTest(example, example_settings)
    poison = note_recorded("poison")
    behind = [note_recorded("cluster-west") for _ in range(BEHIND)]

    with Connection(example_settings.broker_url) as connection, Running(test.consumer.run):
        poll(test.consumer.connected.is_set, message="the consumer to subscribe")
        test.publish(connection, poison)
        for envelope in behind:
            test.publish(connection, envelope)

        poll(lambda: committed(example, behind), timeout=30,
             message="every message behind the poison to be processed")
        poll(lambda: queue_depth(connection, "example.dead") == 1, timeout=30,
             message="the poison message in example.dead")
        assert queue_depth(connection, "example.events") == 0
        [letter] = dead_letters(connection)

    limit = example_settings.delivery_limit
    # retried, not given up early: delivered once and returned `limit` times (a consumer that
    # processes in batches may run the handler twice per delivery: in the batch, then alone)
    assert len(test.poison_attempts) >= limit + 1
    assert set(test.poison_attempts) == {poison.id}
    assert poison.id not in inbox_ids(example)
    assert set(test.handled) == {e.id for e in behind}
    # and then the broker, counting the returns, dead-lettered it
    assert letter.event_id == str(poison.id)
    assert letter.reason == "delivery_limit"
    [death] = letter.headers["x-death"]
    assert (death["queue"], death["count"]) == ("example.events", 1)
    assert Envelope.from_message(letter.headers, letter.body).id == poison.id
    assert len(consumer_log("consumer.connected")) == 1, "the consumer reconnected"
    assert consumer_log("consumer.disconnected") == []


@pytest.mark.parametrize(("malformed", "reason"), [
    ("body", "body is not a valid lotse.example.v1.NoteRecorded"),
    ("headers", "missing CloudEvents attribute 'id'"),
], ids=["body-not-the-declared-protobuf", "cloudevents-headers-missing"])
def test_a_message_that_is_not_a_valid_event_goes_to_the_dead_letter_queue_at_once(
    example, example_settings, consumer_log, malformed, reason
):
    test = PoisonTest(example, example_settings)
    bad = note_recorded("cluster-ost")
    later = [note_recorded("cluster-ost") for _ in range(3)]

    with Connection(example_settings.broker_url) as connection, Running(test.consumer.run):
        poll(test.consumer.connected.is_set, message="the consumer to subscribe")
        if malformed == "body":
            test.publish(connection, bad, body=b"\xff\xff\xff\xff not protobuf")
        else:
            test.publish(connection, bad, headers={})
        for envelope in later:
            test.publish(connection, envelope)

        poll(lambda: queue_depth(connection, "example.dead") == 1, timeout=30,
             message="the malformed message in example.dead")
        poll(lambda: committed(example, later), timeout=30,
             message="the messages after it to be processed")
        assert queue_depth(connection, "example.events") == 0
        [letter] = dead_letters(connection)
        assert test.consumer.connected.is_set()

    assert letter.headers[REASON_HEADER] == reason
    assert letter.reason == reason
    # at once: dead-lettered by the consumer on its first delivery, not by the broker's count
    assert "x-death" not in letter.headers
    assert len(consumer_log("consumer.dead_lettered")) == 1
    assert bad.id not in test.handled
    assert bad.id not in inbox_ids(example)
    assert set(test.handled) == {e.id for e in later}
    assert len(consumer_log("consumer.connected")) == 1, "the consumer reconnected"
    assert consumer_log("consumer.disconnected") == []


def dead_lettered(reason: str) -> float:
    return REGISTRY.get_sample_value("lotse_dead_letters_total", {
        "service": "example", "consumer": "example", "reason": reason}) or 0.0


def test_event_types_a_publisher_invents_are_one_label_value_and_are_logged_shortened(
    example, example_settings, consumer_log
):
    """A provider's intake publishes to the county's broker with routing keys it may use, but
    chooses the CloudEvents type itself: each type it invents must not become a time series,
    nor a log line of its full length."""
    test = PoisonTest(example, example_settings)
    invented = [f"provider.{uuid.uuid4().hex}.{'x' * 3000}" for _ in range(2)]
    later = [note_recorded("cluster-ost") for _ in range(3)]
    before = dead_lettered(UNKNOWN_EVENT_TYPE)

    with Connection(example_settings.broker_url) as connection, Running(test.consumer.run):
        poll(test.consumer.connected.is_set, message="the consumer to subscribe")
        for event_type in invented:
            test.publish(connection, replace(note_recorded("cluster-ost"), type=event_type))
        for envelope in later:
            test.publish(connection, envelope)

        poll(lambda: queue_depth(connection, "example.dead") == 2, timeout=30,
             message="the messages of invented types in example.dead")
        poll(lambda: committed(example, later), timeout=30,
             message="the messages after them to be processed")
        letters = dead_letters(connection)

    assert dead_lettered(UNKNOWN_EVENT_TYPE) == before + 2
    labelled = {sample.labels["reason"] for family in metrics.dead_letters.collect()
                for sample in family.samples}
    assert labelled <= DEAD_LETTER_REASONS
    logged = consumer_log("consumer.dead_lettered")
    assert [record.reason for record in logged] == [UNKNOWN_EVENT_TYPE] * 2
    for record, letter, event_type in zip(logged, letters, invented):
        assert event_type[:SHOWN_TYPE_LENGTH] in record.detail
        assert len(record.detail) < SHOWN_TYPE_LENGTH + 100
        assert letter.headers[REASON_HEADER] == record.detail
        assert letter.event_type == event_type, "the dead letter itself is kept whole"
