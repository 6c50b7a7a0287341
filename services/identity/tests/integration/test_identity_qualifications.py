"""The training catalogue, the staff's qualification records and the coordinating office's
list of who lacks a mandatory training, on PostgreSQL through identity's API (seed 001 L361
"CM-Schulungen des MKJFGFI", L384 "Organisation der Schulungen"), kept by the office and its
assistant (002 L131 "0,5 Assistenzstelle"; ADR 0081)."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from identity_support import bearer, demo_id, token_of

from lotse_demo import COUNTY
from lotse_platform.testing import days_ago, days_ahead, today

pytestmark = pytest.mark.integration

AWO, CARITAS = demo_id("org:awo"), demo_id("org:caritas")
BRAKEL = str(demo_id("area:brakel"))


@pytest.fixture(scope="module")
def tokens(app):
    client = app.test_client()
    return {name: token_of(client, name) for name in (
        "admin", "admin.awo", "admin.caritas", "ks.koch", "ks.assistenz", "cm.hoexter",
        "cm.brakel", "pruefung")}


def as_(tokens, name: str) -> dict[str, str]:
    return bearer(tokens[name])


def training_id(client, tokens, key: str) -> str:
    catalogue = client.get("/trainings", headers=as_(tokens, "cm.hoexter"))
    assert catalogue.status_code == 200, catalogue.json
    return next(t["id"] for t in catalogue.json if t["key"] == key)


def fields(response) -> set[str]:
    return {error["field"] for error in response.json.get("errors", [])}


def test_the_demo_county_has_the_mandatory_cm_training_and_an_assistant(client, tokens):
    """001 L361 "CM-Schulungen des MKJFGFI" (mandatory), "Schulungen nach Themen wie z. B.
    Asylrecht" (optional); 002 L131 "eine 0,5 Assistenzstelle"."""
    catalogue = {t["key"]: t for t in client.get("/trainings",
                                                 headers=as_(tokens, "cm.hoexter")).json}
    assert catalogue["cm-mkjfgfi"]["mandatory"] is True
    assert catalogue["cm-mkjfgfi"]["label_de"] == "CM-Schulung des MKJFGFI"
    assert catalogue["asylrecht"]["mandatory"] is False
    me = client.get("/users/me", headers=as_(tokens, "ks.assistenz")).json
    assert me["roles"] == ["coordination_assistant"] and me["fte"] == 0.5


def test_the_catalogue_is_kept_by_the_assistant_and_bad_input_names_its_field(client, tokens):
    """001 L384 "Organisation der Schulungen": the office (and its assistant) add trainings."""
    key = f"interkulturell-{uuid.uuid4().hex[:6]}"
    body = {"key": key, "label_de": "Interkulturelle Kompetenz",
            "label_en": "Intercultural competence"}
    created = client.post("/trainings", json=body, headers=as_(tokens, "ks.assistenz"))
    assert created.status_code == 201, created.json
    assert created.json["mandatory"] is False and created.json["active"] is True

    again = client.post("/trainings", json=body, headers=as_(tokens, "ks.koch"))
    assert again.status_code == 409 and fields(again) == {"key"}
    for bad, field in ((dict(body, key="Mit Leerzeichen"), "key"),
                       ({"key": f"k-{uuid.uuid4().hex[:6]}", "label_en": "x"}, "label_de"),
                       (dict(body, key=f"k-{uuid.uuid4().hex[:6]}", label_en="a\u0000b"),
                        "label_en"),
                       (dict(body, key=f"k-{uuid.uuid4().hex[:6]}", mandatory="vielleicht"),
                        "mandatory")):
        refused = client.post("/trainings", json=bad, headers=as_(tokens, "ks.assistenz"))
        assert refused.status_code == 422 and field in fields(refused), (field, refused.json)

    changed = client.patch(f"/trainings/{created.json['id']}", json={"mandatory": True},
                           headers=as_(tokens, "admin"))
    assert changed.status_code == 200 and changed.json["mandatory"] is True
    assert changed.json["version"] == 2
    for name in ("cm.hoexter", "admin.awo", "pruefung"):
        refused = client.post("/trainings", json=dict(body, key=f"x-{uuid.uuid4().hex[:6]}"),
                              headers=as_(tokens, name))
        assert refused.status_code == 403, name
    # retired again, so the other tests' missing lists ask only for the MKJFGFI's training
    retired = client.patch(f"/trainings/{created.json['id']}", json={"active": False},
                           headers=as_(tokens, "ks.koch"))
    assert retired.status_code == 200 and retired.json["active"] is False


