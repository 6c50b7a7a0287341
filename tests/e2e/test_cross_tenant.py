"""Tenant isolation end to end: a second county, set up with ``lotse-identity create-tenant``
(its administrator logs in through the console's authorization code flow and creates her
coordinator and case manager), asks every service through the gateway with the demo county's
ids. Every answer is 404 — never the record, never 403 (which would say the id exists).

Each caller asks only what her role may ask in her own county: a refusal by role alone is the
same 403 for every id (the role check comes before any lookup) and tells nothing about the id.
"""

from __future__ import annotations

import json
import uuid

import pytest
from lotse_platform.testing import days_ago

from lotse_demo import COUNTY
from lotse_demo.county import demo_id

pytestmark = [pytest.mark.integration, pytest.mark.slow]

REDIRECT = "http://127.0.0.1:5173/console/callback"
PASSWORD = "lippe-ist-schoen-2026"

# the demo county's (tenant A's) records
CM_HOEXTER = COUNTY.user("cm.hoexter")
AWO = demo_id("org:awo")
HOEXTER = str(demo_id("area:hoexter"))
INTAKE_1 = demo_id("intake:1")
CONSENT_1 = demo_id("intake:1:consent:1")
PROPOSAL_1 = demo_id("case-proposal:1")
TARGET_GROUP = demo_id("target-group:recognised-refugees")
CASE = demo_id("case:intake-1")
AWO_INTAKE_CLIENT = uuid.uuid5(AWO, "awo-intake")


@pytest.fixture(scope="module")
def lippe(platform):
    """Kreis Lippe: its administrator, a coordinator and a case manager, each with a token."""
    created = json.loads(platform.cli(
        "identity", "create-tenant", "--key", "kreis-lippe", "--name", "Kreis Lippe",
        "--redirect-uri", REDIRECT).splitlines()[0])
    console = created["console_client_id"]
    admin = platform.code_login(console, REDIRECT, created["admin_username"],
                                created["admin_password"])
    area = platform.call("POST", "identity", "/areas", admin,
                         json_body={"name": "Detmold", "kind": "town"})
    assert area.status == 201, area.body[:300]
    people = {"admin": {"token": admin, "id": created["admin_id"]}}
    for username, role in (("ks.lippe", "coordinator"), ("cm.detmold", "case_manager")):
        user = platform.call("POST", "identity", "/users", admin, json_body={
            "username": username, "display_name": f"Lippe {role}",
            "organisation_id": created["organisation_id"], "roles": [role],
            "area_ids": [area.json()["id"]], "fte": 1.0 if role == "case_manager" else None,
            "password": PASSWORD})
        assert user.status == 201, user.body[:300]
        people[role] = {"id": user.json()["id"],
                        "token": platform.code_login(console, REDIRECT, username, PASSWORD)}
    people["tenant_id"] = created["tenant_id"]
    people["organisation_id"] = created["organisation_id"]
    people["area_id"] = area.json()["id"]
    return people


@pytest.fixture(scope="module")
def note_of_hoexter(platform):
    """A note of the demo county in the example service (its ids are not fixed)."""
    notes = platform.call("GET", "example", f"/notes?area_id={HOEXTER}",
                          platform.token("cm.hoexter"))
    assert notes.status == 200 and notes.json(), notes.body[:300]
    return notes.json()[0]["id"]


EVERYONE = ("admin", "coordinator", "case_manager")


