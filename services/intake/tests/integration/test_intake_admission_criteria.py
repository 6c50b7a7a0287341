"""Admission criteria per tenant: the five default ones, or the tenant's own list
(``LOTSE_INTAKE_ADMISSION_CRITERIA``), asked by the screening form and answered each once."""

from __future__ import annotations

import pytest

from intake_helpers import HOEXTER_CRITERIA, HOEXTER_TENANT
from intake_helpers import CRITERIA, events
from lotse.kim.v1 import vocabulary_pb2 as kim

pytestmark = pytest.mark.integration


def form(criteria, met) -> dict:
    return {"criteria": [{"criterion": c, "met": c in met, "note": None} for c in criteria],
            "topic_areas": ["residence"], "crisis": False, "facts": {}}


def test_a_tenant_without_its_own_list_asks_the_five_default_criteria(api):
    listed = api.get("/admission-criteria", api.actors.case_manager())
    intake_id = api.record()["id"]

    with_hoexters = api.put(f"/intakes/{intake_id}/screening", api.actors.case_manager(),
                            form(HOEXTER_CRITERIA, ()))

    assert listed.status_code == 200
    assert [c["criterion"] for c in listed.get_json()] == list(CRITERIA)
    assert with_hoexters.status_code == 422
    assert [e["field"] for e in with_hoexters.get_json()["errors"]] == ["criteria"]


def test_hoexter_asks_its_own_list_with_structural_themes_and_time_consuming_needs(
    intake, county_api
):
    # 001 L128: "Kriterien dafür sind eine hohe Akteursdichte, multiple Problemlagen, komplexe
    # und zeitintensive Bedarfe, sowie strukturelle Themen"
    tenant = HOEXTER_TENANT
    api = county_api(tenant)
    intake_id = api.record()["id"]

    listed = api.get("/admission-criteria", api.actors.case_manager()).get_json()
    the_five = api.put(f"/intakes/{intake_id}/screening", api.actors.case_manager(),
                       form(CRITERIA, ()))
    screened = api.put(f"/intakes/{intake_id}/screening", api.actors.case_manager(),
                       form(HOEXTER_CRITERIA, ("structural_themes",
                                               "complex_time_consuming_needs")))

    assert [c["criterion"] for c in listed] == HOEXTER_CRITERIA
    assert {"criterion": "structural_themes", "label": "strukturelle Themen"} in listed
    assert {"criterion": "complex_time_consuming_needs",
            "label": "komplexe und zeitintensive Bedarfe"} in listed
    assert the_five.status_code == 422
    assert screened.status_code == 200, screened.get_json()
    assert screened.get_json()["criteria_met"] == [
        "complex_time_consuming_needs", "structural_themes"]
    (event,) = [e for e in events(intake, tenant, "intake.screening.completed.v1")
                if e.intake_id == intake_id]
    assert list(event.criteria_met) == [kim.ADMISSION_CRITERION_COMPLEX_TIME_CONSUMING_NEEDS,
                                        kim.ADMISSION_CRITERION_STRUCTURAL_THEMES]
