"""Planning and the daily work on a case: assessment, goals, help plan and steps, contacts and
case conferences — the commands and their reads.

Every command is audited; events carry codes, ids and counts, never content. Reads of personal
data (assessments, help plans, contacts) write an audit entry in their transaction; the effort
figures are counts and are not audited.
"""

from __future__ import annotations

import uuid

from lotse.casework.v1 import events_pb2 as ev
from lotse_platform.auth import Principal

from ..domain.contacts import Conference, Contact, effort
from ..domain.errors import Incomplete, NotVisible
from ..domain.planning import Assessment, Goal, HelpPlan, Step
from .access import case_for, read_reason
from .events import (
    case_facts,
    contact_type_code,
    phase_code,
    publish,
    responsible_code,
    to_iso,
    topic_code,
)
from .unit_of_work import CaseworkUnitOfWork


def record_assessment(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID,
                      life_areas: list[dict], resources: list[dict],
                      network: list[dict]) -> tuple[uuid.UUID, int]:
    with uow:
        case, _ = case_for(uow, principal, case_id, write=True)
        versions = uow.assessments(case.id)
        assessment = Assessment.record(case, versions[-1].version if versions else 0,
                                       principal.subject, life_areas, resources, network)
        uow.add(assessment)
        uow.audit("create", "assessment", assessment.id, reason=f"version {assessment.version}")
        uow.commit()
        return assessment.id, assessment.version


# -- goals ----------------------------------------------------------------------------------------
def set_goal(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID,
             values: dict) -> uuid.UUID:
    with uow:
        case, _ = case_for(uow, principal, case_id, write=True)
        if values.get("topic_area") not in case.topic_areas:
            raise Incomplete("a goal addresses one of the case's topic areas",
                             {"topic_area": f"one of {', '.join(case.topic_areas)}"})
        goal = Goal.set(case, values, uow.today())
        uow.add(goal)
        publish(uow, case, ev.GoalSet(case=case_facts(case), goal_id=str(goal.id),
                                      topic_area=topic_code(goal.topic_area),
                                      responsible=responsible_code(goal.responsible),
                                      responsible_org_id=goal.responsible_org_id,
                                      due_on=to_iso(goal.due_on)))
        uow.audit("create", "goal", goal.id)
        uow.commit()
        return goal.id


def _goal(uow, case, goal_id) -> Goal:
    goal = uow.goal(case.id, goal_id)
    if goal is None:
        raise NotVisible("no such goal")
    return goal


def revise_goal(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID,
                goal_id: uuid.UUID, changes: dict, reason: str) -> None:
    with uow:
        case, _ = case_for(uow, principal, case_id, write=True)
        goal = _goal(uow, case, goal_id)
        if changes.get("topic_area") and changes["topic_area"] not in case.topic_areas:
            raise Incomplete("a goal addresses one of the case's topic areas",
                             {"topic_area": f"one of {', '.join(case.topic_areas)}"})
        goal.revise(case, changes, reason, uow.today())
        publish(uow, case, ev.GoalRevised(case=case_facts(case), goal_id=str(goal.id),
                                          topic_area=topic_code(goal.topic_area),
                                          due_on=to_iso(goal.due_on), revision=goal.revision))
        uow.audit("update", "goal", goal.id, reason=f"revision {goal.revision}")
        uow.commit()


def reach_goal(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID,
               goal_id: uuid.UUID, reason: str | None) -> None:
    with uow:
        case, _ = case_for(uow, principal, case_id, write=True)
        goal = _goal(uow, case, goal_id)
        goal.reach(case, uow.today(), reason)
        publish(uow, case, ev.GoalReached(case=case_facts(case), goal_id=str(goal.id),
                                          topic_area=topic_code(goal.topic_area),
                                          reached_on=to_iso(goal.closed_on)))
        uow.audit("update", "goal", goal.id, reason="reached")
        uow.commit()


def drop_goal(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID,
              goal_id: uuid.UUID, reason: str) -> None:
    with uow:
        case, _ = case_for(uow, principal, case_id, write=True)
        goal = _goal(uow, case, goal_id)
        goal.drop(case, uow.today(), reason)
        publish(uow, case, ev.GoalDropped(case=case_facts(case), goal_id=str(goal.id),
                                          topic_area=topic_code(goal.topic_area),
                                          dropped_on=to_iso(goal.closed_on)))
        uow.audit("update", "goal", goal.id, reason="dropped")
        uow.commit()


# -- help plan and steps --------------------------------------------------------------------------
def draw_up_help_plan(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID, *,
                      every_days: int, contact_types: list[str], changes: str | None,
                      reason: str | None) -> tuple[uuid.UUID, int]:
    with uow:
        case, _ = case_for(uow, principal, case_id, write=True)
        versions = uow.help_plans(case.id)
        open_goals = sum(1 for g in uow.goals(case.id) if g.status == "open")
        plan = HelpPlan.draw_up(case, versions[-1].version if versions else 0, open_goals,
                                principal.subject, every_days, contact_types, changes, reason)
        uow.add(plan)
        uow.audit("create", "help_plan", plan.id,
                  reason="plan review" if plan.version > 1 else "help plan")
        uow.commit()
        return plan.id, plan.version


