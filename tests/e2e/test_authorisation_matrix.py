"""Who may do what, through the gateway with identity's real tokens: one demo user per role
against the endpoint families of identity, intake, casework, network, reporting and the example
service.

The matrix below is derived from the services' documentation (docs/identity.md §6,
docs/intake.md "Who may do what", docs/casework.md "Authorisation") and their views. ``OK`` is
any 2xx; ``NO`` is 403 — a refusal by role, organisation or area that names no person.
"""

from __future__ import annotations

import uuid

import pytest
from lotse_platform.testing import days_ago

from lotse_demo import COUNTY
from lotse_demo.county import demo_id

pytestmark = [pytest.mark.integration, pytest.mark.slow]

OK, NO = "2xx", "403"

ROLES = ("tenant_admin", "org_admin", "coordinator", "case_manager", "authority_liaison",
         "provider_staff", "steering_member", "auditor", "coordination_assistant")
#: the demo user who holds each role (docs/identity.md §8)
USER_OF_ROLE = {"tenant_admin": "admin", "org_admin": "admin.awo", "coordinator": "ks.koch",
                "case_manager": "cm.hoexter", "authority_liaison": "abh.lotsin",
                "provider_staff": "awo.beratung", "steering_member": "lenkung.landrat",
                "auditor": "pruefung", "coordination_assistant": "ks.assistenz"}

