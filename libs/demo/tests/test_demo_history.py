"""The demo county's year of history (ADR 0093) as a plan: deterministic, a year long, every
outcome in it, nothing after today."""

from __future__ import annotations

from datetime import date, timedelta

from lotse_demo import COUNTY
from lotse_demo.history import (
    CLOSURE_WEIGHTS,
    DEFAULT_PEOPLE,
    REFERRAL_OUTCOMES,
    case_manager,
    plan_history,
)

TODAY = date(2026, 3, 1)  # a fixed day: the plan is drawn relative to it


def _days(history):
    for person in history.people:
        yield person.first_contact
        yield person.screened_on
        yield from (decision[1] for decision in person.decisions)
        if person.admitted_on:
            yield person.admitted_on
        yield from (step.on for step in person.case_steps)
        yield from (day for referral in person.referrals for day, _ in referral.steps)
    yield from (contact.held_on for contact in history.anonymous)


def test_the_same_day_and_size_give_the_same_history():
    assert plan_history(TODAY, 60) == plan_history(TODAY, 60)
    assert plan_history(TODAY, 60) != plan_history(TODAY, 60, seed=7)


def test_the_history_spans_the_twelve_months_before_today_and_nothing_after():
    history = plan_history(TODAY)
    days = list(_days(history))
    assert max(days) <= TODAY
    assert min(days) >= TODAY - timedelta(days=365)
    months = {(p.first_contact.year, p.first_contact.month) for p in history.people}
    assert len(months) >= 12
    assert len(history.people) == DEFAULT_PEOPLE
    assert plan_history(TODAY, 0).people == ()


def test_every_outcome_is_in_it():
    history = plan_history(TODAY)
    people = history.people
    assert {p.decisions[0][0] for p in people} >= {
        "information", "guidance", "accompaniment", "referral", "case_management", "no_need"}
    assert any(p.access == "immigration_office_screening" for p in people)
    assert {p.decisions[0][2] for p in people if p.decisions[0][0] == "referral"} >= {
        "caritas", "awo", "jobcenter"}
    admitted = history.admitted()
    assert 0.25 <= len(admitted) / len(people) <= 0.45  # about a third in case management
    closures = {s.what for p in admitted for s in p.case_steps if s.kind == "close"}
    assert closures == set(CLOSURE_WEIGHTS)
    assert {r.steps[-1][1] for p in admitted for r in p.referrals} == set(REFERRAL_OUTCOMES)
    kinds = {s.kind for p in admitted for s in p.case_steps}
    assert kinds >= {"phase", "assessment", "goal", "help_plan", "contact", "reach", "close",
                     "transfer"}
    assert any(s.what == "home_visit" for p in admitted for s in p.case_steps)
    open_now = [p for p in admitted if not any(s.kind == "close" for s in p.case_steps)]
    assert open_now, "some cases are still open today"
    assert {c.kind for c in history.anonymous} == {"short_query", "information_event"}


def test_a_case_runs_its_cycle_in_order_and_its_referrals_end_with_it():
    for person in plan_history(TODAY).admitted():
        days = [s.on for s in person.case_steps]
        assert days == sorted(days) and days[0] >= person.admitted_on
        closed = next((s.on for s in person.case_steps if s.kind == "close"), None)
        for referral in person.referrals:
            assert referral.steps[0][1] == "sent"
            assert {org for org, _ in person.releases} >= {referral.partner}
            if closed:
                assert referral.steps[-1][0] <= closed


def test_every_town_has_its_case_manager():
    assert {case_manager(COUNTY, p.town).username for p in plan_history(TODAY).people} <= {
        u.username for u in COUNTY.users_with_role("case_manager")}
