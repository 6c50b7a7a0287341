"""Consents: data-protection information, releases of confidentiality per partner and problem
area, the counselling agreement; withdrawal takes effect at once, is published at once, and
stops the handover."""

from __future__ import annotations

import pytest

from intake_helpers import days_ago, drain, events
from lotse.kim.v1 import vocabulary_pb2 as kim
from lotse_platform.testing import Running, poll

pytestmark = pytest.mark.integration


def fields(response) -> list[str]:
    return [e["field"] for e in response.get_json()["errors"]]


def test_a_release_of_confidentiality_names_partner_problem_areas_and_validity(
    api, intake, tenant
):
    intake_id = api.record()["id"]

    release = api.consent(intake_id, "release_of_confidentiality", partner_org_id="org-jobcenter",
                          topic_areas=["work_training", "livelihood"],
                          valid_from=days_ago(1), valid_until=days_ago(-365))

    assert (release["partner_org_id"], release["topic_areas"]) == (
        "org-jobcenter", ["work_training", "livelihood"])
    assert release["withdrawn"] is False
    (given,) = events(intake, tenant, "intake.consent.given.v1")
    assert (given.kind, given.partner_org_id, list(given.topic_areas)) == (
        kim.CONSENT_KIND_RELEASE_OF_CONFIDENTIALITY, "org-jobcenter",
        [kim.TOPIC_AREA_WORK_TRAINING, kim.TOPIC_AREA_LIVELIHOOD])
    assert (given.valid_from, given.valid_until) == (days_ago(1), days_ago(-365))


@pytest.mark.parametrize("body, field", [
    ({"kind": "release_of_confidentiality", "topic_areas": ["health"]}, "partner_org_id"),
    ({"kind": "release_of_confidentiality", "partner_org_id": "org-x"}, "topic_areas"),
    ({"kind": "data_protection_information"}, "language"),
    ({"kind": "counselling_agreement", "partner_org_id": "org-x"}, "partner_org_id"),
    ({"kind": "counselling_agreement", "valid_until": days_ago(30)}, "valid_until"),
    ({"kind": "consent_to_everything"}, "kind"),
    ({"kind": "release_of_confidentiality", "partner_org_id": "org-x",
      "topic_areas": ["health", "sorrows"]}, "topic_areas.1"),
])
def test_an_incomplete_or_unknown_consent_is_refused_naming_the_field(api, body, field):
    intake_id = api.record()["id"]

    response = api.post(f"/intakes/{intake_id}/consents", api.actors.case_manager(),
                        {"given_on": days_ago(1), **body})

    assert response.status_code == 422
    assert fields(response) == [field]


def test_data_protection_information_records_date_and_language(api):
    intake_id = api.record()["id"]

    information = api.consent(intake_id, "data_protection_information", language="ti")

    assert (information["kind"], information["given_on"], information["language"]) == (
        "data_protection_information", days_ago(1), "ti")


def test_every_consent_can_be_withdrawn_once(api):
    # 001 L240: "Da es sich beim Case Management um ein freiwilliges Angebot handelt …
    # die datenschutzrechtliche Einwilligungserklärung" — voluntary, so always withdrawable
    intake_id = api.record()["id"]
    withdraw = f"/intakes/{intake_id}/consents/{{}}/withdrawal"
    given = [api.consent(intake_id, "data_protection_information"),
             api.consent(intake_id, "counselling_agreement"),
             api.consent(intake_id, "release_of_confidentiality", partner_org_id="org-jobcenter",
                         topic_areas=["work_training"])]

    for consent in given:
        first = api.post(withdraw.format(consent["id"]), api.actors.case_manager())
        again = api.post(withdraw.format(consent["id"]), api.actors.case_manager())
        assert (first.status_code, first.get_json()["withdrawn"]) == (200, True), consent["kind"]
        assert again.status_code == 409, consent["kind"]


def test_withdrawing_the_data_protection_consent_stops_the_handover_and_tells_casework(
    api, intake, tenant
):
    # 001 L240: "die datenschutzrechtliche Einwilligungserklärung zum Case Management" — a
    # consent; withdrawn, nothing more is handed over and casework learns it from the event
    intake_id = api.admitted()
    information = next(c for c in api.get(f"/intakes/{intake_id}", api.actors.case_manager())
                       .get_json()["consents"] if c["kind"] == "data_protection_information")
    client = api.actors.casework_client()
    assert api.get(f"/handovers/{intake_id}", client).status_code == 200

    withdrawn = api.post(f"/intakes/{intake_id}/consents/{information['id']}/withdrawal",
                         api.actors.case_manager())
    refused = api.get(f"/handovers/{intake_id}", client)
    current = api.get(f"/intakes/{intake_id}/consents/current?consent_id={information['id']}",
                      client)

    assert withdrawn.status_code == 200
    assert refused.status_code == 409
    assert fields(refused) == ["consents.data_protection_information"]
    assert current.get_json()["consents"][0]["withdrawn"] is True
    (event,) = events(intake, tenant, "intake.consent.withdrawn.v1")
    assert (event.consent_id, event.kind, event.withdrawn_on) == (
        information["id"], kim.CONSENT_KIND_DATA_PROTECTION_INFORMATION, days_ago(0))


def test_withdrawal_takes_effect_at_once_is_published_at_once_and_stops_the_handover(
    api, intake, tenant, county_flow
):
    intake_id = api.admitted()
    agreement = next(c for c in api.get(f"/intakes/{intake_id}", api.actors.case_manager())
                     .get_json()["consents"] if c["kind"] == "counselling_agreement")
    client = api.actors.casework_client()
    assert api.get(f"/handovers/{intake_id}", client).status_code == 200

    withdrawn = api.post(f"/intakes/{intake_id}/consents/{agreement['id']}/withdrawal",
                         api.actors.case_manager())
    refused = api.get(f"/handovers/{intake_id}", client)

    assert withdrawn.status_code == 200
    assert (withdrawn.get_json()["withdrawn"], withdrawn.get_json()["withdrawn_on"]) == (
        True, days_ago(0))
    assert refused.status_code == 409
    assert refused.get_json()["type"] == "urn:lotse:problem:consent-missing"
    assert fields(refused) == ["consents.counselling_agreement"]

    connection, queue = county_flow
    arrived = []
    with Running(intake.relay().run):
        poll(lambda: arrived.extend(m for m in drain(connection, queue)
                                    if m[1].tenant == tenant)
             or any(m[1].type == "intake.consent.withdrawn.v1" for m in arrived),
             timeout=20, message="the withdrawal to reach the county's queue")
    (routing_key, envelope, event) = next(m for m in arrived
                                         if m[1].type == "intake.consent.withdrawn.v1")
    assert routing_key == "intake.consent.withdrawn.v1"
    assert (event.intake_id, event.consent_id, event.kind, event.withdrawn_on) == (
        intake_id, agreement["id"], kim.CONSENT_KIND_COUNSELLING_AGREEMENT, days_ago(0))
    assert envelope.subject == intake_id
