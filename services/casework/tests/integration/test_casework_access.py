"""Who sees a case file: her own case manager, a colleague it is shared with while the share
runs, the coordinating office for supervision with a purpose; nobody else, no other tenant,
and after a transfer not the sender. Every personal-data access is audited."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lotse.casework.v1 import events_pb2 as ev
from lotse_platform.testing import days_ago, days_ahead, today
from lotse_platform.auth import (
    AUDITOR,
    COORDINATION_ASSISTANT,
    COORDINATOR,
    PROVIDER_STAFF,
    STEERING_MEMBER,
    TENANT_ADMIN,
)

from casework_steps import drive, ok
from casework_support import PERSON_NAME, open_test_case

pytestmark = pytest.mark.integration


def register(as_user, user_id: str, org: str, fte: float, areas: list[str]) -> None:
    admin = as_user("admin", roles=(TENANT_ADMIN,), org="org-kreis")
    ok(admin.put(f"/case-managers/{user_id}", {"organisation_id": org, "fte": fte,
                                               "areas": areas}))


def audit_trail(superuser, tenant) -> list[tuple]:
    with superuser.connect() as connection:
        return connection.execute(sa.text(
            "SELECT actor, action, record_type, record_id, reason FROM audit_log "
            "WHERE tenant_id = :t ORDER BY seq, id"), {"t": tenant}).all()


def test_case_files_are_hidden_from_other_case_managers_tenants_and_roles_without_case_access(
        casework, tenant, as_user):
    case_id = open_test_case(casework, tenant, "cm-lea")
    assert as_user("cm-lea").get(f"/cases/{case_id}").status_code == 200
    assert as_user("cm-tobias").get(f"/cases/{case_id}").status_code == 404
    assert as_user("cm-lea", tenant_id=uuid.uuid4()).get(f"/cases/{case_id}").status_code == 404
    for role in (PROVIDER_STAFF, STEERING_MEMBER, AUDITOR, TENANT_ADMIN):
        assert as_user("someone", roles=(role,)).get(f"/cases/{case_id}").status_code == 403, role
    assert as_user("cm-tobias").post(f"/cases/{case_id}/phase",
                                     {"to": "assessment"}).status_code == 404
    assert as_user("cm-lea").get("/cases").get_json()[0]["id"] == str(case_id)
    assert as_user("cm-tobias").get("/cases").get_json() == []


def test_the_offices_assistant_reads_no_case_file_and_no_supervision_view(
        casework, tenant, as_user):
    """002 L131 "eine 0,5 Assistenzstelle": she supports the office administratively (trainings
    and records in identity, ADR 0081) but has not its Fachaufsicht (002 L133): 403 on the case
    file, also with a supervision purpose, and on the office's views of cases."""
    case_id = open_test_case(casework, tenant, "cm-lea")
    assistant = as_user("ks-assistenz", roles=(COORDINATION_ASSISTANT,), org="org-kreis",
                        areas=())
    for path in (f"/cases/{case_id}", f"/cases/{case_id}?purpose=supervision",
                 f"/cases/{case_id}/contacts", "/cases", "/caseload", "/my-day"):
        refused = assistant.get(path)
        assert refused.status_code == 403, path
        assert PERSON_NAME not in refused.get_data(as_text=True)
    assert assistant.post(f"/cases/{case_id}/phase", {"to": "assessment"}).status_code == 403
    assert as_user("ks-koch", roles=(COORDINATOR,), org="org-kreis").get(
        f"/cases/{case_id}?purpose=supervision").status_code == 200, "the office itself reads it"


def notes(superuser, tenant, cipher) -> list[tuple]:
    """The notes beside the trail as the database holds them — encrypted with the tenant's
    keys (ADR 0104), never the words themselves — opened with the service's cipher."""
    with superuser.connect() as connection:
        stored = connection.execute(sa.text(
            "SELECT a.record_type, a.reason, n.note FROM audit_note n "
            "JOIN audit_log a ON a.id = n.audit_id WHERE n.tenant_id = :t ORDER BY a.id"),
            {"t": tenant}).all()
    assert all(note.startswith("lotse1$") for _, _, note in stored), "a note stored in clear"
    return [(kind, reason, cipher.decrypt(tenant, "audit_note.note", note))
            for kind, reason, note in stored]


