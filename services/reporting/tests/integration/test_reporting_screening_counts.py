"""The screening table's groups are filtered and counted by the database (PostgreSQL): the
period of the first contact, the area, who decided (who recorded before a decision) and a target
group among the intake's — each narrowing gives what the same rule in Python gives."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from reporting_annual_events import envelope

from lotse.intake.v1 import events_pb2 as intake
from lotse.kim.v1 import vocabulary_pb2 as kim
from lotse_reporting.domain.standard import Filters, screening_outcomes

pytestmark = pytest.mark.integration

REFUGEES, WOMEN = str(uuid.uuid4()), str(uuid.uuid4())
PEOPLE = [  # area, day, recorded by, decided by, depth, target groups
    ("area-hoexter", "2025-02-03", "cm-1", "cm-1", kim.COUNSELLING_DEPTH_CASE_MANAGEMENT,
     [REFUGEES, WOMEN]),
    ("area-hoexter", "2025-03-10", "cm-1", "cm-2", kim.COUNSELLING_DEPTH_NO_NEED, [REFUGEES]),
    ("area-brakel", "2025-06-01", "cm-2", "", None, [WOMEN]),
    ("area-brakel", "2024-12-31", "cm-2", "cm-2", kim.COUNSELLING_DEPTH_REFERRAL, []),
    ("area-hoexter", "2026-01-01", "cm-1", "cm-1", kim.COUNSELLING_DEPTH_CASE_MANAGEMENT, []),
]


def events(tenant):
    """(envelope, event) as the consumer is given them."""
    for area, day, recorded, decided, depth, groups in PEOPLE:
        intake_id = str(uuid.uuid4())
        told = [intake.ContactRecorded(
            intake_id=intake_id, area_id=area, recorded_by=recorded, contact_date=day,
            access_path=kim.ACCESS_PATH_IMMIGRATION_OFFICE_SCREENING),
            intake.ScreeningCompleted(intake_id=intake_id, area_id=area,
                                      target_group_ids=groups, screened_by=recorded)]
        if depth is not None:
            told.append(intake.CounsellingDepthDecided(
                intake_id=intake_id, area_id=area, depth=depth, revision=1, decided_by=decided,
                decided_on=day, referral_org_id="org-mbe" if depth == 4 else "",
                target_group_ids=groups))
        yield from ((envelope(event, tenant, day), event) for event in told)


@pytest.mark.parametrize(("filters", "people"), [
    (Filters(), 5),
    (Filters(date(2025, 1, 1), date(2025, 12, 31)), 3),
    (Filters(area_id="area-brakel"), 2),
    (Filters(case_managers=frozenset({"cm-2"})), 3),  # decided by cm-2, or recorded, undecided
    (Filters(target_group_id=WOMEN), 1),  # the groups of the decision (none before one)
    (Filters(date(2025, 1, 1), date(2025, 12, 31), target_group_id=REFUGEES,
             case_managers=frozenset({"cm-1", "cm-2"})), 2),
], ids=["all", "2025", "brakel", "cm-2", "women", "2025-refugees-both"])
def test_the_database_counts_what_the_rule_counts(reporting, tenant, filters, people):
    consumer = reporting.consumer()
    for delivered, event in events(tenant):
        consumer.process(delivered, event)
    with reporting.uow(tenant) as uow:
        counted = uow.screening_counts(filters)
        rows = uow.intake_report_rows()
    by_rule = screening_outcomes(rows, filters)
    assert sum(n for *_, n in counted) == sum(r["count"] for r in by_rule) == people
    assert {(p, d or "undecided", o if d == "referral" else ""): n for p, d, o, n in counted} == {
        (r["access_path"], r["outcome"], r["referral_org_id"] or ""): r["count"]
        for r in by_rule if r["count"]}
