"""The forum's invitation list on the real database (ADR 0098): the one piece of personal data
in steering — the coordinating office only, every read and write audited without personal data
in the trail, erased (the row gone) when the office deletes it or the person withdraws consent,
never in an event or a log line."""

from __future__ import annotations

import csv
import io
import logging
import uuid

import pytest
import sqlalchemy as sa

from lotse_platform.auth import CASE_MANAGER, STEERING_MEMBER
from lotse_platform.testing import days_ago, days_ahead

pytestmark = pytest.mark.integration

NAME, PHONE, EMAIL = "Amina Haddad", "0171 2345678", "amina.haddad@example.org"
E164 = "+491712345678"
PERSONAL = (NAME, "Haddad", E164, "2345678", EMAIL, "amina.haddad")


def entry(name=NAME, phone=PHONE, email=EMAIL, given_on=None, how="written") -> dict:
    body = {"consent": {"given_on": given_on or days_ago(60), "how": how,
                        "purpose": "Einladungen zu weiteren Beteiligungsforen per SMS und "
                                   "E-Mail"}}
    for key, value in (("name", name), ("phone", phone), ("email", email)):
        if value is not None:
            body[key] = value
    return body


def fields(answer) -> list[str]:
    return [e["field"] for e in answer.get_json()["errors"]]


def audit_rows(superuser, tenant) -> list[dict]:
    with superuser.connect() as connection:
        return [dict(row) for row in connection.execute(sa.text(
            "SELECT actor, action, record_type, record_id, reason, request_id FROM audit_log "
            "WHERE tenant_id = :t ORDER BY id"), {"t": tenant}).mappings()]


def invitee_rows(superuser, tenant) -> list[dict]:
    with superuser.connect() as connection:
        return [dict(row) for row in connection.execute(sa.text(
            "SELECT * FROM forum_invitees WHERE tenant_id = :t"), {"t": tenant}).mappings()]


def nothing_personal(rows) -> bool:
    text = " ".join(str(row) for row in rows)
    return not any(p in text for p in PERSONAL)


@pytest.fixture
def forum_id(as_user) -> str:
    made = as_user("ks-koch").post("/forums", {"name": "Beteiligungsforum Südkreis"})
    assert made.status_code == 201, made.get_json()
    return made.get_json()["id"]


def test_the_office_keeps_the_list_with_consent_and_every_access_is_audited(
        steering, superuser, tenant, as_user, forum_id, caplog):
    caplog.set_level(logging.DEBUG)
    office = as_user("ks-koch")
    added = office.post(f"/forums/{forum_id}/invitations", entry())
    assert added.status_code == 201, added.get_json()
    shown = added.get_json()
    assert (shown["name"], shown["phone"], shown["email"]) == (NAME, E164, EMAIL), \
        "the phone number kept in E.164"
    assert shown["consent"]["how"] == "written" and shown["consent"]["how_de"].startswith(
        "schriftlich")
    mail_only = office.post(f"/forums/{forum_id}/invitations",
                            entry(name=None, phone=None, email="=cmd@example.org", how="email"))
    assert mail_only.status_code == 201, mail_only.get_json()

    for body, field in ((entry(phone=None, email=None), "phone"),
                        (entry(phone="12"), "phone"),
                        (entry(phone="Amina"), "phone"),
                        (entry(email="amina@"), "email"),
                        (entry(given_on=days_ahead(1)), "consent.given_on"),
                        (entry(how="telepathy"), "consent.how")):
        refused = office.post(f"/forums/{forum_id}/invitations", body)
        assert refused.status_code == 422, (field, refused.get_json())
        assert field in fields(refused), (field, refused.get_json())
    no_consent = entry()
    del no_consent["consent"]
    assert office.post(f"/forums/{forum_id}/invitations", no_consent).status_code == 422
    assert office.post(f"/forums/{uuid.uuid4()}/invitations", entry()).status_code == 404

    listed = office.get(f"/forums/{forum_id}/invitations")
    assert listed.status_code == 200
    assert [i["id"] for i in listed.get_json()] == [shown["id"], mail_only.get_json()["id"]]
    assert nothing_personal(invitee_rows(superuser, tenant)), \
        "name, phone and e-mail are stored encrypted (ADR 0104)"
    exported = office.get(f"/forums/{forum_id}/invitations.csv")
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    assert exported.headers["Cache-Control"] == "no-store"
    table = list(csv.reader(io.StringIO(exported.get_data().decode("utf-8-sig")), delimiter=";"))
    assert table[0][:3] == ["Name", "Telefon", "E-Mail"]
    assert table[1][:3] == [NAME, E164, EMAIL]
    assert table[2][:3] == ["", "", "'=cmd@example.org"], "a formula is shown, never run"

    trail = audit_rows(superuser, tenant)
    on_list = [(r["action"], r["record_id"], r["reason"]) for r in trail
               if r["record_type"] == "forum_invitee"]
    first, second = shown["id"], mail_only.get_json()["id"]
    assert on_list == [("create", first, f"forum {forum_id}"),
                       ("create", second, f"forum {forum_id}"),
                       ("read", first, "list"), ("read", second, "list"),
                       ("export", first, "csv:invitations"),
                       ("export", second, "csv:invitations")]
    assert {r["actor"] for r in trail if r["record_type"] == "forum_invitee"} == {"ks-koch"}
    assert nothing_personal(trail), "the audit trail keeps ids and codes, no personal data"
    with superuser.connect() as connection:
        outbox = connection.execute(sa.text("SELECT payload, subject FROM outbox")).all()
    assert nothing_personal(outbox), "no personal data in any event"
    assert nothing_personal(r.getMessage() for r in caplog.records), "nor in a log line"


