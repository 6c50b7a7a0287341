"""Commands on the case as a whole: phases, topics, safety flag, closure, deputies and
tandems. Each reads like its rule, writes its audit entry and its event in the same
transaction as the change."""

from __future__ import annotations

import uuid
from datetime import date

from lotse.casework.v1 import events_pb2 as ev
from lotse_platform import clock
from lotse_platform.auth import Principal

from ..domain.errors import Incomplete, NotVisible, Refused
from ..domain.model import Notice, Share
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
