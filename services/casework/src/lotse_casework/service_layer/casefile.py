"""Commands on the case as a whole: phases, topics, safety flag, closure, deputies and
tandems, transfer. Each reads like its rule, writes its audit entry and its event in the same
transaction as the change."""

from __future__ import annotations

import uuid
from datetime import date

from lotse.casework.v1 import events_pb2 as ev
from lotse_platform import clock
from lotse_platform.auth import Principal

from ..domain.errors import Incomplete, NotVisible, Refused
from ..domain.model import Notice, Share, Transfer
from .access import case_for
from .events import closure_reason, facts, iso, phase, publish
from .unit_of_work import CaseworkUnitOfWork


def change_phase(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID,
                 target: str, note: str | None) -> None:
    with uow:
        case, _ = case_for(uow, principal, case_id, write=True)
        if target == "goal_agreement" and case.phase == "assessment" and not uow.assessments(
                case.id):
            raise Refused("record the assessment before the goal agreement")
        if target == "linking" and not uow.help_plans(case.id):
            raise Refused("the goal agreement ends with a help plan: draw one up first")
        before = case.phase
        transition = case.change_phase(target, principal.subject, note=note)
        uow.add(transition)
        publish(uow, case, ev.PhaseChanged(case=facts(case), from_phase=phase(before),
                                           to_phase=phase(target),
                                           changed_by=principal.subject,
                                           changed_at=iso(transition.changed_at)))
        uow.audit("update", "case", case.id, reason=f"phase {before} -> {target}")
        uow.commit()


def set_topics(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID,
               topic_areas: list[str], legal_areas: list[str] | None) -> None:
    with uow:
        case, _ = case_for(uow, principal, case_id, write=True)
        case.set_topics(topic_areas, legal_areas)
        uow.audit("update", "case", case.id, reason="topic and legal areas")
        uow.commit()


def set_motto_and_risk(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID, *,
                       motto_goal: str | None = None, risk_flagged: bool | None = None) -> None:
    """The client's motto goal (Mottoziel), and the safety flag for home visits."""
    with uow:
        case, _ = case_for(uow, principal, case_id, write=True)
        case.require_open()
        if motto_goal is not None:
            case.motto_goal = motto_goal.strip() or None
        if risk_flagged is not None:
            case.risk_flagged = risk_flagged
        uow.audit("update", "case", case.id, reason="motto goal / safety flag")
        uow.commit()


def close_case(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID, reason: str,
               evaluation: dict | None) -> None:
    with uow:
        case, _ = case_for(uow, principal, case_id, write=True)
        goals = uow.goals(case.id)
        closed_on = uow.today()
        before = case.phase
        transition = case.close(reason, evaluation, principal.subject, closed_on)
        uow.add(transition)
        for share in uow.shares(case.id):
            share.end(transition.changed_at)
        publish(uow, case, ev.PhaseChanged(case=facts(case), from_phase=phase(before),
                                           to_phase=phase("closed"),
                                           changed_by=principal.subject,
                                           changed_at=iso(transition.changed_at)))
        publish(uow, case, ev.CaseClosed(
            case=facts(case), reason=closure_reason(reason), closed_on=iso(closed_on),
            duration_days=case.duration_days(closed_on),
            phases=[phase(p) for p in case.phases_visited],
            goals_reached=sum(1 for g in goals if g.status == "reached"),
            goals_total=len(goals)))
        uow.audit("update", "case", case.id, reason=f"closed: {reason}")
        uow.commit()


# -- deputies and tandems -------------------------------------------------------------------------
def share_case(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID,
               colleague_id: str, kind: str, valid_from: date | None,
               valid_until: date) -> uuid.UUID:
    with uow:
        case, access = case_for(uow, principal, case_id, write=True)
        if access.how != "own":
            raise Refused("only the responsible case manager shares her case")
        colleague = uow.case_manager(colleague_id)
        if colleague is None or not colleague.active:
            raise Incomplete("the colleague is not a known case manager",
                             {"colleague_id": "not a case manager of this tenant"})
        share = Share.grant(case, colleague_id, kind, valid_from or uow.today(), valid_until,
                            principal.subject)
        uow.add(share, Notice(recipient_id=colleague_id, kind=f"case_shared_{kind}",
                              case_id=case.id))
        uow.audit("share", "case", case.id, reason=f"{kind} until {valid_until.isoformat()}")
        uow.commit()
        return share.id


