"""The event bus on kombu: topology, publishing with confirms, the outbox relay, consumers with
an inbox, and the dead-letter tools."""

from .consumer import EventConsumer, Handler
from .relay import OutboxRelay
from .topology import Topology

__all__ = ["EventConsumer", "Handler", "OutboxRelay", "Topology"]
