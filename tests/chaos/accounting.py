"""Counting after the drills: the APIs' own records (each service's database) against what
arrived (the test queue, the consumers' inboxes and effects), and the answers the load got.

Every figure is attributed to the drill whose window holds it: an event by the time it was
written (``outbox.occurred_at``), an answer by the time it came. The figures:

- ``lost``: events in an outbox that never reached the test queue, or (for the events a service
  consumes) never took effect there (no inbox row, no case for an admission), or stayed unsent;
  writes answered 201 whose record is missing. Must be 0.
- ``doubled``: effects applied twice — a tally counting more notes than its area has, a case
  opened twice for one intake (``casework.case.opened.v1`` twice). Must be 0.
- answers: 2xx, 4xx, ``500`` (never allowed), 503 with and without ``Retry-After`` (only the
  first allowed), other 5xx, and requests without any HTTP answer (the process serving them was
  killed: the connection was reset or refused).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from kombu import Connection

from lotse_platform.testing import poll

from .cluster import DrillPlatform
from .load import Answer, Load
from .observer import Observer

#: event type -> (the consuming service): the events whose effect is checked at a consumer
CONSUMED = {"example.note.recorded.v1": "example", "intake.case.admitted.v1": "casework",
            "intake.consent.given.v1": "casework"}


@dataclass
class Event:
    id: str
    type: str
    service: str
    aggregate: str
    occurred: float  # epoch seconds
    published: bool


@dataclass
class Records:
    """What the databases and the test queue hold once the flow has settled."""

    events: list[Event]
    inboxes: dict[str, dict[str, float]]  # service -> event id -> processed (epoch s)
    notes: dict[str, str]  # note id -> area
    tallies: dict[str, int]  # area -> count
    intakes: set[str]
    cases: dict[str, float]  # intake id -> opened (epoch s)
    awaiting: set[str]  # intake ids waiting for a handover consent
    contacts: set[str]
    dead_letters: dict[str, int]
    observed: dict[str, float]
    deliveries: Counter[str]


def _epoch(value: datetime | None) -> float:
    return value.timestamp() if value is not None else 0.0


def _rows(platform: DrillPlatform, service: str, sql: str) -> list[Any]:
    with platform.engine(service).connect() as connection:
        return list(connection.execute(sa.text(sql)).all())


def read_records(platform: DrillPlatform, observer: Observer) -> Records:
    events = []
    for service in ("intake", "casework", "example"):
        for row in _rows(platform, service, "SELECT event_id, event_type, aggregate_id, "
                                            "occurred_at, published_at FROM outbox"):
            events.append(Event(str(row.event_id), row.event_type, service, row.aggregate_id,
                                _epoch(row.occurred_at), row.published_at is not None))
    inboxes = {service: {str(r.event_id): _epoch(r.processed_at) for r in _rows(
        platform, service, "SELECT event_id, processed_at FROM inbox")}
        for service in ("casework", "example")}
    with Connection(platform.rabbit.url) as connection:
        channel = connection.default_channel
        dead = {f"{s}.dead": channel.queue_declare(f"{s}.dead", passive=True).message_count
                for s in ("casework", "example")}
    return Records(
        events=events, inboxes=inboxes,
        notes={str(r.id): r.area_id for r in _rows(platform, "example",
                                                  "SELECT id, area_id FROM notes")},
        tallies={r.area_id: r.notes for r in _rows(platform, "example",
                                                  "SELECT area_id, notes FROM area_tallies")},
        intakes={str(r.id) for r in _rows(platform, "intake", "SELECT id FROM intakes")},
        cases={r.intake_id: _epoch(r.opened_at) for r in _rows(
            platform, "casework", "SELECT intake_id, opened_at FROM cases")},
        awaiting={r.intake_id for r in _rows(platform, "casework",
                                            "SELECT intake_id FROM awaiting_handovers")},
        contacts={str(r.id) for r in _rows(platform, "casework", "SELECT id FROM contacts")},
        dead_letters=dead, observed=dict(observer.first_seen),
        deliveries=Counter(observer.deliveries))


def admitted_intakes(platform: DrillPlatform) -> dict[str, str]:
    """event id of each ``intake.case.admitted.v1`` -> its intake id (the aggregate)."""
    return {str(r.event_id): r.aggregate_id for r in _rows(
        platform, "intake", "SELECT event_id, aggregate_id FROM outbox "
                            "WHERE event_type = 'intake.case.admitted.v1'")}


def flowing(platform: DrillPlatform, since: float) -> bool:
    """Events written after ``since`` (epoch s) take effect again: a note tallied by example's
    consumer and an admission opened as a case by casework's."""
    at = datetime.fromtimestamp(since, UTC)
    with platform.engine("example").connect() as connection:
        tallied = connection.execute(sa.text(
            "SELECT 1 FROM outbox o JOIN inbox i USING (event_id) "
            "WHERE o.occurred_at > :at LIMIT 1"), {"at": at}).first()
    if tallied is None:
        return False
    with platform.engine("intake").connect() as connection:
        admitted = connection.execute(sa.text(
            "SELECT aggregate_id FROM outbox WHERE event_type = 'intake.case.admitted.v1' "
            "AND occurred_at > :at"), {"at": at}).scalars().all()
    if not admitted:
        return False
    with platform.engine("casework").connect() as connection:
        return connection.execute(sa.text(
            "SELECT 1 FROM cases WHERE intake_id = ANY(:ids) LIMIT 1"),
            {"ids": list(admitted)}).first() is not None


