"""The 2-week reports (2-Wochen-Berichte, seed 001 L355: "über zwei Wochen, welche immer am Ende
der ungeraden Woche den KS zugesendet werden"; issue 12; ADR 0089): the period arithmetic over
year ends (53-week years included) and the tenant's midnight, the figures counted from a known
event stream, and the report's rules (corrected with a note, submitted once, compiled)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from lotse.casework.v1 import events_pb2 as casework

from lotse_platform.auth import CASE_MANAGER
from lotse_platform.auth.principal import Principal
from lotse_platform.errors import Conflict, Unprocessable
from lotse_platform.testing import frozen_clock
from lotse_reporting.domain.periods import (FIGURES, AlreadySubmitted, CaseStep, Correction,
                                            InvalidPeriod, Period, PeriodReport, Topic,
                                            compile_county, open_cases_at, status, weeks_in)
from lotse_reporting.service_layer import periods, projections

from reporting_events import envelope as wrapped
from reporting_fakes import Memory
from reporting_period_events import COUNTED, two_weeks

BERLIN = ZoneInfo("Europe/Berlin")


def test_a_period_is_an_even_and_the_following_odd_iso_week_named_by_the_odd_one():
    """001 L355: the report covers two weeks and is sent at the end of the odd week."""
    period = Period.parse("2026-W47")
    assert (period.start, period.end, period.weeks) == (date(2026, 11, 9), date(2026, 11, 22), 2)
    assert Period.of(date(2026, 11, 9)) == Period.of(date(2026, 11, 22)) == period
    assert Period.of(date(2026, 11, 23)) == Period(2026, 49)
    assert period.previous == Period(2026, 45) and period.next == Period(2026, 49)
    assert str(period) == "2026-W47"


def test_over_a_year_end_after_52_weeks_the_first_period_takes_the_old_years_last_week():
    """2025 has 52 ISO weeks: 2026-W01 is 2025-W52 and 2026-W01."""
    assert weeks_in(2025) == 52
    first = Period.parse("2026-W01")
    assert (first.start, first.end, first.weeks) == (date(2025, 12, 22), date(2026, 1, 4), 2)
    assert Period.of(date(2025, 12, 22)) == first
    assert Period(2025, 51).next == first and first.previous == Period(2025, 51)


def test_after_a_53_week_year_its_week_53_ends_a_period_and_week_1_is_one_alone():
    """2026 has 53 ISO weeks (W53 is odd): 2026-W53 = W52 + W53, then 2027-W01 is one week."""
    assert weeks_in(2026) == 53
    last = Period.parse("2026-W53")
    assert (last.start, last.end, last.weeks) == (date(2026, 12, 21), date(2027, 1, 3), 2)
    first = Period.parse("2027-W01")
    assert (first.start, first.end, first.weeks) == (date(2027, 1, 4), date(2027, 1, 10), 1)
    assert last.next == first and first.previous == last
    assert Period.of(date(2027, 1, 1)) == last and Period.of(date(2027, 1, 4)) == first
    assert Period.parse("2027-W03").start == date(2027, 1, 11)


def test_periods_tile_the_calendar_without_gap_or_overlap_across_years():
    period = Period.of(date(2019, 12, 30))
    while period.end < date(2034, 1, 1):
        following = period.next
        assert following.start == period.end + timedelta(days=1), period
        assert following.weeks in (1, 2) and following.end.weekday() == 6
        assert following.week % 2 == 1
        if following.weeks == 1:
            assert following.week == 1 and weeks_in(following.year - 1) == 53
        period = following


@pytest.mark.parametrize("label", ["2026-W46", "2025-W53", "2026-W55", "2026-47", "", "W47",
                                   "2026-W00", "2026-W4"])
def test_a_label_that_is_no_period_is_refused(label):
    with pytest.raises(InvalidPeriod):
        Period.parse(label)


def test_a_period_is_due_at_sunday_midnight_in_berlin_not_utc():
    """At 23:30 UTC on the Sunday it is Monday 00:30 in Berlin (winter): the period is due and
    the day belongs to the next one; at 22:30 UTC (23:30 in Berlin) it is not due yet."""
    period = Period.parse("2026-W47")
    assert period.due_at(BERLIN) == datetime(2026, 11, 22, 23, 0, tzinfo=UTC)
    late = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    in_time = datetime(2026, 11, 22, 22, 30, tzinfo=UTC)
    assert Period.at(late, BERLIN) == period.next and Period.at(in_time, BERLIN) == period
    assert status(None, period, late, BERLIN) == "overdue"
    assert status(None, period, in_time, BERLIN) == "open"
    summer = Period.parse("2026-W27")  # CEST: midnight is 22:00 UTC
    assert summer.due_at(BERLIN) == datetime(2026, 7, 5, 22, 0, tzinfo=UTC)
    assert Period.at(datetime(2026, 7, 5, 23, 30, tzinfo=UTC), BERLIN) == summer.next


def deliver(memory, tenant, delivered) -> None:
    for envelope, event in delivered:
        with memory.units(tenant) as uow:
            projections.store_event(event, envelope, uow)
            uow.commit()


def test_the_figures_are_counted_per_case_manager_and_period_from_the_events():
    """Issue 12: pre-filled from the events — first contacts, admissions, contacts and home
    visits, referrals by outcome, goals reached, closures by reason, open cases by phase, the
    anonymous short consultations and information events (001 L134, L205)."""
    memory, tenant = Memory(), uuid.uuid4()
    period = Period.parse("2026-W47")
    deliver(memory, tenant, two_weeks(tenant, "cm-1", date(2026, 11, 10), date(2026, 11, 19)))
    deliver(memory, tenant, two_weeks(tenant, "cm-1", date(2026, 11, 24), date(2026, 11, 25),
                                    tag="-2"))
    with memory.units(tenant) as uow:
        found = periods.prefilled(uow, "cm-1", period)
        later = periods.prefilled(uow, "cm-1", period.next)
        other = periods.prefilled(uow, "cm-other", period)
    assert found == {f: COUNTED.get(f, 0) for f in FIGURES}
    # the next period: its own events, and the cases still open from before
    assert later["first_contacts"] == 2 and later["open_cases.linking"] == 2
    assert other["first_contacts"] == 1 and sum(other.values()) == 1
    # a rebuild from the store gives the same figures
    projections.rebuild(memory.units, memory)
    with memory.units(tenant) as uow:
        assert periods.prefilled(uow, "cm-1", period) == found


def test_open_cases_follow_the_case_manager_and_phase_at_the_end_of_the_period():
    steps = [CaseStep("c", date(2026, 11, 10), "cm-1", "intake", 1),
             CaseStep("c", date(2026, 11, 12), "cm-1", "assessment", 2),
             CaseStep("c", date(2026, 11, 30), "cm-2", None, 3)]  # transferred later
    assert open_cases_at(steps, date(2026, 11, 22), "cm-1")["assessment"] == 1
    assert sum(open_cases_at(steps, date(2026, 12, 6), "cm-1").values()) == 0
    assert open_cases_at(steps, date(2026, 12, 6), "cm-2")["assessment"] == 1


def _cm(tenant) -> Principal:
    return Principal(subject="cm-1", tenant=tenant, organisation="org-kreis",
                     roles=frozenset({CASE_MANAGER}))


def test_a_report_is_corrected_with_a_note_submitted_once_and_its_flags_published():
    """Issue 12: the case manager confirms or corrects with a note; a flagged topic goes to the
    steering group as evidence; a second submission is refused (409)."""
    memory, tenant = Memory(), uuid.uuid4()
    deliver(memory, tenant, two_weeks(tenant, "cm-1", date(2026, 11, 10), date(2026, 11, 19)))
    with frozen_clock(datetime(2026, 11, 20, 9, tzinfo=UTC)):
        uow = memory.units(tenant)
        saved = periods.save(uow, _cm(tenant), "2026-W47", {
            "corrections": {"first_contacts": {"value": 3, "note": "one on paper"}},
            "topics": [{"topic_area": "housing", "text": "Kaum Wohnraum in Brakel",
                        "theme_candidate": True},
                       {"topic_area": "language", "text": "B1-Kurse voll"}],
            "network_minutes": 120, "system_minutes": 45})
        first = {f["figure"]: f for f in saved["figures"]}["first_contacts"]
        assert (first["prefilled"], first["value"], first["corrected"]) == (2, 3, True)
        assert saved["status"] == "open" and saved["version"] == 1
        done = periods.submit(uow, _cm(tenant), "2026-W47")
        assert done["status"] == "submitted" and done["submitted_late"] is False
        types = [type(e).__name__ for e, *_ in uow.published]
        assert types == ["PeriodReportSubmitted", "ThemeCandidateFlagged"]
        flagged = uow.published[1][0]
        assert flagged.period == "2026-W47" and "Wohnraum" not in str(flagged)
        evidence = periods.theme_candidates(uow, "2026-W47", limit=10, offset=0)["items"]
        assert evidence == [{"candidate_id": flagged.candidate_id, "period": "2026-W47",
                             "topic_area": "housing", "text": "Kaum Wohnraum in Brakel"}]
        with pytest.raises(Conflict):
            periods.submit(uow, _cm(tenant), "2026-W47")
        with pytest.raises(Conflict):
            periods.save(uow, _cm(tenant), "2026-W47", {})
        # free text stays out of the audit trail
        assert all("Wohnraum" not in str(entry) and "paper" not in str(entry)
                   for entry in uow.audited)
    with pytest.raises(Unprocessable) as refused:
        periods.save(memory.units(tenant), _cm(tenant), "2026-W46", {})
    assert refused.value.errors[0]["field"] == "period"


def test_the_county_report_sums_the_submitted_reports_and_groups_topics_by_area():
    period = Period.parse("2026-W47")
    at = datetime(2026, 11, 20, tzinfo=UTC)
    one = PeriodReport("cm-1", period, corrections={"admissions": Correction(2, "n")},
                       topics=(Topic("housing", "a", True),), network_minutes=30
                       ).submit({"first_contacts": 1}, at=at, today=at.date())
    two = PeriodReport("cm-2", period, topics=(Topic("housing", "b"), Topic("health", "c")),
                       system_minutes=10).submit({"first_contacts": 4}, at=at, today=at.date())
    draft = PeriodReport("cm-3", period, network_minutes=999)
    compiled = compile_county(period, [one, two, draft], expected=3)
    assert (compiled.submitted, compiled.expected) == (2, 3)
    assert compiled.figures["first_contacts"] == 5 and compiled.figures["admissions"] == 2
    assert (compiled.network_minutes, compiled.system_minutes) == (30, 10)
    assert list(compiled.topics) == ["housing", "health"] and compiled.theme_candidates == 1
    with pytest.raises(AlreadySubmitted):
        one.submit({}, at=at, today=at.date())


def test_a_phase_change_late_on_a_sunday_evening_utc_counts_on_the_berlin_day():
    """A phase changed at 23:30 UTC on the period's last Sunday happened on Monday in Berlin:
    the case is still in its earlier phase at the end of the period."""
    memory, tenant = Memory(), uuid.uuid4()
    facts = casework.CaseFacts(case_id="c-1", case_manager_id="cm-1", opened_on="2026-11-10")
    deliver(memory, tenant, [
        (wrapped(e, tenant, sequence=n), e) for n, e in enumerate((
            casework.CaseOpened(case=facts),
            casework.PhaseChanged(case=facts, to_phase=casework.PHASE_ASSESSMENT,
                                  changed_at="2026-11-22T23:30:00Z")), start=1)])
    with memory.units(tenant) as uow:
        assert periods.prefilled(uow, "cm-1", Period.parse("2026-W47"))["open_cases.intake"] == 1
        assert periods.prefilled(uow, "cm-1", Period.parse("2026-W49"))[
            "open_cases.assessment"] == 1
