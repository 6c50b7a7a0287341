"""Every organisation, area and case manager the intake is given must be one identity
published (ADR 0054): an unknown or disabled one is a 422 naming the field, and nothing is
written or announced. What was recorded with a reference that is disabled later stays as it was
and readable."""

from __future__ import annotations

import uuid

import pytest

from intake_helpers import HOEXTER, STADT_HOEXTER, events, outbox_rows, person
from lotse.identity.v1 import events_pb2 as identity
from lotse_platform.contracts import event_type_of
from lotse_platform.references import replica
from lotse_platform.testing import days_ago

pytestmark = pytest.mark.integration

UNKNOWN = str(uuid.uuid4())


def refused_fields(response) -> list[str]:
    assert response.status_code == 422, response.get_json()
    document = response.get_json()
    assert document["type"] == "urn:lotse:problem:unknown-reference", document["errors"]
    return [e["field"] for e in document["errors"]]


def identity_publishes(intake, tenant, event) -> None:
    """What the intake's consumer does with identity's event (the replica's own handler)."""
    with intake.uow(tenant) as uow:
        replica.HANDLERS[event_type_of(event)](event, None, uow)
        uow.commit()


def test_a_first_contact_in_an_unknown_area_or_from_an_unknown_referrer_writes_nothing(
        api, intake, tenant):
    before = len(outbox_rows(intake, tenant))
    body = {"person": person(), "access_path": "partner_referral", "contact_date": days_ago(1)}
    cm = api.actors.case_manager(areas=(HOEXTER, UNKNOWN))

    assert refused_fields(api.post("/intakes", cm, {
        **body, "area_id": UNKNOWN, "referring_org_id": "org-awo"})) == ["area_id"]
    assert refused_fields(api.post("/intakes", cm, {
        **body, "area_id": HOEXTER, "referring_org_id": UNKNOWN})) == ["referring_org_id"]
    assert refused_fields(api.post("/case-proposals", api.actors.partner(areas=(UNKNOWN,)), {
        "person": person(), "area_id": UNKNOWN, "topic_areas": ["housing"]})) == ["area_id"]
    assert len(outbox_rows(intake, tenant)) == before, "nothing announced"
    assert api.get("/intakes/awaiting-decision", api.actors.coordinator()).get_json() == []


def test_a_release_a_referral_and_an_admission_must_name_what_identity_published(api, intake,
                                                                                   tenant):
    intake_id = api.ready_for_admission()
    cm = api.actors.case_manager()
    release = {"kind": "release_of_confidentiality", "given_on": days_ago(1),
               "topic_areas": ["housing"]}
    assert refused_fields(api.post(f"/intakes/{intake_id}/consents", cm,
                                   {**release, "partner_org_id": UNKNOWN})) == ["partner_org_id"]
    assert refused_fields(api.admit(intake_id, cm, justification="KS",
                                    case_manager_id="cm-unknown",
                                    case_manager_org_id=UNKNOWN)) == [
        "case_manager_org_id", "case_manager_id"]
    wrong_organisation = api.admit(intake_id, cm, justification="KS",
                                   case_manager_id="cm-kreis",
                                   case_manager_org_id=STADT_HOEXTER)
    assert wrong_organisation.get_json()["errors"] == [{
        "field": "case_manager_id",
        "message": "this user does not belong to the organisation in case_manager_org_id"}]
    assert events(intake, tenant, "intake.case.admitted.v1") == []

    referred = api.record()["id"]
    api.screen(referred)
    assert refused_fields(api.post(f"/intakes/{referred}/decisions", cm, {
        "depth": "referral", "referral": {"org_id": UNKNOWN, "topic": "language"}})) == [
        "referral.org_id"]
    assert refused_fields(api.post("/target-groups", api.actors.tenant_admin(), {
        "name": "Zielgruppe", "conditions": {}, "valid_from": days_ago(0),
        "area_ids": [HOEXTER, UNKNOWN]})) == ["area_ids.1"]


def test_a_partner_disabled_later_is_refused_from_then_on_and_what_was_given_stays_readable(
        api, intake, tenant):
    intake_id = api.record()["id"]
    given = api.consent(intake_id, "release_of_confidentiality", partner_org_id="org-caritas",
                        topic_areas=["housing"])
    identity_publishes(intake, tenant, identity.OrganisationChanged(
        organisation_id="org-caritas", kind="welfare_provider", active=False, version=2))

    again = api.post(f"/intakes/{intake_id}/consents", api.actors.case_manager(), {
        "kind": "release_of_confidentiality", "given_on": days_ago(0),
        "partner_org_id": "org-caritas", "topic_areas": ["health"]})
    assert again.get_json()["errors"] == [{"field": "partner_org_id",
                                           "message": "this organisation is disabled"}]
    kept = api.get(f"/intakes/{intake_id}", api.actors.case_manager()).get_json()["consents"]
    assert [(c["id"], c["partner_org_id"]) for c in kept] == [(given["id"], "org-caritas")]
