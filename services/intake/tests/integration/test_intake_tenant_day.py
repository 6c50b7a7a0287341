"""Intake counts days where the county is: just after midnight in Berlin (23:30 UTC in winter,
22:30 UTC in summer) a first contact, a consent and an admission dated today are accepted, and
one dated tomorrow is refused as in the future."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from lotse_platform.testing import frozen_clock

pytestmark = pytest.mark.integration

NIGHTS = [pytest.param(datetime(2026, 12, 7, 23, 30, tzinfo=UTC), date(2026, 12, 8), id="winter"),
          pytest.param(datetime(2026, 7, 14, 22, 30, tzinfo=UTC), date(2026, 7, 15), id="summer")]


@pytest.mark.parametrize("night, berlin_day", NIGHTS)
def test_just_after_midnight_in_berlin_todays_dates_are_accepted_and_tomorrows_refused(
        api, night, berlin_day):
    today, tomorrow = berlin_day.isoformat(), (berlin_day + timedelta(days=1)).isoformat()
    with frozen_clock(night):
        too_early = api.post("/intakes", api.actors.case_manager(), {
            "person": {"given_name": "Amal", "family_name": "Darwish"},
            "access_path": "self_referral", "area_id": "area-hoexter", "contact_date": tomorrow})
        assert too_early.status_code == 422
        assert [e["field"] for e in too_early.get_json()["errors"]] == ["contact_date"]

        intake_id = api.ready_for_admission(contact_date=today)
        agreement = api.post(f"/intakes/{intake_id}/consents", api.actors.case_manager(),
                             {"kind": "counselling_agreement", "given_on": tomorrow})
        assert agreement.status_code == 422
        api.consent(intake_id, "counselling_agreement", given_on=today)
        admitted = api.admit(intake_id, admitted_on=today, justification="Einzelfall")

        assert admitted.status_code == 201, admitted.get_json()
        assert admitted.get_json()["admitted_on"] == today
