"""The standard reports (issue 12; ADR 0090): their projections, fed by :func:`project` from the
consumer and the rebuild. The reports read from them, narrowed to what the caller may see and
published through the suppression (ADR 0091), are :mod:`.standard_reports` (re-exported here)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date, datetime
from typing import Any

from lotse.casework.v1 import events_pb2 as casework
from lotse.kim.v1 import vocabulary_pb2 as kim
from lotse.network.v1 import events_pb2 as network
from lotse_platform import clock

from ..domain import standard
from ..domain.referral_rates import ReferralStep, apply_referral_step
from ..domain.standard import (STANDARD_PROJECTIONS, CaseReportChange, ContactFacts,
                               DepthDecision, Fact, PhaseEntry, StaffChange)
from .standard_reports import (READERS, Asked, caseload, effort_by_phase, exact_for,
                               primary_goal_areas, referral_rates, screening_outcomes,
                               time_series)
from .unit_of_work import ProjectionRows

#: the reading side, where it was before it moved to :mod:`.standard_reports`
__all__ = ["READERS", "Asked", "caseload", "effort_by_phase", "exact_for", "facts_of",
           "primary_goal_areas", "project", "referral_rates", "screening_outcomes",
           "time_series"]


# -- codes of the contracts' enums ---------------------------------------------------------------
def _code(enum: Any, prefix: str, value: int) -> str:
    return str(enum.Name(value)).removeprefix(prefix).lower() if value else ""


def _topic(value: int) -> str:
    return _code(kim.TopicArea, "TOPIC_AREA_", value)


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


PHASES = {value: name.removeprefix("PHASE_").lower() for name, value in casework.Phase.items()}

CASE_PHASES: dict[str, Callable[[Any], str | None]] = {
    "casework.case.opened.v1": lambda _e: "intake",
    "casework.case.phase_changed.v1": lambda e: PHASES.get(e.to_phase) or None,
    "casework.case.closed.v1": lambda _e: "closed",
    "casework.case.transferred.v1": lambda e: "transferred" if e.to_tenant_id else None,
}


# -- projecting ----------------------------------------------------------------------------------
def project(uow: ProjectionRows, event_type: str, event: Any, *, event_id: str,
            sequence: int | None, occurred_at: datetime,
            names: Collection[str] = tuple(STANDARD_PROJECTIONS)) -> None:
    """Apply one event to the standard reports' projections ``names`` (those it concerns)."""
    if "intake_outcomes" in names:
        _intake(uow, event_type, event)
    if "case_reports" in names and event_type.startswith("casework.") and hasattr(event, "case"):
        _case(uow, event_type, event, sequence)
    if "phase_entries" in names and event_type in CASE_PHASES and event.case.case_id:
        _phase_entry(uow, event_type, event, sequence, occurred_at)
    if "staffing" in names and event_type.startswith("identity.user."):
        _staff(uow, event_type, event)
    if "monthly_facts" in names or "referral_rates" in names:
        day = clock.day_of(occurred_at, uow.tenant_id)
        if "monthly_facts" in names:
            for fact in facts_of(event_type, event, event_id, day):
                uow.put_fact(standard.keep_fact(uow.fact(fact.fact_id), fact))
        if "referral_rates" in names and event_type in REFERRAL_STATES:
            step = referral_step(event_type, event, event_id, day)
            uow.put_referral_rate_row(apply_referral_step(
                uow.referral_rate_row(step.referral_id), step))


def _intake(uow: ProjectionRows, event_type: str, event: Any) -> None:
    if event_type == "intake.contact.recorded.v1" and event.intake_id:
        contact = ContactFacts(event.intake_id, event.area_id,
                               _code(kim.AccessPath, "ACCESS_PATH_", event.access_path),
                               _date(event.contact_date), event.recorded_by)
        uow.put_intake_report_row(standard.apply_contact(uow.intake_report_row(event.intake_id),
                                                         contact))
    elif event_type == "intake.counselling_depth.decided.v1" and event.intake_id:
        decision = DepthDecision(event.intake_id, event.area_id,
                                 _code(kim.CounsellingDepth, "COUNSELLING_DEPTH_", event.depth),
                                 event.revision or 1, event.referral_org_id, event.decided_by,
                                 _date(event.decided_on), tuple(event.target_group_ids))
        uow.put_intake_report_row(standard.apply_decision(
            uow.intake_report_row(event.intake_id), decision))


