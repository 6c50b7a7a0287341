"""What case managers and the coordinating office read: the case file, my day, the caseload.

Reads of personal data (the case file, assessments, contacts, a transfer's handover package)
write an audit entry in the same transaction; lists and supervision figures carry no personal
data and are not audited.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import timedelta

from lotse_platform import clock
from lotse_platform.auth import Principal

from ..domain.caseload import CaseloadLine, reconstruction_candidate
from ..domain.contacts import effort, monitoring_due_on
from ..domain.errors import Incomplete, NotVisible
from ..domain.model import CaseManager
from ..domain.phases import allowed_transitions
from .access import case_for, read_reason
from .unit_of_work import CaseworkUnitOfWork

GOALS_DUE_WITHIN_DAYS = 14
CONSENTS_EXPIRING_WITHIN_DAYS = 30


def my_cases(uow: CaseworkUnitOfWork, principal: Principal) -> list[dict]:
    with uow:
        own = [(c, "own") for c in uow.cases_of(principal.subject)]
        shared = [(c, "shared") for c in uow.cases_shared_with(principal.subject, uow.today())]
        return [summary(c, how) for c, how in own + shared]


def summary(case, how: str | None = None) -> dict:
    return {"id": case.id, "phase": case.phase, "area_id": case.area_id,
            "case_manager_id": case.case_manager_id, "opened_on": case.opened_on,
            "topic_areas": case.topic_areas, "legal_areas": case.legal_areas,
            "consent_withdrawn": case.consent_withdrawn_at is not None, "access": how}


def case_file(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID,
              purpose: str | None) -> dict:
    with uow:
        case, access = case_for(uow, principal, case_id, write=False, purpose=purpose)
        plans = uow.help_plans(case.id)
        assessments = uow.assessments(case.id)
        contacts = uow.contacts(case.id)
        document = {
            **summary(case, access.how),
            "intake_id": case.intake_id, "operator_org_id": case.operator_org_id,
            "organisation_id": case.organisation_id, "target_group_ids": case.target_group_ids,
            "motto_goal": case.motto_goal, "risk_flagged": case.risk_flagged,
            "consent_withdrawn_at": case.consent_withdrawn_at,
            "sharing_stopped": case.sharing_stopped,
            "allowed_transitions": allowed_transitions(case.phase),
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
            "shares": [s for s in uow.shares(case.id) if s.ended_at is None],
            "effort": effort(contacts),
            "contacts": len(contacts),
        }
        uow.audit("read", "case_file", case.id, reason=read_reason(access, purpose))
        uow.commit()
        return document


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


# -- my day ---------------------------------------------------------------------------------------
def my_day(uow: CaseworkUnitOfWork, principal: Principal) -> dict:
    """Overdue steps, monitoring contacts due, goals due within 14 days, consents expiring,
    notices (consent withdrawn, transfers, admissions waiting for consent)."""
    day = uow.today()
    with uow:
        cases = uow.cases_of(principal.subject) + uow.cases_shared_with(principal.subject, day)
        ids = [c.id for c in cases]
        by_id = {c.id: c for c in cases}
        steps = [s for s in uow.steps_of_cases(ids) if s.overdue_on(day)]
        goals = [g for g in uow.goals_of_cases(ids) if g.status == "open"
                 and g.due_on <= day + timedelta(days=GOALS_DUE_WITHIN_DAYS)]
        last_contacts = uow.last_contact_dates(ids)
        latest_plan: dict = {}
        for plan in uow.help_plans_of_cases(ids):
            if plan.case_id not in latest_plan or plan.version > latest_plan[plan.case_id].version:
                latest_plan[plan.case_id] = plan
        monitoring = []
        for case in cases:
            plan = latest_plan.get(case.id)
            if case.phase != "monitoring" or plan is None:
                continue
            due = monitoring_due_on(last_contacts.get(case.id), plan.created_at.date(),
                                    plan.monitoring_every_days)
            if due <= day:
                monitoring.append({"case_id": case.id, "due_on": due,
                                   "last_contact_on": last_contacts.get(case.id),
                                   "contact_types": plan.monitoring_contact_types})
        consents = [c for c in uow.consents_of_cases(ids)
                    if c.withdrawn_on is None and c.valid_until is not None
                    and day <= c.valid_until <= day + timedelta(days=CONSENTS_EXPIRING_WITHIN_DAYS)]
        return {
            "date": day,
            "overdue_steps": [{"case_id": s.case_id, "step_id": s.id, "goal_id": s.goal_id,
                               "due_on": s.due_on, "responsible": s.responsible} for s in steps],
            "monitoring_due": monitoring,
            "goals_due": [{"case_id": g.case_id, "goal_id": g.id, "due_on": g.due_on,
                           "topic_area": g.topic_area} for g in goals],
            "consents_expiring": [{"case_id": c.case_id, "consent_id": c.consent_id,
                                   "kind": c.kind, "partner_org_id": c.partner_org_id,
                                   "valid_until": c.valid_until} for c in consents],
            "notices": [{"id": n.id, "kind": n.kind, "case_id": n.case_id,
                         "reference": n.reference, "created_at": n.created_at}
                        for n in uow.notices(principal.subject)],
            "waiting_for_handover_consent": [
                {"intake_id": a.intake_id, "operator_org_id": a.operator_org_id,
                 "since": a.since, "area_id": a.area_id} for a in uow.awaiting_for(principal.subject)],
            "incoming_transfers": [{"transfer_id": t.id, "case_id": t.case_id,
                                    "from_case_manager_id": t.from_case_manager_id,
                                    "requested_at": t.requested_at}
                                   for t in uow.incoming_transfers(principal.subject)]
            + [{"transfer_id": t.id, "from_tenant_id": t.from_tenant_id,
                "to_area_id": t.to_area_id, "requested_at": t.offered_at}
               for t in uow.inbound_for_areas(principal.areas)],
            "open_cases": len([c for c in cases if by_id[c.id].is_open]),
        }


def mark_notice_read(uow: CaseworkUnitOfWork, principal: Principal, notice_id: uuid.UUID) -> None:
    with uow:
        notice = uow.notice(notice_id)
        if notice is None or notice.recipient_id != principal.subject:
            raise NotVisible("no such notice")
        if notice.read_at is None:
            notice.read_at = clock.now()
        uow.commit()


# -- caseload -------------------------------------------------------------------------------------
def caseload(uow: CaseworkUnitOfWork, principal: Principal, *, everyone: bool) -> dict:
    """Open cases per case manager against the guideline for her FTE share; for the
    coordinating office across organisations. Ids and counts only: no personal data."""
    with uow:
        counts = uow.open_case_counts()
        managers = {m.user_id: m for m in uow.case_managers()}
    per_manager: Counter = Counter()
    organisation_of: dict[str, str] = {}
    for (manager, organisation), n in counts.items():
        per_manager[manager] += n
        organisation_of.setdefault(manager, organisation)
    ids = set(per_manager) | {m for m, cm in managers.items() if cm.active}
    if not everyone:
        ids = {principal.subject}
    lines = []
    for manager in sorted(ids):
        known = managers.get(manager)
        line = CaseloadLine.of(manager, known.organisation_id if known else
                               organisation_of.get(manager, ""), known.fte if known else None,
                               per_manager.get(manager, 0))
        lines.append({"case_manager_id": line.case_manager_id,
                      "organisation_id": line.organisation_id, "fte": line.fte,
                      "open_cases": line.open_cases, "norm_low": line.norm_low,
                      "norm_high": line.norm_high, "above_range": line.above_range,
                      "below_range": line.below_range})
    organisations: dict[str, dict] = {}
    for line in lines:
        org = organisations.setdefault(line["organisation_id"], {
            "organisation_id": line["organisation_id"], "case_managers": 0, "fte": 0.0,
            "open_cases": 0, "above_range": 0})
        org["case_managers"] += 1
        org["fte"] = round(org["fte"] + (line["fte"] or 0), 2)
        org["open_cases"] += line["open_cases"]
        org["above_range"] += int(line["above_range"])
    return {"case_managers": lines, "organisations": sorted(organisations.values(),
                                                            key=lambda o: o["organisation_id"])}


def reconstruction_candidates(uow: CaseworkUnitOfWork) -> list[dict]:
    """Open cases that fit the criteria of a case reconstruction; ids and facts only."""
    day = uow.today()
    with uow:
        cases = uow.open_cases()
    return [{"case_id": c.id, "case_manager_id": c.case_manager_id, "area_id": c.area_id,
             "phase": c.phase, "weeks_open": (day - c.opened_on).days // 7,
             "topic_areas": c.topic_areas, "legal_areas": c.legal_areas}
            for c in cases
            if reconstruction_candidate(c.opened_on, day, c.topic_areas, c.legal_areas)]


def put_case_manager(uow: CaseworkUnitOfWork, user_id: str, organisation_id: str, fte: float,
                     areas: list[str], active: bool) -> CaseManager:
    if not 0 < fte <= 1:
        raise Incomplete("an FTE share is above 0 and at most 1", {"fte": "0 < fte <= 1"})
    with uow:
        manager = uow.case_manager(user_id)
        if manager is None:
            manager = CaseManager(user_id=user_id, organisation_id=organisation_id, fte=fte)
            uow.add(manager)
        manager.organisation_id, manager.fte, manager.areas = organisation_id, fte, list(areas)
        manager.roles = sorted({*manager.roles, "case_manager"})
        manager.enabled = active
        manager.refresh_active()
        uow.audit("update", "case_manager", user_id)
        uow.commit()
        return manager
