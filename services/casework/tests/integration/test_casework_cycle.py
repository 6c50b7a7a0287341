"""The case cycle through the API on the real database: phases, assessment, goal agreement,
help plan and steps, closure; every transition kept with who and when."""

from __future__ import annotations


import pytest
import sqlalchemy as sa
from lotse_platform.testing import days_ago, days_ahead

from lotse.casework.v1 import events_pb2 as ev
from lotse.kim.v1 import vocabulary_pb2 as kim

from casework_steps import assessment, drive, goal, help_plan, ok
from casework_support import open_test_case

pytestmark = pytest.mark.integration

EVALUATION = {"plan": "Hilfeplan trug", "methods": "Ressourcenkarte half",
              "cooperation": "ABH kooperativ", "client_satisfaction": 4,
              "service_planning_hints": "mehr Sprachkurse mit Kinderbetreuung"}


def events(superuser, case_id, event_type: str, message):
    with superuser.connect() as connection:
        payloads = connection.execute(sa.text(
            "SELECT payload FROM outbox WHERE aggregate_id = :a AND event_type = :t "
            "ORDER BY sequence"), {"a": str(case_id), "t": event_type}).scalars()
        return [message.FromString(p) for p in payloads]


def test_the_case_cycle_runs_from_intake_to_closure_and_keeps_every_transition(
        casework, tenant, as_user, superuser):
    lea = as_user("cm-lea")
    case_id = open_test_case(casework, tenant, "cm-lea")
    drive(lea, case_id, "evaluation")
    ok(lea.post(f"/cases/{case_id}/closure", {"reason": "goals_reached", "evaluation": EVALUATION}))

    case = lea.get(f"/cases/{case_id}").get_json()
    assert case["phase"] == "closed" and case["closure_reason"] == "goals_reached"
    assert [(t["from_phase"], t["to_phase"]) for t in case["transitions"]] == [
        (None, "intake"), ("intake", "assessment"), ("assessment", "goal_agreement"),
        ("goal_agreement", "linking"), ("linking", "monitoring"), ("monitoring", "evaluation"),
        ("evaluation", "closed")]
    assert all(t["changed_by"] == "cm-lea" and t["changed_at"] for t in case["transitions"][1:])

    changed = events(superuser, case_id, "casework.case.phase_changed.v1", ev.PhaseChanged)
    assert [e.to_phase for e in changed] == [ev.PHASE_ASSESSMENT, ev.PHASE_GOAL_AGREEMENT,
                                             ev.PHASE_LINKING, ev.PHASE_MONITORING,
                                             ev.PHASE_EVALUATION, ev.PHASE_CLOSED]
    closed, = events(superuser, case_id, "casework.case.closed.v1", ev.CaseClosed)
    assert closed.reason == ev.CLOSURE_REASON_GOALS_REACHED
    assert closed.phases[0] == ev.PHASE_INTAKE and closed.phases[-1] == ev.PHASE_CLOSED
    assert closed.goals_total == 1 and closed.duration_days == 0
    with superuser.connect() as connection:
        sequences = connection.execute(sa.text(
            "SELECT sequence FROM outbox WHERE aggregate_id = :a ORDER BY sequence"),
            {"a": str(case_id)}).scalars().all()
    assert sequences == list(range(1, len(sequences) + 1)), "one ordered sequence per case"


def test_an_illegal_transition_is_refused_with_the_allowed_ones_listed(casework, tenant, as_user):
    lea = as_user("cm-lea")
    case_id = open_test_case(casework, tenant, "cm-lea")
    refused = lea.post(f"/cases/{case_id}/phase", {"to": "monitoring"})
    assert refused.status_code == 409
    problem = refused.get_json()
    assert problem["allowed"] == ["assessment", "closed"]
    assert "allowed: assessment, closed" in problem["detail"]
    assert lea.post(f"/cases/{case_id}/phase", {"to": "closed"}).status_code == 409