def plan_step(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID,
              values: dict) -> uuid.UUID:
    with uow:
        case, _ = case_for(uow, principal, case_id, write=True)
        goal = _goal(uow, case, values["goal_id"])
        step = Step.plan(case, goal, len(uow.help_plans(case.id)), values)
        uow.add(step)
        uow.audit("create", "step", step.id)
        uow.commit()
        return step.id


def complete_step(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID,
                  step_id: uuid.UUID) -> None:
    with uow:
        case, _ = case_for(uow, principal, case_id, write=True)
        step = uow.step(case.id, step_id)
        if step is None:
            raise NotVisible("no such step")
        overdue = step.complete(case, uow.today())
        publish(uow, case, ev.StepDone(case=case_facts(case), goal_id=str(step.goal_id),
                                       step_id=str(step.id),
                                       responsible=responsible_code(step.responsible),
                                       responsible_org_id=step.responsible_org_id,
                                       done_on=to_iso(step.done_on), overdue=overdue))
        uow.audit("update", "step", step.id, reason="done")
        uow.commit()


# -- contacts -------------------------------------------------------------------------------------
def record_contact(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID,
                   values: dict) -> uuid.UUID:
    """Record a contact (the write path of ``make bench``)."""
    with uow:
        case, _ = case_for(uow, principal, case_id, write=True)
        contact = Contact.record(case, principal.subject, uow.today(), **values)
        uow.add(contact)
        publish(uow, case, ev.ContactRecorded(
            case=case_facts(case), contact_id=str(contact.id),
            type=contact_type_code(contact.type), duration_minutes=contact.duration_minutes,
            topics=[topic_code(t) for t in contact.topics], phase=phase_code(contact.phase),
            contact_on=to_iso(contact.occurred_on)))
        uow.audit("create", "contact", contact.id)
        uow.commit()
        return contact.id


# -- case conferences -----------------------------------------------------------------------------
def plan_conference(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID, *,
                    planned_on, topics: list[str], agenda: str,
                    participants: list[dict]) -> uuid.UUID:
    with uow:
        case, _ = case_for(uow, principal, case_id, write=True)
        conference = Conference.plan(case, uow.consents(case.id), principal.subject, uow.today(),
                                     planned_on=planned_on, topics=topics, agenda=agenda,
                                     participants=participants)
        uow.add(conference)
        uow.audit("create", "conference", conference.id)
        uow.commit()
        return conference.id


def add_participant(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID,
                    conference_id: uuid.UUID, participant: dict) -> None:
    with uow:
        case, _ = case_for(uow, principal, case_id, write=True)
        conference = uow.conference(case.id, conference_id)
        if conference is None:
            raise NotVisible("no such conference")
        conference.add_participant(case, uow.consents(case.id), participant, uow.today())
        uow.audit("update", "conference", conference.id, reason="participant added")
        uow.commit()


def hold_conference(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID,
                    conference_id: uuid.UUID, *, held_on, minutes: str,
                    actions: list[dict]) -> None:
    with uow:
        case, _ = case_for(uow, principal, case_id, write=True)
        conference = uow.conference(case.id, conference_id)
        if conference is None:
            raise NotVisible("no such conference")
        conference.hold(case, uow.today(), held_on, minutes, actions)
        publish(uow, case, ev.CaseConferenceHeld(
            case=case_facts(case), conference_id=str(conference.id),
            participant_org_ids=[p["organisation_id"] for p in conference.participants],
            topics=[topic_code(t) for t in conference.topics],
            agreed_actions=len(conference.actions), held_on=to_iso(conference.held_on)))
        uow.audit("update", "conference", conference.id, reason="held")
        uow.commit()


# -- reading --------------------------------------------------------------------------------------
def assessments(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID,
                purpose: str | None) -> list:
    with uow:
        case, access = case_for(uow, principal, case_id, write=False, purpose=purpose)
        versions = uow.assessments(case.id)
        uow.audit("read", "assessment", case.id, reason=read_reason(access, purpose))
        uow.commit()
        return versions


def help_plans(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID,
               purpose: str | None) -> list:
    with uow:
        case, access = case_for(uow, principal, case_id, write=False, purpose=purpose)
        versions = uow.help_plans(case.id)
        uow.audit("read", "help_plan", case.id, reason=read_reason(access, purpose))
        uow.commit()
        return versions


def contacts(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID,
             purpose: str | None) -> dict:
    with uow:
        case, access = case_for(uow, principal, case_id, write=False, purpose=purpose)
        found = uow.contacts(case.id)
        uow.audit("read", "contact", case.id, reason=read_reason(access, purpose))
        uow.commit()
        return {"contacts": found, "effort": effort(found)}


def contact_effort(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID,
                   purpose: str | None) -> list[dict]:
    """Counts only (no content): not personal data, not audited."""
    with uow:
        case, _ = case_for(uow, principal, case_id, write=False, purpose=purpose)
        return effort(uow.contacts(case.id))
