"""The case file (Fallakte) and the case as a whole: what a case manager reads of her cases,
and the commands on the whole case — phase, topics, motto goal and safety flag, closure,
deputies and tandems. Opening a case is :mod:`.admission` (from intake's events); handing it
over is :mod:`.transfers`.

Each command (``domain/commands.py``, run by the message bus with the caller's unit of work:
the actor is ``uow.principal``) reads like its rule and writes its audit entry and its event in the same
transaction as the change. A read of personal data (the case file) writes an audit entry in
its transaction; the list of cases carries no personal data and is not audited.
"""

from __future__ import annotations

import uuid

from lotse.casework.v1 import events_pb2 as ev
from lotse_platform import clock
from lotse_platform.audit.purposes import StatedPurpose
from lotse_platform.auth import Principal
from lotse_platform.references import ORGANISATION, USER, Wanted, check

from ..domain.commands import (
    ChangePhase,
    CloseCase,
    EndShare,
    SetMottoAndRisk,
    SetTopics,
    ShareCase,
)
from ..domain.contacts import effort, write_up_minutes
from ..domain.errors import Incomplete, NotVisible, Refused
from ..domain.model import Case, Notice, Share
from . import consent_check
from .access import audit_read, caller, case_for
from .consent_check import ConsentOwner
from .events import case_facts, closure_reason_code, phase_code, publish, to_iso
from .unit_of_work import CaseworkUnitOfWork


# -- reading --------------------------------------------------------------------------------------
def my_cases(uow: CaseworkUnitOfWork, principal: Principal) -> list[dict]:
    with uow:
        own = [(c, "own") for c in uow.cases_of(principal.subject)]
        shared = [(c, "shared") for c in uow.cases_shared_with(principal.subject, uow.today())]
        return [summary(c, how) for c, how in own + shared]


def summary(case: Case, how: str | None = None) -> dict:
    return {"id": case.id, "phase": case.phase, "area_id": case.area_id,
            "case_manager_id": case.case_manager_id, "opened_on": case.opened_on,
            "topic_areas": case.topic_areas, "legal_areas": case.legal_areas,
            "consent_withdrawn": case.consent_withdrawn_at is not None, "access": how}


def case_file(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID,
              purpose: StatedPurpose | None) -> dict:
    with uow:
        case, access = case_for(uow, principal, case_id, write=False, purpose=purpose)
        plans = uow.help_plans(case.id)
        assessments = uow.assessments(case.id)
        contacts = uow.contacts(case.id)
        document = {
            **summary(case, access.how),
            "intake_id": case.intake_id, "operator_org_id": case.operator_org_id,
            "organisation_id": case.organisation_id, "target_group_ids": case.target_group_ids,
            "motto_goal": case.motto_goal, "primary_topic_area": case.primary_topic_area,
            "risk_flagged": case.risk_flagged, "difficulty": case.difficulty,
            "typical": case.typical, "case_manager_since": case.with_case_manager_since,
            "consent_withdrawn_at": case.consent_withdrawn_at,
            "sharing_stopped": case.sharing_stopped,
            "allowed_transitions": case.allowed_transitions,
            "closed_on": case.closed_on, "closure_reason": case.closure_reason,
            "evaluation": case.evaluation,
            "person": uow.person(case.id),
            "consents": uow.consents(case.id),
            "transitions": uow.transitions(case.id),
            "assessment": assessments[-1] if assessments else None,
            "assessment_versions": len(assessments),
            "goals": uow.goals(case.id),
            "help_plan": plans[-1] if plans else None,
            "help_plan_versions": len(plans),
            "steps": uow.steps(case.id),
            "conferences": uow.conferences(case.id),
            "referrals": uow.case_referrals(case.id),
            "shares": [s for s in uow.shares(case.id) if s.ended_at is None],
            "effort": effort(contacts, uow.conferences(case.id), write_up_minutes(case)),
            "contacts": len(contacts),
        }
        audit_read(uow, "case_file", case, access, purpose)
        uow.commit()
        return document


# -- the case as a whole --------------------------------------------------------------------------
def change_phase(cmd: ChangePhase, uow: CaseworkUnitOfWork) -> None:
    principal, target = caller(uow), cmd.to
    with uow:
        case, _ = case_for(uow, principal, cmd.case_id, write=True)
        if target == "goal_agreement" and case.phase == "assessment" and not uow.assessments(
                case.id):
            raise Refused("record the assessment before the goal agreement")
        if target == "linking" and not uow.help_plans(case.id):
            raise Refused("the goal agreement ends with a help plan: draw one up first")
        before = case.phase
        transition = case.change_phase(target, principal.subject, note=cmd.note)
        uow.add(transition)
        publish(uow, case, ev.PhaseChanged(case=case_facts(case), from_phase=phase_code(before),
                                           to_phase=phase_code(target),
                                           changed_by=principal.subject,
                                           changed_at=to_iso(transition.changed_at)))
        uow.audit("update", "case", case.id, reason=f"phase {before} -> {target}")
        uow.commit()


def set_topics(cmd: SetTopics, uow: CaseworkUnitOfWork) -> None:
    with uow:
        case, _ = case_for(uow, caller(uow), cmd.case_id, write=True)
        case.set_topics(cmd.topic_areas, cmd.legal_areas)
        uow.audit("update", "case", case.id, reason="topic and legal areas")
        uow.commit()


