"""``lotse-deadletters list | show | replay`` against the real broker.

Two dead letters as they arise: one the broker moved to ``example.dead`` after the delivery limit,
one the consumer put there because it was no valid event. Looking never removes a letter;
replay puts it back into the service's own queue and removes it only once the broker confirmed.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from kombu import Connection

from lotse.example.v1.events_pb2 import NoteRecorded
from lotse_platform.bus.consumer import CONSUMER_HEADER, REASON_HEADER, ROUTING_KEY_HEADER
from lotse_platform.bus.deadletters import main
from lotse_platform.contracts import Envelope, event_type_of
from lotse_platform.testing import broker_listing, poll, publish_raw, queue_depth, rabbitmqctl

pytestmark = pytest.mark.integration

NOTE_RECORDED = event_type_of(NoteRecorded)
TENANT = uuid.UUID("eeeeeeee-5555-4000-8000-00000000000e")


def note_recorded(area: str) -> Envelope:
    event = NoteRecorded(note_id=str(uuid.uuid4()), area_id=area, author_id="user-7", length=9)
    return Envelope(id=uuid.uuid4(), type=NOTE_RECORDED, source="/lotse/example",
                    time=datetime.now(UTC), data=event.SerializeToString(), tenant=TENANT)


def dead_by_delivery_limit(connection, settings, envelope: Envelope) -> None:
    """Publish ``envelope`` and return it to the queue until the broker dead-letters it."""
    publish_raw(connection, settings.exchange, envelope.type, envelope.data, envelope.headers(),
                message_id=str(envelope.id))
    channel = connection.channel()
    try:
        for _ in range(settings.delivery_limit + 1):
            message = poll(lambda: channel.basic_get("example.events", no_ack=False),
                           message="the event in example.events")
            channel.basic_reject(message.delivery_tag, requeue=True)
    finally:
        channel.close()


def dead_by_the_consumer(connection, settings, envelope: Envelope, reason: str) -> None:
    """What the consumer does with a message that is no valid event."""
    headers = {**envelope.headers(), REASON_HEADER: reason, CONSUMER_HEADER: "example",
               ROUTING_KEY_HEADER: envelope.type}
    publish_raw(connection, settings.dead_letter_exchange, "example", b"\xff\xfe broken",
                headers, message_id=str(envelope.id))


@pytest.fixture
def letters(bus_example):
    """Two dead letters in example.dead: (by delivery limit, by the consumer)."""
    settings = bus_example.settings
    failed, malformed = note_recorded("area-dl"), note_recorded("area-bad")
    with Connection(settings.broker_url) as connection:
        dead_by_delivery_limit(connection, settings, failed)
        dead_by_the_consumer(connection, settings, malformed,
                             "body is not a valid lotse.example.v1.NoteRecorded")
        poll(lambda: queue_depth(connection, "example.dead") == 2, message="two dead letters")
    return failed, malformed


@pytest.fixture
def cli(capsys, broker_url):
    def run(*argv: str) -> tuple[int, str, str]:
        code = main(["--broker-url", broker_url, *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def depth(broker_url: str, queue: str) -> int:
    with Connection(broker_url) as connection:
        return queue_depth(connection, queue)


def settles_at(broker_url: str, queue: str, expected: int) -> bool:
    """The queue holds ``expected`` ready messages, once the broker has put back what a closed
    channel left unacked (a quorum queue returns them asynchronously)."""
    seen: list[int] = []
    try:
        poll(lambda: seen.append(depth(broker_url, queue)) or seen[-1] == expected,
             timeout=10, message=f"{queue} to hold {expected}")
    except AssertionError:
        raise AssertionError(f"{queue} holds {seen[-1]}, not {expected}") from None
    return True


# -- list and show -------------------------------------------------------------------------------

def test_list_shows_id_type_reason_and_death_count_of_every_dead_letter(cli, letters):
    failed, malformed = letters

    code, out, err = cli("list", "--service", "example")

    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "2 dead letter(s) in example.dead"
    assert sorted(lines[1:]) == sorted([
        f"{failed.id}  {NOTE_RECORDED}  deaths=1  reason=delivery_limit",
        f"{malformed.id}  {NOTE_RECORDED}  deaths=1  "
        "reason=body is not a valid lotse.example.v1.NoteRecorded",
    ])


def test_listing_removes_nothing_however_often_it_is_done(cli, letters, broker_url):
    for _ in range(3):
        assert cli("list", "--service", "example")[0] == 0

    assert settles_at(broker_url, "example.dead", 2)


def test_show_prints_one_dead_letter_with_its_headers_and_decoded_body(cli, letters, broker_url):
    failed, _ = letters

    code, out, _ = cli("show", "--service", "example", str(failed.id))

    assert code == 0
    assert f"event id:  {failed.id}" in out
    assert f"type:      {NOTE_RECORDED}" in out
    assert "reason:    delivery_limit" in out
    assert f"cloudEvents:tenant: {TENANT}" in out
    assert 'area_id: "area-dl"' in out
    assert settles_at(broker_url, "example.dead", 2)


def test_show_of_an_undecodable_letter_says_so_instead_of_failing(cli, letters):
    _, malformed = letters

    code, out, _ = cli("show", "--service", "example", str(malformed.id))

    assert code == 0
    assert "not decodable" in out


def test_show_of_an_unknown_id_says_so_with_status_1(cli, letters):
    unknown = uuid.uuid4()

    code, out, err = cli("show", "--service", "example", str(unknown))

    assert code == 1
    assert err == f"not found in example.dead: {unknown}\n"


# -- replay --------------------------------------------------------------------------------------

def test_replay_puts_the_event_back_into_the_services_own_queue_and_removes_the_dead_letter(
    cli, letters, broker_url
):
    failed, malformed = letters

    code, out, err = cli("replay", "--service", "example", str(failed.id))

    assert (code, out, err) == (0, f"replayed {failed.id}\n", "")
    assert settles_at(broker_url, "example.dead", 1)
    with Connection(broker_url) as connection:
        channel = connection.channel()
        message = channel.basic_get("example.events", no_ack=True)
        remaining = channel.basic_get("example.dead", no_ack=False)
        channel.close()
    replayed = Envelope.from_message(message.headers, message.body)
    assert (replayed.id, replayed.type, replayed.tenant) == (failed.id, NOTE_RECORDED, TENANT)
    assert replayed.data == failed.data
    assert not any(key.startswith(("x-death", "x-lotse-")) for key in message.headers)
    assert remaining.headers["cloudEvents:id"] == str(malformed.id)


def test_replay_sends_only_to_the_service_not_to_every_subscriber_of_the_event(
    cli, letters, broker_url
):
    failed, _ = letters
    with Connection(broker_url) as connection:
        channel = connection.channel()
        channel.queue_declare("other-service.events", durable=True, auto_delete=True)
        channel.queue_bind("other-service.events", "lotse.events", NOTE_RECORDED)
        try:
            assert cli("replay", "--service", "example", str(failed.id))[0] == 0
            assert settles_at(broker_url, "example.events", 1)
            assert queue_depth(connection, "other-service.events") == 0
        finally:
            channel.queue_delete("other-service.events")
            channel.close()


def test_replay_of_an_unknown_id_says_so_with_status_1_and_touches_nothing(
    cli, letters, broker_url
):
    failed, _ = letters
    unknown = uuid.uuid4()

    code, out, err = cli("replay", "--service", "example", str(unknown), str(failed.id))

    assert code == 1
    assert out == f"replayed {failed.id}\n"
    assert err == f"not found in example.dead: {unknown}\n"
    assert settles_at(broker_url, "example.dead", 1)


def test_replay_all_empties_the_dead_letter_queue(cli, letters, broker_url):
    code, out, _ = cli("replay", "--service", "example", "--all")

    assert code == 0
    assert sorted(out.splitlines()) == sorted(f"replayed {e.id}" for e in letters)
    assert settles_at(broker_url, "example.dead", 0)
    assert settles_at(broker_url, "example.events", 2)


def test_a_replay_the_broker_refuses_leaves_the_dead_letter_where_it_was(
    cli, letters, broker_url, broker_vhost
):
    failed, _ = letters
    # a full queue that rejects publishes: the broker answers the replay with a nack (a quorum
    # queue refuses once it is over its length, so it gets one message first)
    with Connection(broker_url) as connection:
        publish_raw(connection, "", "example.events", b"filler")
    rabbitmqctl("set_policy", "-p", broker_vhost, "--apply-to", "queues", "full",
                r"^example\.events$", '{"max-length": 0, "overflow": "reject-publish"}')
    try:
        poll(lambda: {"name": "example.events", "policy": "full"} in broker_listing(
            "queues", broker_vhost, "name", "policy"), message="the policy to apply")

        code, _, err = cli("replay", "--service", "example", str(failed.id))
    finally:
        rabbitmqctl("clear_policy", "-p", broker_vhost, "full")

    assert code == 1
    assert err == ("not replayed (the broker did not confirm; still a dead letter): "
                   f"{failed.id}\n")
    assert settles_at(broker_url, "example.dead", 2)
    assert settles_at(broker_url, "example.events", 1)


# -- clear errors --------------------------------------------------------------------------------

def test_an_unknown_service_is_one_clear_line_with_status_3(cli, letters):
    code, out, err = cli("list", "--service", "exampel")

    assert code == 3
    assert err == ("lotse-deadletters: no queue exampel.dead on this broker "
                   "(is --service exampel right?)\n")


def test_replay_refuses_when_the_services_queue_is_missing_and_keeps_the_letter(
    cli, bus_example, broker_url
):
    # a dead-letter queue without its service queue: a replay would be confirmed and dropped
    with Connection(broker_url) as connection:
        bus_example.topology.dead_letter_queue("ghost").bind(connection.default_channel).declare()
        envelope = note_recorded("area-ghost")
        publish_raw(connection, bus_example.settings.dead_letter_exchange, "ghost",
                    envelope.data, envelope.headers(), message_id=str(envelope.id))

        code, _, err = cli("replay", "--service", "ghost", "--all")

        assert code == 3
        assert err.startswith("lotse-deadletters: no queue ghost.events on this broker")
        assert settles_at(broker_url, "ghost.dead", 1)
        connection.default_channel.queue_delete("ghost.dead")


def test_an_unreachable_broker_is_one_clear_line_with_status_3_and_no_password(capsys):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]

    code = main(["--broker-url", f"amqp://guest:s3cret@127.0.0.1:{closed_port}//",
                 "list", "--service", "example"])
    err = capsys.readouterr().err

    assert code == 3
    assert err.startswith("lotse-deadletters: cannot reach the broker at "
                          f"amqp://guest:**@127.0.0.1:{closed_port}")
    assert err.count("\n") == 1
    assert "s3cret" not in err


def test_the_installed_command_lists_dead_letters(letters, broker_url):
    command = Path(sys.executable).parent / "lotse-deadletters"

    result = subprocess.run([str(command), "--broker-url", broker_url, "list",
                             "--service", "example"], capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("2 dead letter(s) in example.dead")