def test_reassessment_is_entered_from_monitoring_and_leads_back_or_to_a_plan_review(
        casework, tenant, as_user):
    lea = as_user("cm-lea")
    case_id = open_test_case(casework, tenant, "cm-lea")
    drive(lea, case_id, "monitoring")
    ok(lea.post(f"/cases/{case_id}/phase", {"to": "reassessment"}))
    ok(lea.post(f"/cases/{case_id}/phase", {"to": "monitoring"}))
    ok(lea.post(f"/cases/{case_id}/phase", {"to": "reassessment"}))
    ok(lea.post(f"/cases/{case_id}/assessments", assessment()), 201)
    ok(lea.post(f"/cases/{case_id}/phase", {"to": "goal_agreement"}))
    assert lea.post(f"/cases/{case_id}/phase", {"to": "evaluation"}).get_json()["allowed"] == [
        "linking", "reassessment", "closed"]
    versions = lea.get(f"/cases/{case_id}/assessments").get_json()
    assert [v["version"] for v in versions] == [1, 2], "a re-assessment adds a version"


def test_a_reassessment_during_linking_returns_to_linking_with_a_new_assessment_version(
        casework, tenant, as_user):
    # 000 L100: "Die Assessment-Phase … ist nicht immer als chronologisch zu den anderen
    # Schritten im Case Management zu betrachten"
    lea = as_user("cm-lea")
    case_id = open_test_case(casework, tenant, "cm-lea")
    drive(lea, case_id, "linking")
    ok(lea.post(f"/cases/{case_id}/phase", {"to": "reassessment"}))
    assert lea.get(f"/cases/{case_id}").get_json()["allowed_transitions"] == [
        "linking", "goal_agreement", "closed"]
    ok(lea.post(f"/cases/{case_id}/assessments", assessment()), 201)
    ok(lea.post(f"/cases/{case_id}/phase", {"to": "linking"}))
    assert lea.get(f"/cases/{case_id}").get_json()["phase"] == "linking"
    assert len(lea.get(f"/cases/{case_id}/assessments").get_json()) == 2


def test_early_closure_works_from_any_open_phase_but_the_regular_end_needs_evaluation(
        casework, tenant, as_user):
    lea = as_user("cm-lea")
    moved = open_test_case(casework, tenant, "cm-lea")
    drive(lea, moved, "assessment")
    ok(lea.post(f"/cases/{moved}/closure", {"reason": "moved_away"}))
    assert lea.get(f"/cases/{moved}").get_json()["phase"] == "closed"

    early = open_test_case(casework, tenant, "cm-lea")
    refused = lea.post(f"/cases/{early}/closure", {"reason": "goals_reached",
                                                   "evaluation": EVALUATION})
    assert refused.status_code == 409 and "closed (reason moved_away)" in refused.get_json()["allowed"]

    evaluated = open_test_case(casework, tenant, "cm-lea")
    drive(lea, evaluated, "evaluation")
    incomplete = lea.post(f"/cases/{evaluated}/closure", {"reason": "client_steers_network",
                                                          "evaluation": {"plan": "gut"}})
    assert incomplete.status_code == 422
    assert {e["field"] for e in incomplete.get_json()["errors"]} == {
        "evaluation.methods", "evaluation.cooperation", "evaluation.client_satisfaction",
        "evaluation.service_planning_hints"}
    assert lea.post(f"/cases/{moved}/contacts", {"type": "phone_call", "occurred_on":
                    days_ago(0), "duration_minutes": 5}).status_code == 409


def test_an_assessment_keeps_both_views_and_a_difference_needs_its_disagreement_recorded(
        casework, tenant, as_user):
    lea = as_user("cm-lea")
    case_id = open_test_case(casework, tenant, "cm-lea")
    assert lea.post(f"/cases/{case_id}/assessments", assessment()).status_code == 409, \
        "assessment belongs to the assessment phases"
    drive(lea, case_id, "assessment")
    unexplained = assessment(life_areas=[{"area": "work", "client_view": "will Pflegehelferin werden",
                                          "case_manager_view": "erst Sprachniveau B1"}])
    refused = lea.post(f"/cases/{case_id}/assessments", unexplained)
    assert refused.status_code == 422
    assert refused.get_json()["errors"][0]["field"] == "life_areas.0.disagreement"

    ok(lea.post(f"/cases/{case_id}/assessments", assessment()), 201)
    current = lea.get(f"/cases/{case_id}").get_json()["assessment"]
    residence = next(a for a in current["life_areas"] if a["area"] == "residence_status")
    assert residence["client_view"].startswith("Duldung, Angst")
    assert residence["case_manager_view"].startswith("Duldung, Chance")
    assert residence["disagreement"]
    assert {r["kind"] for r in current["resources"]} == {"personal", "social"}
    assert {(n["kind"], n["quality"]) for n in current["network"]} == {
        ("family", "supportive"), ("authorities", "straining")}


