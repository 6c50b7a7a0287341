"""The outbox row of an integration event: what ``uow.publish`` writes in a change's transaction
and the relay sends (ADR 0003). Built here once, for the unit of work and for the platform's own
publishers (the audit checkpoint writer)."""

from __future__ import annotations

import uuid
from typing import Any

from google.protobuf.message import Message

from .. import clock

from .registry import event_type_of

_EVENT_TYPES: dict[type[Message], str] = {}


def cached_event_type(event: Message) -> str:
    """The event's type from its contract (read from the descriptor once per message class)."""
    try:
        return _EVENT_TYPES[type(event)]
    except KeyError:
        found = _EVENT_TYPES[type(event)] = event_type_of(event)
        return found


def outbox_row(event: Message, *, source: str, aggregate_id: object,
               tenant_id: uuid.UUID | None, sequence: int | None = None,
               subject: str | None = None, traceparent: str | None = None) -> dict[str, Any]:
    """The columns of ``event``'s outbox row, with a new event id (``row["event_id"]``)."""
    return {
        "event_id": uuid.uuid4(),
        "event_type": cached_event_type(event),
        "source": source,
        "aggregate_id": str(aggregate_id),
        "sequence": sequence,
        "tenant_id": tenant_id,
        "subject": subject if subject is not None else str(aggregate_id),
        # taken now, in the transaction: the consumer's lag is measured from here. The platform's
        # clock: an event of the replayed demo history happened on its day (ADR 0093)
        "occurred_at": clock.now(),
        "traceparent": traceparent,
        "payload": event.SerializeToString(),
    }
