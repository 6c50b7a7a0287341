"""Recording a first contact and reading it: validation names the field, enumerations are
closed, every read and write of the person is audited, and access follows area and tenant."""

from __future__ import annotations

import uuid

import pytest

from intake_helpers import (
    BRAKEL,
    HOEXTER,
    STADT_HOEXTER,
    audit_entries,
    days_ago,
    events,
    outbox_rows,
    person,
    screening_form,
)

pytestmark = pytest.mark.integration


def fields(response) -> list[str]:
    return [e["field"] for e in response.get_json().get("errors", [])]


def test_a_first_contact_is_recorded_with_person_access_path_referrer_area_date_and_note(api):
    intake = api.record(access_path="partner_referral", referring_org_id="org-caritas",
                        note="kam mit der Nachbarin")

    assert intake["status"] == "recorded"
    assert intake["access_path"] == "partner_referral"
    assert intake["referring_org_id"] == "org-caritas"
    assert intake["area_id"] == HOEXTER
    assert intake["person"]["given_name"] == "Amina"
    assert intake["person"]["languages"] == ["ar", "de"]
    assert intake["person"]["interpreter_needed"] is True
    assert intake["responsible_id"] == "cm-hoexter"


@pytest.mark.parametrize("access_path", [
    "partner_referral", "administration_referral", "outreach", "self_referral", "word_of_mouth",
    "town_assignment", "immigration_office_screening", "case_proposal", "handover_after_move"])
def test_every_access_path_can_be_recorded_and_is_published_as_its_contract_value(
    api, intake, tenant, access_path
):
    api.record(access_path=access_path, referring_org_id="org-abh")

    (recorded,) = events(intake, tenant, "intake.contact.recorded.v1")
    assert recorded.access_path == ["", "partner_referral", "administration_referral",
                                    "outreach", "self_referral", "word_of_mouth",
                                    "town_assignment", "immigration_office_screening",
                                    "case_proposal", "handover_after_move"].index(access_path)


def test_an_unknown_access_path_is_refused_naming_the_field_not_defaulted(api, actors):
    response = api.post("/intakes", actors.case_manager(), {
        "person": person(), "access_path": "walk_in", "area_id": HOEXTER,
        "contact_date": days_ago(1)})

    assert response.status_code == 422
    assert fields(response) == ["access_path"]


def test_a_missing_name_and_a_malformed_birth_date_are_named_with_their_paths(api, actors):
    who = person(born="12.04.1990")
    del who["given_name"]
    response = api.post("/intakes", actors.case_manager(), {
        "person": who, "access_path": "outreach", "area_id": HOEXTER,
        "contact_date": days_ago(1)})

    assert response.status_code == 422
    assert sorted(fields(response)) == ["person.date_of_birth", "person.given_name"]


def test_a_referral_by_a_partner_without_the_referring_organisation_is_refused(api, actors):
    response = api.post("/intakes", actors.case_manager(), {
        "person": person(), "access_path": "partner_referral", "area_id": HOEXTER,
        "contact_date": days_ago(1)})

    assert response.status_code == 422
    assert fields(response) == ["referring_org_id"]


def test_a_first_contact_in_the_future_is_refused(api, actors):
    response = api.post("/intakes", actors.case_manager(), {
        "person": person(), "access_path": "outreach", "area_id": HOEXTER,
        "contact_date": days_ago(-2)})

    assert response.status_code == 422
    assert fields(response) == ["contact_date"]


def test_recording_and_reading_are_audited_with_caller_record_and_purpose(api, actors, intake,
                                                                          tenant):
    intake_id = api.record()["id"]
    response = api.get(f"/intakes/{intake_id}", actors.case_manager())

    assert response.status_code == 200
    trail = [(e.actor, e.action, e.record_type, e.record_id, e.reason)
             for e in audit_entries(intake, tenant)]
    assert trail == [("cm-hoexter", "create", "intake", intake_id, "first_contact"),
                     ("cm-hoexter", "read", "intake", intake_id, "view")]


