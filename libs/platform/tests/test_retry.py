"""Backoff in the worker's loops (:mod:`lotse_platform.retry`, tenacity): the waits double from
the first to the most, the right failures are retried and logged, and a stop ends the waiting at
once. The waits are recorded by a stop event that does not sleep; where a real wait must be cut
short, the test waits for the event it is about, never for time to pass."""

from __future__ import annotations

import contextlib
import logging
import threading
import time

import pytest
import sqlalchemy as sa

from lotse_example.adapters import orm
from lotse_platform import retry
from lotse_platform.audit.sealing import AuditSealer
from lotse_platform.bus import EventConsumer
from lotse_platform.bus.relay import OutboxRelay, _InFlight


class Stop(threading.Event):
    """A worker's stop event whose waits return at once and are recorded; it is set by the
    ``set_after``-th wait (never, without)."""

    def __init__(self, set_after: int | None = None) -> None:
        super().__init__()
        self.waits: list[float] = []
        self._set_after = set_after

    def wait(self, timeout: float | None = None) -> bool:
        self.waits.append(timeout)
        if self._set_after is not None and len(self.waits) >= self._set_after:
            self.set()
        return self.is_set()


def failing(error: BaseException, times: int | None = None, then: object = "done"):
    """A callable that raises ``error`` ``times`` times (always, without), then returns ``then``."""
    calls: list[int] = []

    def call(*_args):
        calls.append(1)
        if times is None or len(calls) <= times:
            raise error
        return then

    call.calls = calls
    return call


def events(caplog, name: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.getMessage() == name]


# -- the helper -------------------------------------------------------------------------------
def test_the_waits_double_from_the_first_to_the_most():
    stop = Stop()
    work = failing(ConnectionError(), times=7)

    assert retry.until_stopped(stop, first=0.5, most=10.0)(work) == "done"

    assert stop.waits == pytest.approx([0.5, 1, 2, 4, 8, 10, 10])
    assert len(work.calls) == 8


def test_asked_to_stop_after_a_failure_it_raises_that_failure_without_waiting():
    stop = Stop()
    stop.set()
    work = failing(ConnectionError("away"))

    with pytest.raises(ConnectionError, match="away"):
        retry.until_stopped(stop, first=0.5, most=10.0)(work)

    assert stop.waits == [] and len(work.calls) == 1


def test_a_loop_asked_to_stop_ends_quietly():
    stop = Stop(set_after=2)
    work = failing(ConnectionError())

    assert retry.until_stopped(stop, first=0.5, most=10.0,
                               retry_error_callback=retry.quietly)(work) is None
    # woken by the stop, tenacity tries once more: a loop's attempt checks the event first
    assert stop.waits == [0.5, 1.0] and len(work.calls) == 3


def test_only_the_named_failures_are_retried():
    stop = Stop()
    work = failing(KeyError("bug"))

    with pytest.raises(KeyError):
        retry.until_stopped(stop, first=0.2, most=5.0, retry_on=(OSError,))(work)

    assert stop.waits == [] and len(work.calls) == 1


def test_a_stop_ends_a_long_wait_at_once():
    stop = threading.Event()
    failed = threading.Event()
    outcome: list[object] = []

    def work():
        failed.set()
        raise ConnectionError

    retrying = retry.until_stopped(stop, first=600, most=600, retry_error_callback=retry.quietly)
    thread = threading.Thread(target=lambda: outcome.append(retrying(work)))
    started = time.monotonic()
    thread.start()
    assert failed.wait(10)
    stop.set()
    thread.join(10)

    assert not thread.is_alive() and outcome == [None]
    assert time.monotonic() - started < 10


def test_log_failure_names_the_event_and_the_error(caplog):
    logger = logging.getLogger("lotse.test_retry")
    stop = Stop()

    with caplog.at_level(logging.WARNING, logger=logger.name):
        retry.until_stopped(stop, first=0.1, most=1.0,
                            after=retry.log_failure(logger, "thing.failed", service="x"))(
            failing(TimeoutError(), times=2))

    [first, second] = events(caplog, "thing.failed")
    assert (first.service, first.error) == ("x", "TimeoutError")
    assert second.levelno == logging.WARNING


