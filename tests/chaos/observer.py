"""A test queue bound to every event: what the broker delivered, counted independently of the
services' consumers.

``chaos.observer`` is a quorum queue (durable, as the services' queues) bound to the events
exchange with ``#``, declared before the load starts, so every event a relay publishes and the
broker confirms is in it. A thread consumes it with manual acks and records each event id with
the time it first arrived and how often it came; it reconnects on its own when the broker goes
away (the queue and its messages outlive a restart).
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections import Counter

from kombu import Connection, Exchange, Queue

log = logging.getLogger("lotse.chaos")

QUEUE = "chaos.observer"


class Observer:
    def __init__(self, broker_url: str, exchange: str = "lotse.events") -> None:
        self._url = broker_url
        self._queue = Queue(QUEUE, Exchange(exchange, type="topic", durable=True),
                            routing_key="#", durable=True,
                            queue_arguments={"x-queue-type": "quorum"})
        self.first_seen: dict[str, float] = {}  # event id -> time.time() of its first arrival
        self.deliveries: Counter[str] = Counter()
        self.types: dict[str, str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="observer", daemon=True)

    def declare(self) -> None:
        with Connection(self._url) as connection:
            connection.ensure_connection(max_retries=3)
            self._queue(connection.default_channel).declare()

    def start(self) -> None:
        self.declare()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._consume()
            except Exception as error:  # noqa: BLE001 - broker away: connect again shortly
                log.info("observer.reconnect %s", type(error).__name__)
                self._stop.wait(0.5)

    def _on_message(self, message) -> None:
        event_id = message.properties.get("message_id") or (message.headers or {}).get("ce-id")
        if event_id not in self.first_seen:
            self.first_seen[event_id] = time.time()
            self.types[event_id] = message.delivery_info.get("routing_key", "")
        self.deliveries[event_id] += 1
        message.ack()

    def _consume(self) -> None:
        with Connection(self._url, heartbeat=10, connect_timeout=3) as connection:
            connection.ensure_connection(max_retries=1)
            # on_message: the body stays bytes (kombu would try to decode it by content type)
            with connection.Consumer([self._queue], on_message=self._on_message,
                                     prefetch_count=500):
                while not self._stop.is_set():
                    try:
                        connection.drain_events(timeout=0.5)
                    except socket.timeout:
                        connection.heartbeat_check()
