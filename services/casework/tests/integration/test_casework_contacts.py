"""Contacts and monitoring, effort against the guidelines, case conferences and releases; the
events carry no names, notes or minutes."""

from __future__ import annotations


import pytest
import sqlalchemy as sa
from lotse_platform.testing import days_ago, days_ahead

from lotse.casework.v1 import events_pb2 as ev
from lotse.kim.v1 import vocabulary_pb2 as kim

from casework_steps import drive, ok
from casework_support import FAMILY_NAME, open_test_case

pytestmark = pytest.mark.integration



def contact(**overrides) -> dict:
    body = {"type": "appointment", "occurred_on": days_ago(0), "duration_minutes": 60,
            "topics": ["residence"], "notes": "Klientin berichtet von Druck der ABH"}
    body.update(overrides)
    return body


def test_a_contact_is_recorded_with_date_duration_and_topics_and_its_event_has_no_content(
        casework, tenant, as_user, superuser):
    lea = as_user("cm-lea")
    case_id = open_test_case(casework, tenant, "cm-lea")
    contact_id = ok(lea.post(f"/cases/{case_id}/contacts", contact(type="accompaniment",
                                                                  duration_minutes=150)), 201)["id"]
    listed = lea.get(f"/cases/{case_id}/contacts").get_json()["contacts"]
    assert [(c["id"], c["type"], c["duration_minutes"], c["phase"]) for c in listed] == [
        (contact_id, "accompaniment", 150, "intake")]
    with superuser.connect() as connection:
        payload = connection.execute(sa.text(
            "SELECT payload FROM outbox WHERE event_type = 'casework.contact.recorded.v1' "
            "AND aggregate_id = :a"), {"a": str(case_id)}).scalar_one()
    recorded = ev.ContactRecorded.FromString(payload)
    assert (recorded.type, recorded.duration_minutes, list(recorded.topics)) == (
        ev.CONTACT_TYPE_ACCOMPANIMENT, 150, [kim.TOPIC_AREA_RESIDENCE])
    assert recorded.case.legal_areas, "every event carries the case's legal areas"
    assert b"Druck der ABH" not in payload and FAMILY_NAME.encode() not in payload
    future = lea.post(f"/cases/{case_id}/contacts",
                      contact(occurred_on=days_ahead(1)))
    assert future.status_code == 422 and future.get_json()["errors"][0]["field"] == "occurred_on"


def home_visit(caller, case_id) -> str:
    return ok(caller.post(f"/cases/{case_id}/appointments", {
        "kind": "home_visit", "on": days_ago(0), "at": "10:00", "duration_minutes": 60,
        "place": "Wohnung der Familie", "client_agreement": True}), 201)["id"]


def test_a_home_visit_is_agreed_in_advance_and_made_by_two_when_a_risk_is_flagged(
        casework, tenant, as_user):
    # 001 L546: Hausbesuche werden "vorab verbindlich vereinbart"
    lea = as_user("cm-lea")
    case_id = open_test_case(casework, tenant, "cm-lea")
    refused = lea.post(f"/cases/{case_id}/contacts", contact(type="home_visit",
                                                            client_agreement=True))
    assert refused.status_code == 422
    assert refused.get_json()["errors"][0]["field"] == "appointment_id"
    unagreed = lea.post(f"/cases/{case_id}/appointments", {
        "kind": "home_visit", "on": days_ago(0), "at": "10:00", "duration_minutes": 60,
        "place": "Wohnung der Familie"})
    assert unagreed.status_code == 422
    assert unagreed.get_json()["errors"][0]["field"] == "client_agreement"
    ok(lea.post(f"/cases/{case_id}/contacts", contact(
        type="home_visit", appointment_id=home_visit(lea, case_id))), 201)

    ok(lea.patch(f"/cases/{case_id}/settings", {"risk_flagged": True}))
    visit = home_visit(lea, case_id)
    alone = lea.post(f"/cases/{case_id}/contacts", contact(type="home_visit",
                                                          appointment_id=visit))
    assert alone.status_code == 422
    assert alone.get_json()["errors"][0]["field"] == "second_staff_id"
    assert lea.post(f"/cases/{case_id}/contacts", contact(
        type="home_visit", appointment_id=visit, second_staff_id="cm-lea")).status_code == 422
    ok(lea.post(f"/cases/{case_id}/contacts", contact(
        type="home_visit", appointment_id=visit, second_staff_id="cm-tobias")), 201)
    again = lea.post(f"/cases/{case_id}/contacts", contact(
        type="home_visit", appointment_id=visit, second_staff_id="cm-tobias"))
    assert again.status_code == 409, "an appointment takes place once"
    # a phone call needs neither
    ok(lea.post(f"/cases/{case_id}/contacts", contact(type="phone_call", duration_minutes=10)),
       201)


