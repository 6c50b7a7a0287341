"""The standard reports' pure rules (domain/standard.py): the guideline's ranges, rows that are
the same whatever the order of their events, the screening table's columns, facts replaced by
a later revision."""

from __future__ import annotations

import itertools
import uuid
from datetime import date

import pytest

from lotse_platform.auth.principal import Principal

from lotse_reporting.domain.standard import (CaseReportChange, ContactFacts, DepthDecision, Fact,
                                             Filters, IntakeRow, StaffChange, apply_case_report,
                                             apply_contact, apply_decision, apply_staff,
                                             caseload_status, guideline, keep_fact,
                                             screening_outcomes)
from lotse_reporting.service_layer.standard_reports import Asked, _scope, exact_for


@pytest.mark.parametrize(("fte", "expected"), [(1.0, (50, 60)), (0.75, (37, 45)),
                                               (0.5, (25, 30)), (None, None), (0.0, None)])
def test_the_guideline_of_an_fte_share(fte, expected):
    """DOMAIN.md §1 (MKJFGFI 2023): 1.0 FTE → 50–60 cases, 0.75 → 37–45, 0.5 → 25–30."""
    assert guideline(fte) == expected


def test_under_within_over_and_without_fte():
    assert [caseload_status(n, 0.5) for n in (24, 25, 30, 31)] == [
        "under", "within", "within", "over"]
    assert caseload_status(10, None) == "no_fte"


def test_an_intake_row_is_the_same_whatever_the_order_of_its_events():
    """The latest revision counts, the contact's area wins, however the events arrive."""
    contact = ContactFacts("i-1", "area-hilden", "immigration_office_screening",
                           date(2023, 9, 1), "cm-1")
    first = DepthDecision("i-1", "area-x", "no_need", 1, "", "cm-1", date(2023, 9, 1), ())
    second = DepthDecision("i-1", "area-x", "referral", 2, "org-mbe", "cm-2", date(2023, 9, 3),
                           ("tg-1",))
    rows = set()
    for order in itertools.permutations([contact, first, second, second]):
        row: IntakeRow | None = None
        for event in order:
            row = (apply_contact(row, event) if isinstance(event, ContactFacts)
                   else apply_decision(row, event))
        rows.add(row)
    assert rows == {IntakeRow("i-1", "area-hilden", "immigration_office_screening",
                              date(2023, 9, 1), "cm-1", "referral", 2, "org-mbe", "cm-2",
                              date(2023, 9, 3), ("tg-1",))}


def test_a_case_row_takes_the_newest_facts_and_phase():
    opened = CaseReportChange("c-1", "area-a", "cm-1", ("tg-1",), "", date(2023, 1, 2),
                              "intake", 1)
    goal = CaseReportChange("c-1", "area-a", "cm-1", ("tg-1",), "residence", None, None, 2)
    closed = CaseReportChange("c-1", "area-a", "cm-1", ("tg-1",), "residence", None, "closed",
                              3, closed_on=date(2023, 5, 1))
    rows = set()
    for order in itertools.permutations([opened, goal, closed]):
        row = None
        for change in order:
            row = apply_case_report(row, change)
        rows.add((row.primary_topic_area, row.phase, row.opened_on, row.closed_on))
    assert rows == {("residence", "closed", date(2023, 1, 2), date(2023, 5, 1))}


def test_staffing_keeps_the_newest_version_of_each_part():
    created = StaffChange("cm-1", 1, "org-a", 1.0, True, ("case_manager",))
    shrunk = StaffChange("cm-1", 3, None, 0.5, True)
    moved = StaffChange("cm-1", 2, "org-b")
    rows = set()
    for order in itertools.permutations([created, shrunk, moved]):
        row = None
        for change in order:
            row = apply_staff(row, change)
        rows.add((row.organisation_id, row.fte, row.case_manager))
    assert rows == {("org-b", 0.5, True)}


def test_a_revision_replaces_the_fact_it_revises():
    first = Fact("depth:i-1", "counselling_depths", "2023-08", "guidance", rank=1)
    second = Fact("depth:i-1", "counselling_depths", "2023-09", "case_management", rank=2)
    assert keep_fact(keep_fact(None, second), first) == second
    assert keep_fact(keep_fact(None, first), second) == second


def test_the_screening_table_shows_every_referral_target_and_the_fixed_outcomes():
    rows = [IntakeRow("i-1", "a", "immigration_office_screening", date(2023, 9, 1), "cm",
                      "referral", 1, "org-mbe", "cm"),
            IntakeRow("i-2", "a", "self_referral", date(2023, 9, 1), "cm", "referral", 1,
                      "org-jmd", "cm")]
    table = screening_outcomes(rows, Filters(), "immigration_office_screening")
    assert [(r["outcome"], r["referral_org_id"], r["count"]) for r in table] == [
        ("case_management", None, 0), ("no_need", None, 0), ("referral", "org-jmd", 0),
        ("referral", "org-mbe", 1)]
    assert screening_outcomes(rows, Filters(date_to=date(2023, 8, 31))) == []


def test_a_steering_member_who_is_also_a_case_manager_sees_the_county_suppressed():
    both = Principal("lg-cm", uuid.uuid4(), "org-a",
                     roles=frozenset({"steering_member", "case_manager"}))
    office = Principal("ks", uuid.uuid4(), "org-a", roles=frozenset({"coordinator"}))
    own = Principal("cm", uuid.uuid4(), "org-a", roles=frozenset({"case_manager"}))
    assert (exact_for(both), _scope(both, Asked())) == (False, (None, None))
    assert (exact_for(office), exact_for(own)) == (True, True)
    assert _scope(own, Asked()) == (None, "cm")
