"""The standard reports' cases, monthly facts and referral rates' rows are narrowed and counted
by the database (PostgreSQL; SQLite in embedded mode, which totals some of them in Python): for
every filter — open now or in a period, area, case managers, target group — the store counts
what the same rule counts in Python (domain/standard.py, domain/referral_rates.py)."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from lotse_reporting.domain import referral_rates, standard
from lotse_reporting.domain.referral_rates import ReferralRateRow
from lotse_reporting.domain.standard import CaseReportRow, Fact, Filters, PhaseEntry

pytestmark = pytest.mark.integration

REFUGEES, WOMEN = str(uuid.uuid4()), str(uuid.uuid4())
AREAS = ("area-hoexter", "area-brakel")
PEOPLE = ("cm-1", "cm-2", "")
GROUPS = ((), (REFUGEES,), (REFUGEES, WOMEN), (WOMEN,))
PHASES = ("", "intake", "linking", "closed", "transferred")
DAYS = (None, date(2024, 11, 3), date(2025, 2, 1), date(2025, 12, 31), date(2026, 1, 1))
TOPICS = ("", "residence", "work")

FILTERS = [
    Filters(),
    Filters(date(2025, 1, 1), date(2025, 12, 31)),
    Filters(date_from=date(2025, 6, 1)),
    Filters(date_to=date(2024, 12, 31)),
    Filters(area_id="area-brakel"),
    Filters(case_managers=frozenset({"cm-2"})),
    Filters(target_group_id=WOMEN),
    Filters(date(2025, 1, 1), date(2025, 12, 31), area_id="area-hoexter",
            case_managers=frozenset({"cm-1", "cm-2"}), target_group_id=REFUGEES),
]
IDS = ["all", "2025", "from-june-2025", "until-2024", "brakel", "cm-2", "women", "narrowest"]


def cases() -> list[CaseReportRow]:
    """Every combination, each case a little different (a case closed before it opened too)."""
    rows = []
    for n, (area, person, groups, phase, opened, closed) in enumerate(itertools.product(
            AREAS, PEOPLE, GROUPS, PHASES, DAYS[:3], DAYS[::2])):
        rows.append(CaseReportRow(f"case-{n}", area, person, groups, TOPICS[n % 3], phase,
                                  opened, closed if phase in standard.ENDED else None, 1, 1))
    return rows


def facts() -> list[Fact]:
    rows = []
    for n, (area, person, groups, month, figure) in enumerate(itertools.product(
            AREAS, PEOPLE, GROUPS, ("2024-12", "2025-01", "2025-06", "2026-01"),
            ("contacts", "closures", "referrals"))):
        # a referral (its subject) keeps its topic area and kind; its states vary
        detail = ((("language/tandem/", "work/warm_handover/")[n % 7 % 2]
                   + ("sent", "accepted", "arrived", "declined")[n % 4]) if figure == "referrals"
                  else ("appointment", "other", "")[n % 3])
        rows.append(Fact(f"fact-{n}", figure, month, ("linking", "intake", "org-mbe")[n % 3],
                         detail, area, person, groups, value=15 * (n % 4), rank=1,
                         subject=f"case-{n % 7}" if n % 5 else ""))
    # one referral whose details disagree on the topic area: the smallest in byte order counts
    # (upper case before lower case, whatever the database's collation says)
    for n, detail in enumerate(("language/tandem/sent", "Work/tandem/accepted",
                                "work/tandem/arrived")):
        rows.append(Fact(f"fact-odd-{n}", "referrals", "2025-06", "org-mbe", detail,
                         "area-hoexter", "cm-1", (REFUGEES,), rank=1, subject="referral-odd"))
    return rows


def referrals() -> list[ReferralRateRow]:
    """Every combination of area, case manager, target groups and month, each referral a
    little different: partners, kinds and topic areas (one in upper case: byte order), the
    states reached (none but arrived too, as a late arrival leaves it until the rest comes)."""
    rows = []
    for n, (area, person, groups, month) in enumerate(itertools.product(
            AREAS, PEOPLE, GROUPS, ("2024-12", "2025-01", "2025-06", "2026-01"))):
        sent, accepted, arrived = ((True, False, False), (True, True, False),
                                   (True, True, True), (False, False, True),
                                   (False, True, False))[n % 5]
        rows.append(ReferralRateRow(
            f"referral-{n}", ("org-mbe", "org-caritas")[n % 2],
            ("tandem", "warm_handover", "referral_counselling")[n % 3],
            ("language", "work", "Work")[n % 7 % 3], month, person, area, groups, sent,
            accepted, arrived, 1))
    return rows


STEPS = ("intake", "assessment", "assessment", "goal_agreement", "linking", "closed")


def entries() -> list[PhaseEntry]:
    """Phase entries of every second case and of cases without a row: a phase repeated (no
    change), a day before the one entered (0 days), an entry whose sequence comes before an
    earlier day, cases left in every month of the filters' periods."""
    found = []
    known = [row.case_id for row in cases()][::2]
    for n, case_id in enumerate([*known, "case-gone-1", "case-gone-2"]):
        day = date(2024, 10, 1 + n % 28)
        for k, phase in enumerate(STEPS[: 2 + n % 5]):
            day = date.fromordinal(day.toordinal() + (-3 if (n + k) % 9 == 0 else 17 * (n % 11)
                                                      + 5 * k))
            found.append(PhaseEntry(case_id, 10 * k + (7 if (n + k) % 13 == 0 else 0), phase,
                                    day))
    return found


