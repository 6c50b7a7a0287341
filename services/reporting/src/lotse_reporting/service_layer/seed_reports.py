"""The demo county's 2-week reports of its year of history (ADR 0102), through the use cases.

Each case manager of the county reads her report of each past period of the year (its figures
pre-filled from the projections of the history's events), saves it — most as they are, some
with a corrected figure and its note, with a few topics (structural problems, some flagged as a
candidate for a generative theme) and her minutes of network and system-level work — and
submits it: on the Thursday or Friday before it is due, a few on the Monday to Wednesday after
(late). Each step runs with this thread's clock held on its day
(:func:`lotse_platform.clock.held_here`), so the report's ``submitted_at``, its events and
its audit entries fall on that day while the process serves on the real clock.

The most recent due period stays unsubmitted for about half the case managers and the one
before for one of them: the coordinating office's overview has overdue reports. The current
period (not due yet) has a saved draft of one case manager.

Deterministic (a ``random.Random`` seeded from ``lotse_demo.reports.SEED`` and the day); a
report that exists submitted is skipped, so running it again writes nothing.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from datetime import date, time, timedelta
from typing import Any

from lotse_demo import reports as texts
from lotse_demo.county import DemoCounty, User
from lotse_platform import clock
from lotse_platform.auth.principal import Principal

from ..domain.periods import Period
from . import periods
from .unit_of_work import ReportingUnitOfWork

log = logging.getLogger("lotse.reporting.seed_reports")

#: a unit of work of a tenant, for a principal (the service's ``uow``)
Units = Callable[..., ReportingUnitOfWork]

#: the periods of the year before the day of planning (about 26)
DAYS = 365
#: how many case managers leave the most recent due period unsubmitted (about half)
OVERDUE_SHARE = 0.5


def _principal(county: DemoCounty, user: User) -> Principal:
    return Principal(subject=str(user.id), tenant=county.tenant_id,
                     organisation=str(county.organisation(user.organisation).id),
                     areas=frozenset(str(county.area(a).id) for a in user.areas),
                     roles=frozenset(user.roles))


def planned_periods(planned_on: date) -> list[Period]:
    """The due periods that began in the year before ``planned_on``, oldest first."""
    found: list[Period] = []
    period = Period.of(planned_on).previous  # the most recent due one
    while period.start > planned_on - timedelta(days=DAYS):
        found.append(period)
        period = period.previous
    return found[::-1]


def _pick(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _body(rng: random.Random) -> dict[str, Any]:
    """What a case manager saves: maybe a correction (by how much and why: her value is the
    pre-filled count moved by it), a few topics, her minutes."""
    corrections = {}
    if rng.random() < texts.CORRECTION_SHARE:
        figure, delta, note = rng.choice(texts.CORRECTIONS)
        corrections[figure] = (delta, note)
    topics: list[dict[str, Any]] = []
    for _ in range(_pick(rng, texts.TOPICS_PER_REPORT)):
        area = _pick(rng, texts.TOPIC_AREA_WEIGHTS)
        text = rng.choice(texts.TOPICS[area])
        if any(t["text"] == text for t in topics):
            continue
        topics.append({"topic_area": area, "text": text,
                       "theme_candidate": rng.random() < texts.THEME_CANDIDATE_SHARE})
    low, high = texts.NETWORK_MINUTES
    network = rng.randrange(low, high + 1, 15)
    low, high = texts.SYSTEM_MINUTES
    system = rng.randrange(low, high + 1, 15)
    return {"corrections": corrections, "topics": topics, "network_minutes": network,
            "system_minutes": system}


def _submitted_on(rng: random.Random, period: Period, planned_on: date) -> tuple[date, time]:
    """Thursday or Friday of the period's last week, at times the Monday to Wednesday after
    (late); never on or after the day of planning."""
    if rng.random() < texts.LATE_SHARE:
        day = period.end + timedelta(days=rng.randint(1, 3))
        if day < planned_on:
            return day, time(rng.randint(8, 11), rng.choice((0, 15, 30, 45)))
    day = period.end - timedelta(days=rng.choice((2, 2, 3)))
    return day, time(rng.randint(12, 16), rng.choice((0, 15, 30, 45)))


def _is_submitted(units: Units, principal: Principal, period: Period) -> bool:
    with units(principal.tenant) as uow:
        report = uow.period_report(principal.subject, period)
    return report is not None and report.submitted


def _report(units: Units, principal: Principal, period: Period, drawn: dict[str, Any]) -> None:
    """Read, save and submit, as the case manager does through the API."""
    label = period.label
    view = periods.read_own(units(principal.tenant, principal=principal), principal, label)
    prefilled = {f["figure"]: f["prefilled"] for f in view["figures"]}
    body = {**drawn, "corrections": {
        figure: {"value": max(0, prefilled.get(figure, 0) + delta), "note": note}
        for figure, (delta, note) in drawn["corrections"].items()}}
    periods.save(units(principal.tenant, principal=principal), principal, label, body)
    periods.submit(units(principal.tenant, principal=principal), principal, label)


def seed_period_reports(units: Units, county: DemoCounty, planned_on: date,
                        stop: threading.Event | None = None) -> int:
    """The case managers' reports of the year before ``planned_on``; how many were submitted
    (0 when run again). ``stop`` set: ends after the report in hand."""
    rng = random.Random(f"{texts.SEED}:{planned_on.isoformat()}")
    managers = sorted(county.users_with_role("case_manager"), key=lambda u: u.username)
    due = planned_periods(planned_on)
    if not managers or not due:
        return 0
    latest = due[-1]
    behind = set(rng.sample([m.username for m in managers],
                            max(1, round(len(managers) * OVERDUE_SHARE))))
    very_behind = rng.choice(sorted(behind))
    written = 0
    for period in due:
        for user in managers:
            if stop is not None and stop.is_set():
                return written
            # drawn for every report, so that a skipped one changes none of the others
            body = _body(rng)
            day, at = _submitted_on(rng, period, planned_on)
            if period == latest and user.username in behind:
                continue
            if period == latest.previous and user.username == very_behind:
                continue
            principal = _principal(county, user)
            if _is_submitted(units, principal, period):
                continue
            with clock.held_here(day, county.tenant_id, at=at):
                _report(units, principal, period, body)
            written += 1
    _draft(units, county, rng, managers, planned_on)
    log.info("reporting.period_reports_seeded", extra={"records": written})
    return written


def _draft(units: Units, county: DemoCounty, rng: random.Random, managers: list[User],
           planned_on: date) -> None:
    """One case manager has begun her report of the current period (saved, not submitted)."""
    user = rng.choice(managers)
    principal = _principal(county, user)
    period = Period.of(planned_on)
    with units(county.tenant_id) as uow:
        if uow.period_report(principal.subject, period) is not None:
            return
    body = {**_body(rng), "corrections": {}}
    periods.save(units(county.tenant_id, principal=principal), principal, period.label, body)
