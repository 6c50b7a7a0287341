"""The case managers' 2-week reports (issue 12, "2-week reports"; seed 001 L355; ADR 0089).

- :func:`project`: the events → the two projections (counts per case manager, period and
  figure; the cases' steps), called by :func:`.projections.project` for every stored event.
- A case manager reads her report of a period (figures pre-filled from the projections), saves
  her corrections (each with a note), topics and minutes, and submits it once: then it is
  read-only, its figures frozen, ``reporting.period_report.submitted.v1`` published and for each
  topic flagged as a candidate for a generative theme ``reporting.theme_candidate.flagged.v1``
  (ids and codes; the steering group reads the text through :func:`theme_candidates`).
- The coordinating office sees who submitted and who is overdue, reads each report and compiles
  the county's period report (JSON and PDF).

Free text (notes, topics) is the case manager's words on her work and on structural problems:
it goes into no event, no log, no audit text.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from lotse.casework.v1 import events_pb2 as casework
from lotse.intake.v1 import events_pb2 as intake
from lotse.reporting.v1 import events_pb2 as reporting
from lotse_platform import clock
from lotse_platform.auth.principal import Principal
from lotse_platform.documents import Document, Heading, KeyValues, Paragraph, Table
from lotse_platform.documents.pdf import render_pdf
from lotse_platform.errors import Conflict, NotFound, ProblemError, Unprocessable

from ..domain.periods import (FIGURES, LABELS, AlreadySubmitted, CaseStep, Correction, Count,
                              InvalidPeriod, Period, PeriodNotStarted, PeriodReport, Topic,
                              compile_county, counted, day_of, open_cases_at, status)
from .unit_of_work import ProjectionRows, ReportingUnitOfWork

PERIOD_PROJECTIONS = ("period_figures", "period_case_steps")


class PreconditionFailed(ProblemError):
    """412: ``If-Match`` names another version of the report than the current one."""

    status, title, type_suffix = 412, "Precondition Failed", "precondition-failed"


class ReportSubmitted(Conflict):
    type_suffix = "period-report-submitted"


# -- the projections -----------------------------------------------------------------------------

def _name(enum: Any, value: int, prefix: str) -> str:
    return str(enum.Name(value)).removeprefix(prefix).lower()


def _anonymous(event: Any) -> list[Count]:
    if event.kind == intake.AnonymousContactRecorded.KIND_SHORT_QUERY:
        figures = {"short_queries": 1, "short_query_people": event.people,
                   "short_query_minutes": event.duration_minutes}
    elif event.kind == intake.AnonymousContactRecorded.KIND_INFORMATION_EVENT:
        figures = {"information_events": 1, "information_event_people": event.people}
    else:
        return []
    return counted(event.recorded_by, day_of(event.held_on), figures)


def _contact(event: Any) -> list[Count]:
    if not event.type:
        return []
    kind = _name(casework.ContactType, event.type, "CONTACT_TYPE_")
    return counted(event.case.case_manager_id, day_of(event.contact_on), {f"contacts.{kind}": 1})


def _closed(event: Any) -> list[Count]:
    if not event.reason:
        return []
    reason = _name(casework.ClosureReason, event.reason, "CLOSURE_REASON_")
    return counted(event.case.case_manager_id, day_of(event.closed_on), {f"closures.{reason}": 1})


def _referral(outcome: str, day: Callable[[Any], str]) -> Callable[[Any], list[Count]]:
    return lambda event: counted(event.referral.case_manager_id, day_of(day(event)),
                                 {f"referrals.{outcome}": 1})


#: event type → the counts it adds (who did it, on which day)
COUNTED: dict[str, Callable[[Any], list[Count]]] = {
    "intake.contact.recorded.v1": lambda e: counted(e.recorded_by, day_of(e.contact_date),
                                                    {"first_contacts": 1}),
    "intake.case.admitted.v1": lambda e: counted(e.case_manager_id, day_of(e.admitted_on),
                                                 {"admissions": 1}),
    "intake.anonymous_contact.recorded.v1": _anonymous,
    "casework.contact.recorded.v1": _contact,
    "casework.goal.reached.v1": lambda e: counted(e.case.case_manager_id, day_of(e.reached_on),
                                                  {"goals_reached": 1}),
    "casework.case.closed.v1": _closed,
    "network.referral.sent.v1": _referral("sent", lambda e: e.referral.sent_on),
    "network.referral.accepted.v1": _referral("accepted", lambda e: e.accepted_on),
    "network.referral.declined.v1": _referral("declined", lambda e: e.declined_on),
    "network.referral.arrived.v1": _referral("arrived", lambda e: e.arrived_on),
    "network.referral.not_arrived.v1": _referral("not_arrived", lambda e: e.recorded_on),
    "network.referral.completed.v1": _referral("completed", lambda e: e.completed_on),
    "network.referral.cancelled.v1": _referral("cancelled", lambda e: e.cancelled_on),
}

_PHASES = {value: name.removeprefix("PHASE_").lower() for name, value in casework.Phase.items()}

#: casework event type → (its day, the phase it says or None)
STEPS: dict[str, Callable[[Any], tuple[str, str | None]]] = {
    "casework.case.opened.v1": lambda e: (e.case.opened_on, "intake"),
    "casework.case.phase_changed.v1": lambda e: (e.changed_at, _PHASES.get(e.to_phase) or None),
    "casework.case.closed.v1": lambda e: (e.closed_on, "closed"),
    "casework.case.transferred.v1": lambda e: (e.transferred_on,
                                               "transferred" if e.to_tenant_id else None),
}


def _local_day(value: str, tenant: Any) -> date | None:
    """An event's date, or its timestamp's calendar day in the tenant's time zone."""
    if "T" in value:
        try:
            instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        if instant.tzinfo is not None:
            return clock.day_of(instant, tenant)
    return day_of(value)