def end_share(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID,
              share_id: uuid.UUID) -> None:
    with uow:
        case, access = case_for(uow, principal, case_id, write=True)
        share = uow.share(share_id)
        if share is None or share.case_id != case.id:
            raise NotVisible("no such share")
        if access.how != "own" and share.colleague_id != principal.subject:
            raise Refused("a share is ended by the case manager or by the colleague")
        share.end(clock.now())
        uow.audit("unshare", "case", case.id, reason=share.kind)
        uow.commit()


# -- transfer -------------------------------------------------------------------------------------
def offer_transfer(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID,
                   to_case_manager_id: str | None, to_area_id: str | None, note: str | None,
                   to_tenant_id: str | None = None, service=None) -> uuid.UUID:
    """After a move within the county: the handover package goes to the receiving area's case
    manager, who accepts it. After a move to another county running Lotse
    (``to_tenant_id``): to that tenant's area (service_layer/abroad.py); ``service`` knows
    the peer deployments (federation)."""
    with uow:
        case, access = case_for(uow, principal, case_id, write=True)
        if access.how != "own":
            raise Refused("only the responsible case manager hands her case over")
        if any(t.status == "pending" for t in uow.transfers(case.id)):
            raise Refused("a transfer of this case is pending already")
        if to_tenant_id:
            from . import abroad

            transfer = abroad.offer(uow, principal, case, to_tenant_id, to_area_id, note,
                                    service=service)
            uow.commit()
            return transfer.id
        if not to_case_manager_id:
            raise Incomplete("a transfer names the receiving case manager or tenant",
                             {"to_case_manager_id": "missing"})
        receiver = uow.case_manager(to_case_manager_id)
        if receiver is None or not receiver.active:
            raise Incomplete("the receiving case manager is not known",
                             {"to_case_manager_id": "not an active case manager of this tenant"})
        area = to_area_id or (receiver.areas[0] if receiver.areas else "")
        if not area or (receiver.areas and area not in receiver.areas):
            raise Incomplete("the receiving area is not the receiving case manager's",
                             {"to_area_id": "one of the receiving case manager's areas"})
        transfer = Transfer.offer(case, area, receiver.user_id, receiver.organisation_id,
                                  principal.subject, note)
        uow.add(transfer, Notice(recipient_id=receiver.user_id, kind="transfer_offered",
                                 case_id=case.id, reference=str(transfer.id)))
        uow.audit("transfer.offer", "case", case.id, reason=f"to {receiver.user_id}")
        uow.commit()
        return transfer.id


def accept_transfer(uow: CaseworkUnitOfWork, principal: Principal,
                    transfer_id: uuid.UUID) -> uuid.UUID:
    with uow:
        transfer = uow.transfer(transfer_id, lock=True)
        if transfer is None or transfer.to_case_manager_id != principal.subject:
            raise NotVisible("no such transfer")
        case = uow.case(transfer.case_id, lock=True)
        at = clock.now()
        transfer.accept(case, principal.subject, at, uow.shares(case.id))
        publish(uow, case, ev.CaseTransferred(
            case=facts(case), from_area_id=transfer.from_area_id,
            from_case_manager_id=transfer.from_case_manager_id,
            transferred_on=iso(at.date())))
        uow.add(Notice(recipient_id=transfer.from_case_manager_id, kind="transfer_accepted",
                       case_id=case.id))
        uow.audit("transfer.accept", "case", case.id,
                  reason=f"from {transfer.from_case_manager_id}")
        uow.commit()
        return case.id


def cancel_transfer(uow: CaseworkUnitOfWork, principal: Principal,
                    transfer_id: uuid.UUID) -> None:
    """The sender withdraws her offer while it is pending. An offer to another tenant is
    withdrawn there by casework's consumer of the event written here (ADR 0051)."""
    with uow:
        transfer = uow.transfer(transfer_id, lock=True)
        if transfer is None or transfer.from_case_manager_id != principal.subject:
            raise NotVisible("no such transfer")
        transfer.cancel(principal.subject, clock.now())
        if transfer.to_tenant_id:
            from . import abroad

            abroad.announce_cancel(uow, uow.case(transfer.case_id, lock=True), transfer)
        uow.audit("transfer.cancel", "case", transfer.case_id)
        uow.commit()


def decline_transfer(uow: CaseworkUnitOfWork, principal: Principal,
                     transfer_id: uuid.UUID) -> None:
    with uow:
        transfer = uow.transfer(transfer_id, lock=True)
        if transfer is None or transfer.to_case_manager_id != principal.subject:
            raise NotVisible("no such transfer")
        transfer.decline(principal.subject, clock.now())
        uow.add(Notice(recipient_id=transfer.from_case_manager_id, kind="transfer_declined",
                       case_id=transfer.case_id))
        uow.audit("transfer.decline", "case", transfer.case_id)
        uow.commit()
