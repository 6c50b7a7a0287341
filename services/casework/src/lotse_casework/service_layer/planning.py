"""Planning and the daily work on a case: assessment, goals, help plan and steps, contacts and
case conferences — the commands (``domain/commands.py``; the actor is the unit of work's
principal) and their reads.

Every command is audited; events carry codes, ids and counts, never content. Reads of personal
data (assessments, help plans, contacts) write an audit entry in their transaction; the effort
figures are counts and are not audited.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Any

from lotse.casework.v1 import events_pb2 as ev
from lotse_platform.audit.purposes import StatedPurpose
from lotse_platform import clock
from lotse_platform.auth import Principal
from lotse_platform.references import ORGANISATION, USER, Wanted, check

from ..domain.commands import (
    CompleteStep,
    DrawUpHelpPlan,
    DropGoal,
    PlanStep,
    ReachGoal,
    RecordAssessment,
    RecordContact,
    ReviseGoal,
    SetGoal,
)
from ..domain.child_protection import NOTICE_KIND as CONCERN_NOTICE
from ..domain.child_protection import ChildProtectionConcern
from ..domain.contacts import Contact, effort, write_up_minutes
from ..domain.errors import Incomplete, NotVisible
from ..domain.model import Notice
from ..domain.planning import Assessment, Goal, HelpPlan, Step, previous_language_levels
from .access import caller, case_for, read_audited
from .events import (
    case_facts,
    contact_recorded,
    language_level_assessed,
    publish,
    responsible_code,
    to_iso,
    topic_code,
)
from .unit_of_work import CaseworkUnitOfWork


def _values(cmd: Any, *ids: str) -> dict:
    """The command's data without the ids it acts on, as the domain's rules take it."""
    return {name: value for name, value in asdict(cmd).items() if name not in ids}


def record_assessment(cmd: RecordAssessment, uow: CaseworkUnitOfWork) -> tuple[uuid.UUID, int]:
    principal = caller(uow)
    with uow:
        case, _ = case_for(uow, principal, cmd.case_id, write=True)
        # a service on the resource map is one identity published (ADR 0054)
        check(uow.references, [Wanted(f"network.{index}.organisation_id", ORGANISATION,
                                      entry.get("organisation_id"))
                               for index, entry in enumerate(cmd.network or ())])
        versions = uow.assessments(case.id)
        assessment = Assessment.record(case, versions[-1].version if versions else 0,
                                       principal.subject, cmd.life_areas, cmd.resources,
                                       cmd.network, cmd.language_levels, uow.today())
        uow.add(assessment)
        person = uow.person(case.id)
        before = previous_language_levels(person.language_levels if person else [], versions)
        for level in assessment.language_levels:
            publish(uow, case, language_level_assessed(
                case, assessment, level, before.get(level["language"].lower())))
        uow.audit("create", "assessment", assessment.id, reason=f"version {assessment.version}")
        uow.commit()
        return assessment.id, assessment.version


# -- goals ----------------------------------------------------------------------------------------
def set_goal(cmd: SetGoal, uow: CaseworkUnitOfWork) -> uuid.UUID:
    values = _values(cmd, "case_id", "primary")
    with uow:
        case, _ = case_for(uow, caller(uow), cmd.case_id, write=True)
        check(uow.references, [Wanted("responsible_org_id", ORGANISATION, cmd.responsible_org_id)])
        if values.get("topic_area") not in case.topic_areas:
            raise Incomplete("a goal addresses one of the case's topic areas",
                             {"topic_area": f"one of {', '.join(case.topic_areas)}"})
        goal = Goal.set(case, values, uow.today())
        if cmd.primary:
            goal.make_primary(case, uow.goals(case.id))
        uow.add(goal)
        publish(uow, case, ev.GoalSet(case=case_facts(case), goal_id=str(goal.id),
                                      topic_area=topic_code(goal.topic_area),
                                      responsible=responsible_code(goal.responsible),
                                      responsible_org_id=goal.responsible_org_id,
                                      due_on=to_iso(goal.due_on), primary=goal.primary))
        uow.audit("create", "goal", goal.id)
        uow.commit()
        return goal.id


def _goal(uow, case, goal_id) -> Goal:
    goal = uow.goal(case.id, goal_id)
    if goal is None:
        raise NotVisible("no such goal")
    return goal


def revise_goal(cmd: ReviseGoal, uow: CaseworkUnitOfWork) -> None:
    changes, reason = _values(cmd, "case_id", "goal_id", "reason", "primary"), cmd.reason
    with uow:
        case, _ = case_for(uow, caller(uow), cmd.case_id, write=True)
        goal = _goal(uow, case, cmd.goal_id)
        check(uow.references, [Wanted("responsible_org_id", ORGANISATION, cmd.responsible_org_id)])
        if changes.get("topic_area") and changes["topic_area"] not in case.topic_areas:
            raise Incomplete("a goal addresses one of the case's topic areas",
                             {"topic_area": f"one of {', '.join(case.topic_areas)}"})
        goal.revise(case, changes, reason, uow.today())
        if cmd.primary:
            goal.make_primary(case, uow.goals(case.id))
        goal.follow_topic(case)
        publish(uow, case, ev.GoalRevised(case=case_facts(case), goal_id=str(goal.id),
                                          topic_area=topic_code(goal.topic_area),
                                          due_on=to_iso(goal.due_on), revision=goal.revision,
                                          primary=goal.primary))
        uow.audit("update", "goal", goal.id, reason=f"revision {goal.revision}")
        uow.commit()


def reach_goal(cmd: ReachGoal, uow: CaseworkUnitOfWork) -> None:
    with uow:
        case, _ = case_for(uow, caller(uow), cmd.case_id, write=True)
        goal = _goal(uow, case, cmd.goal_id)
        goal.reach(case, uow.today(), cmd.reason)
        publish(uow, case, ev.GoalReached(case=case_facts(case), goal_id=str(goal.id),
                                          topic_area=topic_code(goal.topic_area),
                                          reached_on=to_iso(goal.closed_on)))
        uow.audit("update", "goal", goal.id, reason="reached")
        uow.commit()


def drop_goal(cmd: DropGoal, uow: CaseworkUnitOfWork) -> None:
    with uow:
        case, _ = case_for(uow, caller(uow), cmd.case_id, write=True)
        goal = _goal(uow, case, cmd.goal_id)
        goal.drop(case, uow.today(), cmd.reason)
        publish(uow, case, ev.GoalDropped(case=case_facts(case), goal_id=str(goal.id),
                                          topic_area=topic_code(goal.topic_area),
                                          dropped_on=to_iso(goal.closed_on)))
        uow.audit("update", "goal", goal.id, reason="dropped")
        uow.commit()


# -- help plan and steps --------------------------------------------------------------------------
def draw_up_help_plan(cmd: DrawUpHelpPlan, uow: CaseworkUnitOfWork) -> tuple[uuid.UUID, int]:
    principal = caller(uow)
    with uow:
        case, _ = case_for(uow, principal, cmd.case_id, write=True)
        versions = uow.help_plans(case.id)
        open_goals = sum(1 for g in uow.goals(case.id) if g.status == "open")
        plan = HelpPlan.draw_up(case, versions[-1].version if versions else 0, open_goals,
                                principal.subject, cmd.every_days, cmd.contact_types,
                                cmd.changes, cmd.reason)
        uow.add(plan)
        uow.audit("create", "help_plan", plan.id,
                  reason="plan review" if plan.version > 1 else "help plan")
        uow.commit()
        return plan.id, plan.version


def plan_step(cmd: PlanStep, uow: CaseworkUnitOfWork) -> uuid.UUID:
    values = _values(cmd, "case_id")
    with uow:
        case, _ = case_for(uow, caller(uow), cmd.case_id, write=True)
        goal = _goal(uow, case, cmd.goal_id)
        check(uow.references, [Wanted("responsible_org_id", ORGANISATION, cmd.responsible_org_id)])
        step = Step.plan(case, goal, len(uow.help_plans(case.id)), values)
        uow.add(step)
        uow.audit("create", "step", step.id)
        uow.commit()
        return step.id


def complete_step(cmd: CompleteStep, uow: CaseworkUnitOfWork) -> None:
    with uow:
        case, _ = case_for(uow, caller(uow), cmd.case_id, write=True)
        step = uow.step(case.id, cmd.step_id)
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
def record_contact(cmd: RecordContact, uow: CaseworkUnitOfWork) -> uuid.UUID:
    """Record a contact (the write path of ``make bench``)."""
    principal = caller(uow)
    with uow:
        case, _ = case_for(uow, principal, cmd.case_id, write=True)
        contact = contact_on_case(uow, principal.subject, case, cmd)
        uow.commit()
        return contact.id


def contact_on_case(uow: CaseworkUnitOfWork, by: str, case, cmd: RecordContact) -> Contact:
    """A contact on a case the caller may write, inside the caller's transaction: its checked
    references, the appointment it took place as, its event and audit entry, and a concern's
    path to the youth office. Also one member's contact of a household (households.py)."""
    check(uow.references, [Wanted("second_staff_id", USER, cmd.second_staff_id),
                           Wanted("youth_office_org_id", ORGANISATION,
                                  cmd.youth_office_org_id)])
    values = _values(cmd, "case_id")
    appointment = None
    if cmd.appointment_id is not None:
        appointment = uow.appointment(case.id, cmd.appointment_id)
        if appointment is None:
            raise Incomplete("no such appointment of this case",
                             {"appointment_id": "an appointment planned for this case"})
        # a home visit's agreement is the one given when it was agreed
        values["client_agreement"] = appointment.client_agreement
    contact = Contact.record(case, by, uow.today(), **values)
    if appointment is not None:
        appointment.took_place(contact.type, contact.occurred_on, contact.id, clock.now())
    uow.add(contact)
    publish(uow, case, contact_recorded(case, contact))
    uow.audit("create", "contact", contact.id)
    if contact.child_protection_concern:
        raise_child_protection_concern(uow, case, contact)
    return contact