@dataclass(frozen=True)
class Kept:
    """The rows above in one tenant of a reporting store."""

    service: Any
    tenant: uuid.UUID

    def uow(self) -> Any:
        return self.service.uow(self.tenant)


@pytest.fixture(scope="module", params=["postgresql", "sqlite"])
def kept(request, tmp_path_factory):
    """On PostgreSQL (a cluster) and on SQLite (embedded mode, `make run`), where some counts
    fall back to Python and the filters' SQL must still run."""
    if request.param == "postgresql":
        service = request.getfixturevalue("reporting")
    else:
        from lotse_reporting.bootstrap import ReportingService

        folder = tmp_path_factory.mktemp("embedded")
        service = ReportingService(ReportingService.settings_class(
            database_url=f"sqlite:///{folder / 'reporting.db'}", broker_url="memory://"))
        service.migrate()
    kept = Kept(service, uuid.uuid4())
    with kept.uow() as uow:
        for row in cases():
            uow.put_case_report_row(row)
        for fact in facts():
            uow.put_fact(fact)
        for entry in entries():
            uow.put_phase_entry(entry)
        for referral in referrals():
            uow.put_referral_rate_row(referral)
        uow.commit()
    yield kept
    if request.param == "sqlite":
        service.engine.dispose()


@pytest.mark.parametrize("filters", FILTERS, ids=IDS)
def test_the_database_counts_the_cases_the_rule_counts(kept, filters):
    with kept.uow() as uow:
        counted = uow.case_counts(filters)
    by_rule = standard.case_counts(cases(), filters)
    assert sorted(counted) == by_rule
    assert sum(n for *_, n in counted) > 0, "the filter left cases to count"
    with kept.uow() as uow:
        tallied = uow.case_tallies(filters)
    assert tallied == standard.case_tallies(by_rule)
    topics, managers = standard.tallied_counts(tallied)
    assert standard.primary_goal_areas(topics) == standard.primary_goal_areas(by_rule)
    assert (standard.case_manager_target_groups(managers)
            == standard.case_manager_target_groups(by_rule))
    assert (standard.caseload(managers, {}, filters)
            == standard.caseload(by_rule, {}, filters))


@pytest.mark.parametrize("filters", FILTERS, ids=IDS)
@pytest.mark.parametrize("figure", ["contacts", "closures", "referrals"])
def test_the_database_narrows_and_totals_the_facts_the_rule_does(kept, filters,
                                                                  figure):
    with kept.uow() as uow:
        narrowed = uow.facts(figure, filters)
        totals = uow.fact_totals(figure, filters)
    wanted = [f for f in facts() if standard.in_filters(f, figure, filters)]
    assert sorted(narrowed, key=lambda f: f.fact_id) == sorted(wanted, key=lambda f: f.fact_id)
    assert wanted, "the filter left facts to count"
    assert totals == standard.fact_totals(facts(), figure, filters)


@pytest.mark.parametrize("filters", FILTERS, ids=IDS)
def test_the_database_counts_effort_and_referrals_as_the_rule_does(kept,
                                                                          filters):
    with kept.uow() as uow:
        effort = uow.effort_counts(filters)
        referrals = uow.referral_counts(filters)
    assert effort == standard.effort_counts(facts(), filters)
    assert sum(n for _, _, _, n, _ in effort) > 0, "cases with contacts to count"
    assert referrals == standard.referral_counts(facts(), filters)
    assert standard.referral_totals(referrals), "referrals to rate"


@pytest.mark.parametrize("filters", FILTERS, ids=IDS)
def test_the_database_counts_the_referral_rates_as_the_rule_does(kept, filters):
    """One grouped select over the rows, one per referral (ADR 0101)."""
    with kept.uow() as uow:
        totals = uow.referral_totals(filters)
        stored = uow.referral_rate_rows()
    assert sorted(stored, key=lambda r: r.referral_id) == sorted(referrals(),
                                                                 key=lambda r: r.referral_id)
    assert totals == referral_rates.referral_rate_totals(referrals(), filters)
    assert sum(sent for *_, sent, _, _ in totals) > 0, "referrals sent to count"


@pytest.mark.parametrize("filters", FILTERS, ids=IDS)
def test_the_database_counts_the_phase_durations_as_the_rule_does(kept, filters):
    with kept.uow() as uow:
        counted = uow.phase_duration_totals(filters)
    by_rule = standard.phase_duration_totals(entries(), {r.case_id: r for r in cases()},
                                             filters)
    assert counted == by_rule
    assert sum(n for *_, n, _ in counted) > 0, "the filter left phases to count"