def _case(uow: ProjectionRows, event_type: str, event: Any, sequence: int | None) -> None:
    facts = event.case
    if not facts.case_id:
        return
    phase = CASE_PHASES[event_type](event) if event_type in CASE_PHASES else None
    change = CaseReportChange(facts.case_id, facts.area_id, facts.case_manager_id,
                              tuple(facts.target_group_ids), _topic(facts.primary_topic_area),
                              _date(facts.opened_on), phase, sequence,
                              closed_on=_date(event.closed_on)
                              if event_type == "casework.case.closed.v1" else None)
    uow.put_case_report_row(standard.apply_case_report(uow.case_report_row(facts.case_id),
                                                       change))


def _phase_entry(uow: ProjectionRows, event_type: str, event: Any, sequence: int | None,
                 occurred_at: datetime) -> None:
    """The phase the event says the case entered, on its own day (the day it happened, in the
    tenant's time zone, where it says none)."""
    phase = CASE_PHASES[event_type](event)
    if phase is None or sequence is None:  # without casework's order no duration is sound
        return
    own = {"casework.case.opened.v1": lambda e: e.case.opened_on,
           "casework.case.phase_changed.v1": lambda e: e.changed_at,
           "casework.case.closed.v1": lambda e: e.closed_on,
           "casework.case.transferred.v1": lambda e: e.transferred_on}[event_type](event)
    day = _day(own, uow) or clock.day_of(occurred_at, uow.tenant_id)
    uow.put_phase_entry(PhaseEntry(event.case.case_id, sequence, phase, day))


def _day(text: str, uow: ProjectionRows) -> date | None:
    """An ISO date, or the local day of an ISO timestamp (None: neither)."""
    if len(text) > 10:
        try:
            instant = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
        return clock.day_of(instant, uow.tenant_id) if instant.tzinfo else instant.date()
    return _date(text)


def _staff(uow: ProjectionRows, event_type: str, event: Any) -> None:
    if not getattr(event, "user_id", ""):
        return
    kind = event_type.removeprefix("identity.user.").removesuffix(".v1")
    change: StaffChange | None = None
    if kind == "created":
        change = StaffChange(event.user_id, event.version, event.organisation_id,
                             event.fte if event.HasField("fte") else None, True,
                             tuple(event.roles))
    elif kind == "staffing_changed":
        change = StaffChange(event.user_id, event.version, None,
                             event.fte if event.HasField("fte") else None, True)
    elif kind == "membership_changed":
        change = StaffChange(event.user_id, event.version, event.organisation_id)
    elif kind == "roles_changed":
        change = StaffChange(event.user_id, event.version, roles=tuple(event.roles))
    if change is not None:
        uow.put_staff_row(standard.apply_staff(uow.staff_row(event.user_id), change))


#: contacts that are an appointment (Termin) in the effort guideline (DOMAIN.md §5)
APPOINTMENT_TYPES = frozenset({casework.CONTACT_TYPE_APPOINTMENT, casework.CONTACT_TYPE_ACCOMPANIMENT,
                               casework.CONTACT_TYPE_HOME_VISIT, casework.CONTACT_TYPE_VIDEO_CALL})

REFERRAL_STATES = {"network.referral.sent.v1": "sent",
                   "network.referral.accepted.v1": "accepted",
                   "network.referral.arrived.v1": "arrived"}