def project(uow: ProjectionRows, event_type: str, event: Any, sequence: int | None,
            names: tuple[str, ...] | list[str] | Any) -> None:
    """Apply one stored event to the 2-week reports' projections among ``names``."""
    if event_type in COUNTED and "period_figures" in names:
        counts = COUNTED[event_type](event)
        if counts:
            uow.add_period_counts(counts)
    if event_type in STEPS and "period_case_steps" in names:
        when, phase = STEPS[event_type](event)
        day = _local_day(when, uow.tenant_id)
        if event.case.case_id and event.case.case_manager_id and day is not None:
            uow.add_case_step(CaseStep(event.case.case_id, day, event.case.case_manager_id,
                                       phase, sequence or 0))


# -- reading and writing a report ----------------------------------------------------------------

def period_of(label: str) -> Period:
    """The period named ``label``; 422 naming the field ``period`` otherwise."""
    try:
        return Period.parse(label)
    except InvalidPeriod as error:
        raise Unprocessable("not a period", errors=[{"field": "period",
                                                     "message": str(error)}]) from None


def prefilled(uow: ReportingUnitOfWork, case_manager_id: str, period: Period) -> dict[str, int]:
    """Every figure of the period as the events say."""
    counts = uow.period_counts(case_manager_id, period)
    counts.update({f"open_cases.{phase}": n for phase, n in
                   open_cases_at(uow.case_steps(case_manager_id), period.end,
                                 case_manager_id).items()})
    return {f: counts.get(f, 0) for f in FIGURES}


def _view(uow: ReportingUnitOfWork, case_manager_id: str, period: Period,
          report: PeriodReport | None) -> dict[str, Any]:
    zone = clock.zone(uow.tenant_id)
    counts = prefilled(uow, case_manager_id, period)
    shown = report or PeriodReport(case_manager_id, period)
    values = shown.confirmed(counts)
    figures = []
    for figure in FIGURES:
        correction = shown.corrections.get(figure)
        figures.append({"figure": figure, "label_en": LABELS[figure][0],
                        "label_de": LABELS[figure][1], "prefilled": counts[figure],
                        "value": values[figure], "corrected": correction is not None,
                        "note": correction.note if correction else None})
    view = {
        "id": shown.id or None, "case_manager_id": case_manager_id, "period": period.label,
        "period_start": period.start, "period_end": period.end, "weeks": period.weeks,
        "due_at": period.due_at(zone), "status": status(report, period, clock.now(), zone),
        "submitted_at": shown.submitted_at,
        "submitted_late": shown.overdue(zone) if shown.submitted else None,
        "version": shown.version, "figures": figures,
        "topics": [{"topic_area": t.topic_area, "text": t.text,
                    "theme_candidate": t.theme_candidate} for t in shown.topics],
        "network_minutes": shown.network_minutes, "system_minutes": shown.system_minutes,
    }
    view["etag"] = etag(view)
    return view


