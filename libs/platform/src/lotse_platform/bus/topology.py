"""Exchanges and queues (ARCHITECTURE.md, Events).

- ``lotse.events``: durable topic exchange, routing key = event type;
- ``<service>.events``: one durable quorum queue per consuming service, bound to the event types
  it handles, with an explicit delivery limit; a message returned more often than that is
  dead-lettered by the broker;
- ``lotse.dead``: direct exchange; ``<service>.dead`` receives the service's dead letters
  (routing key = service name).

Declaring is idempotent; every worker declares its own queue before consuming, and the relay
declares the exchanges, so no start order loses an event to an unbound exchange once a service
has run once (``lotse-deadletters declare`` does it up front).
"""

from __future__ import annotations

from dataclasses import dataclass

from kombu import Connection, Exchange, Queue, binding


@dataclass(frozen=True)
class Topology:
    exchange_name: str = "lotse.events"
    dead_letter_exchange_name: str = "lotse.dead"
    delivery_limit: int = 5

    @classmethod
    def from_settings(cls, settings) -> Topology:
        return cls(settings.exchange, settings.dead_letter_exchange, settings.delivery_limit)

    @property
    def exchange(self) -> Exchange:
        return Exchange(self.exchange_name, type="topic", durable=True)

    @property
    def dead_letter_exchange(self) -> Exchange:
        return Exchange(self.dead_letter_exchange_name, type="direct", durable=True)

    def queue(self, service: str, event_types: list[str]) -> Queue:
        return Queue(
            f"{service}.events",
            bindings=[binding(self.exchange, routing_key=t) for t in sorted(event_types)],
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
        channel = connection.default_channel
        self.exchange.declare(channel=channel)
        self.dead_letter_exchange.declare(channel=channel)

    def declare_service(self, connection: Connection, service: str, event_types: list[str]) -> Queue:
        self.declare_exchanges(connection)
        channel = connection.default_channel
        self.dead_letter_queue(service).bind(channel).declare()
        queue = self.queue(service, event_types).bind(channel)
        queue.declare()
        return queue
