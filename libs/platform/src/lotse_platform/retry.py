"""Retrying with exponential backoff (tenacity), cut short when a worker is asked to stop.

The worker's loops (relay, consumer, sealer) wait after a failure — the broker or the database is
away — ``first`` seconds, then twice as long each time, at most ``most`` seconds. The arithmetic
is tenacity's ``wait_exponential``; nothing here computes a backoff of its own.

- :func:`until_stopped` is a :class:`tenacity.Retrying` for a call that is retried as a whole:
  it waits on the worker's stop event (a stop ends the wait at once) and gives up when the event
  is set after a failed attempt, raising that attempt's exception (``reraise``), or returning
  None with ``retry_error_callback=quietly``. After a wait that a stop cut short tenacity makes
  the next attempt, so an attempt that must not start once the worker stops checks the event
  first. Log with ``after=`` (every failed attempt) or ``before_sleep=`` (only those followed by
  a wait) and :func:`log_failure`.
- :class:`Backoff` gives the same waits to a loop that must not block on them (the relay pauses
  publishing and goes on collecting confirms): it only says how long the next pause is.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import tenacity


def _wait(stop: threading.Event, seconds: float) -> None:
    stop.wait(seconds)


def until_stopped(stop: threading.Event, *, first: float, most: float,
                  retry_on: type[BaseException] | tuple[type[BaseException], ...] = Exception,
                  **options: Any) -> tenacity.Retrying:
    """Retries on ``retry_on``, waiting ``first``, ``2 × first`` … at most ``most`` seconds on
    ``stop``, until an attempt succeeds or ``stop`` is set after a failed one. ``options`` go to
    :class:`tenacity.Retrying` (``after``, ``before_sleep``, ``retry_error_callback``)."""
    return tenacity.Retrying(
        retry=tenacity.retry_if_exception_type(retry_on),
        wait=tenacity.wait_exponential(multiplier=first, max=most),
        stop=tenacity.stop_when_event_set(stop),
        sleep=lambda seconds: _wait(stop, seconds),
        reraise=True,
        **options,
    )


def quietly(_state: tenacity.RetryCallState) -> None:
    """``retry_error_callback`` of a loop: asked to stop after a failed attempt, it just ends."""
    return None


def log_failure(logger: logging.Logger, event: str,
                **extra: object) -> Callable[[tenacity.RetryCallState], None]:
    """A tenacity callback that logs ``event`` (a warning) with ``extra`` and the failed
    attempt's exception class as ``error``."""

    def log(state: tenacity.RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome is not None else None
        logger.warning(event, extra={**extra, "error": type(error).__name__})

    return log


class Backoff:
    """How long to pause after each of a run of failures: ``first``, ``2 × first`` … at most
    ``most`` seconds (tenacity's ``wait_exponential``); :meth:`reset` starts the run again."""

    def __init__(self, *, first: float, most: float) -> None:
        self._retrying = tenacity.Retrying(wait=tenacity.wait_exponential(multiplier=first,
                                                                            max=most))
        self.reset()

    def reset(self) -> None:
        self._state = tenacity.RetryCallState(self._retrying, fn=None, args=(), kwargs={})

    def failed(self) -> float:
        """One more failure: the seconds to pause before trying again."""
        pause = self._retrying.wait(self._state)
        self._state.prepare_for_next_attempt()
        return pause