def etag(view: Mapping[str, Any]) -> str:
    """A strong entity tag of what a report shows (its figures included: a new event changes
    it)."""
    shown = {k: v for k, v in view.items() if k not in ("etag", "status")}
    digest = hashlib.sha256(json.dumps(shown, sort_keys=True, default=str).encode()).hexdigest()
    return f'"{digest[:32]}"'


def _audited(uow: ReportingUnitOfWork, action: str, case_manager_id: str, period: Period) -> None:
    uow.audit(action, "period_report", f"{case_manager_id}:{period.label}",
              reason=f"period_report:{period.label}")


def read_own(uow: ReportingUnitOfWork, principal: Principal, label: str) -> dict[str, Any]:
    """Her own report of the period (a draft view, pre-filled, before she saved anything)."""
    period = period_of(label)
    with uow:
        view = _view(uow, principal.subject, period,
                     uow.period_report(principal.subject, period))
        _audited(uow, "read", principal.subject, period)
        uow.commit()
    return view


def read_for_office(uow: ReportingUnitOfWork, label: str, case_manager_id: str
                    ) -> dict[str, Any]:
    """A case manager's report as the coordinating office reads it (404 for a user who is no
    case manager of the tenant and has no report)."""
    period = period_of(label)
    with uow:
        report = uow.period_report(case_manager_id, period)
        if report is None and case_manager_id not in uow.case_managers():
            raise NotFound("no case manager of this tenant has this id")
        view = _view(uow, case_manager_id, period, report)
        _audited(uow, "read", case_manager_id, period)
        uow.commit()
    return view


def _refused(error: Exception) -> ProblemError:
    if isinstance(error, AlreadySubmitted):
        return ReportSubmitted(str(error))
    return Unprocessable(str(error), errors=[{"field": "period", "message": str(error)}])


def _check(view: Mapping[str, Any], if_match: str | None) -> None:
    if if_match and if_match.strip() != "*" and view["etag"] not in (
            t.strip() for t in if_match.split(",")):
        raise PreconditionFailed("the report changed since it was read (If-Match)",
                                 extensions={"etag": view["etag"]})


def save(uow: ReportingUnitOfWork, principal: Principal, label: str, body: Mapping[str, Any],
         if_match: str | None = None) -> dict[str, Any]:
    """Her corrections (each with a note), topics and minutes, replacing what she saved."""
    period = period_of(label)
    unknown = [{"field": f"corrections.{f}", "message": "not a figure of the report"}
               for f in body.get("corrections", {}) if f not in FIGURES]
    if unknown:
        raise Unprocessable("a correction names no figure of the report", errors=unknown)
    me = principal.subject
    with uow:
        report = uow.period_report(me, period)
        _check(_view(uow, me, period, report), if_match)
        current = report or PeriodReport(me, period, id=str(uuid.uuid4()))
        try:
            edited = current.edited(
                today=clock.today(uow.tenant_id),
                corrections={f: Correction(c["value"], c["note"])
                             for f, c in body.get("corrections", {}).items()},
                topics=[Topic(t["topic_area"], t["text"], t.get("theme_candidate", False))
                        for t in body.get("topics", [])],
                network_minutes=body.get("network_minutes", 0),
                system_minutes=body.get("system_minutes", 0))
        except (AlreadySubmitted, PeriodNotStarted) as error:
            raise _refused(error) from None
        if not uow.put_period_report(edited):
            raise PreconditionFailed("the report changed meanwhile: read it again")
        _audited(uow, "update", me, period)
        view = _view(uow, me, period, edited)
        uow.commit()
    return view