def test_effort_beyond_the_guideline_of_a_phase_is_flagged(casework, tenant, as_user):
    lea = as_user("cm-lea")
    case_id = open_test_case(casework, tenant, "cm-lea")
    for _ in range(3):  # intake: 1–2 appointments
        ok(lea.post(f"/cases/{case_id}/contacts", contact()), 201)
    ok(lea.post(f"/cases/{case_id}/contacts", contact(type="email", duration_minutes=5)), 201)
    drive(lea, case_id, "linking")
    for _ in range(2):
        ok(lea.post(f"/cases/{case_id}/contacts", contact(purpose="referral")), 201)
    effort = {line["phase"]: line for line in lea.get(f"/cases/{case_id}/effort").get_json()}
    assert effort["intake"]["appointments"] == 3 and effort["intake"]["contacts"] == 4
    assert effort["intake"]["beyond_guideline"]
    assert effort["intake"]["beyond"] == ["appointments 3 > 2 (1–2 appointments)"]
    assert effort["intake"]["minutes"] == 185
    assert effort["linking"]["referral_appointments"] == 2
    assert not effort["linking"]["beyond_guideline"]
    assert not effort["assessment"]["beyond_guideline"]


def test_monitoring_contacts_fall_due_by_the_plans_arrangement(casework, tenant, as_user):
    lea = as_user("cm-lea")
    case_id = open_test_case(casework, tenant, "cm-lea")
    drive(lea, case_id, "monitoring")
    ok(lea.post(f"/cases/{case_id}/contacts", contact(
        type="phone_call", occurred_on=days_ago(20))), 201)
    due = lea.get("/my-day").get_json()["monitoring_due"]
    assert [(d["case_id"], d["last_contact_on"]) for d in due] == [
        (str(case_id), days_ago(20))]
    ok(lea.post(f"/cases/{case_id}/contacts", contact(type="phone_call")), 201)
    assert lea.get("/my-day").get_json()["monitoring_due"] == []


