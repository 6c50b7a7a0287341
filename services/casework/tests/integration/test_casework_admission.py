"""Opening cases from intake's admission events, on the real broker and database, with an HTTP
stand-in for intake's handover endpoint."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from kombu import Connection

from lotse.casework.v1 import events_pb2 as ev
from lotse.intake.v1 import events_pb2 as intake_ev
from lotse_platform.bus import deadletters
from lotse_platform.testing import Running, days_ahead, poll, queue_depth

from casework_support import FAMILY_NAME, PERSON_NAME, admitted, package, publish_event
from lotse_casework.adapters.intake_client import IntakeClient

pytestmark = pytest.mark.integration


def cases_of(superuser, intake_id: str) -> list:
    with superuser.connect() as connection:
        return connection.execute(sa.text("SELECT id, phase, case_manager_id FROM cases "
                                          "WHERE intake_id = :i"), {"i": intake_id}).all()


def outbox_of(superuser, event_type: str, case_id) -> list[bytes]:
    with superuser.connect() as connection:
        return list(connection.execute(sa.text(
            "SELECT payload FROM outbox WHERE event_type = :t AND aggregate_id = :a"),
            {"t": event_type, "a": str(case_id)}).scalars())


def test_an_admitted_intake_opens_a_case_with_its_own_copy_of_the_handover_package(
        casework, wired_to_intake, superuser, broker_url, tenant, as_user):
    intake_id = f"intake-{uuid.uuid4()}"
    wired_to_intake.packages[intake_id] = package(intake_id)
    with Running(casework.consumer().run):
        publish_event(broker_url, tenant, admitted(intake_id, "cm-lea"))
        (case_id, phase, manager), = poll(lambda: cases_of(superuser, intake_id),
                                          message="the case to open")
    assert (phase, manager) == ("intake", "cm-lea")
    assert wired_to_intake.calls == [(intake_id, "casework")], "one call, as a machine client"

    case = as_user("cm-lea").get(f"/cases/{case_id}").get_json()
    assert case["person"]["name"] == PERSON_NAME and case["person"]["interpreter_needed"]
    assert {c["kind"] for c in case["consents"]} == {"data_protection_information",
                                                     "counselling_agreement"}
    assert case["legal_areas"] == ["residence_law", "tenancy_law"]

    opened = [ev.CaseOpened.FromString(p) for p in
              outbox_of(superuser, "casework.case.opened.v1", case_id)]
    assert len(opened) == 1 and opened[0].intake_id == intake_id
    assert FAMILY_NAME.encode() not in outbox_of(superuser, "casework.case.opened.v1", case_id)[0]
    with superuser.connect() as connection:
        audited = connection.execute(sa.text(
            "SELECT action, record_type, actor FROM audit_log WHERE record_id = :c "
            "ORDER BY seq, id"), {"c": str(case_id)}).all()
    assert any(a[:2] == ("create", "person") and a[2].startswith("system:") for a in audited)
    assert ("read", "case_file", "cm-lea") in audited


def test_the_same_admission_delivered_twice_or_sent_again_opens_one_case(
        casework, wired_to_intake, superuser, broker_url, tenant):
    intake_id = f"intake-{uuid.uuid4()}"
    wired_to_intake.packages[intake_id] = package(intake_id)
    event_id = uuid.uuid4()
    with Running(casework.consumer().run):
        publish_event(broker_url, tenant, admitted(intake_id, "cm-lea"), event_id=event_id)
        publish_event(broker_url, tenant, admitted(intake_id, "cm-lea"), event_id=event_id)
        publish_event(broker_url, tenant, admitted(intake_id, "cm-lea"))  # another id
        poll(lambda: cases_of(superuser, intake_id), message="the case to open")
        with Connection(broker_url) as connection:
            poll(lambda: queue_depth(connection, "casework.events") == 0,
                 message="every delivery to be handled")
        with superuser.connect() as connection:
            poll(lambda: connection.execute(sa.text(
                "SELECT count(*) FROM inbox WHERE tenant_id = :t"), {"t": tenant}).scalar() == 2,
                message="both event ids in the inbox")
    assert len(cases_of(superuser, intake_id)) == 1
    assert len(wired_to_intake.calls) == 1, "a case that exists is not fetched again"


def test_an_unreachable_intake_dead_letters_the_admission_which_replays_once_intake_is_back(
        casework, wired_to_intake, superuser, broker_url, tenant):
    intake_id = f"intake-{uuid.uuid4()}"
    wired_to_intake.packages[intake_id] = package(intake_id)
    reachable = casework.intake_client
    unreachable = casework.__dict__["intake_client"] = IntakeClient(
        lambda _: "http://127.0.0.1:9", lambda: "t", timeout=1)
    with Running(casework.consumer().run), Connection(broker_url) as connection:
        publish_event(broker_url, tenant, admitted(intake_id, "cm-lea"))
        poll(lambda: queue_depth(connection, "casework.dead") == 1, timeout=60,
             message="the admission to be dead-lettered after the delivery limit")
        assert cases_of(superuser, intake_id) == []

        casework.__dict__["intake_client"] = reachable
        unreachable.close()
        assert len(deadletters.replay(connection, "casework", None).replayed) == 1
        poll(lambda: cases_of(superuser, intake_id), message="the replayed admission to open")


def test_a_refused_handover_waits_for_consent_and_opens_the_case_when_consent_is_given(
        casework, wired_to_intake, superuser, broker_url, tenant, as_user):
    intake_id = f"intake-{uuid.uuid4()}"
    wired_to_intake.refused.add(intake_id)
    lea = as_user("cm-lea")
    with Running(casework.consumer().run):
        publish_event(broker_url, tenant, admitted(intake_id, "cm-lea"))
        day = poll(lambda: lea.get("/my-day").get_json()["waiting_for_handover_consent"],
                   message="the admission to wait for consent")
        assert day[0]["intake_id"] == intake_id and cases_of(superuser, intake_id) == []
        notices = lea.get("/my-day").get_json()["notices"]
        assert [n["kind"] for n in notices] == ["handover_waiting_for_consent"]

        wired_to_intake.refused.discard(intake_id)
        wired_to_intake.packages[intake_id] = package(intake_id)
        publish_event(broker_url, tenant, intake_ev.ConsentGiven(
            consent_id="c-handover", intake_id=intake_id, kind=2, partner_org_id="org-kreis",
            topic_areas=[1], valid_from="2026-01-01"))
        poll(lambda: cases_of(superuser, intake_id), message="the case to open after consent")
    assert lea.get("/my-day").get_json()["waiting_for_handover_consent"] == []


def test_withdrawn_consent_stops_sharing_marks_the_case_and_tells_the_case_manager(
        casework, wired_to_intake, superuser, broker_url, tenant, as_user):
    intake_id = f"intake-{uuid.uuid4()}"
    wired_to_intake.packages[intake_id] = package(
        intake_id, releases=[{"partner_org_id": "org-jobcenter", "topic_areas": ["residence"]}])
    lea = as_user("cm-lea")
    with Running(casework.consumer().run):
        publish_event(broker_url, tenant, admitted(intake_id, "cm-lea"))
        (case_id, _, _), = poll(lambda: cases_of(superuser, intake_id), message="the case")
        planned = lea.post(f"/cases/{case_id}/conferences", {
            "planned_on": "2026-12-01", "topics": ["residence"], "agenda": "Aufenthalt klären",
            "participants": [{"organisation_id": "org-jobcenter"}]})
        assert planned.status_code == 201, planned.get_json()
        offered = lea.post(f"/cases/{case_id}/transfers", {"to_tenant_id": str(uuid.uuid4()),
                                                           "to_area_id": "area-paderborn"})
        assert offered.status_code == 201, offered.get_json()

        publish_event(broker_url, tenant, intake_ev.ConsentWithdrawn(
            consent_id=f"{intake_id}-ca", intake_id=intake_id, kind=3,  # counselling agreement
            withdrawn_on="2026-11-20"))
        poll(lambda: lea.get(f"/cases/{case_id}").get_json()["consent_withdrawn"],
             message="the case to be marked")
    case = lea.get(f"/cases/{case_id}").get_json()
    assert case["sharing_stopped"]
    assert case["conferences"][0]["participants"] == [], "the partner no longer takes part"
    refused = lea.post(f"/cases/{case_id}/conferences/{planned.get_json()['id']}/participants",
                       {"organisation_id": "org-jobcenter"})
    assert refused.status_code == 409 and "withdrawn" in refused.get_json()["detail"]
    assert "consent_withdrawn" in [n["kind"] for n in lea.get("/my-day").get_json()["notices"]]
    withdrawn = [ev.CaseTransferCancelled.FromString(p) for p in outbox_of(
        superuser, "casework.case.transfer_cancelled.v1", case_id)]
    assert [w.transfer_id for w in withdrawn] == [offered.get_json()["id"]], \
        "the pending offer to another tenant is withdrawn there too"


def test_a_release_given_at_intake_after_opening_lets_that_partner_join_a_conference(
        casework, wired_to_intake, superuser, broker_url, tenant, as_user):
    intake_id = f"intake-{uuid.uuid4()}"
    wired_to_intake.packages[intake_id] = package(intake_id)
    lea = as_user("cm-lea")
    with Running(casework.consumer().run):
        publish_event(broker_url, tenant, admitted(intake_id, "cm-lea"))
        (case_id, _, _), = poll(lambda: cases_of(superuser, intake_id), message="the case")
        conference = lea.post(f"/cases/{case_id}/conferences", {
            "planned_on": "2026-12-01", "topics": ["housing"], "agenda": "Wohnung"}).get_json()
        join = f"/cases/{case_id}/conferences/{conference['id']}/participants"
        assert lea.post(join, {"organisation_id": "org-caritas"}).status_code == 409

        publish_event(broker_url, tenant, intake_ev.ConsentGiven(
            consent_id="c-caritas", intake_id=intake_id, kind=2, partner_org_id="org-caritas",
            topic_areas=[5], valid_from="2026-01-01"))  # housing
        poll(lambda: any(c["partner_org_id"] == "org-caritas" for c in
                         lea.get(f"/cases/{case_id}").get_json()["consents"]),
             message="the release to reach the case")
    assert lea.post(join, {"organisation_id": "org-caritas"}).status_code == 204


def test_a_withdrawn_release_removes_only_that_partner_and_its_topics(
        casework, wired_to_intake, superuser, broker_url, tenant, as_user):
    intake_id = f"intake-{uuid.uuid4()}"
    wired_to_intake.packages[intake_id] = package(intake_id, releases=[
        {"partner_org_id": "org-jobcenter", "topic_areas": ["housing"]},
        {"partner_org_id": "org-caritas", "topic_areas": ["housing"]}])
    lea = as_user("cm-lea")
    with Running(casework.consumer().run):
        publish_event(broker_url, tenant, admitted(intake_id, "cm-lea"))
        (case_id, _, _), = poll(lambda: cases_of(superuser, intake_id), message="the case")
        ok = lea.post(f"/cases/{case_id}/conferences", {
            "planned_on": "2026-12-01", "topics": ["housing"], "agenda": "Wohnung",
            "participants": [{"organisation_id": "org-jobcenter"},
                             {"organisation_id": "org-caritas"}]})
        assert ok.status_code == 201
        # 000 L201: "Beratung im Tandem" with the partner's specialist rests on its release
        tandem = lea.post(f"/cases/{case_id}/shares", {
            "colleague_id": "fb-jobcenter", "kind": "tandem", "partner_org_id": "org-jobcenter",
            "topics": ["housing"], "valid_until": days_ahead(30)})
        assert tandem.status_code == 201, tandem.get_json()
        publish_event(broker_url, tenant, intake_ev.ConsentWithdrawn(
            consent_id=f"{intake_id}-rel0", intake_id=intake_id, kind=2,
            partner_org_id="org-jobcenter", topic_areas=[5], withdrawn_on="2026-11-20"))
        poll(lambda: lea.get(f"/cases/{case_id}").get_json()["consent_withdrawn"],
             message="the withdrawal to reach the case")
    case = lea.get(f"/cases/{case_id}").get_json()
    assert not case["sharing_stopped"], "a release withdrawn is not participation withdrawn"
    assert case["shares"] == [], "the partner's tandem ends with its release (running shares)"
    assert [p["organisation_id"] for p in case["conferences"][0]["participants"]] == [
        "org-caritas"]
    join = f"/cases/{case_id}/conferences/{ok.get_json()['id']}/participants"
    assert lea.post(join, {"organisation_id": "org-jobcenter"}).status_code == 409