def submit(uow: ReportingUnitOfWork, principal: Principal, label: str,
           if_match: str | None = None) -> dict[str, Any]:
    """Submit her report once: its figures frozen as confirmed; 409 the second time."""
    period = period_of(label)
    me = principal.subject
    with uow:
        report = uow.period_report(me, period)
        _check(_view(uow, me, period, report), if_match)
        current = report or PeriodReport(me, period, id=str(uuid.uuid4()))
        counts = prefilled(uow, me, period)
        now = clock.now()
        try:
            done = current.submit(counts, at=now, today=clock.today(uow.tenant_id))
        except (AlreadySubmitted, PeriodNotStarted) as error:
            raise _refused(error) from None
        if not uow.put_period_report(done):
            raise ReportSubmitted("the report changed meanwhile: read it again")
        _publish(uow, done, counts)
        _audited(uow, "submit", me, period)
        view = _view(uow, me, period, done)
        uow.commit()
    return view


def _publish(uow: ReportingUnitOfWork, report: PeriodReport, counts: Mapping[str, int]) -> None:
    zone = clock.zone(uow.tenant_id)
    submitted_at = report.submitted_at or clock.now()
    period = report.period
    uow.publish(reporting.PeriodReportSubmitted(
        report_id=report.id, case_manager_id=report.case_manager_id, period=period.label,
        period_start=period.start.isoformat(), period_end=period.end.isoformat(),
        submitted_at=submitted_at.isoformat(), overdue=report.overdue(zone),
        figures=[reporting.ReportedFigure(figure=f, value=v, corrected=f in report.corrections)
                 for f, v in report.figures.items()],
        topics=len(report.topics),
        theme_candidates=sum(1 for t in report.topics if t.theme_candidate),
        network_minutes=report.network_minutes, system_minutes=report.system_minutes),
        aggregate_id=report.id)
    flagged_on = clock.day_of(submitted_at, uow.tenant_id).isoformat()
    for index, topic in enumerate(report.topics):
        if topic.theme_candidate:
            candidate = candidate_id(report, index)
            uow.publish(reporting.ThemeCandidateFlagged(
                candidate_id=candidate, report_id=report.id,
                case_manager_id=report.case_manager_id, period=period.label,
                topic_area=f"TOPIC_AREA_{topic.topic_area.upper()}",
                flagged_on=flagged_on), aggregate_id=candidate)


def candidate_id(report: PeriodReport, index: int) -> str:
    """The id of the report's ``index``-th topic as a theme candidate: the same in the event and
    in :func:`theme_candidates` (derived, so nothing more is stored)."""
    return str(uuid.uuid5(uuid.UUID(report.id), f"topic-{index}"))


def theme_candidates(uow: ReportingUnitOfWork, label: str, *, limit: int, offset: int
                     ) -> dict[str, Any]:
    """The topics flagged as candidates for generative themes in the period's submitted reports:
    the evidence the steering group reads (ids, topic area, text — not who reported it)."""
    period = period_of(label)
    with uow:
        reports = uow.period_reports(period)
        uow.audit("read", "report", reason=f"theme_candidates:{period.label}")
        uow.commit()
    found = [{"candidate_id": candidate_id(r, i), "period": period.label,
              "topic_area": t.topic_area, "text": t.text}
             for r in reports if r.submitted for i, t in enumerate(r.topics)
             if t.theme_candidate]
    return {"period": period.label, "total": len(found), "limit": limit, "offset": offset,
            "items": found[offset:offset + limit]}


# -- the coordinating office ---------------------------------------------------------------------

