"""Every organisation and colleague a case names must be one identity published (ADR 0054):
a conference participant, a responsible partner of a goal or step, an agreed action's partner,
the second staff member of a home visit. An unknown or disabled one is a 422 naming the field
and nothing is written; what was recorded before a partner was disabled stays readable."""

from __future__ import annotations

import uuid

import pytest

from lotse.identity.v1 import events_pb2 as identity
from lotse_platform.references import ORGANISATION
from lotse_platform.testing import Running, days_ahead, poll

from casework_support import open_test_case, publish_event
from casework_steps import drive, goal, ok

pytestmark = pytest.mark.integration

UNKNOWN = str(uuid.uuid4())


def refused_fields(response) -> list[str]:
    body = response.get_json()
    assert response.status_code == 422, body
    assert body["type"] == "urn:lotse:problem:unknown-reference", body
    return [e["field"] for e in body["errors"]]


def test_partners_and_colleagues_a_case_names_must_be_known(casework, tenant, as_user):
    case_id = open_test_case(casework, tenant, "cm-lea", releases=[
        {"partner_org_id": "org-caritas", "topic_areas": ["housing"]}])
    lea = as_user("cm-lea")

    conference = {"planned_on": days_ahead(7), "topics": ["housing"], "agenda": "Wohnung"}
    assert refused_fields(lea.post(f"/cases/{case_id}/conferences", {
        **conference, "participants": [{"organisation_id": "org-caritas"},
                                       {"organisation_id": UNKNOWN}]})) == [
        "participants.1.organisation_id"]
    planned = ok(lea.post(f"/cases/{case_id}/conferences", conference), 201)
    assert refused_fields(lea.post(
        f"/cases/{case_id}/conferences/{planned['id']}/participants",
        {"organisation_id": UNKNOWN})) == ["organisation_id"]
    assert refused_fields(lea.post(
        f"/cases/{case_id}/conferences/{planned['id']}/held",
        {"held_on": days_ahead(0), "minutes": "Protokoll", "actions": [
            {"action": "Wohnungssuche", "responsible": "partner_organisation",
             "responsible_org_id": UNKNOWN, "due_on": None}]})) == [
        "actions.0.responsible_org_id"]

    drive(lea, case_id, "goal_agreement")
    assert refused_fields(lea.post(f"/cases/{case_id}/goals", goal(
        topic_area="housing", responsible="partner_organisation",
        responsible_org_id=UNKNOWN))) == ["responsible_org_id"]
    assert refused_fields(lea.post(f"/cases/{case_id}/contacts", {
        "type": "home_visit", "occurred_on": days_ahead(0), "duration_minutes": 60,
        "topics": ["housing"], "client_agreement": True,
        "second_staff_id": UNKNOWN})) == ["second_staff_id"]

    case = lea.get(f"/cases/{case_id}").get_json()
    assert [c["participants"] for c in case["conferences"]] == [[]], "nothing written"


def test_a_partner_identity_disables_is_refused_from_then_on_and_stays_in_history(
        casework, broker_url, tenant, as_user):
    partner = str(uuid.uuid4())
    case_id = open_test_case(casework, tenant, "cm-lea", releases=[
        {"partner_org_id": partner, "topic_areas": ["housing"]}])
    lea = as_user("cm-lea")

    def known() -> bool | None:
        with casework.uow(tenant) as uow:
            found = uow.references.known(ORGANISATION, [partner])
            return found[partner].active if partner in found else None

    conference = {"planned_on": days_ahead(7), "topics": ["housing"], "agenda": "Wohnung",
                  "participants": [{"organisation_id": partner}]}
    with Running(casework.consumer().run):
        publish_event(broker_url, tenant, identity.OrganisationCreated(
            organisation_id=partner, kind="welfare_provider", active=True, version=1))
        poll(lambda: known() is True, message="identity's organisation event")
        ok(lea.post(f"/cases/{case_id}/conferences", conference), 201)
        publish_event(broker_url, tenant, identity.OrganisationChanged(
            organisation_id=partner, kind="welfare_provider", active=False, version=2))
        poll(lambda: known() is False, message="identity's disabled organisation")

    assert lea.post(f"/cases/{case_id}/conferences", conference).get_json()["errors"] == [
        {"field": "participants.0.organisation_id", "message": "this organisation is disabled"}]
    case = lea.get(f"/cases/{case_id}").get_json()
    assert [p["organisation_id"] for c in case["conferences"] for p in c["participants"]] == [
        partner]
