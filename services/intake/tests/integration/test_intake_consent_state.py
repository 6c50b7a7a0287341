"""The current state of consents for casework's check at the moment of sharing (ADR 0053,
docs/intake.md): a machine client of the tenant asks for exactly the consents a sharing rests
on and gets ids, kinds, partners, topics and dates — a withdrawal as soon as it was answered,
ids the intake does not have as unknown, nothing for people or other tenants."""

from __future__ import annotations

import uuid

import pytest

pytestmark = pytest.mark.integration


def _state(api, token, intake_id, *consent_ids):
    return api.get(f"/intakes/{intake_id}/consents/current", token,
                   query=[("consent_id", str(i)) for i in consent_ids])


def test_casework_gets_the_consents_it_asked_for_without_names(api, actors):
    intake_id = api.admitted()
    release = api.consent(intake_id, "release_of_confidentiality", partner_org_id="org-caritas",
                          topic_areas=["housing", "health"])
    other = api.consent(intake_id, "release_of_confidentiality", partner_org_id="org-awo",
                        topic_areas=["debts"])

    response = _state(api, actors.casework_client(), intake_id, release["id"])

    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    assert answer["intake_id"] == intake_id and answer["unknown"] == []
    assert answer["as_of"]
    (consent,) = answer["consents"]
    assert consent == {"id": release["id"], "kind": "release_of_confidentiality",
                       "partner_org_id": "org-caritas", "topic_areas": ["housing", "health"],
                       "valid_from": release["valid_from"], "valid_until": None,
                       "withdrawn": False, "withdrawn_on": None}
    assert other["id"] not in str(answer), "only the consents asked for"
    assert "recorded_by" not in consent and "language" not in consent


def test_a_withdrawal_is_in_the_next_answer_at_once(api, actors):
    intake_id = api.admitted()
    release = api.consent(intake_id, "release_of_confidentiality", partner_org_id="org-caritas",
                          topic_areas=["housing"])
    withdrawn = api.post(f"/intakes/{intake_id}/consents/{release['id']}/withdrawal",
                         actors.case_manager())
    assert withdrawn.status_code == 200

    (consent,) = _state(api, actors.casework_client(), intake_id,
                        release["id"]).get_json()["consents"]

    assert consent["withdrawn"] is True and consent["withdrawn_on"]


def test_ids_the_intake_does_not_have_are_unknown(api, actors):
    intake_id = api.admitted()
    stranger, nowhere = uuid.uuid4(), uuid.uuid4()

    answer = _state(api, actors.casework_client(), intake_id, stranger).get_json()
    assert answer["consents"] == [] and answer["unknown"] == [str(stranger)]

    answer = _state(api, actors.casework_client(), nowhere, stranger).get_json()
    assert answer["consents"] == [] and answer["unknown"] == [str(stranger)], \
        "an intake the tenant does not have knows no consent"


def test_people_and_other_tenants_get_nothing(api, actors):
    intake_id = api.admitted()
    release = api.consent(intake_id, "release_of_confidentiality", partner_org_id="org-caritas",
                          topic_areas=["housing"])
    user = actors.token("someone", "org-kreis", ["service", "coordinator"])
    stranger = actors.token("client", "org", ["service"], tenant=uuid.uuid4(), client_id="cw")

    assert _state(api, user, intake_id, release["id"]).status_code == 403
    assert _state(api, actors.case_manager(), intake_id, release["id"]).status_code == 403
    answer = _state(api, stranger, intake_id, release["id"]).get_json()
    assert answer["consents"] == [] and answer["unknown"] == [release["id"]]


def test_the_question_names_at_least_one_consent_by_its_id(api, actors):
    intake_id = api.admitted()

    assert _state(api, actors.casework_client(), intake_id).status_code == 422
    assert _state(api, actors.casework_client(), intake_id, "not-an-id").status_code == 422