def test_a_case_manager_of_another_organisation_serving_the_same_area_does_not_see_the_case(
        casework, tenant, as_user):
    register(as_user, "cm-caritas", "org-caritas", 1.0, ["area-hoexter"])
    case_id = open_test_case(casework, tenant, "cm-lea")  # Stadt Höxter's, area-hoexter
    caritas = as_user("cm-caritas", org="org-caritas", areas=("area-hoexter",))

    assert caritas.get(f"/cases/{case_id}").status_code == 404
    assert caritas.get(f"/cases/{case_id}/contacts").status_code == 404
    assert caritas.post(f"/cases/{case_id}/phase", {"to": "assessment"}).status_code == 404
    assert caritas.get("/cases").get_json() == []
    assert str(case_id) not in str(caritas.get("/my-day").get_json())
    assert as_user("cm-lea").get(f"/cases/{case_id}").get_json()["phase"] == "intake"


def test_supervision_reads_name_their_purpose_in_the_audit_trail_and_never_write(
        casework, tenant, as_user, superuser):
    case_id = open_test_case(casework, tenant, "cm-lea")
    koch = as_user("ks-koch", roles=(COORDINATOR,), org="org-kreis")
    refused = koch.get(f"/cases/{case_id}")
    assert refused.status_code == 403 and "quality_assurance" in refused.get_json()["detail"]
    read = koch.get(f"/cases/{case_id}?purpose=quality_assurance")
    assert read.status_code == 200 and read.get_json()["access"] == "supervision"
    assert ("ks-koch", "read", "case_file", str(case_id),
            "purpose:quality_assurance") in audit_trail(superuser, tenant)
    assert koch.post(f"/cases/{case_id}/phase", {"to": "assessment"}).status_code == 403


def test_a_purpose_outside_the_vocabulary_is_refused_naming_the_field(casework, tenant,
                                                                      as_user, superuser):
    case_id = open_test_case(casework, tenant, "cm-lea")
    koch = as_user("ks-koch", roles=(COORDINATOR,), org="org-kreis")
    before = audit_trail(superuser, tenant)

    for path in (f"/cases/{case_id}", f"/cases/{case_id}/contacts"):
        answer = koch.get(path, query_string={"purpose": f"Gespräch mit Frau {PERSON_NAME}"})
        assert answer.status_code == 422, path
        assert [e["field"] for e in answer.get_json()["errors"]] == ["purpose"]
    note_alone = koch.get(f"/cases/{case_id}?purpose_note=Beschwerde")
    assert [e["field"] for e in note_alone.get_json()["errors"]] == ["purpose_note"]
    assert audit_trail(superuser, tenant) == before, "nothing read, nothing audited"


def test_the_note_to_a_purpose_stays_out_of_the_trail_and_can_be_erased(
        casework, tenant, as_user, superuser):
    case_id = open_test_case(casework, tenant, "cm-lea")
    koch = as_user("ks-koch", roles=(COORDINATOR,), org="org-kreis")
    note = f"Beschwerde von Frau {PERSON_NAME} vom 3. März"

    read = koch.get(f"/cases/{case_id}/contacts", query_string={
        "purpose": "complaint", "purpose_note": note})

    assert read.status_code == 200
    assert ("ks-koch", "read", "contact", str(case_id), "purpose:complaint") in audit_trail(
        superuser, tenant)
    assert all(PERSON_NAME not in str(entry) for entry in audit_trail(superuser, tenant))
    cipher = casework.field_cipher
    assert notes(superuser, tenant, cipher) == [("contact", "purpose:complaint", note)]
    auditor = as_user("dsb-meier", roles=(AUDITOR,), org="org-kreis")
    entries = auditor.get("/audit-trail", query_string={"purpose": "complaint"}).get_json()
    assert [(e["purpose"], e["note"]) for e in entries["entries"]] == [("complaint", note)]
    erased = auditor.delete("/audit-trail/notes", query_string={"record_id": str(case_id)})
    assert erased.status_code == 200 and erased.get_json() == {"erased": 1}
    assert notes(superuser, tenant, cipher) == [("audit_trail", "purpose:audit", "purpose=complaint")], \
        "left: the note of the auditor's own query (its filters)"
    assert ("ks-koch", "read", "contact", str(case_id), "purpose:complaint") in audit_trail(
        superuser, tenant), "the entry itself stays"


