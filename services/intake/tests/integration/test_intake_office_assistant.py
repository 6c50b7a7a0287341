"""The coordinating office's assistant (002 L131 "eine 0,5 Assistenzstelle"; ADR 0081) supports
the office administratively — trainings, qualification records, the staff directory in
identity — but is no tenant-wide role: intake's personal data stays closed to her."""

from __future__ import annotations

import pytest

from intake_helpers import HOEXTER, KREIS, person
from lotse_platform.auth import COORDINATION_ASSISTANT
from lotse_platform.testing import days_ago

pytestmark = pytest.mark.integration


def test_the_offices_assistant_gets_403_on_every_intake_record_and_work_list(api, actors):
    """002 L131 "0,5 Assistenzstelle" beside the 3,5 Koordinierungsstellen: an assistant post,
    not the office's Fachaufsicht (002 L133) — no reading of clients' first contacts."""
    intake_id = api.record()["id"]
    assistant = actors.token("ks-assistenz", KREIS, [COORDINATION_ASSISTANT])

    for path in (f"/intakes/{intake_id}", "/intakes/mine", "/intakes/awaiting-decision",
                 "/consents/expiring", "/case-proposals"):
        refused = api.get(path, assistant)
        assert refused.status_code == 403, path
        assert "Haddad" not in refused.get_data(as_text=True)
    recorded = api.post("/intakes", assistant, {
        "person": person(), "access_path": "self_referral", "area_id": HOEXTER,
        "contact_date": days_ago(2)})
    assert recorded.status_code == 403
    assert api.get(f"/intakes/{intake_id}", actors.coordinator()).status_code == 200, \
        "the office itself reads it"
