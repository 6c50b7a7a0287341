"""The CloudEvents envelope of an integration event on the bus.

Attributes travel as AMQP message headers following the CloudEvents AMQP binding
(``cloudEvents:<attribute>``); the body is the protobuf-encoded event. ``tenant``,
``traceparent`` and ``sequence`` (per-aggregate order) are extension attributes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from google.protobuf.message import DecodeError, Message

from .registry import EventRegistry

PREFIX = "cloudEvents:"
CONTENT_TYPE = "application/protobuf"


#: why a message is no valid event — the ``reason`` label of ``lotse_dead_letters_total``, so a
#: closed set: whatever a publisher puts in a message, the label takes one of these values
MISSING_ATTRIBUTE = "missing_attribute"
MALFORMED_ATTRIBUTE = "malformed_attribute"
UNKNOWN_EVENT_TYPE = "unknown_event_type"
MALFORMED_BODY = "malformed_body"
NO_HANDLER = "no_handler"
REASONS = frozenset({MISSING_ATTRIBUTE, MALFORMED_ATTRIBUTE, UNKNOWN_EVENT_TYPE, MALFORMED_BODY,
                     NO_HANDLER})

#: how much of a publisher's event type a message or log line quotes
SHOWN_TYPE_LENGTH = 100


def shown_type(event_type: str) -> str:
    """An event type as a message or a log line may quote it: quoted, control characters
    escaped, cut after :data:`SHOWN_TYPE_LENGTH` characters (a publisher chooses it, and a
    provider's intake may publish to this broker)."""
    if len(event_type) <= SHOWN_TYPE_LENGTH:
        return repr(event_type)
    return f"{event_type[:SHOWN_TYPE_LENGTH]!r}… ({len(event_type)} characters)"


class ContractViolation(ValueError):
    """A message that is not a valid integration event; it can never be processed.

    ``reason`` is one of :data:`REASONS`; the message says more, quoting no attribute's value
    but a shortened event type (:func:`shown_type`)."""

    def __init__(self, reason: str, message: str) -> None:
        if reason not in REASONS:
            raise ValueError(f"not a reason of a contract violation: {reason!r}")
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Envelope:
    id: uuid.UUID
    type: str
    source: str
    time: datetime
    data: bytes
    subject: str | None = None
    tenant: uuid.UUID | None = None
    traceparent: str | None = None
    sequence: int | None = None
    dataschema: str | None = None

    def headers(self) -> dict[str, str | int]:
        headers: dict[str, str | int] = {
            f"{PREFIX}specversion": "1.0",
            f"{PREFIX}id": str(self.id),
            f"{PREFIX}type": self.type,
            f"{PREFIX}source": self.source,
            f"{PREFIX}time": self.time.isoformat(),
        }
        optional = {
            "subject": self.subject,
            "tenant": str(self.tenant) if self.tenant else None,
            "traceparent": self.traceparent,
            "sequence": self.sequence,
            "dataschema": self.dataschema,
        }
        headers.update({f"{PREFIX}{k}": v for k, v in optional.items() if v is not None})
        return headers

    @classmethod
    def from_message(cls, headers: dict[str, Any] | None, body: bytes) -> Envelope:
        headers = headers or {}

        def attr(name: str, parse: Callable[[Any], Any] = str, required: bool = True) -> Any:
            value = headers.get(f"{PREFIX}{name}")
            if value is None:
                if required:
                    raise ContractViolation(MISSING_ATTRIBUTE,
                                            f"missing CloudEvents attribute {name!r}")
                return None
            try:
                return parse(value)
            except (TypeError, ValueError):
                # the value is the publisher's: named, not quoted
                raise ContractViolation(MALFORMED_ATTRIBUTE,
                                        f"malformed CloudEvents attribute {name!r}") from None

        return cls(
            id=attr("id", lambda value: uuid.UUID(str(value))),
            type=attr("type"),
            source=attr("source"),
            time=attr("time", lambda value: datetime.fromisoformat(str(value))),
            data=bytes(body),
            subject=attr("subject", _same, required=False),
            tenant=attr("tenant", _optional_uuid, required=False),
            traceparent=attr("traceparent", _same, required=False),
            sequence=attr("sequence", int, required=False),
            dataschema=attr("dataschema", _same, required=False),
        )

    def decode(self, registry: EventRegistry) -> Message:
        """The protobuf event; :class:`ContractViolation` when the body is not that message."""
        message_class = registry.message_class(self.type)
        if message_class is None:
            raise ContractViolation(UNKNOWN_EVENT_TYPE,
                                    f"unknown event type {shown_type(self.type)}")
        message = message_class()
        try:
            message.ParseFromString(self.data)
        except DecodeError:
            raise ContractViolation(
                MALFORMED_BODY, f"body is not a valid {message_class.DESCRIPTOR.full_name}"
            ) from None
        return message


def _same(value: Any) -> Any:
    return value


def _optional_uuid(value: Any) -> uuid.UUID | None:
    return uuid.UUID(str(value)) if value else None