def test_a_conference_participant_without_a_valid_release_for_the_topics_is_refused(
        casework, tenant, as_user, superuser):
    lea = as_user("cm-lea")
    case_id = open_test_case(casework, tenant, "cm-lea", releases=[
        {"partner_org_id": "org-jobcenter", "topic_areas": ["work_training", "housing"]},
        {"partner_org_id": "org-abh", "topic_areas": ["residence"],
         "valid_until": "2025-12-31"}])
    plan = {"planned_on": days_ago(0), "topics": ["work_training", "housing"],
            "agenda": "Arbeit und Wohnung", "participants": [
                {"organisation_id": "org-jobcenter", "role": "Integration Point"},
                {"organisation_id": "org-stadt-hoexter", "role": "CM"}]}
    conference_id = ok(lea.post(f"/cases/{case_id}/conferences", plan), 201)["id"]

    without = lea.post(f"/cases/{case_id}/conferences/{conference_id}/participants",
                       {"organisation_id": "org-caritas"})
    assert without.status_code == 409
    assert without.get_json()["topics_without_release"] == ["work_training", "housing"]
    residence = lea.post(f"/cases/{case_id}/conferences", {
        **plan, "topics": ["residence"], "participants": [{"organisation_id": "org-abh"}]})
    assert residence.status_code == 409, "an expired release is no release"

    ok(lea.post(f"/cases/{case_id}/conferences/{conference_id}/held", {
        "held_on": days_ago(0), "minutes": "Frau H. beginnt Praktikum im Mai",
        "actions": [{"action": "Praktikumsplatz anfragen", "responsible":
                     "partner_organisation", "responsible_org_id": "org-jobcenter"}]}))
    assert lea.post(f"/cases/{case_id}/conferences/{conference_id}/participants",
                    {"organisation_id": "org-jobcenter"}).status_code == 409
    with superuser.connect() as connection:
        payload = connection.execute(sa.text(
            "SELECT payload FROM outbox WHERE event_type = 'casework.case_conference.held.v1' "
            "AND aggregate_id = :a"), {"a": str(case_id)}).scalar_one()
    held = ev.CaseConferenceHeld.FromString(payload)
    assert list(held.participant_org_ids) == ["org-jobcenter", "org-stadt-hoexter"]
    assert held.agreed_actions == 1
    assert b"Praktikum im Mai" not in payload and b"Arbeit und Wohnung" not in payload


def test_appointments_conferences_the_reflection_talk_and_the_write_up_count_against_the_guideline(
        casework, tenant, as_user):
    # 001 L244–L321: "je 1 bis zu 2 Stunden"; L291 "Durchführung von Fallkonferenzen: 1 Termin
    # je 1 bis zu 2 Stunden"; L309 "Reflexionsgespräch 1 Termin je 1 bis zu 2 Stunden"; L321
    # "Auswertungs-/Reflexionsdokumentation: 1 bis zu 2 Stunden"
    lea = as_user("cm-lea")
    case_id = open_test_case(casework, tenant, "cm-lea")
    too_long = lea.post(f"/cases/{case_id}/contacts", contact(duration_minutes=12 * 60))
    assert too_long.status_code == 422
    assert too_long.get_json()["errors"][0]["field"] == "duration_minutes"
    ok(lea.post(f"/cases/{case_id}/contacts", contact(duration_minutes=150)), 201)

    drive(lea, case_id, "linking")
    for minutes in (90, 150):
        conference = ok(lea.post(f"/cases/{case_id}/conferences", {
            "planned_on": days_ago(0), "topics": ["residence"], "agenda": "Stand der Hilfe"}),
            201)["id"]
        ok(lea.post(f"/cases/{case_id}/conferences/{conference}/held", {
            "held_on": days_ago(0), "minutes": "Absprachen", "duration_minutes": minutes}))
    ok(lea.post(f"/cases/{case_id}/phase", {"to": "monitoring"}))
    for _ in range(2):
        ok(lea.post(f"/cases/{case_id}/contacts", contact(purpose="reflection")), 201)
    ok(lea.post(f"/cases/{case_id}/phase", {"to": "evaluation"}))
    ok(lea.post(f"/cases/{case_id}/closure", {"reason": "goals_reached", "evaluation": {
        "plan": "trug", "methods": "Ressourcenkarte", "cooperation": "verlässlich",
        "client_satisfaction": 4, "service_planning_hints": "mehr Kurse",
        "write_up_minutes": 150}}))

    effort = {line["phase"]: line for line in lea.get(f"/cases/{case_id}/effort").get_json()}
    assert effort["intake"]["long_appointments"] == 1
    assert "long_appointments 1 > 0 (each appointment up to 2 hours)" in effort["intake"]["beyond"]
    assert effort["linking"]["conferences"] == 2 and effort["linking"]["minutes"] == 240
    assert set(effort["linking"]["beyond"]) == {
        "conferences 2 > 1 (1 case conference)",
        "long_conferences 1 > 0 (a case conference up to 2 hours)"}
    assert effort["monitoring"]["reflection_talks"] == 2
    assert effort["monitoring"]["beyond"] == [
        "reflection_talks 2 > 1 (1 reflection talk (Reflexionsgespräch))"]
    assert effort["evaluation"]["write_up_minutes"] == 150
    assert effort["evaluation"]["beyond"] == [
        "write_up_minutes 150 > 120 (the evaluation write-up up to 2 hours)"]
    refused = lea.post(f"/cases/{case_id}/contacts", contact())
    assert refused.status_code == 409