def wait_for_flow(platform: DrillPlatform, since: float, timeout: float) -> None:
    def answered() -> bool:
        try:
            return flowing(platform, since)
        except sa.exc.OperationalError:
            return False  # the database is not back yet

    poll(answered, timeout=timeout, interval=0.25,
         message="events written after the fault to take effect at their consumers")


def settled(platform: DrillPlatform, observer: Observer) -> bool:
    """Every event sent, in the test queue, and taken effect at its consumer."""
    records = read_records(platform, observer)
    return not missing(records, admitted_intakes(platform))


def missing(records: Records, admitted: dict[str, str]) -> list[tuple[Event, str]]:
    """Each event not (yet) where it belongs, with where it is missing."""
    found = []
    for event in records.events:
        if not event.published:
            found.append((event, "unsent"))
        elif event.id not in records.observed:
            found.append((event, "not in the test queue"))
        elif event.type in CONSUMED and event.id not in records.inboxes[CONSUMED[event.type]]:
            found.append((event, f"not processed by {CONSUMED[event.type]}"))
        elif event.type == "intake.case.admitted.v1":
            intake = admitted.get(event.id, event.aggregate)
            if intake not in records.cases and intake not in records.awaiting:
                found.append((event, "no case opened"))
    return found


def wait_until_settled(platform: DrillPlatform, observer: Observer, timeout: float) -> bool:
    try:
        poll(lambda: settled(platform, observer), timeout=timeout, interval=0.5,
             message="every event to be sent, observed and consumed")
        return True
    except AssertionError:
        return False


@dataclass
class Window:
    """One drill: what was done, when, and what it was measured to have caused."""

    kind: str
    target: str
    started: float  # epoch s, the fault injected
    ended: float = 0.0  # epoch s, the next drill's start (or the end of the run)
    restored: float | None = None  # epoch s, the dependency back (dependency drills)
    takeover_s: float | None = None
    figures: dict[str, Any] = field(default_factory=dict)

    def holds(self, t: float) -> bool:
        return self.started <= t < self.ended


def classify(answers: list[Answer]) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for answer in answers:
        if answer.status == 0:
            counts["no_answer"] += 1
        elif answer.status < 300:
            counts["2xx"] += 1
        elif answer.status < 500:
            counts["4xx"] += 1
        elif answer.status == 500:
            counts["500"] += 1
        elif answer.status == 503:
            counts["503_with_retry_after" if answer.retry_after else
                   "503_without_retry_after"] += 1
        else:
            counts["other_5xx"] += 1
    return {key: counts.get(key, 0) for key in (
        "2xx", "4xx", "500", "503_with_retry_after", "503_without_retry_after", "other_5xx",
        "no_answer")}


def writes_resumed(answers: list[Answer], started: float) -> float:
    """Seconds from ``started`` until every stream's writes succeeded again: per service, the
    end of its first 2xx write begun after its last failed one (0 when none failed)."""
    worst = 0.0
    for service in {a.service for a in answers}:
        writes = sorted((a for a in answers if a.service == service
                         and not a.route.startswith("GET")), key=lambda a: a.started)
        failed = [a for a in writes if a.status == 0 or a.status >= 500]
        if not failed:
            continue
        last_failure = failed[-1].started
        after = [a for a in writes if a.started > last_failure and 200 <= a.status < 300]
        if after:
            worst = max(worst, after[0].ended - started)
        else:
            worst = max(worst, failed[-1].ended - started)
    return round(worst, 2)


