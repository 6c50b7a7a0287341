"""The demo county of ``make run`` / ``make up``: case managers with their FTE shares and
realistic cases in every phase, written once."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lotse_demo import COUNTY
from lotse_demo.county import demo_id

pytestmark = pytest.mark.integration


def test_the_demo_county_holds_cases_in_every_phase_and_is_seeded_once(
        casework, superuser, app, issuer):
    written = casework.seed_demo(COUNTY)
    assert written > 40
    assert casework.seed_demo(COUNTY) == 0, "idempotent"
    with superuser.connect() as connection:
        phases = set(connection.execute(sa.text(
            "SELECT DISTINCT phase FROM cases WHERE tenant_id = :t"),
            {"t": COUNTY.tenant_id}).scalars())
    assert phases == {"intake", "assessment", "goal_agreement", "linking", "monitoring",
                      "reassessment", "evaluation", "closed"}
    with superuser.connect() as connection:
        primary = dict(connection.execute(sa.text(
            "SELECT primary_topic_area, count(*) FROM cases WHERE tenant_id = :t "
            "AND primary_topic_area IS NOT NULL GROUP BY primary_topic_area"),
            {"t": COUNTY.tenant_id}).all())
    # 004 L134: "Das Thema Aufenthalt ist bei 14 Personen das primäre Ziel" — the demo's
    # cases with agreed goals each have one, counted per topic area
    assert primary.get("residence") and sum(primary.values()) > 10

    lea = COUNTY.user("cm.hoexter")
    token = issuer.issue(str(lea.id), COUNTY.tenant_id,
                         str(COUNTY.organisation(lea.organisation).id), lea.roles,
                         areas=[str(COUNTY.area(a).id) for a in lea.areas])
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    case = client.get(f"/cases/{demo_id('case:hoexter-5')}", headers=headers).get_json()
    assert case["phase"] == "monitoring" and case["intake_id"] == str(demo_id("intake:hoexter-5"))
    assert case["person"]["name"] and case["goals"] and case["conferences"]
    # 000 L201: "Beratung im Tandem … gemeinsam mit den Fachberater*innen"
    assert [(s["kind"], s["partner_org_id"], s["topics"]) for s in case["shares"]] == [
        ("tandem", str(COUNTY.organisation("jobcenter").id), ["work_training"])]
    effort = {line["phase"]: line for line in case["effort"]}
    # 001 L291: "Durchführung von Fallkonferenzen: 1 Termin je 1 bis zu 2 Stunden"
    assert effort["linking"]["conferences"] == 1 and not effort["linking"]["beyond_guideline"]
    closed = client.get(f"/cases/{demo_id('case:hoexter-8')}", headers=headers).get_json()
    effort = {line["phase"]: line for line in closed["effort"]}
    # 001 L309 "Reflexionsgespräch 1 Termin", L321 "Auswertungs-/Reflexionsdokumentation"
    assert effort["monitoring"]["reflection_talks"] == 1
    assert effort["evaluation"]["write_up_minutes"] == 90
    linking = client.get(f"/cases/{demo_id('case:hoexter-4')}", headers=headers).get_json()
    # 000 L100: the assessment "ist nicht immer als chronologisch zu den anderen Schritten …
    # zu betrachten": a demo case was re-assessed during linking and went back to linking
    assert [(t["from_phase"], t["to_phase"]) for t in linking["transitions"]][-2:] == [
        ("linking", "reassessment"), ("reassessment", "linking")]
    day = client.get("/my-day", headers=headers).get_json()
    assert day["overdue_steps"] and day["goals_due"] and day["consents_expiring"]
    # 001 L134: "Das Case Management funktioniert in der Regel mit Terminabsprachen" and "die
    # offene Sprechstunde einzelner CM"
    assert day["appointments"] and day["consultation_hours"]
    planned = client.get(f"/cases/{demo_id('case:hoexter-5')}/appointments",
                         headers=headers).get_json()
    assert {a["status"] for a in planned} == {"planned", "no_show", "took_place"}
    assert any(a["kind"] == "home_visit" and a["client_agreement"] for a in planned)
    assert day["monitoring_due"]
    caseload = client.get("/caseload", headers=headers).get_json()["case_managers"]
    assert caseload[0]["open_cases"] == 7 and caseload[0]["norm_high"] == 60
    # 000 L98: "die Beratungsvereinbarung werden unterzeichnet" — the first admitted person's
    # signed agreement is in her case file, sealed, and opens
    signed = client.get(f"/cases/{demo_id('case:intake-1')}/signed-copies",
                        headers=headers).get_json()
    assert [c["form"] for c in signed] == ["counselling_agreement"]
    scan = client.get(f"/cases/{demo_id('case:intake-1')}/signed-copies/{signed[0]['id']}",
                      headers=headers)
    assert scan.status_code == 200 and scan.data.startswith(b"%PDF-")


def test_the_coordinating_office_sees_concerns_and_team_discussions_without_personal_data(
        casework, app, issuer):
    casework.seed_demo(COUNTY)  # once per database; a no-op when the test above ran
    koch = COUNTY.user("ks.koch")
    token = issuer.issue(str(koch.id), COUNTY.tenant_id, str(COUNTY.organisation("kreis").id),
                         koch.roles)
    # 001 L556: "Kinder- und Jugendschutz" — a concern from a home visit on its path to the
    # youth office (the Kreis Höxter's Jugendamt)
    concerns = app.test_client().get("/child-protection-concerns",
                                     headers={"Authorization": f"Bearer {token}"}).get_json()
    assert concerns and all(c["youth_office_org_id"] == str(COUNTY.organisation("jugendamt").id)
                            and c["referral_status"] == "needed" for c in concerns)
    assert str(demo_id("case:hoexter-5")) in {c["case_id"] for c in concerns}
    # 001 L614: "Fallbesprechungen … im Rahmen der fachaufsichtlichen Funktion"
    discussions = app.test_client().get("/team-discussions",
                                        headers={"Authorization": f"Bearer {token}"}).get_json()
    assert [d["kind"] for d in discussions] == ["case_discussion", "supervision"]
    assert discussions[0]["case_ids"] == [str(demo_id("case:hoexter-5"))]


def test_intakes_demo_admissions_find_their_cases_open_and_open_nothing_twice(
        casework, wired_to_intake, broker_url, superuser):
    from lotse_platform.testing import Running, poll

    from casework_support import publish_event
    from lotse.intake.v1 import events_pb2 as intake_ev

    casework.seed_demo(COUNTY)  # a no-op when a test above seeded this database
    lea = COUNTY.user("cm.hoexter")
    admission = intake_ev.CaseAdmitted(
        intake_id=str(demo_id("intake:1")), case_manager_id=str(lea.id),
        area_id=str(COUNTY.area("hoexter").id), topic_areas=[1, 5, 2],
        case_manager_org_id=str(COUNTY.organisation("stadt-hoexter").id))
    count = "SELECT count(*) FROM inbox WHERE tenant_id = :t"
    with superuser.connect() as connection:
        before = connection.execute(sa.text(count), {"t": COUNTY.tenant_id}).scalar()
    with Running(casework.consumer().run):
        publish_event(broker_url, COUNTY.tenant_id, admission)
        with superuser.connect() as connection:
            poll(lambda: connection.execute(sa.text(count), {"t": COUNTY.tenant_id}).scalar()
                 == before + 1, message="the admission to be handled")
    assert wired_to_intake.calls == [], "the case is open: no handover call"
    with superuser.connect() as connection:
        assert connection.execute(sa.text(
            "SELECT count(*) FROM cases WHERE intake_id = :i"),
            {"i": str(demo_id("intake:1"))}).scalar() == 1


def test_the_demo_family_is_one_household_its_case_manager_sees_as_a_unit(
        casework, app, issuer):
    """001 L562 "mit einer größeren Bedarfsgemeinschaft arbeiten": the Popals of Bad Driburg."""
    casework.seed_demo(COUNTY)
    driburg = COUNTY.user("cm.driburg")
    token = issuer.issue(str(driburg.id), COUNTY.tenant_id,
                         str(COUNTY.organisation(driburg.organisation).id), driburg.roles,
                         areas=[str(COUNTY.area(a).id) for a in driburg.areas])
    household = app.test_client().get(f"/cases/{demo_id('case:intake-23')}/household",
                                      headers={"Authorization": f"Bearer {token}"})

    assert household.status_code == 200, household.get_json()
    body = household.get_json()
    assert (body["household_id"], body["kind"], body["relation"]) == (
        str(demo_id("household:1")), "family", "applicant")
    assert [(m["case_id"], m["relation"]) for m in body["members"]] == [
        (str(demo_id("case:intake-24")), "partner")]
