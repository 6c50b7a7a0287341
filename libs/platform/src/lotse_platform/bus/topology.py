"""Exchanges and queues (ARCHITECTURE.md, Events).

- ``lotse.events``: durable topic exchange, routing key = event type, or ``<event type>.<suffix>``
  for an instance that publishes under its own suffix (a welfare provider's own intake:
  ``intake.case.admitted.v1.awo``; ``LOTSE_ROUTING_KEY_SUFFIX``), so that the broker's topic
  permissions can hold that instance to its own routing keys;
- ``<service>.events``: one durable quorum queue per consuming service, bound to each event type
  it handles twice: ``<type>`` and ``<type>.#`` (RabbitMQ's ``#`` matches zero or more words, so
  the first is redundant there; kombu's in-memory exchange of embedded mode needs at least one
  word for ``#``). A message matching both bindings is delivered to the queue once. The queue
  has an explicit delivery limit; a message returned more often than that is dead-lettered by
  the broker;
- ``lotse.dead``: direct exchange; ``<service>.dead`` receives the service's dead letters
  (routing key = service name).

Declaring is idempotent; every worker declares its own queue before consuming, and the relay
declares the exchanges, so no start order loses an event to an unbound exchange once a service
has run once (``lotse-<service> setup`` does it up front). An instance whose broker user
may not configure anything (``LOTSE_DECLARE_TOPOLOGY=false``) declares nothing and relies on the
county's services having declared the topology.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from kombu.connection import Connection
from kombu.entity import Exchange, Queue, binding


class TopologySettings(Protocol):
    """What :meth:`Topology.from_settings` reads (a service's settings); ``routing_key_suffix``
    and ``declare_topology`` are optional."""

    @property
    def exchange(self) -> str: ...
    @property
    def dead_letter_exchange(self) -> str: ...
    @property
    def delivery_limit(self) -> int: ...


@dataclass(frozen=True)
class Topology:
    exchange_name: str = "lotse.events"
    dead_letter_exchange_name: str = "lotse.dead"
    delivery_limit: int = 5
    #: published routing keys are ``<event type>.<routing_key_suffix>`` when set
    routing_key_suffix: str | None = None
    #: False: declare nothing (the broker user has no configure permission)
    declare: bool = True

    @classmethod
    def from_settings(cls, settings: TopologySettings) -> Topology:
        return cls(settings.exchange, settings.dead_letter_exchange, settings.delivery_limit,
                   routing_key_suffix=getattr(settings, "routing_key_suffix", None),
                   declare=getattr(settings, "declare_topology", True))

    def routing_key(self, event_type: str) -> str:
        """The routing key an event of ``event_type`` is published with by this instance."""
        return f"{event_type}.{self.routing_key_suffix}" if self.routing_key_suffix else event_type

    @staticmethod
    def binding_keys(event_type: str) -> tuple[str, str]:
        """What a consumer binds for ``event_type``: published with or without a suffix."""
        return event_type, f"{event_type}.#"

    @property
    def exchange(self) -> Exchange:
        return Exchange(self.exchange_name, type="topic", durable=True)

    @property
    def dead_letter_exchange(self) -> Exchange:
        return Exchange(self.dead_letter_exchange_name, type="direct", durable=True)

    def queue(self, service: str, event_types: list[str]) -> Queue:
        return Queue(
            f"{service}.events",
            bindings=[binding(self.exchange, routing_key=key)
                      for t in sorted(event_types) for key in self.binding_keys(t)],
            durable=True,
            queue_arguments={
                "x-queue-type": "quorum",
                "x-delivery-limit": self.delivery_limit,
                "x-dead-letter-exchange": self.dead_letter_exchange_name,
                "x-dead-letter-routing-key": service,
            },
        )

    def dead_letter_queue(self, service: str) -> Queue:
        return Queue(
            f"{service}.dead",
            exchange=self.dead_letter_exchange,
            routing_key=service,
            durable=True,
            queue_arguments={"x-queue-type": "quorum"},
        )

    def declare_exchanges(self, connection: Connection) -> None:
        if not self.declare:
            return
        channel = connection.default_channel
        self.exchange.declare(channel=channel)
        self.dead_letter_exchange.declare(channel=channel)

    def declare_service(self, connection: Connection, service: str, event_types: list[str]) -> Queue:
        channel = connection.default_channel
        queue: Queue = self.queue(service, event_types).bind(channel)
        if not self.declare:
            return queue  # declared by whoever may configure the broker
        self.declare_exchanges(connection)
        self.dead_letter_queue(service).bind(channel).declare()
        queue.declare()
        return queue