def reads(note_id: str) -> list[tuple[str, str, tuple[str, ...], str]]:
    """(service, path of a record of tenant A, which of tenant B's callers ask for it — each
    one whose role may read such a record in her own county —, a demo user who reads it)."""
    return [
        ("identity", f"/users/{CM_HOEXTER.id}", EVERYONE, "admin"),
        ("identity", f"/organisations/{AWO}", EVERYONE, "admin"),
        ("identity", f"/areas/{HOEXTER}", EVERYONE, "admin"),
        ("identity", f"/tenants/{COUNTY.tenant_id}", EVERYONE, "admin"),
        ("identity", f"/clients/{AWO_INTAKE_CLIENT}", ("admin",), "admin"),
        ("intake", f"/intakes/{INTAKE_1}", ("coordinator", "case_manager"), "cm.hoexter"),
        ("intake", f"/case-proposals/{PROPOSAL_1}/outcome", ("coordinator", "case_manager"),
         "ks.koch"),
        ("intake", f"/target-groups/{TARGET_GROUP}", EVERYONE, "cm.hoexter"),
        # the office without a purpose: 403 in its own county, 404 for another's case
        ("casework", f"/cases/{CASE}", ("coordinator", "case_manager"), "cm.hoexter"),
        ("casework", f"/cases/{CASE}?purpose=supervision", ("coordinator",),
         "ks.koch"),
        ("casework", f"/cases/{CASE}/contacts", ("case_manager",), "cm.hoexter"),
        ("casework", f"/cases/{CASE}/assessments", ("case_manager",), "cm.hoexter"),
        ("example", f"/notes/{note_id}", ("coordinator", "case_manager"), "cm.hoexter"),
    ]


def writes(lippe) -> dict[str, list[tuple]]:
    """Per caller of tenant B, changes she may make in her own county, aimed at tenant A."""
    screening = {"criteria": [{"criterion": "long_term_need", "met": True, "note": None}],
                 "topic_areas": ["residence"], "crisis": False, "facts": {}}
    contact = {"type": "phone_call", "occurred_on": days_ago(0), "duration_minutes": 15,
               "notes": "Rückruf"}
    user = CM_HOEXTER.id
    return {
        "admin": [
            ("identity", "PATCH", f"/users/{user}", {"display_name": "Übernommen"}),
            ("identity", "PUT", f"/users/{user}/roles", {"roles": ["case_manager"]}),
            ("identity", "PUT", f"/users/{user}/areas", {"area_ids": [lippe["area_id"]]}),
            ("identity", "PUT", f"/users/{user}/password", {"password": "uebernommen-123"}),
            ("identity", "POST", f"/users/{user}/disable", None),
            ("identity", "PUT", f"/users/{user}/organisation",
             {"organisation_id": lippe["organisation_id"]}),
            ("identity", "GET", f"/users/{user}/external-identities", None),
            ("identity", "PATCH", f"/organisations/{AWO}", {"name": "Übernommen"}),
            ("identity", "PATCH", f"/areas/{HOEXTER}", {"name": "Übernommen"}),
            ("identity", "POST", f"/clients/{AWO_INTAKE_CLIENT}/revoke", None),
            ("intake", "PATCH", f"/target-groups/{TARGET_GROUP}", {"valid_until": days_ago(0)}),
        ],
        "coordinator": [
            ("intake", "POST", f"/case-proposals/{PROPOSAL_1}/decision", {
                "outcome": "accepted", "case_manager_id": lippe["case_manager"]["id"],
                "case_manager_org_id": lippe["organisation_id"]}),
            ("intake", "PATCH", f"/target-groups/{TARGET_GROUP}", {"valid_until": days_ago(0)}),
        ],
        "case_manager": [
            ("intake", "PUT", f"/intakes/{INTAKE_1}/screening", screening),
            ("intake", "POST", f"/intakes/{INTAKE_1}/decisions", {"depth": "guidance"}),
            ("intake", "POST", f"/intakes/{INTAKE_1}/consents",
             {"kind": "counselling_agreement", "given_on": days_ago(0)}),
            ("intake", "POST", f"/intakes/{INTAKE_1}/consents/{CONSENT_1}/withdrawal", None),
            ("intake", "POST", f"/intakes/{INTAKE_1}/admission", {"justification": "x"}),
            ("casework", "POST", f"/cases/{CASE}/contacts", contact),
            ("casework", "POST", f"/cases/{CASE}/phase", {"to": "assessment"}),
            ("casework", "POST", f"/cases/{CASE}/shares", {
                "colleague_id": lippe["coordinator"]["id"], "kind": "deputy",
                "valid_until": days_ago(0)}),
        ],
    }


