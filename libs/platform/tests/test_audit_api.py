"""``GET /audit-trail`` of every service: the data-protection officer (role ``auditor``) asks
who accessed which record, when and why; per record, per user, per period, a page at a time;
only within the own tenant; and the question is audited itself. Shown on the example service,
which gets the endpoint from the platform as every service does."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lotse_platform import clock
from lotse_platform.auth import AUDITOR, CASE_MANAGER, COORDINATOR
from lotse_platform.auth.devtokens import DevIssuer

pytestmark = pytest.mark.integration


@pytest.fixture
def issuer() -> DevIssuer:
    return DevIssuer()


@pytest.fixture
def client(any_example, issuer):
    any_example.trust(issuer.keys(), issuer.issuer)
    return any_example.create_app(check_database=False).test_client()


def caller(client, issuer, tenant, subject, roles, areas=("area-brakel",)):
    token = issuer.issue(subject, tenant, "org-kreis", list(roles), areas=list(areas))
    headers = {"Authorization": f"Bearer {token}"}

    class Caller:
        def get(self, path, **query):
            return client.get(path, headers=headers, query_string=query)

        def post(self, path, body):
            return client.post(path, headers=headers, json=body)

        def delete(self, path, **query):
            return client.delete(path, headers=headers, query_string=query)

    return Caller()


def test_the_auditor_sees_who_read_a_record_when_and_the_query_is_audited(client, issuer):
    tenant = uuid.uuid4()
    lea = caller(client, issuer, tenant, "cm-lea", [CASE_MANAGER])
    office = caller(client, issuer, tenant, "ks-koch", [COORDINATOR])
    auditor = caller(client, issuer, tenant, "dsb-meier", [AUDITOR])
    note_id = lea.post("/notes", {"area_id": "area-brakel", "text": "Termin beim Jobcenter"}
                       ).get_json()["id"]
    assert office.get(f"/notes/{note_id}").status_code == 200
    other = lea.post("/notes", {"area_id": "area-brakel", "text": "Rückruf"}).get_json()["id"]

    answer = auditor.get("/audit-trail", record_type="note", record_id=note_id)

    assert answer.status_code == 200, answer.get_json()
    page = answer.get_json()
    assert [(e["actor"], e["action"], e["record_id"]) for e in page["entries"]] == [
        ("cm-lea", "create", note_id), ("ks-koch", "read", note_id)]
    assert page["next_after"] is None
    assert "Jobcenter" not in answer.get_data(as_text=True), "entries hold no case content"
    by_lea = auditor.get("/audit-trail", actor="cm-lea").get_json()["entries"]
    assert [e["record_id"] for e in by_lea] == [note_id, other]
    queries = auditor.get("/audit-trail", record_type="audit_trail").get_json()["entries"]
    assert [(e["actor"], e["record_id"]) for e in queries] == [
        ("dsb-meier", note_id), ("dsb-meier", None)], "each query left an entry"


def test_the_audit_trail_is_read_a_page_at_a_time_and_by_period(client, issuer):
    tenant = uuid.uuid4()
    lea = caller(client, issuer, tenant, "cm-lea", [CASE_MANAGER])
    auditor = caller(client, issuer, tenant, "dsb-meier", [AUDITOR])
    before = clock.now()
    ids = [lea.post("/notes", {"area_id": "area-brakel", "text": f"Notiz {n}"}).get_json()["id"]
           for n in range(5)]

    first = auditor.get("/audit-trail", action="create", limit=2).get_json()
    second = auditor.get("/audit-trail", action="create", limit=2,
                         after=first["next_after"]).get_json()
    third = auditor.get("/audit-trail", action="create", limit=2,
                        after=second["next_after"]).get_json()

    assert [e["record_id"] for p in (first, second, third) for e in p["entries"]] == ids
    assert third["next_after"] is None
    later = (clock.now() + timedelta(hours=1)).isoformat()
    assert auditor.get("/audit-trail", action="create", since=later).get_json()["entries"] == []
    assert len(auditor.get("/audit-trail", action="create", since=before.isoformat(),
                           until=later).get_json()["entries"]) == 5


def test_only_the_auditor_reads_the_audit_trail_and_only_of_her_own_tenant(client, issuer):
    tenant, other_tenant = uuid.uuid4(), uuid.uuid4()
    lea = caller(client, issuer, tenant, "cm-lea", [CASE_MANAGER])
    lea.post("/notes", {"area_id": "area-brakel", "text": "Termin"})

    for roles in ([CASE_MANAGER], [COORDINATOR]):
        refused = caller(client, issuer, tenant, "someone", roles).get("/audit-trail")
        assert refused.status_code == 403
    elsewhere = caller(client, issuer, other_tenant, "dsb-other", [AUDITOR])
    assert elsewhere.get("/audit-trail", record_type="note").get_json()["entries"] == []


@pytest.mark.parametrize("query, field", [
    ({"record_id": "x' OR 1=1 --"}, "record_id"),
    ({"actor": "Frau Haddad"}, "actor"),
    ({"record_type": "Case"}, "record_type"),
    ({"limit": "0"}, "limit"),
    ({"limit": "501"}, "limit"),
    ({"since": "2026-12-07T10:00:00"}, "since"),
    ({"since": "2026-12-07T10:00:00+01:00", "until": "2026-12-07T09:00:00+01:00"}, "until"),
    ({"after": "-1"}, "after"),
])
def test_a_malformed_filter_is_a_422_naming_it(client, issuer, query, field):
    auditor = caller(client, issuer, uuid.uuid4(), "dsb-meier", [AUDITOR])

    answer = auditor.get("/audit-trail", **query)

    assert answer.status_code == 422
    assert [e["field"] for e in answer.get_json()["errors"]] == [field]


def test_the_query_states_the_purpose_audit_and_its_filters_stay_out_of_the_trail(
        client, issuer, any_example):
    tenant = uuid.uuid4()
    auditor = caller(client, issuer, tenant, "dsb-meier", [AUDITOR])

    assert auditor.get("/audit-trail", actor="Haddad", record_id="Haddad").status_code == 200

    queries = auditor.get("/audit-trail", purpose="audit").get_json()["entries"]
    assert [(e["record_id"], e["reason"], e["purpose"], e["note"]) for e in queries] == [
        (None, "purpose:audit", "audit", "record_id=Haddad actor=Haddad")]
    log = any_example.tables.audit_log
    with any_example.uow(tenant) as uow:
        trail = uow.session.execute(sa.select(log).where(log.c.tenant_id == tenant)).all()
    assert "Haddad" not in str(trail), "what the auditor typed is only in the erasable note"


def test_the_auditor_erases_the_notes_of_an_entry_and_the_erasure_is_audited(client, issuer):
    tenant = uuid.uuid4()
    auditor = caller(client, issuer, tenant, "dsb-meier", [AUDITOR])
    auditor.get("/audit-trail", actor="cm-lea")
    entry = auditor.get("/audit-trail").get_json()["entries"][0]

    answer = auditor.delete("/audit-trail/notes", entry=entry["id"])

    assert answer.status_code == 200 and answer.get_json() == {"erased": 1}
    entries = auditor.get("/audit-trail").get_json()["entries"]
    assert (entries[0]["id"], entries[0]["note"]) == (entry["id"], None)
    assert [(e["action"], e["record_type"], e["record_id"], e["reason"]) for e in entries
            if e["action"] == "delete"] == [("delete", "audit_note", str(entry["id"]),
                                             "erased 1")]
    assert caller(client, issuer, tenant, "cm-lea", [CASE_MANAGER]).delete(
        "/audit-trail/notes", entry=entry["id"]).status_code == 403


@pytest.mark.parametrize("query, field", [
    ({}, "entry"),
    ({"entry": "1", "record_id": "x"}, "entry"),
    ({"record_type": "case", "entry": "1"}, "record_type"),
    ({"entry": "0"}, "entry"),
    ({"record_id": "Frau Haddad"}, "record_id"),
])
def test_an_erasure_naming_no_notes_or_two_ways_is_a_422(client, issuer, query, field):
    auditor = caller(client, issuer, uuid.uuid4(), "dsb-meier", [AUDITOR])

    answer = auditor.delete("/audit-trail/notes", **query)

    assert answer.status_code == 422
    assert [e["field"] for e in answer.get_json()["errors"]] == [field]


def test_a_purpose_filter_outside_the_vocabulary_is_a_422_naming_it(client, issuer):
    auditor = caller(client, issuer, uuid.uuid4(), "dsb-meier", [AUDITOR])

    answer = auditor.get("/audit-trail", purpose="Fachaufsicht")

    assert answer.status_code == 422
    assert [e["field"] for e in answer.get_json()["errors"]] == ["purpose"]


def test_a_request_id_the_caller_chose_stays_in_the_logs_and_out_of_the_trail(client, issuer):
    tenant = uuid.uuid4()
    token = issuer.issue("dsb-meier", tenant, "org-kreis", [AUDITOR], areas=["area-brakel"])
    ours = str(uuid.uuid4())
    for given in ("Haddad", ours):
        answer = client.get("/audit-trail", headers={"Authorization": f"Bearer {token}",
                                                     "X-Request-ID": given})
        assert answer.headers["X-Request-ID"] == given, "still the handle for the logs"

    auditor = caller(client, issuer, tenant, "dsb-meier", [AUDITOR])
    entries = auditor.get("/audit-trail").get_json()["entries"]
    assert [e["request_id"] for e in entries] == [None, ours]
