"""The standard reports (issue 12; ADR 0090): their projections, fed by :func:`project` from the
consumer and the rebuild, and the reports read from them — narrowed to what the caller may see
(a case manager her own figures, an organisation's administrator her organisation's, the
coordinating office the county's, a steering member the county's with small cells suppressed),
each read audited."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from lotse.casework.v1 import events_pb2 as casework
from lotse.kim.v1 import vocabulary_pb2 as kim
from lotse.network.v1 import events_pb2 as network
from lotse_platform import clock
from lotse_platform.auth import CASE_MANAGER, COORDINATOR, ORG_ADMIN, STEERING_MEMBER
from lotse_platform.auth.principal import Principal
from lotse_platform.errors import Forbidden
from lotse_platform.references import AREA, ORGANISATION, USER, Wanted, check, organisation_names

from ..domain.projections import SMALL_CELL, suppressed
from ..domain import standard
from ..domain.standard import (STANDARD_PROJECTIONS, CaseReportChange, ContactFacts,
                               DepthDecision, Fact, Filters, PhaseEntry, StaffChange)
from .unit_of_work import ProjectionRows, ReportingUnitOfWork

#: who reads the standard reports
READERS = (COORDINATOR, STEERING_MEMBER, ORG_ADMIN, CASE_MANAGER)


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
    if "monthly_facts" in names:
        day = clock.day_of(occurred_at, uow.tenant_id)
        for fact in facts_of(event_type, event, event_id, day):
            uow.put_fact(standard.keep_fact(uow.fact(fact.fact_id), fact))


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


# -- reading -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Asked:
    """The filters as the caller gave them (ids unchecked yet)."""

    date_from: date | None = None
    date_to: date | None = None
    area_id: str | None = None
    organisation_id: str | None = None
    case_manager_id: str | None = None
    target_group_id: str | None = None


def exact_for(principal: Principal) -> bool:
    """Exact counts for everyone but a steering member (who sees "<5" for 1 to 4) — also one
    who holds another role: her county-wide view is the steering group's (:func:`_scope`)."""
    return principal.has_any_role(COORDINATOR) or not principal.has_any_role(STEERING_MEMBER)


def _scope(principal: Principal, asked: Asked) -> tuple[str | None, str | None]:
    """(organisation, case manager) the caller is held to: the county's roles see what they ask;
    an organisation's administrator her organisation; a case manager herself."""
    organisation, person = asked.organisation_id, asked.case_manager_id
    if principal.has_any_role(COORDINATOR, STEERING_MEMBER):
        return organisation, person
    if principal.has_any_role(ORG_ADMIN):
        if organisation not in (None, principal.organisation):
            raise Forbidden("An organisation's administrator reads her organisation's figures "
                            "only.", errors=[{"field": "organisation_id",
                                              "message": "not your organisation"}])
        return principal.organisation, person
    if person not in (None, principal.subject):
        raise Forbidden("A case manager reads her own figures only.",
                        errors=[{"field": "case_manager_id", "message": "not you"}])
    return organisation, principal.subject


def _filters(uow: ReportingUnitOfWork, principal: Principal, asked: Asked) -> Filters:
    check(uow.references, [Wanted("area_id", AREA, asked.area_id),
                           Wanted("organisation_id", ORGANISATION, asked.organisation_id),
                           Wanted("case_manager_id", USER, asked.case_manager_id)])
    organisation, person = _scope(principal, asked)
    people: frozenset[str] | None = None
    if organisation is not None:
        staff = {row.user_id: row.organisation_id for row in uow.staff_rows()}
        people = frozenset(user for user, org in staff.items() if org == organisation)
    if person is not None:
        people = frozenset({person}) if people is None else people & {person}
    return Filters(asked.date_from, asked.date_to, asked.area_id, people, asked.target_group_id)


def _read(uow: ReportingUnitOfWork, principal: Principal, asked: Asked, reason: str,
          build: Callable[[Filters], list[dict[str, Any]]]) -> tuple[list[dict[str, Any]], bool]:
    exact = exact_for(principal)
    with uow:
        rows = build(_filters(uow, principal, asked))
        uow.audit("read", "report", reason=reason)
        uow.commit()
    return rows, exact


def hide_small(rows: list[dict[str, Any]], exact: bool,
               fields: tuple[str, ...] = ("count",)) -> list[dict[str, Any]]:
    """The rows as a caller may see them: counts from 1 to 4 as ``"<5"`` unless ``exact``
    (:func:`~lotse_reporting.domain.projections.suppressed`)."""
    shown = []
    for row in rows:
        row = dict(row)
        for name in fields:
            value = row.get(name)
            if isinstance(value, int) and not isinstance(value, bool):
                row[name] = suppressed(value, exact)
        shown.append(row)
    return shown


def _named(uow: ReportingUnitOfWork, rows: list[dict[str, Any]], field: str,
           name_field: str) -> None:
    names = organisation_names(uow.references, {row[field] for row in rows})
    for row in rows:
        row[name_field] = names.get(row[field]) if row[field] else None