def test_a_goal_missing_a_smart_part_is_refused_naming_each_missing_part(casework, tenant, as_user):
    lea = as_user("cm-lea")
    case_id = open_test_case(casework, tenant, "cm-lea")
    drive(lea, case_id, "goal_agreement")
    refused = lea.post(f"/cases/{case_id}/goals", goal(indicator=None, realism_note="  ",
                                                       due_on=None))
    assert refused.status_code == 422
    assert {e["field"] for e in refused.get_json()["errors"]} == {"indicator", "realism_note",
                                                                  "due_on"}
    partner = lea.post(f"/cases/{case_id}/goals", goal(responsible="partner_organisation"))
    assert [e["field"] for e in partner.get_json()["errors"]] == ["responsible_org_id"]
    past = lea.post(f"/cases/{case_id}/goals", goal(due_on="2020-01-01"))
    assert past.status_code == 422
    assert ok(lea.post(f"/cases/{case_id}/goals", goal()), 201)["id"]


def test_goals_are_reached_revised_and_dropped_with_their_reasons_and_events(
        casework, tenant, as_user, superuser):
    lea = as_user("cm-lea")
    case_id = open_test_case(casework, tenant, "cm-lea")
    drive(lea, case_id, "goal_agreement")
    ok(lea.patch(f"/cases/{case_id}/settings", {"motto_goal": "Ich will hier ankommen"}))
    first = ok(lea.post(f"/cases/{case_id}/goals", goal()), 201)["id"]
    second = ok(lea.post(f"/cases/{case_id}/goals", goal(topic_area="housing",
                                                         statement="Eigene Wohnung")), 201)["id"]
    third = ok(lea.post(f"/cases/{case_id}/goals", goal(topic_area="work_training",
                                                        statement="Praktikum")), 201)["id"]
    assert lea.post(f"/cases/{case_id}/goals/{first}/revise",
                    {"due_on": days_ahead(90)}).status_code == 422
    ok(lea.post(f"/cases/{case_id}/goals/{first}/revise",
                {"due_on": days_ahead(90),
                 "reason": "Unterlagen aus dem Herkunftsland fehlen"}))
    ok(lea.post(f"/cases/{case_id}/goals/{second}/reach", {"reason": "Mietvertrag unterschrieben"}))
    assert lea.post(f"/cases/{case_id}/goals/{third}/drop", {}).status_code == 422
    ok(lea.post(f"/cases/{case_id}/goals/{third}/drop", {"reason": "Klientin will erst Sprache"}))
    assert lea.post(f"/cases/{case_id}/goals/{third}/reach", {}).status_code == 409

    goals = {g["id"]: g for g in lea.get(f"/cases/{case_id}").get_json()["goals"]}
    assert goals[first]["revision"] == 2 and goals[first]["history"][0]["reason"]
    assert goals[second]["status"] == "reached" and goals[third]["status"] == "dropped"
    assert goals[third]["status_reason"] == "Klientin will erst Sprache"
    assert lea.get(f"/cases/{case_id}").get_json()["motto_goal"] == "Ich will hier ankommen"
    revised, = events(superuser, case_id, "casework.goal.revised.v1", ev.GoalRevised)
    assert revised.revision == 2
    assert len(events(superuser, case_id, "casework.goal.set.v1", ev.GoalSet)) == 3
    assert len(events(superuser, case_id, "casework.goal.reached.v1", ev.GoalReached)) == 1
    assert len(events(superuser, case_id, "casework.goal.dropped.v1", ev.GoalDropped)) == 1