def test_the_demo_countys_ids_exist_for_its_own_users(platform, note_of_hoexter):
    for service, path, _, username in reads(note_of_hoexter):
        response = platform.call("GET", service, path, platform.token(username))
        assert response.status == 200, (username, service, path, response.status)


def records_of_tenant_a(platform) -> list:
    """What tenant A's own users see of the records tenant B aimed at."""
    return [platform.call("GET", service, path, platform.token(username)).json()
            for username, service, path in (
                ("admin", "identity", f"/users/{CM_HOEXTER.id}"),
                ("admin", "identity", f"/organisations/{AWO}"),
                ("admin", "identity", f"/areas/{HOEXTER}"),
                ("admin", "identity", f"/clients/{AWO_INTAKE_CLIENT}"),
                ("cm.hoexter", "intake", f"/intakes/{INTAKE_1}"),
                ("cm.hoexter", "intake", f"/target-groups/{TARGET_GROUP}"),
                ("ks.koch", "intake", f"/case-proposals/{PROPOSAL_1}/outcome"),
                ("cm.hoexter", "casework", f"/cases/{CASE}"))]


@pytest.mark.parametrize("caller", ["admin", "coordinator", "case_manager"])
def test_a_user_of_another_tenant_gets_404_for_every_id_of_the_demo_county_in_every_service(
        platform, lippe, note_of_hoexter, caller):
    token = lippe[caller]["token"]
    before = records_of_tenant_a(platform)
    answers = {}
    asked = [(service, "GET", path, None) for service, path, callers, _ in reads(note_of_hoexter)
             if caller in callers] + writes(lippe)[caller]
    for service, method, path, body in asked:
        response = platform.call(method, service, path, token, json_body=body)
        answers[(service, method, path)] = (response.status, response.body[:160])
        text = response.body.decode(errors="replace")
        for secret in (CM_HOEXTER.display_name, CM_HOEXTER.username, "Haddad", "AWO"):
            assert secret not in text, (service, method, path, secret)
    not_404 = {request: answer for request, answer in answers.items() if answer[0] != 404}
    assert not not_404, f"Kreis Lippe's {caller}: {not_404}"
    if caller != "admin":  # the administrator works with identity and target groups only
        assert {service for service, _, _ in answers} == {"identity", "intake", "casework",
                                                           "example"}
    assert records_of_tenant_a(platform) == before, "tenant B changed nothing of tenant A"


def test_the_other_tenants_lists_hold_nothing_of_the_demo_county(platform, lippe):
    demo_ids = {str(user.id) for user in COUNTY.users} | {str(CASE), str(INTAKE_1), str(AWO)}
    coordinator, admin = lippe["coordinator"]["token"], lippe["admin"]["token"]
    for service, path, token in (
            ("identity", "/users", admin), ("identity", "/organisations", admin),
            ("identity", "/areas", admin), ("identity", "/tenants", admin),
            ("identity", "/clients", admin),
            ("intake", "/target-groups", coordinator), ("intake", "/case-proposals", coordinator),
            ("intake", "/intakes/awaiting-decision", coordinator),
            ("intake", "/consents/expiring", coordinator),
            ("casework", "/caseload", coordinator),
            ("steering", "/reconstruction-candidates", coordinator),
            ("example", "/notes", coordinator), ("example", "/tallies", coordinator)):
        response = platform.call("GET", service, path, token)
        assert response.status == 200, (service, path, response.status, response.body[:200])
        text = response.body.decode()
        assert not [found for found in demo_ids if found in text], (service, path)
        assert str(COUNTY.tenant_id) not in text and "Höxter" not in text, (service, path)