# endpoint family (what a user relies on) and, per role, 2xx (OK) or 403 (NO)
#                                           tenant org    coord- case   auth.  prov.  steer- audi-  assis-
#                                           admin  admin  inator mgr    liais. staff  ing    tor    tant
MATRIX = {
    "identity: own account":               (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "identity: organisations and areas":   (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "identity: AWO's staff directory":     (OK,    OK,    OK,    NO,    NO,    NO,    NO,    OK,    OK),
    "identity: AWO's user administration": (OK,    OK,    NO,    NO,    NO,    NO,    NO,    NO,    NO),
    "intake: record a first contact":      (NO,    NO,    OK,    OK,    NO,    NO,    NO,    NO,    NO),
    "intake: read an intake record":       (NO,    NO,    OK,    OK,    NO,    NO,    NO,    NO,    NO),
    "intake: work lists":                  (NO,    NO,    OK,    OK,    NO,    NO,    NO,    NO,    NO),
    "intake: read target groups":          (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    NO),
    "intake: define target groups":        (OK,    NO,    OK,    NO,    NO,    NO,    NO,    NO,    NO),
    "intake: propose a case":              (NO,    NO,    NO,    OK,    OK,    OK,    NO,    NO,    NO),
    "intake: my proposals' outcomes":      (NO,    NO,    NO,    OK,    OK,    OK,    NO,    NO,    NO),
    "intake: the office's proposals":      (NO,    NO,    OK,    NO,    NO,    NO,    NO,    NO,    NO),
    "casework: my cases":                  (NO,    NO,    NO,    OK,    NO,    NO,    NO,    NO,    NO),
    "casework: case file":                 (NO,    NO,    NO,    OK,    NO,    NO,    NO,    NO,    NO),
    "casework: supervision read":          (NO,    NO,    OK,    OK,    NO,    NO,    NO,    NO,    NO),
    "casework: caseload":                  (NO,    NO,    OK,    OK,    NO,    NO,    NO,    NO,    NO),
    "casework: my day":                    (NO,    NO,    NO,    OK,    NO,    NO,    NO,    NO,    NO),
    "casework: Höxter's case manager":     (OK,    NO,    OK,    NO,    NO,    NO,    NO,    NO,    NO),
    "example: notes and tallies":          (NO,    NO,    OK,    OK,    NO,    NO,    NO,    NO,    NO),
    "identity: record a training":         (NO,    NO,    OK,    NO,    NO,    NO,    NO,    NO,    OK),
    "identity: who lacks a training":      (OK,    OK,    OK,    NO,    NO,    NO,    NO,    NO,    OK),
    "network: search the directory":       (NO,    OK,    OK,    OK,    OK,    OK,    NO,    NO,    NO),
    "reporting: the office's figures":     (NO,    NO,    OK,    NO,    NO,    NO,    OK,    NO,    NO),
}
#: the same table as role → family → expected status class
EXPECTED = {role: {family: row[column] for family, row in MATRIX.items()}
            for column, role in enumerate(ROLES)}

AWO, CARITAS = demo_id("org:awo"), demo_id("org:caritas")
HOEXTER = str(demo_id("area:hoexter"))
INTAKE_1 = demo_id("intake:1")  # Höxter, admitted by cm.hoexter
CASE_OF_INTAKE_1 = demo_id("case:intake-1")  # cm.hoexter's case
TARGET_GROUP = demo_id("target-group:recognised-refugees")
CM_HOEXTER = COUNTY.user("cm.hoexter")
CM_TRAINING = demo_id("training:cm-mkjfgfi")  # the demo's mandatory training (001 L361)


def person() -> dict:
    return {"given_name": "Amina", "family_name": "Haddad", "date_of_birth": "1990-04-12",
            "contact": {"phone": "+49 5271 123456", "email": None, "address": "Markt 1"},
            "languages": ["ar", "de"], "interpreter_needed": True}


def new_awo_user(role: str) -> dict:
    return {"username": f"e2e.{role}.{uuid.uuid4().hex[:8]}", "display_name": "Hanna Beispiel",
            "email": "hanna.beispiel@example.org", "organisation_id": str(AWO),
            "roles": ["provider_staff"], "area_ids": [HOEXTER],
            "password": "ein-langes-passwort"}


def requests_of(role: str, awo_user: str) -> dict[str, list[tuple]]:
    """Family → the requests (service, method, path, body) that stand for it."""
    three_days_ago = days_ago(3)
    return {
        "identity: own account": [("identity", "GET", "/users/me", None)],
        "identity: organisations and areas": [
            ("identity", "GET", "/organisations", None),
            ("identity", "GET", f"/organisations/{AWO}", None),
            ("identity", "GET", "/areas", None),
            ("identity", "GET", f"/areas/{HOEXTER}", None)],
        "identity: AWO's staff directory": [
            ("identity", "GET", f"/users?organisation_id={AWO}", None),
            ("identity", "GET", f"/users/{awo_user}", None)],
        "identity: AWO's user administration": [
            ("identity", "POST", "/users", new_awo_user(role)),
            ("identity", "PUT", f"/users/{awo_user}/roles", {"roles": ["case_manager"]}),
            ("identity", "POST", f"/users/{awo_user}/disable", None)],
        "intake: record a first contact": [
            ("intake", "POST", "/intakes", {"person": person(), "access_path": "self_referral",
                                            "area_id": HOEXTER, "contact_date": three_days_ago})],
        "intake: read an intake record": [("intake", "GET", f"/intakes/{INTAKE_1}", None)],
        "intake: work lists": [("intake", "GET", "/intakes/mine", None),
                               ("intake", "GET", "/intakes/awaiting-decision", None),
                               ("intake", "GET", "/consents/expiring", None)],
        "intake: read target groups": [("intake", "GET", "/target-groups", None),
                                       ("intake", "GET", f"/target-groups/{TARGET_GROUP}", None)],
        "intake: define target groups": [
            ("intake", "POST", "/target-groups", {
                "name": f"E2E group by the {role}", "valid_from": "2025-01-01",
                "conditions": {"residence_statuses": ["duldung", "gestattung"]}})],
        "intake: propose a case": [
            ("intake", "POST", "/case-proposals", {
                "person": person(), "area_id": HOEXTER,
                "topic_areas": ["residence", "work_training"],
                "reason": "Aufenthalt und Ausbildung hängen voneinander ab"})],
        "intake: my proposals' outcomes": [("intake", "GET", "/case-proposals/mine", None)],
        "intake: the office's proposals": [("intake", "GET", "/case-proposals", None)],
        "casework: my cases": [("casework", "GET", "/cases", None)],
        "casework: case file": [("casework", "GET", f"/cases/{CASE_OF_INTAKE_1}", None),
                                ("casework", "GET", f"/cases/{CASE_OF_INTAKE_1}/contacts", None)],
        "casework: supervision read": [
            ("casework", "GET", f"/cases/{CASE_OF_INTAKE_1}?purpose=supervision",
             None)],
        "casework: caseload": [("casework", "GET", "/caseload", None)],
        "casework: my day": [("casework", "GET", "/my-day", None)],
        # the demo's own values again: only who may set them is under test
        "casework: Höxter's case manager": [
            ("casework", "PUT", f"/case-managers/{CM_HOEXTER.id}", {
                "organisation_id": str(COUNTY.organisation(CM_HOEXTER.organisation).id),
                "fte": CM_HOEXTER.fte, "areas": [HOEXTER], "active": True})],
        "example: notes and tallies": [("example", "GET", "/tallies", None),
                                       ("example", "GET", f"/notes?area_id={HOEXTER}", None)],
        "identity: record a training": [
            ("identity", "POST", f"/users/{awo_user}/qualifications", {
                "training_id": str(CM_TRAINING), "completed_on": three_days_ago})],
        "identity: who lacks a training": [("identity", "GET", "/qualifications/missing", None)],
        "network: search the directory": [
            ("network", "GET", "/services?q=Sprachkurs&topic_area=language", None)],
        "reporting: the office's figures": [
            ("reporting", "GET", "/cases/by-area-and-phase", None),
            ("reporting", "GET", "/referrals/by-partner", None)],
    }


def status_class(status: int) -> str:
    return OK if 200 <= status < 300 else str(status)


@pytest.fixture(scope="module")
def awo_user_for(platform):
    """Per role, a fresh AWO user (created by the tenant admin) to administer."""
    admin = platform.token("admin")

    def create(role: str) -> str:
        response = platform.call("POST", "identity", "/users", admin,
                                 json_body=new_awo_user(f"target.{role}"))
        assert response.status == 201, response.body[:300]
        return response.json()["id"]

    return create


def test_the_matrix_covers_every_role_and_names_a_demo_user_for_it():
    assert set(USER_OF_ROLE) == set(ROLES)
    for role, username in USER_OF_ROLE.items():
        assert role in COUNTY.user(username).roles


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_2xx_exactly_where_the_matrix_allows_it_and_403_elsewhere(
        platform, awo_user_for, role):
    token = platform.token(USER_OF_ROLE[role])
    observed, answers = {}, {}
    for family, requests in requests_of(role, awo_user_for(role)).items():
        classes = []
        for service, method, path, body in requests:
            response = platform.call(method, service, path, token, json_body=body)
            classes.append(status_class(response.status))
            answers[(family, method, path)] = (response.status, response.body[:200])
        observed[family] = classes[0] if len(set(classes)) == 1 else "/".join(classes)
    mismatches = {family: (observed[family], EXPECTED[role][family],
                           [answer for key, answer in answers.items() if key[0] == family])
                  for family in MATRIX if observed[family] != EXPECTED[role][family]}
    assert not mismatches, f"{role} ({USER_OF_ROLE[role]}): observed, expected, answers: " \
                           f"{mismatches}"


def test_awos_admin_administers_awo_users_not_caritas_ones_and_the_tenant_admin_both(
        platform):
    awo_admin, tenant_admin = platform.token("admin.awo"), platform.token("admin")

    def user_in(organisation, token) -> tuple[int, dict]:
        body = {**new_awo_user("org_admin"), "organisation_id": str(organisation)}
        response = platform.call("POST", "identity", "/users", token, json_body=body)
        return response.status, response.json()

    def administer(user_id, token) -> dict[str, int]:
        calls = {
            "roles": ("PUT", f"/users/{user_id}/roles", {"roles": ["case_manager"]}),
            "areas": ("PUT", f"/users/{user_id}/areas", {"area_ids": [HOEXTER]}),
            "profile": ("PATCH", f"/users/{user_id}", {"fte": 0.5}),
            "password": ("PUT", f"/users/{user_id}/password", {"password": "noch-ein-passwort"}),
            "disable": ("POST", f"/users/{user_id}/disable", None),
            "enable": ("POST", f"/users/{user_id}/enable", None),
            "read": ("GET", f"/users/{user_id}", None),
        }
        return {name: platform.call(method, "identity", path, token, json_body=body).status
                for name, (method, path, body) in calls.items()}

    # Caritas: not hers — creating, administering, reading, listing, renaming
    status, refusal = user_in(CARITAS, awo_admin)
    assert status == 403 and "organisation" in refusal["detail"]
    caritas_user = COUNTY.user("caritas.beratung").id
    assert set(administer(caritas_user, awo_admin).values()) == {403}
    assert platform.call("GET", "identity", f"/users?organisation_id={CARITAS}",
                         awo_admin).status == 403
    assert platform.call("PATCH", "identity", f"/organisations/{CARITAS}", awo_admin,
                         json_body={"name": "Caritasverband Brakel"}).status == 403

    # AWO: hers
    status, created = user_in(AWO, awo_admin)
    assert status == 201 and created["organisation_id"] == str(AWO)
    assert administer(created["id"], awo_admin) == {
        "roles": 200, "areas": 200, "profile": 200, "password": 204, "disable": 200,
        "enable": 200, "read": 200}
    listed = platform.call("GET", "identity", "/users", awo_admin).json()
    assert listed and {user["organisation_id"] for user in listed} == {str(AWO)}
    # … but no tenant-wide role, not even in her own organisation
    assert platform.call("PUT", "identity", f"/users/{created['id']}/roles", awo_admin,
                         json_body={"roles": ["coordinator"]}).status == 403

    # the tenant admin administers Caritas' users
    status, caritas_created = user_in(CARITAS, tenant_admin)
    assert status == 201
    assert administer(caritas_created["id"], tenant_admin) == {
        "roles": 200, "areas": 200, "profile": 200, "password": 204, "disable": 200,
        "enable": 200, "read": 200}


STEERING = [user.username for user in COUNTY.users_with_role("steering_member")]


def test_steering_members_never_get_personal_data(platform):
    case_manager = platform.token("cm.hoexter")
    intake = platform.call("GET", "intake", f"/intakes/{INTAKE_1}", case_manager).json()
    case = platform.call("GET", "casework", f"/cases/{CASE_OF_INTAKE_1}", case_manager).json()
    names = {intake["person"]["given_name"], intake["person"]["family_name"],
             case["person"]["name"], CM_HOEXTER.display_name}
    personal = [
        ("intake", f"/intakes/{INTAKE_1}"), ("intake", "/intakes/mine"),
        ("intake", "/intakes/awaiting-decision"), ("intake", "/consents/expiring"),
        ("intake", "/case-proposals"),
        ("casework", f"/cases/{CASE_OF_INTAKE_1}"),
        ("casework", f"/cases/{CASE_OF_INTAKE_1}?purpose=quality_assurance"),
        ("casework", f"/cases/{CASE_OF_INTAKE_1}/contacts"),
        ("casework", f"/cases/{CASE_OF_INTAKE_1}/assessments"),
        ("casework", f"/cases/{CASE_OF_INTAKE_1}/help-plans"),
        ("casework", "/cases"), ("casework", "/my-day"),
        ("identity", "/users"), ("identity", f"/users/{CM_HOEXTER.id}"),
        ("example", f"/notes?area_id={HOEXTER}"),
    ]
    assert len(STEERING) == 3
    for username in STEERING:
        token = platform.token(username)
        for service, path in personal:
            response = platform.call("GET", service, path, token)
            assert response.status == 403, (username, service, path, response.status)
            text = response.body.decode()
            assert not [name for name in names if name in text], (username, path)
        # what the steering group does get: the target groups it decided, no person in them
        groups = platform.call("GET", "intake", "/target-groups", token)
        assert groups.status == 200 and groups.json()