def overview(uow: ReportingUnitOfWork, label: str, *, limit: int, offset: int) -> dict[str, Any]:
    """Who of the tenant's case managers submitted the period's report, who is overdue (due and
    not submitted) and whose is open (not due yet); one page of them, by user id."""
    period = period_of(label)
    zone = clock.zone(uow.tenant_id)
    now = clock.now()
    with uow:
        reports = {r.case_manager_id: r for r in uow.period_reports(period)}
        managers = sorted(set(uow.case_managers()) | set(reports))
        uow.audit("read", "report", reason=f"period_reports:{period.label}")
        uow.commit()
    rows: list[dict[str, Any]] = []
    for manager in managers:
        report = reports.get(manager)
        rows.append({"case_manager_id": manager,
                     "status": status(report, period, now, zone),
                     "submitted_at": report.submitted_at if report else None,
                     "submitted_late": report.overdue(zone) if report and report.submitted
                     else None})
    counted_by: dict[str, int] = {"submitted": 0, "overdue": 0, "open": 0}
    for row in rows:
        counted_by[row["status"]] += 1
    return {"period": period.label, "period_start": period.start, "period_end": period.end,
            "due_at": period.due_at(zone), **counted_by, "total": len(rows), "limit": limit,
            "offset": offset, "items": rows[offset:offset + limit]}


def county(uow: ReportingUnitOfWork, label: str) -> dict[str, Any]:
    """The county's period report, compiled from the submitted reports."""
    period = period_of(label)
    zone = clock.zone(uow.tenant_id)
    with uow:
        reports = uow.period_reports(period)
        expected = len(set(uow.case_managers()) | {r.case_manager_id for r in reports})
        uow.audit("read", "report", reason=f"county_period_report:{period.label}")
        uow.commit()
    compiled = compile_county(period, reports, expected)
    return {
        "period": period.label, "period_start": period.start, "period_end": period.end,
        "weeks": period.weeks, "due_at": period.due_at(zone), "submitted": compiled.submitted,
        "expected": compiled.expected,
        "figures": [{"figure": f, "label_en": LABELS[f][0], "label_de": LABELS[f][1],
                     "value": compiled.figures[f]} for f in FIGURES],
        "network_minutes": compiled.network_minutes, "system_minutes": compiled.system_minutes,
        "theme_candidates": compiled.theme_candidates,
        "topics": [{"topic_area": area, "reported": len(found),
                    "theme_candidates": sum(1 for t in found if t.theme_candidate),
                    "texts": [{"text": t.text, "theme_candidate": t.theme_candidate}
                              for t in found]}
                   for area, found in compiled.topics.items()],
    }


def county_pdf(uow: ReportingUnitOfWork, label: str) -> bytes:
    """The county's period report as a PDF (German, the English labels beside)."""
    compiled = county(uow, label)
    issued_on: date = clock.today(uow.tenant_id)
    start, end = compiled["period_start"], compiled["period_end"]
    blocks: list[Any] = [
        KeyValues((("Zeitraum / Period", f"{compiled['period']} "
                                         f"({start:%d.%m.%Y} – {end:%d.%m.%Y})"),
                   ("Abgegeben / Submitted",
                    f"{compiled['submitted']} von/of {compiled['expected']}"),
                   ("Netzwerkarbeit / Network work (min)", str(compiled["network_minutes"])),
                   ("Systemebene / System-level work (min)", str(compiled["system_minutes"])))),
        Heading("Zahlen / Figures"),
        Table(("Kennzahl / Figure", "Anzahl / Count"),
              tuple((f"{f['label_de']} / {f['label_en']}", str(f["value"]))
                    for f in compiled["figures"])),
        Heading("Themen / Topics"),
    ]
    if not compiled["topics"]:
        blocks.append(Paragraph("Keine Themen berichtet. / No topics reported."))
    for topic in compiled["topics"]:
        blocks.append(Heading(f"{topic['topic_area']} ({topic['reported']})"))
        for text in topic["texts"]:
            mark = " [Kandidat generatives Thema / theme candidate]" \
                if text["theme_candidate"] else ""
            blocks.append(Paragraph(f"– {text['text']}{mark}"))
    document = Document(language="de", title=f"2-Wochen-Bericht des Kreises {compiled['period']}",
                        subtitle="County period report (2-week report)", blocks=tuple(blocks))
    return render_pdf([document], issued_on=issued_on)