def screening_outcomes(uow: ReportingUnitOfWork, principal: Principal, asked: Asked,
                       access_path: str | None = None) -> dict[str, Any]:
    """The Mettmann screening table (004 L75): per access path, referral targets, KIM case
    management, no need."""
    def build(filters: Filters) -> list[dict[str, Any]]:
        found = standard.screening_outcomes(uow.intake_report_rows(), filters, access_path)
        _named(uow, found, "referral_org_id", "referral_org_name")
        return found

    rows, exact = _read(uow, principal, asked, "screening_outcomes", build)
    totals: dict[str, int] = {}
    for row in rows:
        totals[row["access_path"]] = totals.get(row["access_path"], 0) + row["count"]
    return {"suppressed": not exact, "rows": hide_small(rows, exact),
            "totals": hide_small([{"access_path": p, "count": n}
                                           for p, n in sorted(totals.items())], exact)}


def primary_goal_areas(uow: ReportingUnitOfWork, principal: Principal,
                       asked: Asked) -> dict[str, Any]:
    """The Hilden table (004 L134): people in case management by primary goal topic area, and
    per case manager by target group (004 L140)."""
    by_manager: list[dict[str, Any]] = []

    def build(filters: Filters) -> list[dict[str, Any]]:
        cases = uow.case_report_rows()
        by_manager.extend(standard.case_manager_target_groups(cases, filters))
        return standard.primary_goal_areas(cases, filters)

    rows, exact = _read(uow, principal, asked, "primary_goal_areas", build)
    total = sum(int(row["count"]) for row in rows)
    return {"suppressed": not exact, "rows": hide_small(rows, exact),
            "total": hide_small([{"count": total}], exact)[0]["count"],
            "by_case_manager": hide_small(by_manager, exact)}


def caseload(uow: ReportingUnitOfWork, principal: Principal, asked: Asked) -> dict[str, Any]:
    """Cases per case manager against the guideline for her FTE share (DOMAIN.md §1)."""
    def build(filters: Filters) -> list[dict[str, Any]]:
        staff = {row.user_id: row for row in uow.staff_rows()}
        return standard.caseload(uow.case_report_rows(), staff, filters)

    rows, exact = _read(uow, principal, asked, "caseload", build)
    return {"suppressed": not exact, "rows": hide_small(rows, exact, ("cases",))}


def effort_by_phase(uow: ReportingUnitOfWork, principal: Principal,
                    asked: Asked) -> dict[str, Any]:
    """Contacts and effort per phase against the guideline (DOMAIN.md §5)."""
    def build(filters: Filters) -> list[dict[str, Any]]:
        return standard.effort_by_phase(uow.facts("contacts"), filters)

    rows, exact = _read(uow, principal, asked, "effort_by_phase", build)
    counted = ("cases", "contacts", "appointments", "cases_beyond")
    if not exact:  # minutes behind a small cell would tell what the cell hides
        for row in rows:
            if 0 < int(row["cases"]) < SMALL_CELL:
                row["minutes"] = None
    return {"suppressed": not exact, "rows": hide_small(rows, exact, counted)}


def referral_rates(uow: ReportingUnitOfWork, principal: Principal,
                   asked: Asked) -> dict[str, Any]:
    """Referrals per partner, kind and topic area with the acceptance and arrival rates."""
    def build(filters: Filters) -> list[dict[str, Any]]:
        found = standard.referral_rates(uow.facts("referrals"), filters)
        _named(uow, found, "partner_org_id", "partner_name")
        return found

    rows, exact = _read(uow, principal, asked, "referral_rates", build)
    if not exact:  # a rate behind fewer than 5 referrals would tell what a small cell hides
        for row in rows:
            if int(row["sent"]) < SMALL_CELL:
                row["acceptance_rate"] = row["arrival_rate"] = None
    return {"suppressed": not exact,
            "rows": hide_small(rows, exact, ("sent", "accepted", "arrived"))}


def time_series(uow: ReportingUnitOfWork, principal: Principal, asked: Asked,
                figure: str) -> dict[str, Any]:
    """A monthly series of one figure (:data:`~lotse_reporting.domain.standard.FIGURES`)."""
    def build(filters: Filters) -> list[dict[str, Any]]:
        if figure == "phase_durations":
            cases = {row.case_id: row for row in uow.case_report_rows()}
            facts = standard.phase_duration_facts(uow.phase_entries(), cases)
        else:
            facts = uow.facts(figure)
        return standard.time_series(facts, figure, filters)

    rows, exact = _read(uow, principal, asked, f"time_series:{figure}", build)
    if not exact:  # a sum behind a small cell would tell what the cell hides
        for row in rows:
            if 0 < int(row["count"]) < SMALL_CELL:
                row["value"] = None
    return {"figure": figure, "suppressed": not exact, "rows": hide_small(rows, exact)}