def test_the_assistant_records_a_training_audited_and_a_future_day_is_refused(
        client, tokens, superuser):
    """001 L361 "haben die CM-Schulungen … durchlaufen": completed, so not after today."""
    brakel = str(COUNTY.user("cm.brakel").id)
    asylum = training_id(client, tokens, "asylrecht")
    recorded = client.post(f"/users/{brakel}/qualifications", headers=as_(tokens, "ks.assistenz"),
                           json={"training_id": asylum, "completed_on": days_ago(3),
                                 "reference": "Teilnahmebescheinigung Nr. 47"})
    assert recorded.status_code == 201, recorded.json
    assert recorded.json["recorded_by"] == str(COUNTY.user("ks.assistenz").id)

    for body, field in (({"training_id": asylum, "completed_on": days_ahead(1)}, "completed_on"),
                        ({"training_id": asylum, "completed_on": "gestern"}, "completed_on"),
                        ({"training_id": str(uuid.uuid4()), "completed_on": days_ago(1)},
                         "training_id"),
                        ({"training_id": "asylrecht", "completed_on": days_ago(1)},
                         "training_id"),
                        ({"training_id": asylum, "completed_on": days_ago(1),
                          "reference": "x" * 201}, "reference")):
        refused = client.post(f"/users/{brakel}/qualifications", json=body,
                              headers=as_(tokens, "ks.koch"))
        assert refused.status_code == 422 and field in fields(refused), (body, refused.json)
    today_is_fine = client.post(f"/users/{brakel}/qualifications",
                                headers=as_(tokens, "ks.koch"),
                                json={"training_id": asylum, "completed_on": str(today())})
    assert today_is_fine.status_code == 201

    with superuser.connect() as connection:
        entries = connection.execute(sa.text(
            "SELECT actor, action, record_type, reason FROM audit_log "
            "WHERE record_type = 'qualification' AND record_id = :id AND action = 'create'"),
            {"id": brakel}).all()
    assert (str(COUNTY.user("ks.assistenz").id), "create", "qualification", "recorded") in [
        tuple(e) for e in entries]
    assert all("47" not in (e.reason or "") for e in entries), "no reference in the trail"

    removed = client.delete(f"/users/{brakel}/qualifications/{today_is_fine.json['id']}",
                            headers=as_(tokens, "ks.assistenz"))
    assert removed.status_code == 204
    left = client.get(f"/users/{brakel}/qualifications", headers=as_(tokens, "ks.koch")).json
    assert today_is_fine.json["id"] not in {r["id"] for r in left}


def test_who_records_and_who_reads_qualification_records(client, tokens):
    """001 L384: the office records; a case manager reads her own, not a colleague's; an
    organisation's administrator her organisation's staff's; the assistant also reads the
    staff directory (002 L131)."""
    hoexter = str(COUNTY.user("cm.hoexter").id)
    awo_user = str(COUNTY.user("awo.beratung").id)
    asylum = training_id(client, tokens, "asylrecht")
    body = {"training_id": asylum, "completed_on": days_ago(10)}
    for name in ("cm.hoexter", "admin", "admin.awo", "pruefung"):
        refused = client.post(f"/users/{hoexter}/qualifications", json=body,
                              headers=as_(tokens, name))
        assert refused.status_code == 403, name
    assert client.post(f"/users/{awo_user}/qualifications", json=body,
                       headers=as_(tokens, "ks.assistenz")).status_code == 201

    own = client.get(f"/users/{hoexter}/qualifications", headers=as_(tokens, "cm.hoexter"))
    assert own.status_code == 200
    assert {r["training_id"] for r in own.json} >= {training_id(client, tokens, "cm-mkjfgfi")}
    assert client.get(f"/users/{hoexter}/qualifications",
                      headers=as_(tokens, "cm.brakel")).status_code == 403
    assert client.get(f"/users/{awo_user}/qualifications",
                      headers=as_(tokens, "admin.awo")).status_code == 200
    assert client.get(f"/users/{awo_user}/qualifications",
                      headers=as_(tokens, "admin.caritas")).status_code == 403
    assert client.get(f"/users/{uuid.uuid4()}/qualifications",
                      headers=as_(tokens, "ks.koch")).status_code == 404

    directory = client.get("/users", headers=as_(tokens, "ks.assistenz"))
    assert directory.status_code == 200
    assert {u["username"] for u in directory.json} >= {"cm.hoexter", "awo.beratung"}
    assert client.get(f"/users/{awo_user}", headers=as_(tokens, "ks.assistenz")).status_code \
        == 200
    assert client.put(f"/users/{awo_user}/roles", json={"roles": ["provider_staff"]},
                      headers=as_(tokens, "ks.assistenz")).status_code == 403


