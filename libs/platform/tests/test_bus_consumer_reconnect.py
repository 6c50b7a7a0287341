"""The consumer's reconnect waits: 0.5 s, 1 s … 10 s while the broker stays away, and a run that
starts again once a connection worked — after a broker restart the consumer is back within a
second, not after the longest wait of an earlier outage (found by the fault drills, ADR 0070)."""

from __future__ import annotations

import threading

from lotse_example.adapters import orm
from lotse_example.bootstrap import bootstrap
from lotse_example.settings import ExampleSettings
from lotse_platform.bus import EventConsumer


class CountingStop(threading.Event):
    """A stop event that records each wait instead of waiting, and is set after ``waits``."""

    def __init__(self, waits: int) -> None:
        super().__init__()
        self.waited: list[float | None] = []
        self._limit = waits

    def wait(self, timeout: float | None = None) -> bool:
        self.waited.append(timeout)
        if len(self.waited) >= self._limit:
            self.set()
        return self.is_set()


def test_a_connection_that_worked_starts_the_waits_again():
    example = bootstrap(ExampleSettings(database_url="sqlite://", mode="embedded"))
    consumer = EventConsumer(service="example", broker_url="memory://",
                             topology=example.topology, registry=example.registry, handlers={},
                             sessions=None, tables=orm.platform)
    # four refused connections, one that consumed and then broke, two refused again
    script = iter([False, False, False, False, True, False, False])

    def connect_and_consume(stop: threading.Event) -> None:
        consumer._had_connected = next(script)
        raise ConnectionError("broker away")

    consumer._connect_and_consume = connect_and_consume  # the broker, scripted
    stop = CountingStop(waits=7)
    consumer.run(stop)

    assert stop.waited == [0.5, 1.0, 2.0, 4.0, 0.5, 1.0, 2.0]
