"""Delegated administration: an organisation's administrator manages her own organisation's
users only, a tenant administrator the whole tenant; another tenant's records do not exist for
the caller; every change is audited and published without names; bad input is a precise 422."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from identity_support import bearer, demo_id, password_login, token_of

from lotse.identity.v1 import events_pb2
from lotse_demo import COUNTY
from lotse_identity.domain import commands as c
from lotse_identity.service_layer import handlers
from lotse_identity.service_layer.tenants import create_tenant

pytestmark = pytest.mark.integration

AWO, CARITAS = demo_id("org:awo"), demo_id("org:caritas")
BRAKEL = str(demo_id("area:brakel"))


@pytest.fixture(scope="module")
def tokens(app):
    client = app.test_client()
    return {name: token_of(client, name) for name in ("admin", "admin.awo", "admin.caritas",
                                                      "ks.koch", "cm.hoexter")}


def new_user(client, token, organisation, **extra):
    body = {"username": f"u{uuid.uuid4().hex[:10]}", "display_name": "Hanna Beispiel",
            "email": "hanna.beispiel@example.org", "organisation_id": str(organisation),
            "roles": ["provider_staff"], "area_ids": [BRAKEL], "password": "ein-langes-passwort",
            **extra}
    return client.post("/users", json=body, headers=bearer(token))


def outbox(superuser, aggregate_id) -> list:
    with superuser.connect() as connection:
        return connection.execute(sa.text(
            "SELECT event_type, payload, tenant_id FROM outbox WHERE aggregate_id = :id "
            "ORDER BY id"), {"id": str(aggregate_id)}).all()


def audit(superuser, record_id) -> list:
    with superuser.connect() as connection:
        return connection.execute(sa.text(
            "SELECT actor, action, record_type, reason FROM audit_log WHERE record_id = :id "
            "ORDER BY seq, id"), {"id": str(record_id)}).all()  # unsealed ones last, as written


def test_an_org_admin_creates_a_user_of_her_own_organisation_audited_and_published(
        client, tokens, superuser):
    response = new_user(client, tokens["admin.awo"], AWO, fte=0.75)
    assert response.status_code == 201, response.json
    user = response.json
    assert user["fte"] == 0.75 and user["roles"] == ["provider_staff"]

    [(event_type, payload, tenant)] = outbox(superuser, user["id"])
    assert event_type == "identity.user.created.v1" and tenant == COUNTY.tenant_id
    event = events_pb2.UserCreated.FromString(payload)
    assert event.organisation_id == str(AWO) and list(event.roles) == ["provider_staff"]
    assert event.fte == 0.75 and list(event.area_ids) == [BRAKEL]
    for personal in (user["username"], "Hanna", "Beispiel", "hanna.beispiel"):
        assert personal.encode() not in payload, "events carry no names"

    [entry] = audit(superuser, user["id"])
    assert (entry.actor, entry.action, entry.record_type) == (
        str(COUNTY.user("admin.awo").id), "create", "user")


def test_an_org_admin_of_awo_cannot_touch_a_caritas_user_and_a_tenant_admin_can(
        client, tokens, superuser):
    caritas_user = new_user(client, tokens["admin.caritas"], CARITAS).json
    target = caritas_user["id"]
    awo = bearer(tokens["admin.awo"])
    attempts = {
        "create": new_user(client, tokens["admin.awo"], CARITAS),
        "disable": client.post(f"/users/{target}/disable", headers=awo),
        "roles": client.put(f"/users/{target}/roles", json={"roles": ["org_admin"]},
                            headers=awo),
        "areas": client.put(f"/users/{target}/areas", json={"area_ids": []}, headers=awo),
        "profile": client.patch(f"/users/{target}", json={"display_name": "X"}, headers=awo),
        "read": client.get(f"/users/{target}", headers=awo),
    }
    assert {name: r.status_code for name, r in attempts.items()} == dict.fromkeys(attempts, 403)
    assert outbox(superuser, target)[1:] == [], "nothing happened"

    admin = bearer(tokens["admin"])
    roles = client.put(f"/users/{target}/roles", json={"roles": ["org_admin", "provider_staff"]},
                       headers=admin)
    assert roles.status_code == 200 and roles.json["roles"] == ["org_admin", "provider_staff"]
    disabled = client.post(f"/users/{target}/disable", headers=admin)
    assert disabled.status_code == 200 and disabled.json["active"] is False
    refused = password_login(client, caritas_user["username"], "ein-langes-passwort")
    assert refused.status_code == 400 and refused.json["error"] == "invalid_grant"

    types = [row.event_type for row in outbox(superuser, target)]
    assert types == ["identity.user.created.v1", "identity.user.roles_changed.v1",
                     "identity.user.disabled.v1"]
    changed = events_pb2.UserRolesChanged.FromString(outbox(superuser, target)[1].payload)
    assert list(changed.previous_roles) == ["provider_staff"] and changed.version == 2
    assert [(e.action, e.reason) for e in audit(superuser, target)] == [
        ("create", None), ("update", "roles"), ("update", "disabled")]


def test_an_org_admin_grants_no_tenant_wide_role(client, tokens):
    own = new_user(client, tokens["admin.awo"], AWO).json
    for role in ("coordinator", "tenant_admin", "auditor"):
        response = client.put(f"/users/{own['id']}/roles", json={"roles": [role]},
                              headers=bearer(tokens["admin.awo"]))
        assert response.status_code == 403, role
    assert new_user(client, tokens["admin.awo"], AWO, roles=["auditor"]).status_code == 403


def test_areas_and_staffing_changes_are_published(client, tokens, superuser):
    user = new_user(client, tokens["admin"], AWO, roles=["case_manager"]).json
    admin = bearer(tokens["admin"])
    hoexter = str(demo_id("area:hoexter"))
    assert client.put(f"/users/{user['id']}/areas", json={"area_ids": [hoexter, BRAKEL]},
                      headers=admin).status_code == 200
    assert client.patch(f"/users/{user['id']}", json={"fte": 0.5},
                        headers=admin).json["fte"] == 0.5
    moved = client.put(f"/users/{user['id']}/organisation",
                       json={"organisation_id": str(CARITAS)}, headers=admin)
    assert moved.status_code == 200 and moved.json["organisation_id"] == str(CARITAS)
    rows = outbox(superuser, user["id"])
    assert [r.event_type for r in rows] == [
        "identity.user.created.v1", "identity.user.areas_changed.v1",
        "identity.user.staffing_changed.v1", "identity.user.membership_changed.v1"]
    assert sorted(events_pb2.UserAreasChanged.FromString(rows[1].payload).area_ids) == \
        sorted([hoexter, BRAKEL])
    assert events_pb2.UserMembershipChanged.FromString(rows[3].payload) \
        .previous_organisation_id == str(AWO)


def test_reading_a_user_is_audited_and_a_case_manager_reads_only_herself(client, tokens,
                                                                          superuser):
    target = COUNTY.user("cm.brakel").id
    before = len(audit(superuser, target))
    assert client.get(f"/users/{target}", headers=bearer(tokens["ks.koch"])).status_code == 200
    entries = audit(superuser, target)
    assert len(entries) == before + 1 and entries[-1].action == "read"
    assert entries[-1].actor == str(COUNTY.user("ks.koch").id)
    assert client.get(f"/users/{target}", headers=bearer(tokens["cm.hoexter"])).status_code \
        == 403
    listing = client.get("/users", headers=bearer(tokens["admin.awo"]))
    assert listing.status_code == 200
    assert {u["organisation_id"] for u in listing.json} == {str(AWO)}


def test_organisations_and_clients_are_created_audited_and_published(client, tokens, superuser):
    admin = bearer(tokens["admin"])
    created = client.post("/organisations", json={"name": "DRK Kreisverband Höxter",
                                                  "kind": "welfare_provider"}, headers=admin)
    assert created.status_code == 201, created.json
    organisation = created.json["id"]
    renamed = client.patch(f"/organisations/{organisation}", json={"name": "DRK Höxter"},
                           headers=admin)
    assert renamed.status_code == 200 and renamed.json["version"] == 2
    assert [r.event_type for r in outbox(superuser, organisation)] == [
        "identity.organisation.created.v1", "identity.organisation.changed.v1"]
    # an institution's name travels (ADR 0086): forms print it, reports show it, a rename reaches
    # every replica
    created_event, renamed_event = (
        events_pb2.OrganisationCreated.FromString(outbox(superuser, organisation)[0].payload),
        events_pb2.OrganisationChanged.FromString(outbox(superuser, organisation)[1].payload))
    assert (created_event.name, renamed_event.name) == ("DRK Kreisverband Höxter", "DRK Höxter")

    town = client.post("/areas", json={"name": "Nieheim-Ost", "kind": "district"}, headers=admin)
    assert town.status_code == 201, town.json
    client.patch(f"/areas/{town.json['id']}", json={"name": "Nieheim Ost"}, headers=admin)
    area_created, area_renamed = (
        events_pb2.AreaCreated.FromString(outbox(superuser, town.json["id"])[0].payload),
        events_pb2.AreaChanged.FromString(outbox(superuser, town.json["id"])[1].payload))
    assert (area_created.name, area_renamed.name) == ("Nieheim-Ost", "Nieheim Ost"), \
        "a place's name travels too: reports and exports show the town, not its id"

    registered = client.post("/clients", json={
        "client_id": "drk-intake", "name": "DRK intake", "organisation_id": organisation,
        "roles": ["provider_staff"]}, headers=admin)
    assert registered.status_code == 201, registered.json
    secret = registered.json["client_secret"]
    token = client.post("/oauth/token", data={"grant_type": "client_credentials",
                                              "client_id": "drk-intake", "client_secret": secret})
    assert token.status_code == 200
    revoked = client.post(f"/clients/{registered.json['id']}/revoke", headers=admin)
    assert revoked.status_code == 200 and revoked.json["active"] is False
    again = client.post("/oauth/token", data={"grant_type": "client_credentials",
                                              "client_id": "drk-intake", "client_secret": secret})
    assert again.status_code in (400, 401) and again.json["error"] == "invalid_client"
    assert [r.event_type for r in outbox(superuser, registered.json["id"])] == [
        "identity.client.created.v1", "identity.client.revoked.v1"]
    assert [e.action for e in audit(superuser, registered.json["id"])] == ["create", "update"]


def test_an_org_admin_neither_registers_nor_revokes_another_organisations_client(
        client, tokens, superuser):
    awo = bearer(tokens["admin.awo"])
    body = {"client_id": f"caritas-{uuid.uuid4().hex[:8]}", "name": "Caritas intake",
            "organisation_id": str(CARITAS), "roles": ["provider_staff"]}
    registered = client.post("/clients", json=body, headers=bearer(tokens["admin"]))
    assert registered.status_code == 201, registered.json
    caritas_client = registered.json["id"]

    attempts = {
        "register": client.post("/clients", json={**body, "client_id": "awo-as-caritas"},
                                headers=awo),
        "revoke": client.post(f"/clients/{caritas_client}/revoke", headers=awo),
        "read": client.get(f"/clients/{caritas_client}", headers=awo),
        "rename": client.patch(f"/organisations/{CARITAS}", json={"name": "Meine"},
                               headers=awo),
    }
    for what, response in attempts.items():
        assert response.status_code == 403, (what, response.json)
        assert (response.json["type"], response.json["detail"]) == (
            "urn:lotse:problem:forbidden",
            "the target belongs to another organisation than the caller's"), what
    more_than_the_name = client.patch(f"/organisations/{AWO}", json={"active": False},
                                      headers=awo)
    assert more_than_the_name.status_code == 403
    assert more_than_the_name.json["detail"] == "an organisation's administrator changes only " \
                                                "its name"
    assert [r.event_type for r in outbox(superuser, caritas_client)] == [
        "identity.client.created.v1"], "nothing happened"
    assert client.get(f"/organisations/{AWO}", headers=awo).json["active"] is True


def test_the_tenant_admin_renames_the_tenant_audited(client, tokens, superuser):
    admin = bearer(tokens["admin"])
    path = f"/tenants/{COUNTY.tenant_id}"
    name = client.get(path, headers=admin).json["name"]

    renamed = client.patch(path, json={"name": "Kreis Höxter (umbenannt)"}, headers=admin)
    assert renamed.status_code == 200 and renamed.json["name"] == "Kreis Höxter (umbenannt)"
    assert client.patch(f"/tenants/{uuid.uuid4()}", json={"name": "X"},
                        headers=admin).status_code == 404
    assert client.patch(path, json={"name": name}, headers=admin).status_code == 200

    entries = audit(superuser, COUNTY.tenant_id)
    assert [(e.actor, e.action, e.record_type) for e in entries[-2:]] == [
        (str(COUNTY.user("admin").id), "update", "tenant")] * 2


@pytest.fixture(scope="module")
def other_tenant(identity, app):
    """Tenant B with a machine client that is B's tenant administrator."""
    created = create_tenant(identity, key="stadt-herne", name="Stadt Herne", kind="city")
    _, secret = handlers.create_client(c.CreateClient(
        client_id="herne-provisioning", name="Herne provisioning", kind="confidential",
        organisation_id=created.organisation_id, grant_types=("client_credentials",),
        roles=("tenant_admin",)), identity.uow(created.tenant_id))
    client = app.test_client()
    response = client.post("/oauth/token", data={"grant_type": "client_credentials"},
                           auth=("herne-provisioning", secret))
    assert response.status_code == 200, response.json
    return response.json["access_token"]