def test_a_case_manager_of_another_area_may_not_read_or_work_the_intake(api, actors):
    intake_id = api.record()["id"]
    brakel = actors.case_manager("cm-brakel", areas=(BRAKEL,))

    assert api.get(f"/intakes/{intake_id}", brakel).status_code == 403
    assert api.post(f"/intakes/{intake_id}/decisions", brakel,
                    {"depth": "information"}).status_code == 403
    assert api.post("/intakes", brakel, {"person": person(), "access_path": "outreach",
                                         "area_id": HOEXTER,
                                         "contact_date": days_ago(1)}).status_code == 403


def test_every_change_to_an_intake_of_another_area_is_refused_403_and_changes_nothing(
        api, actors, intake, tenant):
    intake_id = api.ready_for_admission()
    consent_id = api.consent(intake_id, "release_of_confidentiality", partner_org_id="org-jmd",
                             topic_areas=["education"])["id"]
    written = (len(outbox_rows(intake, tenant)), len(audit_entries(intake, tenant)))
    brakel = actors.case_manager("cm-brakel", areas=(BRAKEL,))

    attempts = {
        "first contact": api.post("/intakes", brakel, {
            "person": person(), "access_path": "outreach", "area_id": HOEXTER,
            "contact_date": days_ago(1)}),
        "screening": api.put(f"/intakes/{intake_id}/screening", brakel, screening_form()),
        "decision": api.post(f"/intakes/{intake_id}/decisions", brakel, {"depth": "information"}),
        "consent": api.post(f"/intakes/{intake_id}/consents", brakel, {
            "kind": "counselling_agreement", "given_on": days_ago(1)}),
        "withdrawal": api.post(f"/intakes/{intake_id}/consents/{consent_id}/withdrawal", brakel),
        "admission": api.post(f"/intakes/{intake_id}/admission", brakel,
                              {"justification": "Einzelfallentscheidung der KS"}),
    }

    for what, response in attempts.items():
        assert response.status_code == 403, (what, response.get_json())
        assert response.mimetype == "application/problem+json", what
        problem = response.get_json()
        assert (problem["type"], problem["detail"]) == (
            "urn:lotse:problem:forbidden", "the target's area is not among the caller's areas"), what
    assert (len(outbox_rows(intake, tenant)), len(audit_entries(intake, tenant))) == written
    assert api.get(f"/intakes/{intake_id}", actors.case_manager()).get_json()["status"] == \
        "decided"


def test_the_coordinating_office_reads_intakes_of_every_area(api, actors):
    intake_id = api.record()["id"]

    assert api.get(f"/intakes/{intake_id}", actors.coordinator()).status_code == 200


def test_a_partner_may_not_read_an_intake(api, actors):
    intake_id = api.record()["id"]

    assert api.get(f"/intakes/{intake_id}", actors.partner()).status_code == 403


def test_a_user_of_another_tenant_gets_404_for_every_id_of_this_tenant_and_changes_nothing(
        api, actors, intake, tenant):
    intake_id = api.record()["id"]
    consent_id = api.consent(intake_id, "counselling_agreement")["id"]
    written = (len(outbox_rows(intake, tenant)), len(audit_entries(intake, tenant)))
    stranger = actors.token("ks-other", "org-other", ["coordinator"], tenant=uuid.uuid4())

    # each request valid as it stands: only the tenant can make it a 404
    attempts = {
        "read": api.get(f"/intakes/{intake_id}", stranger),
        "screening": api.put(f"/intakes/{intake_id}/screening", stranger, screening_form()),
        "decision": api.post(f"/intakes/{intake_id}/decisions", stranger, {"depth": "no_need"}),
        "withdrawal": api.post(f"/intakes/{intake_id}/consents/{consent_id}/withdrawal",
                               stranger),
        "admission": api.post(f"/intakes/{intake_id}/admission", stranger, {
            "justification": "Einzelfallentscheidung der KS", "case_manager_id": "cm-hoexter",
            "case_manager_org_id": STADT_HOEXTER}),
    }

    for what, response in attempts.items():
        assert response.status_code == 404, (what, response.get_json())
        assert response.get_json()["type"] == "urn:lotse:problem:not-found", what
    assert (len(outbox_rows(intake, tenant)), len(audit_entries(intake, tenant))) == written
    # the same screening by the intake's own case manager is accepted
    assert api.put(f"/intakes/{intake_id}/screening", actors.case_manager(),
                   screening_form()).status_code == 200


def test_without_a_token_nothing_is_answered(api):
    assert api.get("/intakes/mine", None).status_code == 401
