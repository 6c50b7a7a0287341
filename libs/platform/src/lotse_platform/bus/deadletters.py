"""Dead letters: list, show and replay (``lotse-deadletters``).

    lotse-deadletters list   --service example
    lotse-deadletters show   --service example <event-id>
    lotse-deadletters replay --service example <event-id> [<event-id> …] | --all

Listing and showing take the messages from ``<service>.dead`` without acking them and close the
channel, which puts them back: nothing is removed by looking. Replay publishes a message (with
its original CloudEvents headers) to the service's own queue ``<service>.events`` — not to the
topic exchange, so other services do not receive it twice — waits for the broker's confirm, and
only then removes it from the dead-letter queue.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from dataclasses import dataclass

from kombu import Connection, Exchange

from ..contracts import ContractViolation, Envelope, EventRegistry
from ..contracts.envelope import PREFIX
from .consumer import REASON_HEADER
from .publisher import Outgoing, publisher_for

DEFAULT_BROKER = "amqp://guest:guest@127.0.0.1:5672//"


@dataclass
class DeadLetter:
    message: object  # the kombu message, unacked
    event_id: str
    event_type: str
    reason: str
    deaths: int
    headers: dict
    body: bytes


def _reason(headers: dict) -> str:
    if headers.get(REASON_HEADER):
        return str(headers[REASON_HEADER])
    deaths = headers.get("x-death") or []
    if deaths:
        return str(deaths[0].get("reason", "unknown"))
    return "unknown"


def fetch(connection: Connection, service: str, limit: int = 10_000) -> tuple[object, list[DeadLetter]]:
    """Take up to ``limit`` dead letters unacked; close the returned channel to put them back."""
    channel = connection.channel()
    letters = []
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
            deaths=sum(int(d.get("count", 1)) for d in headers.get("x-death") or []),
            headers=headers,
            body=bytes(message.body),
        ))
    return channel, letters


def replay(connection: Connection, service: str, event_ids: set[str] | None) -> list[str]:
    """Replay the given dead letters (all when ``event_ids`` is None); returns the replayed ids."""
    channel, letters = fetch(connection, service)
    chosen = [d for d in letters if event_ids is None or d.event_id in event_ids]
    replayed = []
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
                replayed.append(letter.event_id)
    finally:
        publisher.close()
        channel.close()  # unacked letters go back to the dead-letter queue
    return replayed


def _contracts_registry() -> EventRegistry:
    """Every generated contract module under the ``lotse`` namespace, for ``show``."""
    registry = EventRegistry()
    try:
        import lotse
    except ImportError:
        return registry
    for info in pkgutil.walk_packages(lotse.__path__, "lotse."):
        if info.name.endswith("_pb2"):
            module = importlib.import_module(info.name)
            for name in module.DESCRIPTOR.message_types_by_name:
                try:
                    registry.register(getattr(module, name))
                except ValueError:
                    continue
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

    with Connection(args.broker_url) as connection:
        connection.ensure_connection(max_retries=3)
        if args.command == "replay":
            if not args.all and not args.event_ids:
                parser.error("replay needs event ids or --all")
            done = replay(connection, args.service, None if args.all else set(args.event_ids))
            missing = set(args.event_ids) - set(done)
            for event_id in done:
                print(f"replayed {event_id}")
            for event_id in sorted(missing):
                print(f"not found: {event_id}", file=sys.stderr)
            return 1 if missing else 0
        channel, letters = fetch(connection, args.service)
        try:
            if args.command == "list":
                print(f"{len(letters)} dead letter(s) in {args.service}.dead")
                for d in letters:
                    print(f"{d.event_id}  {d.event_type}  deaths={d.deaths}  reason={d.reason}")
                return 0
            match = [d for d in letters if d.event_id == args.event_id]
            if not match:
                print(f"not found: {args.event_id}", file=sys.stderr)
                return 1
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