def test_backoff_says_how_long_to_pause_and_starts_again_on_reset():
    pauses = retry.Backoff(first=0.1, most=1.0)

    assert [pauses.failed() for _ in range(6)] == pytest.approx([0.1, 0.2, 0.4, 0.8, 1.0, 1.0])
    pauses.reset()
    assert pauses.failed() == pytest.approx(0.1)


# -- the consumer -----------------------------------------------------------------------------
def make_consumer() -> EventConsumer:
    return EventConsumer(service="example", broker_url="memory://", topology=None,
                         registry=None, handlers={}, sessions=None, tables=None)


def test_the_consumer_reconnects_after_half_a_second_doubling_to_ten(caplog):
    consumer = make_consumer()
    consumer._consume = failing(ConnectionError())
    closed: list[object] = []
    consumer._close = closed.append
    stop = Stop(set_after=8)

    with caplog.at_level(logging.WARNING, logger="lotse.consumer"):
        consumer.run(stop)

    assert stop.waits == pytest.approx([0.5, 1, 2, 4, 8, 10, 10, 10])
    # the eighth wait was cut short by the stop: no connection after it
    assert len(consumer._consume.calls) == 8 and len(closed) == 8
    assert not consumer.connected.is_set()
    logged = events(caplog, "consumer.disconnected")
    assert len(logged) == 8 and {(r.consumer, r.error) for r in logged} == {
        ("example", "ConnectionError")}


def test_the_consumer_stopped_before_it_starts_does_not_connect():
    consumer = make_consumer()
    consumer._consume = failing(ConnectionError())
    stop = Stop()
    stop.set()

    consumer.run(stop)

    assert consumer._consume.calls == [] and stop.waits == []


def test_the_consumer_asks_a_database_that_is_away_again_until_it_answers(caplog):
    consumer = make_consumer()
    stop = Stop()
    consumer._use_stop(stop)
    consumer.process = failing(sa.exc.OperationalError("SELECT 1", {}, Exception("away")),
                               times=6, then="processed")

    with caplog.at_level(logging.WARNING, logger="lotse.consumer"):
        assert consumer._process_until_database_answers(None, None) == "processed"

    assert stop.waits == pytest.approx([0.2, 0.4, 0.8, 1.6, 3.2, 5.0])
    assert {r.error for r in events(caplog, "consumer.database_unavailable")} == {
        "OperationalError"}


def test_the_consumer_stopping_while_the_database_is_away_raises_without_logging(caplog):
    consumer = make_consumer()
    stop = Stop()
    stop.set()
    consumer._use_stop(stop)
    consumer.process_batch = failing(sa.exc.InterfaceError("SELECT 1", {}, Exception("gone")))

    with caplog.at_level(logging.WARNING, logger="lotse.consumer"):
        with pytest.raises(sa.exc.InterfaceError):
            consumer._process_batch_until_database_answers("tenant", [])

    assert stop.waits == [] and events(caplog, "consumer.database_unavailable") == []


def test_a_handler_error_is_not_retried_by_the_consumer():
    consumer = make_consumer()
    stop = Stop()
    consumer._use_stop(stop)
    consumer.process = failing(ValueError("bad event"))

    with pytest.raises(ValueError):
        consumer._process_until_database_answers(None, None)

    assert stop.waits == []


# -- the sealer -------------------------------------------------------------------------------
def test_the_sealer_tries_a_failed_round_again_after_two_intervals_doubling_to_thirty(caplog):
    sealer = AuditSealer(sa.create_engine("sqlite://"), sa.table("audit_log"), service="example",
                         interval=1.0)
    sealer.seal_all = failing(sa.exc.OperationalError("SELECT 1", {}, Exception("away")))
    stop = Stop(set_after=7)

    with caplog.at_level(logging.WARNING, logger="lotse.audit"):
        sealer.run(stop)

    assert stop.waits == pytest.approx([2, 4, 8, 16, 30, 30, 30])
    assert len(sealer.seal_all.calls) == 7
    assert len(events(caplog, "audit.sealer_error")) == 7


