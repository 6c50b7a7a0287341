"""Dead letters: list, show and replay (``lotse-deadletters``).

    lotse-deadletters list   --service example
    lotse-deadletters show   --service example <event-id>
    lotse-deadletters replay --service example <event-id> [<event-id> …] | --all

Listing and showing take the messages from ``<service>.dead`` without acking them and close the
channel, which puts them back: nothing is removed by looking. Replay publishes a message (with
its original CloudEvents headers) to the service's own queue ``<service>.events`` — not to the
topic exchange, so other services do not receive it twice — waits for the broker's confirm, and
only then removes it from the dead-letter queue. A letter the broker does not confirm stays.

Exit status: 0 done; 1 an event id was not found, or not replayed (it is still a dead letter);
2 usage; 3 the broker cannot be reached or the service has no such queue.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from amqp.exceptions import AMQPError, ChannelError
from kombu.connection import Connection
from kombu.entity import Exchange
from kombu.exceptions import OperationalError as KombuOperationalError

from ..contracts import ContractViolation, Envelope, EventRegistry
from ..contracts.envelope import PREFIX
from .consumer import REASON_HEADER
from .publisher import Outgoing, publisher_for

DEFAULT_BROKER = "amqp://guest:guest@127.0.0.1:5672//"
EXIT_NOT_DONE = 1
EXIT_UNAVAILABLE = 3


class Fetched(Protocol):
    """A message taken with ``basic_get`` (py-amqp's, or kombu's in-memory transport's)."""

    @property
    def delivery_tag(self) -> int: ...


class DeadLetterChannel(Protocol):
    """The channel :func:`fetch` took the dead letters on: ack one, or close to put back."""

    def basic_ack(self, delivery_tag: int) -> object: ...

    def close(self) -> object: ...


@dataclass
class DeadLetter:
    message: Fetched  # unacked
    event_id: str
    event_type: str
    reason: str
    deaths: int
    headers: dict[str, Any]  # AMQP header values
    body: bytes


def _reason(headers: dict[str, Any]) -> str:
    if headers.get(REASON_HEADER):
        return str(headers[REASON_HEADER])
    deaths = headers.get("x-death") or []
    if deaths:
        return str(deaths[0].get("reason", "unknown"))
    return "unknown"


def _deaths(headers: dict[str, Any]) -> int:
    """How often the message died: the broker counts in ``x-death``; the consumer's own
    dead-lettering (a message that is no valid event) counts once."""
    counted = sum(int(d.get("count", 1)) for d in headers.get("x-death") or [])
    return counted + (1 if headers.get(REASON_HEADER) else 0)


class QueueMissing(LookupError):
    """The service has no such queue on this broker (wrong name, or never declared)."""


def require_queue(connection: Connection, queue: str) -> None:
    """Raise :class:`QueueMissing` unless ``queue`` exists (a passive declare, on its own
    channel: the broker closes a channel that asks for a missing queue)."""
    channel = connection.channel()
    try:
        channel.queue_declare(queue, passive=True)
    except ChannelError as error:
        if getattr(error, "code", None) == 404:
            raise QueueMissing(f"no queue {queue} on this broker") from None
        raise
    finally:
        try:
            channel.close()
        except Exception:  # noqa: BLE001 - the broker closed it already
            pass


def fetch(connection: Connection, service: str,
          limit: int = 10_000) -> tuple[DeadLetterChannel, list[DeadLetter]]:
    """Take up to ``limit`` dead letters unacked; close the returned channel to put them back."""
    channel = connection.channel()
    letters: list[DeadLetter] = []
    while len(letters) < limit:
        message = channel.basic_get(f"{service}.dead", no_ack=False)
        if message is None:
            break
        headers = dict(message.headers or {})
        letters.append(DeadLetter(
            message=message,
            event_id=str(headers.get(f"{PREFIX}id", message.properties.get("message_id", "?"))),
            event_type=str(headers.get(f"{PREFIX}type", "?")),
            reason=_reason(headers),
            deaths=_deaths(headers),
            headers=headers,
            body=bytes(message.body),
        ))
    return channel, letters


@dataclass
class Replayed:
    replayed: list[str]  # confirmed by the broker, removed from the dead-letter queue
    unconfirmed: list[str]  # not confirmed: left in the dead-letter queue


def replay(connection: Connection, service: str, event_ids: set[str] | None) -> Replayed:
    """Replay the given dead letters (all when ``event_ids`` is None) to ``<service>.events``."""
    require_queue(connection, f"{service}.dead")
    # the default exchange confirms a message for a missing queue, and drops it
    require_queue(connection, f"{service}.events")
    channel, letters = fetch(connection, service)
    chosen = [d for d in letters if event_ids is None or d.event_id in event_ids]
    outcome = Replayed([], [])
    publisher = publisher_for(connection, Exchange("", type="direct"), timeout=30.0)
    try:
        for letter in chosen:
            headers = {k: v for k, v in letter.headers.items()
                       if not k.startswith("x-death") and not k.startswith("x-lotse-")
                       and not k.startswith("x-first-death") and not k.startswith("x-last-death")
                       and k != "x-delivery-count"}
            outgoing = Outgoing(letter.body, headers, f"{service}.events", letter.event_id)
            if all(publisher.publish_batch([outgoing])):
                channel.basic_ack(letter.message.delivery_tag)
                outcome.replayed.append(letter.event_id)
            else:
                outcome.unconfirmed.append(letter.event_id)
    finally:
        publisher.close()
        channel.close()  # unacked letters go back to the dead-letter queue
    return outcome


def _contracts_registry() -> EventRegistry:
    """Every generated contract module under the ``lotse`` namespace, for ``show``."""
    registry = EventRegistry()
    try:
        import lotse
    except ImportError:
        return registry
    # lotse.<service>.v1 are namespace packages (no __init__.py), which pkgutil does not walk
    for root in map(Path, lotse.__path__):
        for path in sorted(root.rglob("*_pb2.py")):
            parts = path.relative_to(root).with_suffix("").parts
            module = importlib.import_module(".".join(("lotse", *parts)))
            for name in module.DESCRIPTOR.message_types_by_name:
                try:
                    registry.register(getattr(module, name))
                except ValueError:
                    continue  # not an integration event (no event_type option)
    return registry


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lotse-deadletters", description=__doc__.split("\n\n")[0])
    parser.add_argument("--broker-url", default=os.environ.get("LOTSE_BROKER_URL", DEFAULT_BROKER))
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("list", "show", "replay"):
        sub = commands.add_parser(name)
        sub.add_argument("--service", required=True, help="the consuming service, e.g. example")
        if name == "show":
            sub.add_argument("event_id")
        if name == "replay":
            sub.add_argument("event_ids", nargs="*")
            sub.add_argument("--all", action="store_true", help="replay every dead letter")
    args = parser.parse_args(argv)
    if args.command == "replay" and not args.all and not args.event_ids:
        parser.error("replay needs event ids or --all")

    try:
        with Connection(args.broker_url, connect_timeout=10) as connection:
            # an operator's tool: say at once that the broker is not there, do not wait long
            connection.ensure_connection(max_retries=1, interval_start=1)
            return _run(args, connection)
    except QueueMissing as missing:
        print(f"lotse-deadletters: {missing} (is --service {args.service} right?)",
              file=sys.stderr)
        return EXIT_UNAVAILABLE
    except (OSError, AMQPError, KombuOperationalError) as error:
        broker = Connection(args.broker_url).as_uri()  # without the password
        print(f"lotse-deadletters: cannot reach the broker at {broker}: {error}",
              file=sys.stderr)
        return EXIT_UNAVAILABLE


def _run(args: argparse.Namespace, connection: Connection) -> int:
    if args.command == "replay":
        outcome = replay(connection, args.service, None if args.all else set(args.event_ids))
        for event_id in outcome.replayed:
            print(f"replayed {event_id}")
        if args.all and not outcome.replayed and not outcome.unconfirmed:
            print(f"no dead letters in {args.service}.dead")
        for event_id in outcome.unconfirmed:
            print(f"not replayed (the broker did not confirm; still a dead letter): {event_id}",
                  file=sys.stderr)
        missing = set(args.event_ids) - set(outcome.replayed) - set(outcome.unconfirmed)
        for event_id in sorted(missing):
            print(f"not found in {args.service}.dead: {event_id}", file=sys.stderr)
        return EXIT_NOT_DONE if missing or outcome.unconfirmed else 0
    require_queue(connection, f"{args.service}.dead")
    channel, letters = fetch(connection, args.service)
    try:
        if args.command == "list":
            print(f"{len(letters)} dead letter(s) in {args.service}.dead")
            for d in letters:
                print(f"{d.event_id}  {d.event_type}  deaths={d.deaths}  reason={d.reason}")
            return 0
        match = [d for d in letters if d.event_id == args.event_id]
        if not match:
            print(f"not found in {args.service}.dead: {args.event_id}", file=sys.stderr)
            return EXIT_NOT_DONE
        _show(match[0])
        return 0
    finally:
        channel.close()


def _show(letter: DeadLetter) -> None:
    print(f"event id:  {letter.event_id}\ntype:      {letter.event_type}\nreason:    {letter.reason}")
    for key in sorted(letter.headers):
        if key.startswith(PREFIX):
            print(f"{key}: {letter.headers[key]}")
    try:
        event = Envelope.from_message(letter.headers, letter.body).decode(_contracts_registry())
        print("body:\n" + str(event))
    except ContractViolation as violation:
        print(f"body: {len(letter.body)} bytes, not decodable ({violation})")


if __name__ == "__main__":
    sys.exit(main())
