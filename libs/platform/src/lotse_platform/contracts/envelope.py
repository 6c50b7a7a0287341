"""The CloudEvents envelope of an integration event on the bus.

Attributes travel as AMQP message headers following the CloudEvents AMQP binding
(``cloudEvents:<attribute>``); the body is the protobuf-encoded event. ``tenant``,
``traceparent`` and ``sequence`` (per-aggregate order) are extension attributes.
"""

from __future__ import annotations

from typing import Any

import uuid
from dataclasses import dataclass
from datetime import datetime

from google.protobuf.message import DecodeError, Message

from .registry import EventRegistry

PREFIX = "cloudEvents:"
CONTENT_TYPE = "application/protobuf"


class ContractViolation(ValueError):
    """A message that is not a valid integration event; it can never be processed."""


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

        def attr(name: str, required: bool = True) -> Any:
            value = headers.get(f"{PREFIX}{name}")
            if value is None and required:
                raise ContractViolation(f"missing CloudEvents attribute {name!r}")
            return value

        try:
            tenant = attr("tenant", required=False)
            sequence = attr("sequence", required=False)
            return cls(
                id=uuid.UUID(str(attr("id"))),
                type=str(attr("type")),
                source=str(attr("source")),
                time=datetime.fromisoformat(str(attr("time"))),
                data=bytes(body),
                subject=attr("subject", required=False),
                tenant=uuid.UUID(str(tenant)) if tenant else None,
                traceparent=attr("traceparent", required=False),
                sequence=int(sequence) if sequence is not None else None,
                dataschema=attr("dataschema", required=False),
            )
        except ContractViolation:
            raise
        except (TypeError, ValueError) as error:
            raise ContractViolation(f"malformed CloudEvents attribute: {error}") from None

    def decode(self, registry: EventRegistry) -> Message:
        """The protobuf event; :class:`ContractViolation` when the body is not that message."""
        message_class = registry.message_class(self.type)
        if message_class is None:
            raise ContractViolation(f"unknown event type {self.type!r}")
        message = message_class()
        try:
            message.ParseFromString(self.data)
        except DecodeError:
            raise ContractViolation(
                f"body is not a valid {message_class.DESCRIPTOR.full_name}"
            ) from None
        return message