def test_a_sealed_round_starts_the_waits_again_from_two_intervals():
    sealer = AuditSealer(sa.create_engine("sqlite://"), sa.table("audit_log"), interval=1.0)
    outcomes = iter([ConnectionError(), ConnectionError(), 0, ConnectionError(), 0])

    def seal_all():
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    sealer.seal_all = seal_all
    stop = Stop(set_after=5)

    sealer.run(stop)

    two, four, after_round, again, after_next = stop.waits
    assert (two, four, again) == pytest.approx((2, 4, 2))
    # after a round: the rest of the interval
    assert 0.5 < after_round <= 1.0 and 0.5 < after_next <= 1.0


# -- the relay --------------------------------------------------------------------------------
def make_relay() -> OutboxRelay:
    # a service of its own: the relay's metrics are the process's, and other tests read them
    return OutboxRelay(service="retry-test", engine=sa.create_engine("sqlite://"), tables=orm.platform,
                       broker_url="memory://", topology=None)


def test_the_relay_waits_for_its_database_from_half_a_second_doubling_to_ten(caplog):
    relay = make_relay()
    attempts: list[int] = []

    @contextlib.contextmanager
    def database_away(_stop):
        attempts.append(1)
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("away"))
        yield  # pragma: no cover - never reached

    relay._leadership = database_away
    stop = Stop(set_after=7)

    with caplog.at_level(logging.WARNING, logger="lotse.relay"):
        relay.run(stop)

    assert stop.waits == pytest.approx([0.5, 1, 2, 4, 8, 10, 10])
    assert len(attempts) == 7
    assert {(r.service, r.error) for r in events(caplog, "relay.error")} == {
        ("retry-test", "OperationalError")}


def test_the_relay_waits_half_a_second_again_once_it_has_led():
    relay = make_relay()
    # the lead cannot be taken twice (the database away), then it is, and leading fails twice
    taken = iter([False, False, True, True, False, True])

    @contextlib.contextmanager
    def leadership(_stop):
        if not next(taken):
            raise sa.exc.OperationalError("SELECT 1", {}, Exception("away"))
        yield lambda: None

    relay._leadership = leadership
    relay._run_as_leader = failing(ConnectionError("lost"))
    stop = Stop(set_after=6)

    relay.run(stop)

    assert stop.waits == pytest.approx([0.5, 1, 0.5, 0.5, 1, 0.5])


def test_the_relay_pauses_after_nacks_briefly_while_the_broker_takes_some(caplog):
    relay = make_relay()

    def settle(*outcomes: bool) -> None:
        for number, acked in enumerate(outcomes):
            relay._in_flight[number] = _InFlight(f"aggregate-{number}", "t", 0.0)
        relay._apply([(number, acked) for number, acked in enumerate(outcomes)])

    with caplog.at_level(logging.WARNING, logger="lotse.relay"):
        for _ in range(4):
            settle(False)  # refuses everything
        settle(True, False)  # takes some
        settle(False)
        settle(True)  # takes all: no pause
        settle(False)

    pauses = [r.retry_in for r in events(caplog, "relay.nacked")]
    assert pauses == pytest.approx([0.1, 0.2, 0.4, 0.8, 0.1, 0.2, 0.1])


def test_the_relay_pauses_while_the_broker_cannot_be_reached(caplog):
    relay = make_relay()

    with caplog.at_level(logging.WARNING, logger="lotse.relay"):
        for _ in range(7):
            relay._broker_failed(ConnectionError())
        relay._in_flight[1] = _InFlight("aggregate", "t", 0.0)
        relay._apply([(1, True)])  # a confirm round without a nack
        relay._broker_failed(ConnectionError())

    pauses = [r.retry_in for r in events(caplog, "relay.broker_unavailable")]
    assert pauses == pytest.approx([0.5, 1, 2, 4, 8, 10, 10, 0.5])
    assert relay._pause_until > time.monotonic()