def test_personal_data_reads_and_writes_are_audited_in_their_transaction(
        casework, tenant, as_user, superuser):
    lea = as_user("cm-lea")
    case_id = open_test_case(casework, tenant, "cm-lea")
    contact_id = ok(lea.post(f"/cases/{case_id}/contacts", {
        "type": "phone_call", "occurred_on": days_ago(0), "duration_minutes": 15,
        "notes": "Rückruf wegen Termin"}), 201)["id"]
    lea.get(f"/cases/{case_id}/contacts")
    lea.get(f"/cases/{case_id}")
    trail = audit_trail(superuser, tenant)
    assert ("cm-lea", "create", "contact", contact_id, None) in trail
    assert ("cm-lea", "read", "contact", str(case_id), None) in trail
    assert ("cm-lea", "read", "case_file", str(case_id), None) in trail
    assert all(PERSON_NAME not in str(entry) for entry in trail), "ids only, never names"


def test_a_shared_case_is_worked_by_the_colleague_until_the_share_ends_and_sharing_is_audited(
        casework, tenant, as_user, superuser):
    register(as_user, "cm-tobias", "org-stadt-beverungen", 1.0, ["area-beverungen"])
    lea, tobias = as_user("cm-lea"), as_user("cm-tobias", org="org-stadt-beverungen")
    case_id = open_test_case(casework, tenant, "cm-lea")
    too_long = lea.post(f"/cases/{case_id}/shares", {
        "colleague_id": "cm-tobias", "kind": "deputy",
        "valid_until": days_ahead(400)})
    assert too_long.status_code == 422
    share_id = ok(lea.post(f"/cases/{case_id}/shares", {
        "colleague_id": "cm-tobias", "kind": "deputy",
        "valid_until": days_ahead(14)}), 201)["id"]

    assert tobias.get(f"/cases/{case_id}").get_json()["access"] == "shared"
    ok(tobias.post(f"/cases/{case_id}/phase", {"to": "assessment"}))
    assert [c["access"] for c in tobias.get("/cases").get_json()] == ["shared"]
    assert tobias.post(f"/cases/{case_id}/shares", {
        "colleague_id": "cm-lea", "kind": "tandem",
        "valid_until": days_ago(0)}).status_code == 409, "only the owner shares"

    ok(lea.delete(f"/cases/{case_id}/shares/{share_id}"))
    assert tobias.get(f"/cases/{case_id}").status_code == 404
    trail = audit_trail(superuser, tenant)
    assert any(e[:4] == ("cm-lea", "share", "case", str(case_id)) for e in trail)
    assert ("cm-lea", "unshare", "case", str(case_id), "deputy") in trail


def test_a_share_that_has_run_out_gives_no_access(casework, tenant, as_user):
    register(as_user, "cm-tobias", "org-stadt-beverungen", 1.0, ["area-beverungen"])
    lea = as_user("cm-lea")
    case_id = open_test_case(casework, tenant, "cm-lea")
    yesterday = today() - timedelta(days=1)
    ok(lea.post(f"/cases/{case_id}/shares", {
        "colleague_id": "cm-tobias", "kind": "tandem",
        "valid_from": (yesterday - timedelta(days=10)).isoformat(),
        "valid_until": yesterday.isoformat()}), 201)
    assert as_user("cm-tobias").get(f"/cases/{case_id}").status_code == 404


