"""The demo county's submitted 2-week reports, in the background of ``make run`` (ADR 0102).

The reports' pre-filled figures come from reporting's projections of the history's events, and
those events reach reporting only once the embedded platform's relays and consumers run, after
seeding. So a new data directory gets a plan file (``demo-reports.json``: the day the history
was planned on) when its services are seeded with the history, and after the workers start a
thread waits — with a deadline, checking the stop event — until reporting's inbox holds every
event the other services' outboxes hold of the types it consumes, then has reporting submit the
case managers' reports of the past periods through its own use cases, and marks the plan done.

A restart finds the plan done and does nothing; one that finds it not done (stopped before the
end) waits and submits again what is missing — a submitted report is skipped.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

log = logging.getLogger("lotse.embedded")

PLAN_FILE = "demo-reports.json"
#: how long the thread waits for reporting to catch up with the history's events
CATCH_UP_TIMEOUT = 900.0
POLL_INTERVAL = 1.0
_CHUNK = 500


def seeds_reports(service: Any) -> bool:
    """Whether ``service`` submits the demo's 2-week reports (reporting)."""
    return callable(getattr(service, "seed_period_reports", None))


def plan(data_dir: Path, planned_on: date) -> None:
    """Note that this data directory's reports are still to be submitted (its history was
    planned on ``planned_on``)."""
    _write(data_dir / PLAN_FILE, {"planned_on": planned_on.isoformat(), "done": False})


def pending_plan(data_dir: Path) -> date | None:
    """The day of the history whose reports are still to be submitted, or None."""
    path = data_dir / PLAN_FILE
    if not path.exists():
        return None
    try:
        content = json.loads(path.read_text())
        return None if content.get("done") else date.fromisoformat(content["planned_on"])
    except (ValueError, KeyError, TypeError, AttributeError):
        log.warning("embedded.demo_reports_plan_unreadable", extra={"file": str(path)})
        return None


def _write(path: Path, content: dict[str, Any]) -> None:
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(content))
    partial.replace(path)


def events_for(consumer: Any, producers: Iterable[Any]) -> set[uuid.UUID]:
    """The ids of the events in the producers' outboxes of the types ``consumer`` consumes."""
    types = sorted(consumer.consumed_events())
    found: set[uuid.UUID] = set()
    for producer in producers:
        outbox = producer.tables.outbox
        with producer.engine.connect() as connection:
            found.update(connection.execute(
                sa.select(outbox.c.event_id).where(outbox.c.event_type.in_(types))).scalars())
    return found


def not_consumed(consumer: Any, event_ids: set[uuid.UUID]) -> set[uuid.UUID]:
    """Those of ``event_ids`` that ``consumer``'s inbox does not hold yet (not yet handled)."""
    inbox = consumer.tables.inbox
    ids = sorted(event_ids)
    seen: set[uuid.UUID] = set()
    with consumer.engine.connect() as connection:
        for start in range(0, len(ids), _CHUNK):
            seen.update(connection.execute(
                sa.select(inbox.c.event_id).where(
                    inbox.c.consumer == consumer.consumer_name,
                    inbox.c.event_id.in_(ids[start:start + _CHUNK]))).scalars())
    return event_ids - seen


def wait_until_consumed(consumer: Any, producers: Sequence[Any], stop: threading.Event, *,
                        timeout: float = CATCH_UP_TIMEOUT) -> int:
    """Wait until ``consumer`` has handled every event the producers hold for it, those that
    handling events adds to their outboxes meanwhile included; returns how many it had not
    handled when the deadline passed or ``stop`` was set (0: caught up)."""
    deadline = time.monotonic() + timeout
    handled: set[uuid.UUID] = set()
    while True:
        candidates = events_for(consumer, producers) - handled
        waiting = not_consumed(consumer, candidates)
        handled |= candidates - waiting
        if not waiting:
            return 0
        while waiting and not stop.is_set() and time.monotonic() < deadline:
            stop.wait(POLL_INTERVAL)
            still = not_consumed(consumer, waiting)
            handled |= waiting - still
            waiting = still
        if waiting:
            return len(waiting)


def submit_reports(data_dir: Path, reporting: Any, producers: Sequence[Any], county: Any,
                   stop: threading.Event, *, timeout: float = CATCH_UP_TIMEOUT) -> int | None:
    """Wait for the history's events in reporting, then submit the plan's reports; returns how
    many were submitted, None when there was no plan or it was stopped or timed out first."""
    planned_on = pending_plan(data_dir)
    if planned_on is None:
        return None
    started = time.monotonic()
    log.info("embedded.demo_reports_waiting",
             extra={"reason": "the history's events are being projected by reporting"})
    missing = wait_until_consumed(reporting, producers, stop, timeout=timeout)
    if stop.is_set():
        return None
    if missing:
        log.warning("embedded.demo_reports_not_caught_up",
                    extra={"events_missing": missing, "timeout_s": timeout,
                           "reason": "2-week reports not submitted; the next start tries again"})
        return None
    log.info("embedded.demo_reports_submitting",
             extra={"waited_s": round(time.monotonic() - started, 1)})
    submitted = reporting.seed_period_reports(county, planned_on, stop)
    if stop.is_set():
        return None
    _write(data_dir / PLAN_FILE, {"planned_on": planned_on.isoformat(), "done": True})
    log.info("embedded.demo_reports_done",
             extra={"submitted": submitted, "duration_s": round(time.monotonic() - started, 1)})
    return submitted
