"""Admission to KIM case management: refused with a 409 that says what is missing without the
counselling agreement and the data-protection information; only after a decision for case
management; outside every valid target group only with a justification; and published without
names."""

from __future__ import annotations

import pytest

from intake_helpers import STADT_HOEXTER, define_groups, events
from lotse.kim.v1 import vocabulary_pb2 as kim

pytestmark = pytest.mark.integration

ADMITTED = "intake.case.admitted.v1"
MISSING = ["consents.counselling_agreement", "consents.data_protection_information"]


def errors(response) -> list[str]:
    return [e["field"] for e in response.get_json()["errors"]]


def decided_for_case_management(api) -> str:
    intake_id = api.record()["id"]
    api.screen(intake_id)
    api.decide(intake_id, "case_management")
    return intake_id


def test_admission_without_counselling_agreement_and_data_protection_information_is_refused(api):
    intake_id = decided_for_case_management(api)

    response = api.admit(intake_id, justification="x")

    problem = response.get_json()
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert problem["type"] == "urn:lotse:problem:consent-missing"
    assert errors(response) == MISSING
    assert "counselling agreement" in problem["detail"]
    assert "data-protection information" in problem["detail"]


def test_admission_with_only_the_data_protection_information_names_the_agreement(api):
    intake_id = decided_for_case_management(api)
    api.consent(intake_id, "data_protection_information")

    response = api.admit(intake_id, justification="x")

    assert response.status_code == 409
    assert errors(response) == ["consents.counselling_agreement"]


def test_an_agreement_that_is_withdrawn_or_expired_does_not_count(api):
    withdrawn = decided_for_case_management(api)
    api.consent(withdrawn, "data_protection_information")
    agreement = api.consent(withdrawn, "counselling_agreement")
    api.post(f"/intakes/{withdrawn}/consents/{agreement['id']}/withdrawal",
             api.actors.case_manager())
    expired = decided_for_case_management(api)
    api.consent(expired, "data_protection_information")
    api.consent(expired, "counselling_agreement", given_on="2024-01-10", valid_until="2024-12-31")

    assert errors(api.admit(withdrawn, justification="x")) == ["consents.counselling_agreement"]
    assert errors(api.admit(expired, justification="x")) == ["consents.counselling_agreement"]


def test_admission_without_a_decision_for_case_management_is_a_conflict(api):
    intake_id = api.record()["id"]
    api.screen(intake_id)
    api.decide(intake_id, "accompaniment")
    api.consent(intake_id, "data_protection_information")
    api.consent(intake_id, "counselling_agreement")

    response = api.admit(intake_id, justification="x")

    assert response.status_code == 409
    assert errors(response) == ["decisions"]


def test_admission_without_a_screening_is_refused_naming_it(api):
    intake_id = api.record()["id"]
    api.decide(intake_id, "case_management")
    api.consent(intake_id, "data_protection_information")
    api.consent(intake_id, "counselling_agreement")

    response = api.admit(intake_id, justification="x")

    assert response.status_code == 409
    assert errors(response) == ["screening"]


def test_admission_outside_every_valid_target_group_needs_a_justification(api):
    intake_id = api.ready_for_admission()

    response = api.admit(intake_id)

    assert response.status_code == 422
    assert errors(response) == ["justification"]


def test_admission_in_a_target_group_needs_no_justification_and_publishes_the_facts_only(
    api, intake, tenant
):
    (group,) = define_groups(api, [{"name": "Geduldete", "valid_from": "2023-01-01",
                                    "conditions": {"residence_statuses": ["duldung"]}}])
    intake_id = api.record()["id"]
    api.screen(intake_id, facts={"residence_statuses": ["duldung"]}, topics=("residence",))
    api.decide(intake_id)
    api.consent(intake_id, "data_protection_information")
    api.consent(intake_id, "counselling_agreement")

    response = api.admit(intake_id)

    assert response.status_code == 201, response.get_json()
    admission = response.get_json()
    assert (admission["case_manager_id"], admission["case_manager_org_id"]) == (
        "cm-hoexter", STADT_HOEXTER)
    assert (admission["target_group_ids"], admission["outside_target_groups"]) == ([group], False)
    (admitted,) = events(intake, tenant, ADMITTED)
    assert (admitted.intake_id, admitted.case_manager_id, admitted.case_manager_org_id) == (
        intake_id, "cm-hoexter", STADT_HOEXTER)
    assert list(admitted.target_group_ids) == [group]
    assert list(admitted.topic_areas) == [kim.TOPIC_AREA_RESIDENCE]
    assert admitted.operator_org_id == ""
    intake_now = api.get(f"/intakes/{intake_id}", api.actors.case_manager()).get_json()
    assert intake_now["status"] == "admitted"


def test_the_office_admits_for_a_named_case_manager_and_must_name_her(api):
    intake_id = api.ready_for_admission()
    office = api.actors.coordinator()

    unnamed = api.admit(intake_id, office, justification="x")
    named = api.admit(intake_id, office, justification="x", case_manager_id="cm-hoexter",
                      case_manager_org_id=STADT_HOEXTER)

    assert unnamed.status_code == 422
    assert errors(unnamed) == ["case_manager_id"]
    assert named.status_code == 201


def test_a_second_admission_and_a_revision_after_admission_are_conflicts(api):
    intake_id = api.admitted()

    assert api.admit(intake_id, justification="x").status_code == 409
    response = api.post(f"/intakes/{intake_id}/decisions", api.actors.case_manager(),
                        {"depth": "no_need"})
    assert response.status_code == 409
    assert "already in case management" in response.get_json()["detail"]
