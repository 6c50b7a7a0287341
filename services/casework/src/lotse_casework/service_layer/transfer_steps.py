"""The steps of a transfer to another tenant, whichever deployment serves that tenant.

A transfer to a tenant of this deployment (:mod:`.transfer_to_tenant`) and one to a tenant of a
peer deployment (:mod:`.transfer_to_peer`, ADR 0051) take the same steps; only the way between
the two sides differs (a unit of work of the other tenant here, HTTP to the peer):

- the sender announces a withdrawn offer in the transaction that cancels it
  (:func:`announce_cancel`: ``casework.case.transfer_cancelled.v1`` in the outbox);
- the receiving tenant records the offer and tells the area's case managers
  (:func:`record_offer`), or takes a withdrawn one out of their day (:func:`withdraw_offer`);
- accepting opens the receiving tenant's own case with the copy of the sender's file
  (:func:`open_copy`);
- the sender hands its case over once the acceptance is known (:func:`hand_over`): closed
  (moved away), and nobody there opens its file any more.

Each step works in the unit of work it is given (``receiving`` / ``sending``): the caller
opens it for the right tenant and commits it.
"""

from __future__ import annotations

import uuid

from lotse.casework.v1 import events_pb2 as ev
from lotse_platform import clock
from lotse_platform.auth import Principal

from ..domain.model import (
    Case,
    Consent,
    InboundTransfer,
    Notice,
    Person,
    PhaseTransition,
    Transfer,
)
from ..domain.planning import Assessment, Goal, HelpPlan, Step
from ..domain.transfer_copy import CaseCopy
from .events import case_facts, closure_reason_code, phase_code, publish, to_iso
from .unit_of_work import CaseworkUnitOfWork

#: the operator of a case opened from a transfer: ``transfer:<sending tenant>``
OPERATOR_PREFIX = "transfer:"


def record_offer(receiving: CaseworkUnitOfWork, transfer_id, from_tenant: str, from_case_id: str,
                 to_area_id: str, source_url: str | None = None) -> bool:
    """The inbound offer and a notice to each active case manager of the area, in the
    receiving tenant's unit of work; False when the offer is recorded already."""
    transfer_id = uuid.UUID(str(transfer_id))
    if receiving.inbound(transfer_id) is not None:
        return False
    now = clock.now()
    receiving.add(InboundTransfer(id=transfer_id, from_tenant_id=from_tenant,
                                  from_case_id=from_case_id, to_area_id=to_area_id,
                                  offered_at=now, status="pending", source_url=source_url))
    for manager in receiving.case_managers():
        if manager.active and to_area_id in (manager.areas or []):
            receiving.add(Notice(recipient_id=manager.user_id, kind="transfer_offered",
                                 reference=str(transfer_id), created_at=now))
    return True


def withdraw_offer(receiving: CaseworkUnitOfWork, transfer_id) -> str | None:
    """Mark a pending inbound offer cancelled and withdraw the area's unread notices of it (they
    leave the day as read ones do); the inbound's status afterwards, None when there is none."""
    transfer_id = uuid.UUID(str(transfer_id))
    inbound = receiving.inbound(transfer_id, lock=True)
    if inbound is None or inbound.status != "pending":
        return inbound.status if inbound is not None else None
    now = clock.now()
    inbound.status, inbound.decided_at = "cancelled", now
    for notice in receiving.unread_notices("transfer_offered", str(transfer_id)):
        notice.read_at = now
    return "cancelled"


def announce_cancel(uow: CaseworkUnitOfWork, case: Case, transfer: Transfer) -> None:
    """The sending side of a withdrawn offer to another tenant: its event, in the transaction
    that cancels it (the receiving tenant is told by casework's consumer of it:
    :func:`.transfer_to_tenant.receive_cancel`)."""
    publish(uow, case, ev.CaseTransferCancelled(case=case_facts(case), transfer_id=str(transfer.id),
                                                to_tenant_id=transfer.to_tenant_id,
                                                cancelled_on=to_iso(uow.today())))