def set_motto_and_risk(cmd: SetMottoAndRisk, uow: CaseworkUnitOfWork) -> None:
    """The client's motto goal (Mottoziel), and the safety flag for home visits."""
    with uow:
        case, _ = case_for(uow, caller(uow), cmd.case_id, write=True)
        case.require_open()
        if cmd.motto_goal is not None:
            case.motto_goal = cmd.motto_goal.strip() or None
        if cmd.risk_flagged is not None:
            case.risk_flagged = cmd.risk_flagged
        if cmd.difficulty is not None:
            case.difficulty = cmd.difficulty
        if cmd.typical is not None:
            case.typical = cmd.typical
        uow.audit("update", "case", case.id, reason="case settings")
        uow.commit()


def close_case(cmd: CloseCase, uow: CaseworkUnitOfWork) -> None:
    principal, reason = caller(uow), cmd.reason
    with uow:
        case, _ = case_for(uow, principal, cmd.case_id, write=True)
        goals = uow.goals(case.id)
        closed_on = uow.today()
        before = case.phase
        transition = case.close(reason, cmd.evaluation, principal.subject, closed_on)
        uow.add(transition)
        for share in uow.shares(case.id):
            share.end(transition.changed_at)
        publish(uow, case, ev.PhaseChanged(case=case_facts(case), from_phase=phase_code(before),
                                           to_phase=phase_code("closed"),
                                           changed_by=principal.subject,
                                           changed_at=to_iso(transition.changed_at)))
        publish(uow, case, ev.CaseClosed(
            case=case_facts(case), reason=closure_reason_code(reason),
            closed_on=to_iso(closed_on), duration_days=case.duration_days(closed_on),
            phases=[phase_code(p) for p in case.phases_visited],
            goals_reached=sum(1 for g in goals if g.status == "reached"),
            goals_total=len(goals)))
        uow.audit("update", "case", case.id, reason=f"closed: {reason}")
        uow.commit()


# -- deputies and tandems -------------------------------------------------------------------------
def share_case(cmd: ShareCase, uow: CaseworkUnitOfWork, consent_owner: ConsentOwner) -> uuid.UUID:
    """A deputy or tandem sees the whole case file: only while intake confirms the person's
    participation at this moment (ADR 0053)."""
    principal = caller(uow)
    colleague_id, kind, valid_until = cmd.colleague_id, cmd.kind, cmd.valid_until
    if cmd.partner_org_id:
        return _share_with_partner_specialist(cmd, uow, consent_owner)
    with uow:
        case, access = case_for(uow, principal, cmd.case_id, write=True)
        if access.how != "own":
            raise Refused("only the responsible case manager shares her case")
        colleague = uow.case_manager(colleague_id)
        if colleague is None or not colleague.active:
            raise Incomplete("the colleague is not a known case manager",
                             {"colleague_id": "not a case manager of this tenant"})
        kept = uow.consents(case.id)
        Share.grant(case, kept, colleague_id, kind, cmd.valid_from or uow.today(), valid_until,
                    principal.subject)  # what the copy refuses is refused without asking intake
        share = Share.grant(case, consent_check.for_handing_on(uow, consent_owner, case, kept),
                            colleague_id, kind, cmd.valid_from or uow.today(), valid_until,
                            principal.subject)
        uow.add(share, Notice(recipient_id=colleague_id, kind=f"case_shared_{kind}",
                              case_id=case.id))
        uow.audit("share", "case", case.id, reason=f"{kind} until {valid_until.isoformat()}")
        uow.commit()
        return share.id


def _share_with_partner_specialist(cmd: ShareCase, uow: CaseworkUnitOfWork,
                                   consent_owner: ConsentOwner) -> uuid.UUID:
    """A tandem with a partner organisation's specialist adviser (seed 000 L201): both
    references checked (ADR 0054), the partner's releases for the topics confirmed with intake
    at this moment (ADR 0053)."""
    principal = caller(uow)
    if cmd.kind != "tandem":
        raise Incomplete("a partner's specialist joins as a tandem",
                         {"kind": "tandem with a partner organisation"})
    with uow:
        case, access = case_for(uow, principal, cmd.case_id, write=True)
        if access.how != "own":
            raise Refused("only the responsible case manager shares her case")
        check(uow.references, [Wanted("colleague_id", USER, cmd.colleague_id),
                               Wanted("partner_org_id", ORGANISATION, cmd.partner_org_id)])
        partner, topics = cmd.partner_org_id or "", list(cmd.topics)
        valid_from, today = cmd.valid_from or uow.today(), uow.today()
        kept = uow.consents(case.id)
        Share.grant_partner_tandem(case, kept, cmd.colleague_id, partner, topics, valid_from,
                                   cmd.valid_until, principal.subject, today)  # refused first
        confirmed = consent_check.for_partners(uow, consent_owner, case, kept, [partner], topics)
        share = Share.grant_partner_tandem(case, confirmed, cmd.colleague_id, partner, topics,
                                           valid_from, cmd.valid_until, principal.subject, today)
        uow.add(share)
        uow.audit("share", "case", case.id,
                  reason=f"tandem with partner {partner} until {cmd.valid_until.isoformat()}")
        uow.commit()
        return share.id


def end_share(cmd: EndShare, uow: CaseworkUnitOfWork) -> None:
    principal = caller(uow)
    with uow:
        case, access = case_for(uow, principal, cmd.case_id, write=True)
        share = uow.share(cmd.share_id)
        if share is None or share.case_id != case.id:
            raise NotVisible("no such share")
        if access.how != "own" and share.colleague_id != principal.subject:
            raise Refused("a share is ended by the case manager or by the colleague")
        share.end(clock.now())
        uow.audit("unshare", "case", case.id, reason=share.kind)
        uow.commit()