def test_a_concern_for_a_child_on_a_visit_goes_to_the_case_manager_the_office_and_the_youth_office(
        casework, tenant, as_user, superuser):
    # 001 L556: "Bei aufsuchender Arbeit in Anwesenheit von Kindern und Jugendlichen ist auch
    # der grundlegende Kinder- und Jugendschutz nach dem Jugendschutzgesetz (JuSchG) einzuhalten."
    from lotse_platform.auth import COORDINATOR

    lea, coordinator = as_user("cm-lea"), as_user("ks-koch", roles=(COORDINATOR,))
    case_id = open_test_case(casework, tenant, "cm-lea")
    ok(lea.post(f"/cases/{case_id}/contacts", contact(children_present=True)), 201)
    visit = home_visit(lea, case_id)
    unnamed = lea.post(f"/cases/{case_id}/contacts", contact(
        type="home_visit", appointment_id=visit, children_present=True,
        child_protection_concern=True))
    assert unnamed.status_code == 422
    assert unnamed.get_json()["errors"][0]["field"] == "youth_office_org_id"
    unknown = lea.post(f"/cases/{case_id}/contacts", contact(
        type="home_visit", appointment_id=visit, children_present=True,
        child_protection_concern=True, youth_office_org_id="org-nowhere"))
    assert unknown.get_json()["type"] == "urn:lotse:problem:unknown-reference"
    contact_id = ok(lea.post(f"/cases/{case_id}/contacts", contact(
        type="home_visit", appointment_id=visit, children_present=True,
        child_protection_concern=True, youth_office_org_id="org-kreis",
        notes="Kinder wirkten verängstigt")), 201)["id"]

    notice, = [n for n in ok(lea.get("/my-day"), 200)["notices"]
               if n["kind"] == "child_protection_concern"]
    assert notice["flagged"] and notice["case_id"] == str(case_id)
    concern, = ok(coordinator.get("/child-protection-concerns"), 200)
    assert concern == {"id": notice["reference"], "case_id": str(case_id),
                       "contact_id": contact_id, "case_manager_id": "cm-lea",
                       "raised_on": days_ago(0), "youth_office_org_id": "org-kreis",
                       "referral_status": "needed"}
    assert lea.get("/child-protection-concerns").status_code == 403
    recorded = {c["id"]: c for c in ok(lea.get(f"/cases/{case_id}/contacts"), 200)["contacts"]}
    assert recorded[contact_id]["children_present"] and recorded[contact_id][
        "child_protection_concern"]
    with superuser.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT event_type, payload FROM outbox WHERE aggregate_id = :a ORDER BY sequence"),
            {"a": str(case_id)}).all()
    assert "verängstigt".encode() not in b"".join(payload for _, payload in rows)
    # reporting counts the visits with children and the referral needs from the events
    raised, = [ev.ChildProtectionConcernRaised.FromString(payload) for kind, payload in rows
               if kind == "casework.child_protection.concern_raised.v1"]
    assert (raised.concern_id, raised.contact_id, raised.youth_office_org_id, raised.raised_on) \
        == (notice["reference"], contact_id, "org-kreis", days_ago(0))
    visits = [ev.ContactRecorded.FromString(payload) for kind, payload in rows
              if kind == "casework.contact.recorded.v1"]
    assert [(v.children_present, v.child_protection_concern, v.appointment_id) for v in visits] \
        == [(True, False, ""), (True, True, visit)]