def facts_of(event_type: str, event: Any, event_id: str, day: date) -> list[Fact]:
    """The monthly facts one event gives (most give none). The month: the event's own date where
    it has one, else the day it happened in the tenant's time zone."""

    def fact(figure: str, key: str, own_date: str = "", *, fact_id: str = event_id,
             detail: str = "", area: str = "", person: str = "",
             groups: tuple[str, ...] = (), value: int = 0, rank: int = 0,
             subject: str = "") -> Fact:
        month = standard.month_of(_date(own_date) or day)
        return Fact(fact_id, figure, month, key, detail, area, person, groups, value, rank,
                    subject)

    if event_type == "intake.contact.recorded.v1":
        return [fact("access_paths", _code(kim.AccessPath, "ACCESS_PATH_", event.access_path),
                     event.contact_date, area=event.area_id, person=event.recorded_by)]
    if event_type == "intake.counselling_depth.decided.v1":
        # one decision per intake: a revision replaces the one it revises
        return [fact("counselling_depths",
                     _code(kim.CounsellingDepth, "COUNSELLING_DEPTH_", event.depth),
                     event.decided_on, fact_id=f"depth:{event.intake_id}",
                     detail=event.referral_org_id, area=event.area_id, person=event.decided_by,
                     groups=tuple(event.target_group_ids), rank=event.revision or 1)]
    if event_type == "intake.case.admitted.v1":
        groups = tuple(event.target_group_ids)
        return [fact("admissions", group, event.admitted_on, fact_id=f"{event_id}:{group}",
                     area=event.area_id, person=event.case_manager_id, groups=groups)
                for group in groups or ("",)]
    if event_type.startswith("casework.") and hasattr(event, "case"):
        return _casework_facts(event_type, event, fact)
    if event_type in REFERRAL_STATES:
        # every state in the month the referral was sent: the rates of that month's referrals
        facts = event.referral
        mode = _code(network.ReferralMode, "REFERRAL_MODE_", facts.mode) or "unspecified"
        return [fact("referrals", facts.partner_org_id, facts.sent_on,
                     detail=f"{_topic(facts.topic_area) or 'unspecified'}/{mode}/"
                            f"{REFERRAL_STATES[event_type]}",
                     person=facts.case_manager_id, subject=facts.referral_id)]
    return []


def referral_step(event_type: str, event: Any, event_id: str, day: date) -> ReferralStep:
    """What a referral event that gives a ``referrals`` fact (:func:`facts_of`) says of its
    referral for the referral rates: the same partner, topic area, kind, month and case manager
    as its fact. A referral is known by its id (an event without one is a referral of its
    own, as its fact is counted alone)."""
    facts = event.referral
    return ReferralStep(
        facts.referral_id or event_id, REFERRAL_STATES[event_type], facts.partner_org_id,
        _code(network.ReferralMode, "REFERRAL_MODE_", facts.mode) or "unspecified",
        _topic(facts.topic_area) or "unspecified",
        standard.month_of(_date(facts.sent_on) or day), facts.case_manager_id)


def _casework_facts(event_type: str, event: Any, fact: Callable[..., Fact]) -> list[Fact]:
    case = event.case
    common = {"area": case.area_id, "person": case.case_manager_id,
              "groups": tuple(case.target_group_ids)}
    if event_type == "casework.goal.set.v1":
        return [fact("goals_set", _topic(event.topic_area), **common)]
    if event_type == "casework.goal.reached.v1":
        return [fact("goals_reached", _topic(event.topic_area), **common)]
    if event_type == "casework.contact.recorded.v1":
        kind = ("appointment" if event.type in APPOINTMENT_TYPES else "other")
        return [fact("contacts", PHASES.get(event.phase, "") if event.phase else "",
                     event.contact_on, detail=kind, value=event.duration_minutes,
                     subject=case.case_id, **common)]
    if event_type == "casework.case.closed.v1":
        return [fact("closures", _code(casework.ClosureReason, "CLOSURE_REASON_", event.reason),
                     event.closed_on, value=event.duration_days, **common)]
    if event_type == "casework.case.transferred.v1":
        return [fact("transfers", "other_county" if event.to_tenant_id else "within_county",
                     event.transferred_on, **common)]
    return []