def test_help_plan_reviews_record_what_changed_and_why_in_a_new_version(casework, tenant, as_user):
    lea = as_user("cm-lea")
    case_id = open_test_case(casework, tenant, "cm-lea")
    drive(lea, case_id, "goal_agreement")
    assert lea.post(f"/cases/{case_id}/help-plans", help_plan()).status_code == 409, \
        "a help plan needs an agreed goal"
    ok(lea.post(f"/cases/{case_id}/goals", goal()), 201)
    ok(lea.post(f"/cases/{case_id}/help-plans", help_plan()), 201)
    review = lea.post(f"/cases/{case_id}/help-plans", help_plan())
    assert review.status_code == 422
    assert {e["field"] for e in review.get_json()["errors"]} == {"changes", "reason"}
    assert ok(lea.post(f"/cases/{case_id}/help-plans", help_plan(
        monitoring={"every_days": 7, "contact_types": ["home_visit"]},
        changes="Monitoring wöchentlich, Hausbesuche", reason="Krise in der Familie")),
        201)["version"] == 2
    plans = lea.get(f"/cases/{case_id}/help-plans").get_json()
    assert [(p["version"], p["changes"]) for p in plans] == [
        (1, None), (2, "Monitoring wöchentlich, Hausbesuche")]
    assert plans[1]["reason"] == "Krise in der Familie"


def test_a_step_done_after_its_due_date_is_reported_overdue(casework, tenant, as_user, superuser):
    lea = as_user("cm-lea")
    case_id = open_test_case(casework, tenant, "cm-lea")
    goal_id = drive(lea, case_id, "linking")["goal_id"]
    late = ok(lea.post(f"/cases/{case_id}/steps", {
        "goal_id": goal_id, "description": "Pass beim Konsulat beantragen",
        "responsible": "client", "due_on": days_ago(3)}),
        201)["id"]
    on_time = ok(lea.post(f"/cases/{case_id}/steps", {
        "goal_id": goal_id, "description": "Termin bei der ABH", "responsible":
        "partner_organisation", "responsible_org_id": "org-abh",
        "due_on": days_ahead(3)}), 201)["id"]
    assert [s["step_id"] for s in lea.get("/my-day").get_json()["overdue_steps"]] == [late]
    ok(lea.post(f"/cases/{case_id}/steps/{late}/done"))
    ok(lea.post(f"/cases/{case_id}/steps/{on_time}/done"))
    assert lea.post(f"/cases/{case_id}/steps/{late}/done").status_code == 409
    done = {e.step_id: e for e in events(superuser, case_id, "casework.step.done.v1",
                                         ev.StepDone)}
    assert done[late].overdue and not done[on_time].overdue
    assert done[on_time].responsible_org_id == "org-abh"


def test_one_goal_is_the_primary_goal_and_its_topic_travels_in_the_case_facts(
        casework, tenant, as_user, superuser):
    # 004 L134: "Das Thema Aufenthalt ist bei 14 Personen das primäre Ziel. Auch Themen aus dem
    # Bereich Ausbildung und Arbeit (5) sowie der Spracherwerb (3)" — counted from events
    lea = as_user("cm-lea")
    case_id = open_test_case(casework, tenant, "cm-lea")
    drive(lea, case_id, "goal_agreement")
    first = ok(lea.post(f"/cases/{case_id}/goals", goal(primary=True)), 201)["id"]
    second = ok(lea.post(f"/cases/{case_id}/goals", goal(topic_area="housing")), 201)["id"]
    assert lea.get(f"/cases/{case_id}").get_json()["primary_topic_area"] == "residence"

    ok(lea.post(f"/cases/{case_id}/goals/{second}/revise",
                {"reason": "Wohnung ist jetzt das Dringendste", "primary": True}))
    case = lea.get(f"/cases/{case_id}").get_json()
    assert case["primary_topic_area"] == "housing"
    assert {g["id"]: g["primary"] for g in case["goals"]} == {first: False, second: True}

    set_events = events(superuser, case_id, "casework.goal.set.v1", ev.GoalSet)
    assert [e.primary for e in set_events] == [True, False]
    assert set_events[0].case.primary_topic_area == kim.TOPIC_AREA_RESIDENCE
    revised, = events(superuser, case_id, "casework.goal.revised.v1", ev.GoalRevised)
    assert revised.primary and revised.case.primary_topic_area == kim.TOPIC_AREA_HOUSING

    ok(lea.post(f"/cases/{case_id}/goals/{second}/drop", {"reason": "Wohnung gefunden"}))
    assert lea.get(f"/cases/{case_id}").get_json()["primary_topic_area"] is None
    dropped, = events(superuser, case_id, "casework.goal.dropped.v1", ev.GoalDropped)
    assert dropped.case.primary_topic_area == 0, "no primary goal any more: nothing counted"