def test_a_transfer_is_accepted_by_the_receiver_and_the_sender_reads_nothing_afterwards(
        casework, tenant, as_user, superuser):
    register(as_user, "cm-sevda", "org-stadt-warburg", 1.0, ["area-warburg", "area-willebadessen"])
    lea = as_user("cm-lea")
    sevda = as_user("cm-sevda", org="org-stadt-warburg", areas=("area-warburg",))
    case_id = open_test_case(casework, tenant, "cm-lea")
    goal_id = drive(lea, case_id, "monitoring")["goal_id"]
    assert lea.post(f"/cases/{case_id}/transfers", {"to_case_manager_id": "cm-unknown"}
                    ).status_code == 422
    transfer_id = ok(lea.post(f"/cases/{case_id}/transfers", {
        "to_case_manager_id": "cm-sevda", "to_area_id": "area-warburg",
        "note": "Umzug nach Warburg zum 1.12."}), 201)["id"]
    assert lea.get(f"/cases/{case_id}").status_code == 200, "the sender keeps it until accepted"

    incoming = sevda.get("/my-day").get_json()["incoming_transfers"]
    assert [t["transfer_id"] for t in incoming] == [transfer_id]
    handover = sevda.get(f"/transfers/{transfer_id}").get_json()
    assert handover["person"]["name"] == PERSON_NAME
    assert [g["id"] for g in handover["goals"]] == [goal_id]
    assert sevda.get(f"/cases/{case_id}").status_code == 404, "not hers before she accepts"
    assert lea.post(f"/transfers/{transfer_id}/accept").status_code == 404

    ok(sevda.post(f"/transfers/{transfer_id}/accept"), 200)
    case = sevda.get(f"/cases/{case_id}").get_json()
    assert (case["case_manager_id"], case["area_id"], case["phase"]) == (
        "cm-sevda", "area-warburg", "monitoring")
    for path in (f"/cases/{case_id}", f"/cases/{case_id}/contacts",
                 f"/cases/{case_id}/assessments", f"/transfers/{transfer_id}"):
        assert lea.get(path).status_code == 404, path
    assert lea.get("/cases").get_json() == []
    with superuser.connect() as connection:
        payload = connection.execute(sa.text(
            "SELECT payload FROM outbox WHERE event_type = 'casework.case.transferred.v1' "
            "AND aggregate_id = :a"), {"a": str(case_id)}).scalar_one()
    moved = ev.CaseTransferred.FromString(payload)
    assert (moved.from_case_manager_id, moved.case.case_manager_id, moved.case.area_id) == (
        "cm-lea", "cm-sevda", "area-warburg")
    assert ("cm-sevda", "read", "transfer_package", str(case_id),
            f"transfer {transfer_id}") in audit_trail(superuser, tenant)


def test_caseload_counts_open_cases_against_the_guideline_for_the_fte_share(
        casework, tenant, as_user):
    register(as_user, "cm-nina", "org-stadt-borgentreich", 0.5, ["area-borgentreich"])
    register(as_user, "cm-julia", "org-stadt-bad-driburg", 0.75, ["area-bad-driburg"])
    for _ in range(31):  # 0.5 FTE: 25–30
        open_test_case(casework, tenant, "cm-nina", org="org-stadt-borgentreich")
    closed = open_test_case(casework, tenant, "cm-julia", org="org-stadt-bad-driburg")
    ok(as_user("cm-julia", org="org-stadt-bad-driburg").post(
        f"/cases/{closed}/closure", {"reason": "not_reachable"}))
    for _ in range(2):
        open_test_case(casework, tenant, "cm-julia", org="org-stadt-bad-driburg")

    nina = as_user("cm-nina", org="org-stadt-borgentreich").get("/caseload").get_json()
    assert nina["case_managers"] == [{
        "case_manager_id": "cm-nina", "organisation_id": "org-stadt-borgentreich", "fte": 0.5,
        "open_cases": 31, "norm_low": 25, "norm_high": 30, "above_range": True,
        "below_range": False}]

    koch = as_user("ks-koch", roles=(COORDINATOR,), org="org-kreis")
    overview = koch.get("/caseload")
    lines = {line["case_manager_id"]: line for line in overview.get_json()["case_managers"]}
    assert (lines["cm-julia"]["open_cases"], lines["cm-julia"]["norm_low"],
            lines["cm-julia"]["norm_high"]) == (2, 37, 45)
    assert lines["cm-julia"]["below_range"] and not lines["cm-julia"]["above_range"]
    organisations = {o["organisation_id"]: o for o in overview.get_json()["organisations"]}
    assert organisations["org-stadt-borgentreich"]["above_range"] == 1
    assert PERSON_NAME not in overview.get_data(as_text=True), "no personal data"
    assert as_user("x", roles=(STEERING_MEMBER,)).get("/caseload").status_code == 403


