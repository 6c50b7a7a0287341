"""Who decides case proposals, per county (``LOTSE_INTAKE_CASE_PROPOSALS``): the coordinating
office (default), the office in its scheduled case conference (Borken), or the case manager
the partner reported to (Höxter)."""

from __future__ import annotations

import pytest

from intake_helpers import BORKEN_TENANT, HOEXTER_TENANT
from intake_helpers import BRAKEL, HOEXTER, STADT_HOEXTER, days_ago, events, person

pytestmark = pytest.mark.integration


def propose(api, area=HOEXTER) -> dict:
    response = api.post("/case-proposals", api.actors.partner(areas=(area,)), {
        "person": person(given="Dragana", family="Petrović"), "area_id": area,
        "topic_areas": ["residence"], "reason": None})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


ACCEPT = {"outcome": "accepted", "case_manager_id": "cm-hoexter",
          "case_manager_org_id": STADT_HOEXTER}


def test_by_default_the_office_decides_and_a_case_manager_may_not(api, actors):
    proposal = propose(api)
    decide = f"/case-proposals/{proposal['id']}/decision"

    routing = api.get("/case-proposals/routing", actors.partner()).get_json()
    by_case_manager = api.post(decide, actors.case_manager(), ACCEPT)
    her_list = api.get("/case-proposals", actors.case_manager())
    by_office = api.post(decide, actors.coordinator(), ACCEPT)

    assert routing["routing"] == "coordinating_office"
    assert (by_case_manager.status_code, her_list.status_code) == (403, 403)
    assert by_office.status_code == 200
    assert (by_office.get_json()["case_conference_on"],
            by_office.get_json()["decided_by_case_manager"]) == (None, False)


def test_borken_decides_in_the_scheduled_case_conference_and_records_its_day(
    county_api, intake
):
    # 003 L25: "Diese Fälle werden dann in regelmäßig terminierten Fallkonferenzen mit der
    # Integrationslotsin in der Ausländerbehörde (KIM Baustein III) besprochen."
    api = county_api(BORKEN_TENANT)
    proposal = propose(api)
    decide = f"/case-proposals/{proposal['id']}/decision"
    office = api.actors.coordinator()

    routing = api.get("/case-proposals/routing", office).get_json()["routing"]
    without_conference = api.post(decide, office, ACCEPT)
    conference_before_proposal = api.post(decide, office, {**ACCEPT,
                                                           "case_conference_on": days_ago(9)})
    decided = api.post(decide, office, {**ACCEPT, "case_conference_on": days_ago(0)})

    assert routing == "case_conference"
    assert without_conference.status_code == 422
    assert [e["field"] for e in without_conference.get_json()["errors"]] == [
        "case_conference_on"]
    assert conference_before_proposal.status_code == 422
    assert decided.status_code == 200, decided.get_json()
    assert decided.get_json()["case_conference_on"] == days_ago(0)
    (event,) = [e for e in events(intake, BORKEN_TENANT, "intake.case_proposal.decided.v1")
                if e.proposal_id == proposal["id"]]
    assert (event.case_conference_on, event.decided_by_case_manager) == (days_ago(0), False)


def test_in_hoexter_partners_report_to_the_case_manager_of_the_area_who_decides(
    county_api, intake
):
    # 002 L320: "Verwaltungsexterne Akteur*innen: Beratungseinrichtungen melden Fälle an den
    # CMS"
    api = county_api(HOEXTER_TENANT)
    here, elsewhere = propose(api), propose(api, area=BRAKEL)
    cm = api.actors.case_manager()

    routing = api.get("/case-proposals/routing", api.actors.partner()).get_json()["routing"]
    listed = [p["id"] for p in api.get("/case-proposals", cm).get_json()]
    not_hers = api.post(f"/case-proposals/{elsewhere['id']}/decision", cm, ACCEPT)
    taken = api.post(f"/case-proposals/{here['id']}/decision", cm, ACCEPT)
    outcome = api.get(f"/case-proposals/{here['id']}/outcome", api.actors.partner())

    assert routing == "case_manager"
    assert here["id"] in listed and elsewhere["id"] not in listed
    assert not_hers.status_code == 403
    assert taken.status_code == 200, taken.get_json()
    assert taken.get_json()["decided_by_case_manager"] is True
    assert outcome.get_json()["case_manager_assigned"] is True
    (event,) = [e for e in events(intake, HOEXTER_TENANT, "intake.case_proposal.decided.v1")
                if e.proposal_id == here["id"]]
    assert (event.outcome, event.decided_by_case_manager) == (1, True)
