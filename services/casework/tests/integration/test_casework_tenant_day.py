"""Casework counts days where the county is, not on the server's UTC clock: just after midnight
in Berlin (23:30 UTC in winter, 22:30 UTC in summer) a contact dated today is no contact "in the
future", a release given today is valid today, and the case's dates are the county's."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from lotse_platform.testing import frozen_clock

from casework_steps import ok
from casework_support import open_test_case

pytestmark = pytest.mark.integration

NIGHTS = [pytest.param(datetime(2026, 12, 7, 23, 30, tzinfo=UTC), date(2026, 12, 8), id="winter"),
          pytest.param(datetime(2026, 7, 14, 22, 30, tzinfo=UTC), date(2026, 7, 15), id="summer")]


@pytest.mark.parametrize("night, berlin_day", NIGHTS)
def test_just_after_midnight_in_berlin_a_contact_dated_today_is_accepted_and_tomorrow_is_not(
        casework, tenant, as_user, night, berlin_day):
    lea = as_user("cm-lea")
    with frozen_clock(night):
        case_id = open_test_case(casework, tenant, "cm-lea")
        today = {"type": "phone_call", "occurred_on": berlin_day.isoformat(),
                 "duration_minutes": 15}
        ok(lea.post(f"/cases/{case_id}/contacts", today), 201)
        tomorrow = lea.post(f"/cases/{case_id}/contacts", {
            **today, "occurred_on": (berlin_day + timedelta(days=1)).isoformat()})

        assert tomorrow.status_code == 422
        assert tomorrow.get_json()["errors"][0]["field"] == "occurred_on"
        assert lea.get(f"/cases/{case_id}").get_json()["opened_on"] == berlin_day.isoformat()


@pytest.mark.parametrize("night, berlin_day", NIGHTS)
def test_just_after_midnight_in_berlin_a_release_given_today_is_valid_for_a_conference(
        casework, tenant, as_user, night, berlin_day):
    lea = as_user("cm-lea")
    with frozen_clock(night):
        case_id = open_test_case(casework, tenant, "cm-lea", releases=[
            {"partner_org_id": "org-jobcenter", "topic_areas": ["work_training"],
             "valid_from": berlin_day.isoformat()}])
        plan = {"planned_on": berlin_day.isoformat(), "topics": ["work_training"],
                "agenda": "Arbeit", "participants": [{"organisation_id": "org-jobcenter"}]}

        ok(lea.post(f"/cases/{case_id}/conferences", plan), 201)