def test_an_organisations_admin_sets_only_her_own_staff(casework, tenant, as_user):
    from lotse_platform.auth import ORG_ADMIN

    register(as_user, "cm-sevda", "org-stadt-warburg", 1.0, ["area-warburg"])
    warburg = as_user("admin-wb", roles=(ORG_ADMIN,), org="org-stadt-warburg")
    brakel = as_user("admin-br", roles=(ORG_ADMIN,), org="org-stadt-brakel")
    body = {"organisation_id": "org-stadt-brakel", "fte": 0.5, "areas": ["area-brakel"]}
    assert brakel.put("/case-managers/cm-sevda", body).status_code == 403
    assert warburg.put("/case-managers/cm-sevda", {**body, "organisation_id":
                                                   "org-stadt-warburg"}).status_code == 204
    assert as_user("cm-x").put("/case-managers/cm-x", body).status_code == 403


def test_a_transfer_starts_the_time_with_the_case_manager_and_keeps_the_judgement_checked(
        casework, tenant, as_user):
    # 001 L450–L455: "Kein neuer Fall (mind. 8 Wochen beim CM)" — the candidates for a case
    # reconstruction are steering's (ADR 0094), from casework's events; here the facts they
    # rest on: the day the current case manager took the case, and her judgement's vocabulary
    from lotse_platform import clock
    from lotse_platform.testing import frozen_clock

    register(as_user, "cm-sevda", "org-stadt-warburg", 1.0, ["area-warburg"])
    lea = as_user("cm-lea")
    sevda = as_user("cm-sevda", org="org-stadt-warburg", areas=("area-warburg",))
    opened_at = clock.now() - timedelta(weeks=9)
    with frozen_clock(opened_at):
        case_id = open_test_case(casework, tenant, "cm-lea")
    drive(lea, case_id, "monitoring")

    ok(lea.patch(f"/cases/{case_id}/settings", {"difficulty": "medium", "typical": True}))
    assert lea.patch(f"/cases/{case_id}/settings", {"difficulty": "mittel"}).get_json()[
        "errors"][0]["field"] == "difficulty"
    # the day it was opened in Höxter: nine weeks ago in UTC may be another calendar day there
    # (late in the evening, and summer time then against winter time now)
    assert lea.get(f"/cases/{case_id}").get_json()["case_manager_since"] == clock.day_of(
        opened_at, tenant).isoformat()

    transfer_id = ok(lea.post(f"/cases/{case_id}/transfers", {
        "to_case_manager_id": "cm-sevda", "to_area_id": "area-warburg"}), 201)["id"]
    ok(sevda.post(f"/transfers/{transfer_id}/accept"), 200)
    case = sevda.get(f"/cases/{case_id}").get_json()
    assert case["case_manager_since"] == today().isoformat()
    assert case["opened_on"] == clock.day_of(opened_at, tenant).isoformat(), "a transfer keeps it"


def test_a_tandem_with_a_partners_specialist_needs_its_release_for_every_topic(
        casework, tenant, as_user):
    # 000 L201: "Beratung im Tandem: Ratsuchende werden im Rahmen von KIM CM beraten, gemeinsam
    # mit den Fachberater*innen für die jeweiligen Schwerpunkte"
    lea = as_user("cm-lea")
    case_id = open_test_case(casework, tenant, "cm-lea", releases=[
        {"partner_org_id": "org-jobcenter", "topic_areas": ["housing"]}])
    tandem = {"colleague_id": "fb-jobcenter", "kind": "tandem", "partner_org_id": "org-jobcenter",
              "topics": ["housing"], "valid_until": days_ahead(90)}

    uncovered = lea.post(f"/cases/{case_id}/shares", {**tandem, "topics": ["residence"]})
    assert uncovered.status_code == 409
    assert uncovered.get_json()["topics_without_release"] == ["residence"]
    unknown = lea.post(f"/cases/{case_id}/shares", {**tandem, "partner_org_id": "org-nowhere"})
    assert unknown.get_json()["type"] == "urn:lotse:problem:unknown-reference"
    assert [e["field"] for e in lea.post(f"/cases/{case_id}/shares", {
        **tandem, "kind": "deputy"}).get_json()["errors"]] == ["kind"]
    assert [e["field"] for e in lea.post(f"/cases/{case_id}/shares", {
        **tandem, "partner_org_id": "org-stadt-hoexter"}).get_json()["errors"]] == [
        "partner_org_id"]

    share_id = ok(lea.post(f"/cases/{case_id}/shares", tandem), 201)["id"]
    share, = [s for s in lea.get(f"/cases/{case_id}").get_json()["shares"]
              if s["id"] == share_id]
    assert (share["colleague_id"], share["partner_org_id"], share["topics"]) == (
        "fb-jobcenter", "org-jobcenter", ["housing"])
    specialist = as_user("fb-jobcenter", roles=(PROVIDER_STAFF,), org="org-jobcenter")
    assert specialist.get(f"/cases/{case_id}").status_code == 403, \
        "joint counselling; the partner's staff open no case file here"


