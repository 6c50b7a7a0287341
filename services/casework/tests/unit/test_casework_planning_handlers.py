"""Planning handlers without database or broker (casework's message bus on the in-memory unit
of work of casework_fakes.py): a SMART goal is agreed, the help plan drawn up and a step
completed — each with its event and audit entry in the same commit, and nothing at all when the
rule refuses."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from lotse.casework.v1 import events_pb2 as ev
from lotse.kim.v1 import vocabulary_pb2 as kim
from lotse_platform.auth import CASE_MANAGER, Principal

from casework_fakes import FakeCasework
from lotse_casework.domain.commands import (
    ChangePhase,
    CompleteStep,
    DrawUpHelpPlan,
    PlanStep,
    SetGoal,
)
from lotse_casework.domain.errors import Incomplete, NotVisible, Refused
from lotse_casework.domain.model import Case
from lotse_casework.domain.planning import Goal, HelpPlan

TENANT = uuid.uuid4()
LEA = Principal(subject="cm-lea", tenant=TENANT, organisation="org-stadt-hoexter",
                areas=frozenset({"area-hoexter"}), roles=frozenset({CASE_MANAGER}))


def a_case(service: FakeCasework, phase: str = "goal_agreement") -> Case:
    with service.uow(TENANT) as uow:
        case = Case.open(intake_id="intake-1", operator_org_id="", area_id="area-hoexter",
                         organisation_id="org-stadt-hoexter", case_manager_id="cm-lea",
                         opened_on=uow.today() - timedelta(days=30),
                         topic_areas=["residence", "work_training"], target_group_ids=[])
        case.phase, case.phases_visited = phase, ["intake", "assessment", phase]
        uow.add(case)
        uow.commit()
    return case


def smart_goal(service: FakeCasework, case: Case, **overrides) -> SetGoal:
    values = {"topic_area": "work_training", "statement": "Praktikum in der Altenpflege",
              "indicator": "Praktikumsvertrag", "responsible": "client",
              "realism_note": "mit der Patin erreichbar",
              "due_on": service.uow(TENANT).today() + timedelta(days=60)}
    values.update(overrides)
    return SetGoal(case.id, **values)


def test_a_smart_goal_is_set_with_its_event_and_audit_entry_in_one_commit():
    service = FakeCasework()
    case = a_case(service)

    goal_id = service.handle(smart_goal(service, case), LEA)

    [goal] = service.database.all(TENANT, Goal)
    assert (goal.id, goal.topic_area, goal.status) == (goal_id, "work_training", "open")
    [event] = service.database.events(TENANT, ev.GoalSet)
    assert (event.goal_id, event.case.case_id) == (str(goal_id), str(case.id))
    assert event.topic_area == kim.TopicArea.Value("TOPIC_AREA_WORK_TRAINING")
    assert event.responsible == ev.Responsible.Value("RESPONSIBLE_CLIENT")
    assert "Praktikum" not in str(event), "codes and ids, never the goal's text"
    assert [(a.actor, a.action, a.record_type) for a in service.database.audit_log] == [
        ("cm-lea", "create", "goal")]


@pytest.mark.parametrize("overrides, field", [
    ({"topic_area": "housing"}, "topic_area"),  # not a topic of this case
    ({"indicator": " "}, "indicator"),
    ({"responsible": "partner_organisation"}, "responsible_org_id"),
])
def test_a_goal_missing_a_part_is_incomplete_and_nothing_is_written(overrides, field):
    service = FakeCasework()
    case = a_case(service)

    with pytest.raises(Incomplete) as refused:
        service.handle(smart_goal(service, case, **overrides), LEA)

    assert field in refused.value.fields
    assert service.database.all(TENANT, Goal) == []
    assert service.database.outbox == [] and service.database.audit_log == []


def test_a_colleague_without_a_share_does_not_see_the_case():
    service = FakeCasework()
    case = a_case(service)
    ole = Principal(subject="cm-ole", tenant=TENANT, organisation="org-stadt-hoexter",
                    roles=frozenset({CASE_MANAGER}))
    with pytest.raises(NotVisible):
        service.handle(smart_goal(service, case), ole)


def test_the_help_plan_needs_a_goal_and_its_review_says_what_changed_and_why():
    service = FakeCasework()
    case = a_case(service)

    def draw_up(**review):
        return service.handle(DrawUpHelpPlan(case.id, every_days=14,
                                             contact_types=["appointment"], **review), LEA)

    with pytest.raises(Refused):
        draw_up()
    with pytest.raises(Refused):
        service.handle(ChangePhase(case.id, "linking"), LEA)
    service.handle(smart_goal(service, case), LEA)
    assert draw_up()[1] == 1
    with pytest.raises(Incomplete) as refused:
        draw_up()
    assert set(refused.value.fields) == {"changes", "reason"}
    assert draw_up(changes="Ziel angepasst", reason="Kurs verschoben")[1] == 2
    assert [p.version for p in service.database.all(TENANT, HelpPlan)] == [1, 2]

    service.handle(ChangePhase(case.id, "linking"), LEA)
    [changed] = service.database.events(TENANT, ev.PhaseChanged)
    assert (changed.from_phase, changed.to_phase) == (
        ev.Phase.Value("PHASE_GOAL_AGREEMENT"), ev.Phase.Value("PHASE_LINKING"))


def test_a_step_done_after_its_due_date_is_reported_overdue():
    service = FakeCasework()
    case = a_case(service)
    goal_id = service.handle(smart_goal(service, case), LEA)
    service.handle(DrawUpHelpPlan(case.id, every_days=14, contact_types=["phone_call"]), LEA)
    yesterday = service.uow(TENANT).today() - timedelta(days=1)
    step_id = service.handle(PlanStep(case.id, goal_id, description="Bewerbung schreiben",
                                      responsible="client", due_on=yesterday), LEA)

    service.handle(CompleteStep(case.id, step_id), LEA)

    [done] = service.database.events(TENANT, ev.StepDone)
    assert (done.step_id, done.goal_id, done.overdue) == (str(step_id), str(goal_id), True)
    sequences = [p.sequence for p in service.database.outbox]
    assert sequences == sorted(sequences) == list(range(1, len(sequences) + 1)), \
        "the case's events are numbered in one sequence"
