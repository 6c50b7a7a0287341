"""Case proposals (Borken): an authorised partner proposes a person to the coordinating
office; the office accepts (assigning a case manager) or refers; the proposer sees the outcome
and nothing more."""

from __future__ import annotations

import pytest

from intake_helpers import BRAKEL, HOEXTER, STADT_HOEXTER, audit_entries, events, person

pytestmark = pytest.mark.integration


def propose(api, token=None, area=HOEXTER, **extra):
    response = api.post("/case-proposals", token or api.actors.partner(), {
        "person": person(given="Dragana", family="Petrović"), "area_id": area,
        "topic_areas": ["residence", "work_training"],
        "reason": "Aufenthalt und Ausbildung hängen voneinander ab", **extra})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_partner_proposes_and_sees_the_proposal_as_submitted_without_case_details(api):
    outcome = propose(api)

    assert set(outcome) == {"id", "status", "submitted_at", "decided_on", "case_manager_assigned"}
    assert (outcome["status"], outcome["case_manager_assigned"]) == ("submitted", False)


def test_the_proposal_records_a_first_contact_by_case_proposal_from_the_proposer(
    api, intake, tenant
):
    propose(api)

    (contact,) = events(intake, tenant, "intake.contact.recorded.v1")
    (submitted,) = events(intake, tenant, "intake.case_proposal.submitted.v1")
    assert (contact.access_path, contact.referring_org_id) == (8, "org-awo")
    assert (submitted.proposing_org_id, submitted.area_id) == ("org-awo", HOEXTER)


def test_the_office_accepts_assigning_a_case_manager_and_the_proposer_sees_only_that(
    api, actors, intake, tenant
):
    proposal = propose(api)
    office = actors.coordinator()
    listed = api.get("/case-proposals", office, query={"status": "submitted"}).get_json()
    assert [(p["id"], p["person"]["family_name"]) for p in listed] == [(proposal["id"],
                                                                        "Petrović")]

    decided = api.post(f"/case-proposals/{proposal['id']}/decision", office, {
        "outcome": "accepted", "case_manager_id": "cm-hoexter",
        "case_manager_org_id": STADT_HOEXTER})
    seen = api.get(f"/case-proposals/{proposal['id']}/outcome", actors.partner())

    assert decided.status_code == 200
    assert seen.get_json()["status"] == "accepted"
    assert seen.get_json()["case_manager_assigned"] is True
    assert set(seen.get_json()) == {"id", "status", "submitted_at", "decided_on",
                                    "case_manager_assigned"}
    # the case manager now finds the person among her open intakes, decided for case management
    (mine,) = api.get("/intakes/mine", actors.case_manager()).get_json()
    assert (mine["id"], mine["current_depth"]) == (listed[0]["intake_id"], "case_management")
    (decision,) = events(intake, tenant, "intake.case_proposal.decided.v1")
    assert (decision.outcome, decision.case_manager_id) == (1, "cm-hoexter")


def test_the_office_answers_with_a_referral_and_the_proposer_sees_no_case_manager(api, actors):
    proposal = propose(api)

    api.post(f"/case-proposals/{proposal['id']}/decision", actors.coordinator(), {
        "outcome": "referred", "referral": {"org_id": "org-mbe", "topic": "residence"}})
    (mine,) = api.get("/case-proposals/mine", actors.partner()).get_json()

    assert (mine["status"], mine["case_manager_assigned"]) == ("referred", False)


def test_the_proposer_cannot_read_the_intake_behind_the_proposal(api, actors):
    propose(api)
    (listed,) = api.get("/case-proposals", actors.coordinator()).get_json()

    assert api.get(f"/intakes/{listed['intake_id']}", actors.partner()).status_code == 403
    assert api.get("/case-proposals", actors.partner()).status_code == 403


def test_another_organisation_does_not_find_the_proposal(api, actors):
    proposal = propose(api)
    caritas = actors.partner("caritas-beratung", org="org-caritas")

    assert api.get(f"/case-proposals/{proposal['id']}/outcome", caritas).status_code == 404
    assert api.get("/case-proposals/mine", caritas).get_json() == []


def test_the_immigration_office_liaison_may_propose_too(api, actors):
    liaison = actors.partner("abh-lotsin", org="org-abh", areas=(HOEXTER, BRAKEL),
                             role="authority_liaison")

    assert propose(api, liaison, area=BRAKEL)["status"] == "submitted"


def test_a_partner_proposes_only_for_her_areas(api, actors):
    response = api.post("/case-proposals", actors.partner(areas=(BRAKEL,)), {
        "person": person(), "area_id": HOEXTER, "topic_areas": ["health"]})

    assert response.status_code == 403


def test_an_accepted_decision_needs_the_case_manager_named(api, actors):
    proposal = propose(api)

    response = api.post(f"/case-proposals/{proposal['id']}/decision", actors.coordinator(),
                        {"outcome": "accepted"})

    assert response.status_code == 422
    assert sorted(e["field"] for e in response.get_json()["errors"]) == [
        "case_manager_id", "case_manager_org_id"]


def test_a_proposal_is_decided_once(api, actors):
    proposal = propose(api)
    decision = {"outcome": "referred", "referral": {"org_id": "org-jmd", "topic": "education"}}
    path = f"/case-proposals/{proposal['id']}/decision"

    assert api.post(path, actors.coordinator(), decision).status_code == 200
    assert api.post(path, actors.coordinator(), decision).status_code == 409


def test_submitting_and_the_offices_list_are_audited(api, actors, intake, tenant):
    propose(api)
    (listed,) = api.get("/case-proposals", actors.coordinator()).get_json()

    trail = [(e.actor, e.action, e.record_id, e.reason) for e in audit_entries(intake, tenant)]
    assert trail == [("awo-beratung", "create", listed["intake_id"], "case_proposal"),
                     ("ks-koch", "read", listed["intake_id"], "list:case_proposals")]