def test_a_team_case_discussion_is_inside_the_team_and_part_of_the_offices_supervision(
        casework, tenant, as_user, superuser):
    # 001 L614: "Fallbesprechungen dienen dem Austausch und Verständigung über Umgangsweisen
    # aktuell bearbeiteter Fälle … im Rahmen der fachaufsichtlichen Funktion, hier der
    # Koordinator*innen"; L363 "Patenschaften unter den CM"; 002 L262 "kollegialer Austausch"
    register(as_user, "cm-sevda", "org-stadt-warburg", 1.0, ["area-warburg"])
    register(as_user, "cm-lea", "org-stadt-hoexter", 1.0, ["area-hoexter"])
    lea, coordinator = as_user("cm-lea"), as_user("ks-koch", roles=(COORDINATOR,))
    case_id = open_test_case(casework, tenant, "cm-lea")
    discussion = {"kind": "case_discussion", "held_on": days_ago(1),
                  "participant_ids": ["cm-lea", "cm-sevda"], "case_ids": [str(case_id)],
                  "topics": ["residence"], "minutes": "Umgang mit Duldungsketten besprochen",
                  "structural_issues": "Wartezeiten der Ausländerbehörde"}

    partner = coordinator.post("/team-discussions", {**discussion, "participant_ids": [
        "cm-lea", "fb-jobcenter"]})
    assert [e["field"] for e in partner.get_json()["errors"]] == ["participant_ids.1"], \
        "a partner's staff meets in a case conference, with a release"
    foreign = coordinator.post("/team-discussions", {**discussion,
                                                     "case_ids": [str(uuid.uuid4())]})
    assert [e["field"] for e in foreign.get_json()["errors"]] == ["case_ids.0"]
    assert [e["field"] for e in coordinator.post("/team-discussions", {
        **discussion, "case_ids": []}).get_json()["errors"]] == ["case_ids"]
    discussion_id = ok(coordinator.post("/team-discussions", discussion), 201)["id"]
    supervision = ok(lea.post("/team-discussions", {
        "kind": "supervision", "held_on": days_ago(0), "participant_ids": ["cm-sevda"]}),
        201)["id"]

    seen = ok(coordinator.get("/team-discussions"), 200)
    assert [d["id"] for d in seen] == [supervision, discussion_id], "newest first"
    assert seen[1]["participant_ids"] == ["cm-lea", "cm-sevda", "ks-koch"]
    assert seen[1]["case_ids"] == [str(case_id)]
    assert [d["id"] for d in ok(lea.get("/team-discussions"), 200)] == [supervision,
                                                                         discussion_id]
    assert ok(as_user("cm-tobias").get("/team-discussions"), 200) == [], "not taken part"
    assert as_user("fb-jobcenter", roles=(PROVIDER_STAFF,), org="org-jobcenter").get(
        "/team-discussions").status_code == 403
    case = lea.get(f"/cases/{case_id}").get_json()
    assert case["conferences"] == [], "not a case conference with partners"
    with superuser.connect() as connection:
        [payload] = connection.execute(sa.text(
            "SELECT payload FROM outbox WHERE event_type = 'casework.team_discussion.held.v1' "
            "AND aggregate_id = :a"), {"a": discussion_id}).scalars().all()
    held = ev.TeamDiscussionHeld.FromString(payload)
    assert (held.kind, held.participants, held.cases_discussed, held.structural_issues_seen) == (
        ev.TEAM_DISCUSSION_KIND_CASE_DISCUSSION, 3, 1, True), "the office's report counts them"
    assert b"Duldungsketten" not in payload and b"Wartezeiten" not in payload