def test_steering_members_and_case_managers_never_reach_the_list(
        steering, tenant, as_user, forum_id):
    office = as_user("ks-koch")
    invitee = office.post(f"/forums/{forum_id}/invitations", entry()).get_json()
    member = as_user("landrat", roles=(STEERING_MEMBER,), org="org-kreis")
    lea = as_user("cm-lea", roles=(CASE_MANAGER,), org="org-awo")
    for caller in (member, lea):
        assert caller.get(f"/forums/{forum_id}/invitations").status_code == 403
        assert caller.get(f"/forums/{forum_id}/invitations.csv").status_code == 403
        assert caller.post(f"/forums/{forum_id}/invitations", entry()).status_code == 403
        assert caller.delete(
            f"/forums/{forum_id}/invitations/{invitee['id']}").status_code == 403
        assert caller.post(f"/forums/{forum_id}/invitations/{invitee['id']}/"
                           "consent-withdrawal").status_code == 403
    # nothing of the list in what the steering group reads
    views = [member.get(path).get_data(as_text=True) for path in (
        "/forums", f"/forums/{forum_id}", f"/forums/{forum_id}/sessions", "/cycle", "/themes")]
    assert nothing_personal(views)
    assert all("invit" not in view for view in views)


def test_erasure_deletes_the_row_and_the_trail_keeps_only_its_id(
        steering, superuser, tenant, as_user, forum_id):
    office = as_user("ks-koch")
    kept = office.post(f"/forums/{forum_id}/invitations",
                       entry(name="Yusuf Demir", phone="+90 532 123 45 67", email=None)).get_json()
    erased = office.post(f"/forums/{forum_id}/invitations", entry()).get_json()
    answer = office.delete(f"/forums/{forum_id}/invitations/{erased['id']}")
    assert answer.status_code == 204
    assert [row["id"] for row in invitee_rows(superuser, tenant)] == [uuid.UUID(kept["id"])], \
        "the row is gone, not marked"
    assert [i["id"] for i in office.get(f"/forums/{forum_id}/invitations").get_json()] == [
        kept["id"]]
    assert office.delete(f"/forums/{forum_id}/invitations/{erased['id']}").status_code == 404
    other_forum = office.post("/forums", {"name": "Beteiligungsforum Nordkreis"}).get_json()["id"]
    assert office.delete(f"/forums/{other_forum}/invitations/{kept['id']}").status_code == 404, \
        "an entry is erased through its own forum"
    trail = audit_rows(superuser, tenant)
    assert ("delete", erased["id"], "erasure") in [
        (r["action"], r["record_id"], r["reason"]) for r in trail]
    assert nothing_personal(trail)


def test_a_withdrawn_consent_erases_the_entry_at_once(
        steering, superuser, tenant, as_user, forum_id):
    office = as_user("ks-koch")
    invitee = office.post(f"/forums/{forum_id}/invitations", entry()).get_json()
    withdrawn = office.post(f"/forums/{forum_id}/invitations/{invitee['id']}/consent-withdrawal")
    assert withdrawn.status_code == 204
    assert invitee_rows(superuser, tenant) == []
    assert office.get(f"/forums/{forum_id}/invitations").get_json() == []
    exported = office.get(f"/forums/{forum_id}/invitations.csv").get_data().decode("utf-8-sig")
    assert NAME not in exported and E164 not in exported
    assert office.post(f"/forums/{forum_id}/invitations/{invitee['id']}/"
                       "consent-withdrawal").status_code == 404
    trail = audit_rows(superuser, tenant)
    assert [(r["action"], r["reason"]) for r in trail if r["record_id"] == invitee["id"]] == [
        ("create", f"forum {forum_id}"), ("delete", "consent_withdrawn")]
    assert nothing_personal(trail)
