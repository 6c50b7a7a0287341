"""The case manager's day and the coordinating office's overview: my day, notices, the caseload
against the guideline. (The candidates for a case reconstruction are steering's, computed from
this service's events: ADR 0094.)

Lists and supervision figures carry ids, dates and counts, no personal data, and are not
audited.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from lotse_platform import clock
from lotse_platform.auth import Principal

from ..domain.caseload import CaseloadAfter, CaseloadLine
from ..domain.child_protection import NOTICE_KIND as CONCERN_NOTICE
from ..domain.commands import MarkNoticeRead
from ..domain.contacts import monitoring_due_on
from ..domain.errors import NotVisible
from .access import caller
from .unit_of_work import CaseworkUnitOfWork

# notices shown flagged in the day: they need her before anything else
FLAGGED_NOTICES = frozenset({CONCERN_NOTICE})
GOALS_DUE_WITHIN_DAYS = 14
CONSENTS_EXPIRING_WITHIN_DAYS = 30


# -- my day ---------------------------------------------------------------------------------------
def my_day(uow: CaseworkUnitOfWork, principal: Principal) -> dict:
    """Overdue steps, monitoring contacts due, goals due within 14 days, consents expiring,
    notices (consent withdrawn, transfers, admissions waiting for consent), today's
    appointments and open consultation hours."""
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
                         "reference": n.reference, "created_at": n.created_at,
                         "flagged": n.kind in FLAGGED_NOTICES}
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
            # the tenant's day; place and company stay in the case file (audited read)
            "appointments": [{"appointment_id": a.id, "case_id": a.case_id, "kind": a.kind,
                              "at": a.at, "duration_minutes": a.duration_minutes,
                              "interpreter_needed": a.interpreter_needed, "status": a.status}
                             for a in uow.appointments_on(ids, day)],
            "consultation_hours": [{"id": h.id, "place": h.place, "starts": h.starts,
                                    "ends": h.ends} for h in uow.consultation_hours()
                                   if h.case_manager_id == principal.subject and h.held_on(day)],
        }


def mark_notice_read(cmd: MarkNoticeRead, uow: CaseworkUnitOfWork) -> None:
    principal = caller(uow)
    with uow:
        notice = uow.notice(cmd.notice_id)
        if notice is None or notice.recipient_id != principal.subject:
            raise NotVisible("no such notice")
        if notice.read_at is None:
            notice.read_at = clock.now()
        uow.commit()


# -- caseload -------------------------------------------------------------------------------------
def caseload(uow: CaseworkUnitOfWork, principal: Principal, *, everyone: bool,
             above_guideline_only: bool = False) -> dict:
    """Open cases per case manager against the guideline for her FTE share; for the
    coordinating office across organisations (``above_guideline_only``: the case managers above
    it, the office's list to act on). Ids and counts only: no personal data."""
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
    if above_guideline_only:  # the organisations' figures stay those of all their staff
        lines = [line for line in lines if line["above_range"]]
    return {"case_managers": lines, "organisations": sorted(organisations.values(),
                                                            key=lambda o: o["organisation_id"])}


def caseload_after(uow: CaseworkUnitOfWork, case_manager_id: str, *,
                   taking: int = 0) -> CaseloadAfter:
    """Her caseload once she takes ``taking`` more cases (an admission about to reach her, a
    transfer offered to her), or as it is now (0: after a step already committed): open cases
    and admissions waiting for their handover, against the guideline for her FTE share."""
    with uow:
        counts = uow.open_case_counts()
        waiting = len(uow.awaiting_for(case_manager_id))
        known = uow.case_manager(case_manager_id)
    open_cases = sum(n for (manager, _), n in counts.items() if manager == case_manager_id)
    return CaseloadAfter.of(case_manager_id, known.fte if known else None,
                            open_cases + waiting + taking)


def child_protection_concerns(uow: CaseworkUnitOfWork) -> list[dict]:
    """The coordinating office's list of concerns for a child's wellbeing seen at contacts,
    with the referral need to the youth office each opened (seed 001 L556); ids and dates."""
    with uow:
        concerns = uow.child_protection_concerns()
        managers = {c.id: c.case_manager_id for c in uow.open_cases()}
        return [{"id": c.id, "case_id": c.case_id, "contact_id": c.contact_id,
                 "case_manager_id": managers.get(c.case_id), "raised_on": c.raised_on,
                 "youth_office_org_id": c.youth_office_org_id,
                 "referral_status": c.referral_status} for c in concerns]