def open_copy(receiving: CaseworkUnitOfWork, principal: Principal, source: CaseCopy,
              inbound: InboundTransfer) -> Case:
    """The receiving tenant's new case, with the copy of the sending tenant's file."""
    copy = Case.open(intake_id=str(inbound.id),
                     operator_org_id=f"{OPERATOR_PREFIX}{inbound.from_tenant_id}",
                     area_id=inbound.to_area_id, organisation_id=principal.organisation,
                     case_manager_id=principal.subject, opened_on=receiving.today(),
                     topic_areas=source.topic_areas, target_group_ids=[])
    copy.legal_areas = list(source.legal_areas)
    copy.motto_goal, copy.risk_flagged = source.motto_goal, source.risk_flagged
    copy.primary_topic_area = next((g.topic_area for g in source.goals if g.primary), None)
    copy.phase, copy.phases_visited = source.phase, [source.phase]
    receiving.add(copy)
    receiving.flush()
    person = source.person
    receiving.add(
        Person(case_id=copy.id, name=person.name, date_of_birth=person.date_of_birth,
               contact=dict(person.contact), languages=list(person.languages),
               interpreter_needed=person.interpreter_needed, screening=dict(person.screening),
               counselling_history=list(person.counselling_history),
               language_levels=list(person.language_levels)),
        PhaseTransition(case_id=copy.id, from_phase=None, to_phase=source.phase,
                        changed_by=principal.subject, changed_at=clock.now(),
                        note="taken over from another county"))
    for consent in source.consents:
        receiving.add(Consent(case_id=copy.id, consent_id=consent.consent_id,
                              kind=consent.kind, valid_from=consent.valid_from,
                              valid_until=consent.valid_until))
    if source.assessment is not None:
        latest = source.assessment
        receiving.add(Assessment(case_id=copy.id, version=1, recorded_by=latest.recorded_by,
                                 life_areas=list(latest.life_areas),
                                 resources=list(latest.resources), network=list(latest.network),
                                 language_levels=list(latest.language_levels),
                                 recorded_at=latest.recorded_at))
    goal_ids = {}
    for goal in source.goals:
        new = Goal(case_id=copy.id, topic_area=goal.topic_area, statement=goal.statement,
                   indicator=goal.indicator, responsible=goal.responsible,
                   responsible_org_id="" if goal.responsible == "partner_organisation"
                   else goal.responsible_org_id, realism_note=goal.realism_note,
                   due_on=goal.due_on, set_on=goal.set_on, history=list(goal.history),
                   primary=goal.primary,
                   revision=goal.revision)
        goal_ids[goal.id] = new.id
        receiving.add(new)
    if source.help_plan is not None:
        latest = source.help_plan
        receiving.add(HelpPlan(case_id=copy.id, version=1, created_by=principal.subject,
                               monitoring_every_days=latest.monitoring_every_days,
                               monitoring_contact_types=list(latest.monitoring_contact_types),
                               changes="taken over from another county",
                               reason="the client moved"))
    receiving.flush()
    for step in source.steps:
        if step.goal_id in goal_ids:
            receiving.add(Step(case_id=copy.id, goal_id=goal_ids[step.goal_id],
                               description=step.description, responsible=step.responsible,
                               due_on=step.due_on))
    publish(receiving, copy, ev.CaseOpened(case=case_facts(copy), intake_id=copy.intake_id,
                                           operator_org_id=copy.operator_org_id))
    receiving.audit("create", "case", copy.id, reason=f"transfer {inbound.id}")
    receiving.audit("create", "person", copy.id, reason="handover package of another county")
    return copy


def hand_over(sending: CaseworkUnitOfWork, principal: Principal, transfer: Transfer, case: Case,
              accepted_by: str | None = None) -> None:
    """The sending side's last step (3 in :mod:`.transfer_to_tenant`): the transfer accepted,
    the case closed (moved away) and no longer opened here. ``accepted_by`` names the receiving
    case manager when ``principal`` is a peer deployment's machine client."""
    at, on = clock.now(), sending.today()
    transfer.status, transfer.decided_at = "accepted", at
    before = case.phase
    transition = case.hand_over(accepted_by or principal.subject, on, at)
    sending.add(transition)
    for share in sending.shares(case.id):
        share.end(at)
    publish(sending, case, ev.CaseTransferred(
        case=case_facts(case), from_area_id=transfer.from_area_id,
        from_case_manager_id=transfer.from_case_manager_id,
        to_tenant_id=transfer.to_tenant_id, transferred_on=to_iso(on)))
    publish(sending, case, ev.PhaseChanged(case=case_facts(case), from_phase=phase_code(before),
                                           to_phase=phase_code("closed"),
                                           changed_by=transition.changed_by,
                                           changed_at=to_iso(transition.changed_at)))
    publish(sending, case, ev.CaseClosed(
        case=case_facts(case), reason=closure_reason_code("moved_away"), closed_on=to_iso(on),
        duration_days=case.duration_days(on), phases=[phase_code(p) for p in case.phases_visited],
        goals_reached=sum(1 for g in sending.goals(case.id) if g.status == "reached"),
        goals_total=len(sending.goals(case.id))))
    sending.add(Notice(recipient_id=transfer.from_case_manager_id, kind="transfer_accepted",
                       case_id=case.id))
    sending.audit("transfer.accept", "case", case.id, reason=f"to tenant {principal.tenant}"
                  + (f", accepted by {accepted_by}" if accepted_by else ""))
