"""My day: goals due within 14 days, consents expiring within 30, notices until read. Every
date is the tenant's day (Europe/Berlin)."""

from __future__ import annotations

import pytest
from lotse_platform.testing import days_ago, days_ahead

from casework_steps import drive, goal, ok
from casework_support import open_test_case

pytestmark = pytest.mark.integration


def test_my_day_shows_goals_due_within_two_weeks_and_consents_expiring(casework, tenant, as_user):
    lea = as_user("cm-lea")
    soon = days_ahead(10)
    case_id = open_test_case(casework, tenant, "cm-lea", releases=[
        {"partner_org_id": "org-jobcenter", "topic_areas": ["work_training"]}],
        valid_until=days_ahead(20))
    drive(lea, case_id, "goal_agreement")
    due = ok(lea.post(f"/cases/{case_id}/goals", goal(due_on=soon)), 201)["id"]
    ok(lea.post(f"/cases/{case_id}/goals", goal(topic_area="housing")), 201)  # due in 60 days
    other = open_test_case(casework, tenant, "cm-tobias")

    day = lea.get("/my-day").get_json()
    assert [(g["goal_id"], g["due_on"]) for g in day["goals_due"]] == [(due, soon)]
    assert [(c["case_id"], c["partner_org_id"]) for c in day["consents_expiring"]] == [
        (str(case_id), "org-jobcenter")]
    assert str(other) not in str(day), "another case manager's case stays out of her day"
    assert day["open_cases"] == 1


def test_my_days_windows_hold_their_first_and_last_day_and_not_the_day_after(
        casework, tenant, as_user):
    lea = as_user("cm-lea")
    until = {"org-ends-today": days_ahead(0), "org-ends-day-30": days_ahead(30),
             "org-ends-day-31": days_ahead(31), "org-ended-yesterday": days_ago(1)}
    case_id = open_test_case(casework, tenant, "cm-lea", releases=[
        {"partner_org_id": org, "topic_areas": ["work_training"], "valid_until": day}
        for org, day in until.items()])
    drive(lea, case_id, "goal_agreement")
    due = {days: ok(lea.post(f"/cases/{case_id}/goals", goal(topic_area=topic,
                                                           due_on=days_ahead(days))), 201)["id"]
           for days, topic in ((0, "residence"), (14, "housing"), (15, "work_training"))}

    day = lea.get("/my-day").get_json()

    assert sorted((g["due_on"], g["goal_id"]) for g in day["goals_due"]) == [
        (days_ahead(0), due[0]), (days_ahead(14), due[14])]
    assert sorted((c["partner_org_id"], c["valid_until"]) for c in day["consents_expiring"]) == [
        ("org-ends-day-30", days_ahead(30)), ("org-ends-today", days_ahead(0))]


def test_a_notice_stays_in_my_day_until_it_is_read(casework, tenant, as_user):
    lea, tobias = as_user("cm-lea"), as_user("cm-tobias")
    admin = as_user("admin", roles=("tenant_admin",), org="org-kreis")
    ok(admin.put("/case-managers/cm-tobias", {"organisation_id": "org-stadt-hoexter", "fte": 1.0}))
    case_id = open_test_case(casework, tenant, "cm-lea")
    ok(lea.post(f"/cases/{case_id}/shares", {
        "colleague_id": "cm-tobias", "kind": "tandem",
        "valid_until": days_ahead(30)}), 201)
    notice, = tobias.get("/my-day").get_json()["notices"]
    assert notice["kind"] == "case_shared_tandem" and notice["case_id"] == str(case_id)
    assert lea.post(f"/notices/{notice['id']}/read").status_code == 404, "not hers"
    ok(tobias.post(f"/notices/{notice['id']}/read"))
    assert tobias.get("/my-day").get_json()["notices"] == []