def test_a_caller_of_another_tenant_gets_404_for_every_id_never_the_record(client,
                                                                            other_tenant):
    herne = bearer(other_tenant)
    user = COUNTY.user("cm.hoexter").id
    for method, path in (("get", f"/users/{user}"), ("post", f"/users/{user}/disable"),
                         ("patch", f"/users/{user}"), ("get", f"/organisations/{AWO}"),
                         ("get", f"/areas/{BRAKEL}"), ("get", f"/tenants/{COUNTY.tenant_id}"),
                         ("get", f"/clients/{uuid.uuid5(AWO, 'awo-intake')}")):
        kwargs = {"json": {"display_name": "X"}} if method == "patch" else {}
        response = getattr(client, method)(path, headers=herne, **kwargs)
        assert response.status_code == 404, (method, path, response.json)
        assert "Lea" not in response.get_data(as_text=True)
    listed = {u["id"] for u in client.get("/users", headers=herne).json}
    assert listed and not listed & {str(u.id) for u in COUNTY.users}, "only Herne's own"
    assert [t["key"] for t in client.get("/tenants", headers=herne).json] == ["stadt-herne"]
    created = new_user(client, other_tenant, AWO)
    assert created.status_code == 422 and created.json["errors"][0]["field"] == \
        "organisation_id"