def raise_child_protection_concern(uow: CaseworkUnitOfWork, case, contact: Contact) -> None:
    """The clear path of a concern for a child (seed 001 L556): the referral need to the youth
    office, a flagged notice to the case manager, the coordinating office's list."""
    uow.flush()  # the contact first: the concern refers to it
    concern = ChildProtectionConcern(case_id=case.id, contact_id=contact.id,
                                     raised_by=contact.recorded_by, raised_on=contact.occurred_on,
                                     youth_office_org_id=contact.youth_office_org_id or "")
    uow.add(concern, Notice(recipient_id=case.case_manager_id, kind=CONCERN_NOTICE,
                            case_id=case.id, reference=str(concern.id)))
    publish(uow, case, ev.ChildProtectionConcernRaised(
        case=case_facts(case), concern_id=str(concern.id), contact_id=str(contact.id),
        youth_office_org_id=concern.youth_office_org_id, raised_on=to_iso(concern.raised_on)))
    uow.audit("create", "child_protection_concern", concern.id,
              reason="referral need to the youth office")


# -- reading --------------------------------------------------------------------------------------
def assessments(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID,
                purpose: StatedPurpose | None) -> list:
    return read_audited(uow, principal, case_id, purpose, "assessment",
                        lambda case: uow.assessments(case.id))


def help_plans(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID,
               purpose: StatedPurpose | None) -> list:
    return read_audited(uow, principal, case_id, purpose, "help_plan",
                        lambda case: uow.help_plans(case.id))


def contacts(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID,
             purpose: StatedPurpose | None) -> dict:
    def read(case):
        listed = uow.contacts(case.id)
        return {"contacts": listed, "effort": effort(listed, uow.conferences(case.id),
                                                     write_up_minutes(case))}
    return read_audited(uow, principal, case_id, purpose, "contact", read)


def contact_effort(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID,
                   purpose: StatedPurpose | None) -> list[dict]:
    """Counts only (no content): not personal data, not audited."""
    with uow:
        case, _ = case_for(uow, principal, case_id, write=False, purpose=purpose)
        return effort(uow.contacts(case.id), uow.conferences(case.id), write_up_minutes(case))