def flow_resumed(records: Records, admitted: dict[str, str], started: float,
                 ended: float) -> dict[str, float]:
    """Per stream, seconds from ``started`` until the first event written after it (and before
    ``ended``) took effect at its consumer: a note tallied by example, an admission opened as a
    case by casework (which fetches the handover package from intake's API first)."""
    found = {}
    for stream, event_type, effect in (
            ("notes", "example.note.recorded.v1", lambda e: records.inboxes["example"].get(e.id)),
            ("admissions", "intake.case.admitted.v1",
             lambda e: records.cases.get(admitted.get(e.id, "")))):
        times = [t for e in records.events if e.type == event_type
                 and started <= e.occurred < ended and (t := effect(e))]
        if times:
            found[stream] = round(min(times) - started, 2)
    return found


def account(windows: list[Window], load: Load, records: Records,
            admitted: dict[str, str]) -> dict[str, Any]:
    """Fill each window's figures; return the run's totals."""
    lost = missing(records, admitted)
    lost_ids = {event.id for event, _ in lost}
    doubled = _doubled(records)
    accepted = load.accepted
    unrecorded = ([("note", i) for i in accepted.notes if i not in records.notes]
                  + [("intake", i) for i in accepted.intakes if i not in records.intakes]
                  + [("contact", i) for i in accepted.contacts if i not in records.contacts])
    for window in windows:
        in_window = [e for e in records.events if window.holds(e.occurred)]
        # an answer by when it came: a request begun just before a fault is answered by it
        answers = [a for a in load.answers if window.holds(a.ended)]
        window.figures = {
            "events_written": len(in_window),
            "lost": sum(1 for e in in_window if e.id in lost_ids),
            "doubled": sum(1 for e in in_window if e.id in doubled),
            "answers": classify(answers),
            "writes_resumed_s": writes_resumed(answers, window.started),
        }
        for stream, seconds in flow_resumed(records, admitted, window.started,
                                            window.ended).items():
            window.figures[f"{stream}_flowing_again_s"] = seconds
        if window.restored is not None:
            window.figures["dependency_down_s"] = round(window.restored - window.started, 2)
        if window.takeover_s is not None:
            window.figures["takeover_s"] = round(window.takeover_s, 2)
    tally_excess = sum(max(0, records.tallies.get(area, 0) - count)
                       for area, count in Counter(records.notes.values()).items())
    return {
        "events_written": len(records.events),
        "events_by_type": dict(Counter(e.type for e in records.events)),
        "lost": len(lost),
        "lost_detail": [{"event_id": e.id, "type": e.type, "where": where}
                        for e, where in lost[:50]],
        "doubled": len(doubled) + tally_excess,
        "tally_excess": tally_excess,
        "redelivered_to_test_queue": sum(n - 1 for n in records.deliveries.values() if n > 1),
        "dead_lettered": records.dead_letters,
        "acknowledged_writes_missing": len(unrecorded),
        "acknowledged_writes": {"notes": len(accepted.notes), "intakes": len(accepted.intakes),
                                "admissions": len(accepted.admitted),
                                "contacts": len(accepted.contacts)},
        "answers": classify(load.answers),
        "no_answer_by_error": dict(Counter(f"{a.service} {a.error}" for a in load.answers
                                           if a.status == 0)),
        "server_errors": [
            {"service": a.service, "route": a.route, "status": a.status,
             "retry_after": a.retry_after, "body": a.body[:300].decode(errors="replace")}
            for a in load.answers if a.status == 500 or (a.status >= 500 and not (
                a.status == 503 and a.retry_after))][:20],
    }


def _doubled(records: Records) -> set[str]:
    """Ids of events whose effect was applied twice: a second ``casework.case.opened.v1`` for
    one case (every one of that case's openings counts)."""
    opened = Counter(e.aggregate for e in records.events if e.type == "casework.case.opened.v1")
    return {e.id for e in records.events
            if e.type == "casework.case.opened.v1" and opened[e.aggregate] > 1}


def dumps(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False)