@pytest.mark.parametrize("change, field", [
    ({"roles": ["case_manager", "superhero"]}, "roles.1"),
    ({"email": "not-an-address"}, "email"),
    ({"fte": 1.5}, "fte"),
    ({"username": "Has Spaces"}, "username"),
    ({"organisation_id": "nope"}, "organisation_id"),
    ({"area_ids": [str(uuid.uuid4())]}, "area_ids"),
    ({"voting": True}, "voting"),
])
def test_bad_input_is_a_422_that_names_the_field(client, tokens, change, field):
    response = new_user(client, tokens["admin"], AWO, **change)
    assert response.status_code == 422, response.json
    assert field in [error["field"] for error in response.json["errors"]]


@pytest.mark.parametrize("kind, name", [
    ("employment_agency", "Agentur für Arbeit Paderborn"),  # 002 L386 "Bundesagentur für Arbeit"
    ("bamf", "BAMF Regionalkoordination"),  # 001 L495 "Regionalkoordinator BAMF"
    ("migrant_organisation", "Kulturverein"),  # 002 L386 "MO"
    ("school", "Schulamt Kreis Höxter"),  # 002 L385 "Schulamt"
    ("language_course_provider", "VHS Höxter"),  # 002 L386 "Sprachkursträger"
])
def test_the_network_of_the_seeds_has_its_own_organisation_kinds(client, tokens, kind, name):
    admin = bearer(tokens["admin"])
    created = client.post("/organisations", json={"name": name, "kind": kind}, headers=admin)

    assert created.status_code == 201, created.json
    assert client.get(f"/organisations/{created.json['id']}",
                      headers=admin).json["kind"] == kind


def test_an_unknown_organisation_kind_is_refused(client, tokens):
    response = client.post("/organisations", json={"name": "X", "kind": "space_agency"},
                           headers=bearer(tokens["admin"]))
    assert response.status_code == 422 and response.json["errors"][0]["field"] == "kind"
