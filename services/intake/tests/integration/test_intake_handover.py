"""The handover to casework (docs/intake.md): a machine client of the tenant fetches the
package of an admitted case; the county's intake releases it on the counselling agreement and
the data-protection information; every release is audited."""

from __future__ import annotations

import pytest

from intake_helpers import audit_entries, person

pytestmark = pytest.mark.integration


def test_casework_receives_person_screening_admission_consents_and_history(api, actors):
    intake_id = api.record(who=person(given="Ali", family="Rahimi"))["id"]
    api.screen(intake_id, topics=("residence", "language", "work_training"))
    api.decide(intake_id, "guidance")
    api.decide(intake_id, "case_management")
    api.consent(intake_id, "data_protection_information", language="fa")
    api.consent(intake_id, "counselling_agreement")
    api.consent(intake_id, "release_of_confidentiality", partner_org_id="org-abh",
                topic_areas=["residence"])
    assert api.admit(intake_id, justification="Einzelfall").status_code == 201

    response = api.get(f"/handovers/{intake_id}", actors.casework_client())

    assert response.status_code == 200, response.get_json()
    package = response.get_json()
    assert package["intake_id"] == intake_id
    assert package["operator_org_id"] == ""
    assert package["released_under"] == "counselling_agreement"
    assert package["person"]["given_name"] == "Ali"
    assert package["person"]["contact"]["phone"] == "+49 5271 123456"
    assert package["screening"]["topic_areas"] == ["residence", "language", "work_training"]
    assert len(package["screening"]["criteria"]) == 5
    assert "facts" not in package["screening"]
    assert package["admission"]["case_manager_id"] == "cm-hoexter"
    assert sorted(c["kind"] for c in package["consents"]) == [
        "counselling_agreement", "data_protection_information", "release_of_confidentiality"]
    assert [(h["revision"], h["depth"]) for h in package["counselling_history"]] == [
        (1, "guidance"), (2, "case_management")]


def test_the_release_is_audited_as_an_export_by_the_machine_client_for_the_handover(
    api, actors, intake, tenant
):
    intake_id = api.admitted()

    api.get(f"/handovers/{intake_id}", actors.casework_client())

    last = audit_entries(intake, tenant)[-1]
    assert (last.actor, last.action, last.record_id, last.reason) == (
        "casework", "export", intake_id, "handover")


def test_a_user_even_with_the_service_role_gets_no_handover(api, actors):
    intake_id = api.admitted()
    user = actors.token("someone", "org-kreis", ["service", "coordinator"])

    assert api.get(f"/handovers/{intake_id}", user).status_code == 403
    assert api.get(f"/handovers/{intake_id}", actors.coordinator()).status_code == 403


def test_a_case_that_is_not_admitted_has_no_handover(api, actors):
    intake_id = api.ready_for_admission()

    response = api.get(f"/handovers/{intake_id}", actors.casework_client())

    assert response.status_code == 409
    assert [e["field"] for e in response.get_json()["errors"]] == ["admission"]


def test_a_machine_client_of_another_tenant_finds_nothing(api, actors):
    import uuid

    intake_id = api.admitted()
    stranger = actors.token("client", "org", ["service"], tenant=uuid.uuid4(), client_id="cw")

    assert api.get(f"/handovers/{intake_id}", stranger).status_code == 404
