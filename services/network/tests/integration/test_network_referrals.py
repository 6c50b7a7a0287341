"""Referrals on the real database and broker (ADR 0084): consent checked with intake at the
moment of sharing, a withdrawal cancelling every open referral to that partner at once, the
partner's inbox with the released data only, the lifecycle's refusals, the case manager's
lists and the events reporting counts from — ids and facts, never text.

Seeds: DOMAIN.md §4 "release from confidentiality per problem area and per partner — without it
the CM may not talk to that partner about the person … consent can be withdrawn"; §5 linking
"the CM keeps case responsibility and must know whether the client arrived at the service and
how the help stands"; §6 the three modes (warme Übergabe, Tandem, Verweisberatung)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lotse.intake.v1 import events_pb2 as intake_ev
from lotse.kim.v1 import vocabulary_pb2 as kim
from lotse.network.v1 import events_pb2 as ev
from lotse_platform.auth import AUTHORITY_LIAISON, COORDINATOR, PROVIDER_STAFF
from lotse_platform.references import ORGANISATION, Known
from lotse_platform.testing import Running, days_ago, poll, publish_event, put_directory, today

from lotse_network.domain.referrals import ConsentCopy

pytestmark = pytest.mark.integration

REASON = "Frau K. braucht Hilfe bei der Verlängerung ihrer Aufenthaltserlaubnis"
LANGUAGES = "Arabisch C2, Deutsch A2"
FEEDBACK = "Antrag ist gestellt, Termin bei der Behörde am Montag"


def give(broker_url, tenant, intake, intake_id: str, partner: str, topics: list[str],
         kind: int = 2) -> str:
    """A release given at intake: its event (the network's copy) and intake's own state."""
    consent_id = str(uuid.uuid4())
    topic_codes = [kim.TopicArea.Value(f"TOPIC_AREA_{t.upper()}") for t in topics]
    publish_event(broker_url, tenant, intake_ev.ConsentGiven(
        consent_id=consent_id, intake_id=intake_id, kind=kind, partner_org_id=partner,
        topic_areas=topic_codes, valid_from=days_ago(30)), source="/lotse/intake")
    intake.give(ConsentCopy(consent_id=consent_id, intake_id=intake_id, operator_org_id="",
                            kind="release_of_confidentiality", partner_org_id=partner,
                            topic_areas=list(topics)))
    return consent_id


def kept(superuser, consent_id: str) -> list:
    with superuser.connect() as connection:
        return connection.execute(sa.text("SELECT consent_id, withdrawn_on FROM "
                                          "referral_consents WHERE consent_id = :c"),
                                  {"c": consent_id}).all()


def outbox(superuser, referral_id) -> list[tuple[str, bytes]]:
    with superuser.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(
            "SELECT event_type, payload FROM outbox WHERE aggregate_id = :a "
            "ORDER BY occurred_at"), {"a": str(referral_id)}).all()]


def body(intake_id: str, partner: str = "org-abh", **kw) -> dict:
    return {"intake_id": intake_id, "partner_org_id": partner,
            "mode": "warm_handover", "topic_area": "residence", "reason": REASON,
            "urgency": "urgent", "shared": [{"category": "contact", "content": "0170 123"}],
            **kw}


ABH = str(uuid.uuid5(uuid.NAMESPACE_DNS, "abh"))
JOBCENTER = str(uuid.uuid5(uuid.NAMESPACE_DNS, "jobcenter"))


@pytest.fixture
def orgs(network, tenant):
    from lotse_platform.references import ORGANISATION, Known
    from lotse_platform.testing import put_directory

    put_directory(network, tenant, [Known(ORGANISATION, ABH), Known(ORGANISATION, JOBCENTER)])


def test_without_a_valid_release_the_referral_is_refused_naming_the_missing_release(
        network, intake, orgs, broker_url, tenant, superuser, as_user):
    """DOMAIN.md §4 (Schweigepflichtentbindung per problem area and per partner): without a
    release for that partner and problem area the CM may not talk
    to that partner about the person — 409 naming partner and topic area; also when intake no
    longer has it although its event has not arrived yet (ADR 0053)."""
    lea = as_user("cm-lea")
    intake_id = str(uuid.uuid4())
    refused = lea.post("/referrals", body(intake_id, ABH))
    assert refused.status_code == 409, refused.get_json()
    assert refused.get_json()["missing"] == [{"partner_org_id": ABH, "partner_name": None,
                                          "topic_area": "residence"}]
    put_directory(network, tenant, [Known(ORGANISATION, ABH, version=2,
                                          name="Ausländerbehörde Kreis Höxter")])
    named = lea.post("/referrals", body(intake_id, ABH)).get_json()
    assert named["missing"][0]["partner_name"] == "Ausländerbehörde Kreis Höxter"
    assert "Ausländerbehörde Kreis Höxter, topic area residence" in named["detail"], \
        "the case manager reads which partner's release is missing by its name"

    with Running(network.consumer().run):
        residence = give(broker_url, tenant, intake, intake_id, ABH, ["residence"])
        poll(lambda: kept(superuser, residence), message="the release in the copy")
    health = lea.post("/referrals", body(intake_id, ABH, shared=[
        {"category": "health", "content": "Diabetes"}]))
    assert health.status_code == 409
    assert health.get_json()["missing"] == [{"partner_org_id": ABH,
                                             "partner_name": "Ausländerbehörde Kreis Höxter",
                                             "topic_area": "health"}], \
        "each shared category needs a release covering its topic area"

    intake.withdraw(residence, today())  # withdrawn at intake, the event still on its way
    withdrawn = lea.post("/referrals", body(intake_id, ABH))
    assert withdrawn.status_code == 409
    assert "Schweigepflichtentbindung" in withdrawn.get_json()["detail"]
    assert intake.calls[-1] == ("", intake_id, [residence]), "asked intake for that release"
    with superuser.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM referrals")).scalar() == 0


def test_a_withdrawal_cancels_every_open_referral_to_that_partner_and_hides_what_was_shared(
        network, intake, orgs, broker_url, tenant, superuser, as_user):
    """DOMAIN.md §4: consent can be withdrawn — at once: the partner's read sees it before the
    event arrives; the event cancels every open referral to that partner, erases what was
    shared and publishes the cancellation; a referral to another partner stays."""
    lea = as_user("cm-lea")
    aylin = as_user("abh-aylin", roles=(AUTHORITY_LIAISON,), org=ABH)
    intake_id = str(uuid.uuid4())
    with Running(network.consumer().run):
        residence = give(broker_url, tenant, intake, intake_id, ABH, ["residence"])
        work = give(broker_url, tenant, intake, intake_id, JOBCENTER, ["work_training"])
        poll(lambda: kept(superuser, residence) and kept(superuser, work), message="the copy")
        first = lea.post("/referrals", body(intake_id, ABH)).get_json()["id"]
        second = lea.post("/referrals", body(intake_id, ABH, mode="tandem")).get_json()["id"]
        other = lea.post("/referrals", body(intake_id, JOBCENTER, topic_area="work_training"))
        assert other.status_code == 201, other.get_json()
        assert aylin.post(f"/referrals/{first}/steps", {"step": "accepted"}).status_code == 201

        intake.withdraw(residence, today())
        seen = aylin.get(f"/referrals/{first}").get_json()
        assert seen["released"] is False and seen["shared"] == [] and seen["reason"] is None, \
            "the partner's read confirms with intake: the withdrawal is seen at once"

        publish_event(broker_url, tenant, intake_ev.ConsentWithdrawn(
            consent_id=residence, intake_id=intake_id, kind=2, partner_org_id=ABH,
            topic_areas=[1], withdrawn_on=days_ago(0)), source="/lotse/intake")
        poll(lambda: lea.get(f"/referrals/{second}").get_json()["status"] == "cancelled",
             message="the open referrals cancelled")
    for referral_id in (first, second):
        mine = lea.get(f"/referrals/{referral_id}").get_json()
        assert mine["status"] == "cancelled" and mine["fhir_status"] == "cancelled"
        assert [s["content"] for s in mine["shared"]] == [""], "what was shared is erased"
        cancelled = [ev.ReferralCancelled.FromString(p) for t, p in outbox(superuser, referral_id)
                     if t == "network.referral.cancelled.v1"]
        assert [c.reason for c in cancelled] == [ev.REFERRAL_CANCEL_REASON_CONSENT_WITHDRAWN]
    assert cancelled[0].from_status == "sent"
    assert lea.get(f"/referrals/{other.get_json()['id']}").get_json()["status"] == "sent"
    assert aylin.get("/referrals/inbox").get_json() == []


def test_the_partner_inbox_shows_only_released_data_and_only_its_own_organisation(
        network, intake, orgs, broker_url, tenant, superuser, as_user):
    """002 L336 Verweisberatung an Wohlfahrtsverbände, DOMAIN.md §4 release per problem area and
    per partner: the partner sees what the release for it and that problem area allows —
    no case or intake ids, no consents, a category whose release is withdrawn hidden; another
    partner and another case manager see nothing (404)."""
    lea = as_user("cm-lea")
    aylin = as_user("abh-aylin", roles=(AUTHORITY_LIAISON,), org=ABH)
    stefan = as_user("jc-stefan", roles=(PROVIDER_STAFF,), org=JOBCENTER)
    intake_id = str(uuid.uuid4())
    with Running(network.consumer().run):
        residence = give(broker_url, tenant, intake, intake_id, ABH, ["residence"])
        language = give(broker_url, tenant, intake, intake_id, ABH, ["language"])
        poll(lambda: kept(superuser, residence) and kept(superuser, language), message="copy")
    made = lea.post("/referrals", body(intake_id, ABH, shared=[
        {"category": "person", "content": "Aylin Demir (geb. 04.03.1991)"},
        {"category": "contact", "content": "0170 123"},
        {"category": "languages", "content": LANGUAGES},
        {"category": "residence_status", "content": "Aufenthaltserlaubnis § 25"}]))
    assert made.status_code == 201, made.get_json()
    referral_id = made.get_json()["id"]
    proposed = lea.post("/referrals", body(intake_id, ABH, send=False)).get_json()["id"]

    inbox = aylin.get("/referrals/inbox").get_json()
    assert [r["id"] for r in inbox] == [referral_id], "sent ones only, not the proposed"
    seen = inbox[0]
    assert not {"case_id", "intake_id", "consent_ids"} & set(seen)
    assert seen["reason"] == REASON and seen["released"] is True
    assert [s["category"] for s in seen["shared"]] == ["person", "contact", "languages",
                                                       "residence_status"]
    assert seen["person"] == "Aylin Demir (geb. 04.03.1991)", "whom the partner is to expect"
    intake.withdraw(language, today())
    seen = aylin.get(f"/referrals/{referral_id}").get_json()
    assert [s["category"] for s in seen["shared"]] == ["person", "contact",
                                                       "residence_status"], \
        "the languages' release withdrawn at intake: hidden at once"

    assert stefan.get(f"/referrals/{referral_id}").status_code == 404
    assert stefan.get("/referrals/inbox").get_json() == []
    assert aylin.get(f"/referrals/{proposed}").status_code == 404, "not sent yet"
    assert as_user("cm-other").get(f"/referrals/{referral_id}").status_code == 404
    office = as_user("ks-koch", roles=(COORDINATOR,), org="org-kreis")
    assert office.get(f"/referrals/{referral_id}").status_code == 404
    assert office.get(f"/referrals/{referral_id}?purpose=supervision").status_code == 200
    with superuser.connect() as connection:
        reads = connection.execute(sa.text(
            "SELECT actor, reason FROM audit_log WHERE record_type = 'referral' "
            "AND action = 'read' AND record_id = :r"), {"r": referral_id}).all()
    assert {"abh-aylin", "ks-koch"} <= {actor.split(":")[-1] for actor, _ in reads}


def test_the_lifecycle_with_who_and_when_and_illegal_steps_refused_with_the_allowed_ones(
        network, intake, orgs, broker_url, tenant, superuser, as_user):
    """001 L276 "Dies beinhaltet nicht nur das Wissen darum, ob die Klientin/der Klient beim
    Leistungserbringendem angekommen ist, sondern auch, wie der Stand der Hilfe ist"; 000 L162
    "warmer" Fallübergabe. Sent → accepted → joint meeting → arrived → feedback → completed,
    each step with who and when; an illegal step is 409 listing the allowed ones; the partner
    never completes or cancels; events carry ids and facts, never the reason or feedback."""
    lea = as_user("cm-lea")
    aylin = as_user("abh-aylin", roles=(AUTHORITY_LIAISON,), org=ABH)
    intake_id = str(uuid.uuid4())
    with Running(network.consumer().run):
        residence = give(broker_url, tenant, intake, intake_id, ABH, ["residence"])
        poll(lambda: kept(superuser, residence), message="the release in the copy")
    referral_id = lea.post("/referrals", body(intake_id, ABH)).get_json()["id"]
    path = f"/referrals/{referral_id}/steps"

    early = aylin.post(path, {"step": "arrived"})
    assert early.status_code == 409
    assert early.get_json()["allowed"] == ["accepted", "declined", "cancelled"]
    assert aylin.post(path, {"step": "completed"}).status_code == 403
    assert aylin.post(path, {"step": "accepted"}).get_json()["fhir_status"] == "accepted"
    meeting = aylin.post(path, {"step": "appointment",
                                "appointment_on": (today() + timedelta(days=2)).isoformat()})
    assert meeting.get_json()["fhir_status"] == "on-hold"
    assert aylin.post(path, {"step": "arrived"}).get_json()["fhir_status"] == "in-progress"
    assert aylin.post(path, {"step": "feedback", "text": FEEDBACK}).status_code == 201
    assert aylin.post(path, {"step": "feedback"}).status_code == 422, "feedback states it"
    done = lea.post(path, {"step": "completed"})
    assert done.get_json() == {"id": referral_id, "status": "completed",
                               "fhir_status": "completed"}
    again = lea.post(path, {"step": "cancelled"})
    assert again.status_code == 409 and again.get_json()["allowed"] == []

    mine = lea.get(f"/referrals/{referral_id}").get_json()
    assert [(s["step"], s["by"]) for s in mine["steps"]] == [
        ("proposed", "cm-lea"), ("sent", "cm-lea"), ("accepted", "abh-aylin"),
        ("appointment", "abh-aylin"), ("arrived", "abh-aylin"), ("feedback", "abh-aylin"),
        ("completed", "cm-lea")]
    assert all(s["on"] == today().isoformat() and s["at"] for s in mine["steps"])

    events = outbox(superuser, referral_id)
    assert [t for t, _ in events] == [
        "network.referral.sent.v1", "network.referral.accepted.v1",
        "network.referral.arrived.v1", "network.referral.completed.v1"]
    for _, payload in events:
        for text in (REASON, FEEDBACK, "0170 123"):
            assert text.encode() not in payload, "events carry ids and facts only"
    sent = ev.ReferralSent.FromString(events[0][1])
    assert (sent.referral.partner_org_id, sent.referral.mode, sent.referral.topic_area,
            sent.referral.intake_id, list(sent.shared_categories)) == (
        ABH, ev.REFERRAL_MODE_WARM_HANDOVER, 1, intake_id, ["contact"])
    assert ev.ReferralCompleted.FromString(events[-1][1]).feedback_count == 1


def test_the_case_managers_lists_waiting_without_arrival_and_feedback_due(
        network, intake, orgs, broker_url, tenant, superuser, as_user):
    """001 L276 (the CM must know whether the client arrived) and 002 L336 "ggf. Weiterverfolgung
    des Falls durch Rücksprache mit Trägern": referrals waiting for an
    answer, without arrival 14 days after sending (the tenant's default), feedback due."""
    lea = as_user("cm-lea")
    aylin = as_user("abh-aylin", roles=(AUTHORITY_LIAISON,), org=ABH)
    intake_id = str(uuid.uuid4())
    with Running(network.consumer().run):
        residence = give(broker_url, tenant, intake, intake_id, ABH, ["residence"])
        poll(lambda: kept(superuser, residence), message="the release in the copy")
    waiting = lea.post("/referrals", body(intake_id, ABH)).get_json()["id"]
    late = lea.post("/referrals", body(intake_id, ABH)).get_json()["id"]
    arrived = lea.post("/referrals", body(intake_id, ABH)).get_json()["id"]
    for referral_id in (late, arrived):
        aylin.post(f"/referrals/{referral_id}/steps", {"step": "accepted"})
    aylin.post(f"/referrals/{arrived}/steps", {"step": "arrived"})
    with superuser.begin() as connection:
        connection.execute(sa.text("UPDATE referrals SET sent_on = :d, arrived_on = :d "
                                   "WHERE id IN (:a, :b)"),
                           {"d": days_ago(15), "a": late, "b": arrived})
    ids = lambda name: [r["id"] for r in lea.get(f"/referrals?list={name}").get_json()]  # noqa: E731
    assert ids("waiting") == [waiting]
    assert ids("without_arrival") == [late]
    assert ids("feedback_due") == [arrived]
    assert lea.get("/referrals?list=soon").status_code == 422


def test_a_case_is_referred_by_its_case_manager_under_its_intake_and_moves_with_the_case(
        network, intake, orgs, broker_url, tenant, superuser, as_user):
    """001 L276 "Auch wenn die direkte Hilfe durch Andere erfolgt, liegt die Fallverantwortung
    beim Case Management": a case's referral is made by its case manager, rests on the case's
    intake (casework's events tell which), and follows the case to the receiving case manager;
    another case manager's case is unknown to the caller."""
    from lotse.casework.v1 import events_pb2 as casework_ev

    lea, tobias = as_user("cm-lea"), as_user("cm-tobias")
    case_id, intake_id = str(uuid.uuid4()), str(uuid.uuid4())
    with Running(network.consumer().run):
        residence = give(broker_url, tenant, intake, intake_id, ABH, ["residence"])
        publish_event(broker_url, tenant, casework_ev.CaseOpened(
            case=casework_ev.CaseFacts(case_id=case_id, case_manager_id="cm-lea"),
            intake_id=intake_id), source="/lotse/casework")
        poll(lambda: kept(superuser, residence) and lea.post("/referrals", {
            **body(intake_id, ABH), "intake_id": None, "case_id": case_id}).status_code == 201,
            message="the case known and referred")
        mine = lea.get("/referrals").get_json()
        assert [(r["source"], r["case_id"], r["intake_id"]) for r in mine] == [
            ("case", case_id, intake_id)]
        releases = lea.get(f"/referrals/releases?case_id={case_id}").get_json()
        assert [(r["consent_id"], r["partner_org_id"], r["topic_areas"], r["valid_today"])
                for r in releases] == [(residence, ABH, ["residence"], True)]
        assert tobias.get(f"/referrals/releases?case_id={case_id}").status_code == 404
        assert tobias.post("/referrals", {**body(intake_id, ABH), "case_id": case_id}
                           ).status_code == 404, "not her case"
        wrong = lea.post("/referrals", {**body(str(uuid.uuid4()), ABH), "case_id": case_id})
        assert wrong.status_code == 422
        assert wrong.get_json()["errors"][0]["field"] == "intake_id"
        unknown = lea.post("/referrals", {**body(intake_id, ABH), "case_id": str(uuid.uuid4())})
        assert unknown.status_code == 422
        assert unknown.get_json()["errors"][0]["field"] == "case_id"

        publish_event(broker_url, tenant, casework_ev.CaseTransferred(
            case=casework_ev.CaseFacts(case_id=case_id, case_manager_id="cm-tobias"),
            from_case_manager_id="cm-lea"), source="/lotse/casework")
        poll(lambda: tobias.get("/referrals").get_json(), message="the referral moved")
    assert lea.get("/referrals").get_json() == []
    sent = ev.ReferralSent.FromString(outbox(superuser, mine[0]["id"])[0][1])
    assert (sent.referral.source, sent.referral.case_id) == (ev.REFERRAL_SOURCE_CASE, case_id)