def test_the_office_sees_who_lacks_the_mandatory_training_and_a_disabled_user_is_not_listed(
        client, tokens):
    """001 L361 "Alle … Case Managerinnen und Case Manager haben die CM-Schulungen des MKJFGFI
    durchlaufen": the office sees every active case manager who has not (yet)."""
    admin = as_(tokens, "admin")
    town = client.post("/organisations", headers=admin, json={
        "name": f"Stadt Test {uuid.uuid4().hex[:6]}", "kind": "municipality"}).json["id"]

    def case_manager(name: str) -> str:
        created = client.post("/users", headers=admin, json={
            "username": f"{name}{uuid.uuid4().hex[:6]}", "display_name": name.title(),
            "organisation_id": town, "roles": ["case_manager"], "area_ids": [BRAKEL]})
        assert created.status_code == 201, created.json
        return created.json["id"]

    trained, untrained, disabled = (case_manager(n) for n in ("geschult", "neu", "gesperrt"))
    assert client.post(f"/users/{disabled}/disable", headers=admin).status_code == 200
    cm_training = training_id(client, tokens, "cm-mkjfgfi")
    assert client.post(f"/users/{trained}/qualifications", headers=as_(tokens, "ks.assistenz"),
                       json={"training_id": cm_training,
                             "completed_on": days_ago(100)}).status_code == 201

    for name in ("ks.koch", "ks.assistenz", "admin"):
        missing = client.get("/qualifications/missing", query_string={"organisation_id": town},
                             headers=as_(tokens, name))
        assert missing.status_code == 200, (name, missing.json)
        assert [(m["user_id"], m["display_name"], m["organisation_id"],
                 [t["key"] for t in m["missing"]]) for m in missing.json] == [
            (untrained, "Neu", town, ["cm-mkjfgfi"])], name

    everyone = client.get("/qualifications/missing", headers=as_(tokens, "ks.assistenz")).json
    listed = {m["user_id"] for m in everyone}
    assert str(COUNTY.user("cm.nieheim").id) in listed, "the demo's newest case manager"
    assert str(COUNTY.user("cm.hoexter").id) not in listed
    assert untrained in listed and trained not in listed and disabled not in listed

    assert client.get("/qualifications/missing",
                      headers=as_(tokens, "cm.hoexter")).status_code == 403
    assert client.get("/qualifications/missing", query_string={"organisation_id": town},
                      headers=as_(tokens, "admin.awo")).status_code == 403
    assert client.get("/qualifications/missing", query_string={"organisation_id": "awo"},
                      headers=as_(tokens, "ks.koch")).status_code == 422


def test_an_org_admin_cannot_make_someone_the_offices_assistant_and_the_tenant_admin_can(
        client, tokens):
    """002 L131: the assistant reads every organisation's staff records — a tenant-wide grant."""
    body = {"username": f"assistenz{uuid.uuid4().hex[:6]}", "display_name": "Neue Assistenz",
            "organisation_id": str(AWO), "roles": ["coordination_assistant"]}
    assert client.post("/users", json=body, headers=as_(tokens, "admin.awo")).status_code == 403
    created = client.post("/users", json=dict(body, organisation_id=str(demo_id("org:kreis"))),
                          headers=as_(tokens, "admin"))
    assert created.status_code == 201 and created.json["roles"] == ["coordination_assistant"]
    unknown = client.post("/users", json=dict(body, roles=["assistenz"]),
                          headers=as_(tokens, "admin"))
    assert unknown.status_code == 422 and "roles" in str(unknown.json)
