"""The standard reports (Standardberichte, issue 12; ADR 0090), each filterable by period,
area, organisation, case manager and target group (query parameters):

- ``/reports/screening-outcomes``: of the people screened per access path, how many went to each
  referral target, to KIM case management, had no need (Screening-Tabelle, Mettmann);
- ``/reports/primary-goal-areas``: people in case management by their primary goal's topic area,
  and per case manager by target group (Hauptziel-Themenbereiche, Hilden);
- ``/reports/caseload``: cases per case manager against the guideline for her FTE share
  (Fallzahl je Case-Managerin gegenüber dem Richtwert);
- ``/reports/effort-by-phase``: contacts and effort per phase against the guideline;
- ``/reports/referral-rates``: referrals per partner, kind and topic area with acceptance and
  arrival rates;
- ``/reports/time-series/<figure>``: a monthly series (Monatsreihe) of one figure.

Ids and counts only — no names of people. A case manager reads her own figures, an
organisation's administrator her organisation's (both exact), the coordinating office the
county's (exact: the roles of ``LOTSE_REPORTING_EXACT_ROLES``), a steering member the county's
suppressed: counts from 1 to 4 as ``"<5"``, counts hidden so that none of them can be worked out
from the totals as ``"x"`` (ADR 0091). Each answer is a page of its rows (``limit``, ``offset``)
with the report's totals, tagged (ETag; ``If-None-Match`` → 304). The same reports as CSV, XLSX
and charts: :mod:`.standard_exports`."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from lotse_platform.http import Blueprint

from lotse_platform.auth import current_principal, requires
from lotse_platform.errors import NotFound
from lotse_platform.http.text import Line
from lotse_platform.service import current_service, request_uow

from ...domain.standard import FIGURES
from ...service_layer import standard_reports as standard
from .figures import Count, PageSchema, exact_for, tag_not_modified

blp = Blueprint("reporting-standard", __name__, url_prefix="/reports",
                description="Standard reports (Standardberichte): counts per dimension, "
                            "filterable by period, area, organisation, case manager, target group")
blp.after_request(tag_not_modified)

ID = ma.validate.Length(min=1, max=100)
ACCESS_PATHS = ("partner_referral", "administration_referral", "outreach", "self_referral",
                "word_of_mouth", "town_assignment", "immigration_office_screening",
                "case_proposal", "handover_after_move")


class FiltersSchema(ma.Schema):
    date_from = ma.fields.Date(data_key="from", load_default=None, metadata={
        "description": "first day of the period (ISO 8601; Zeitraum von)"})
    date_to = ma.fields.Date(data_key="to", load_default=None, metadata={
        "description": "last day of the period (ISO 8601; Zeitraum bis)"})
    area_id = Line(load_default=None, validate=ID, metadata={
        "description": "an area (municipality / district) of identity's directory"})
    organisation_id = Line(load_default=None, validate=ID, metadata={
        "description": "the case managers' employer organisation"})
    case_manager_id = Line(load_default=None, validate=ID, metadata={
        "description": "one case manager (user id)"})
    target_group_id = Line(load_default=None, validate=ID, metadata={
        "description": "a target group (Zielgruppe) id of intake's"})

    @ma.validates_schema
    def _period(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ma.ValidationError("the period ends before it begins", field_name="to")


class ScreeningFiltersSchema(FiltersSchema):
    access_path = ma.fields.String(load_default=None, validate=ma.validate.OneOf(ACCESS_PATHS),
                                   metadata={"description": "one access path (Zugangsweg), "
                                             "e.g. immigration_office_screening"})


class ReportArgsSchema(ma.Schema):
    """A page of a report's rows, and exact or suppressed."""

    limit = ma.fields.Integer(load_default=100, validate=ma.validate.Range(min=1, max=1000),
                              metadata={"description": "rows per page (at most 1000)"})
    offset = ma.fields.Integer(load_default=0, validate=ma.validate.Range(min=0, max=1_000_000))
    exact = ma.fields.Boolean(load_default=None, metadata={
        "description": "true: exact counts (the roles of LOTSE_REPORTING_EXACT_ROLES, default "
                       "the coordinating office, and an organisation's administrator or a case "
                       "manager reading her own scope; a steering member 403); false: "
                       "suppressed; unset: exact for those callers, suppressed for everyone "
                       "else"})


class PagedFiltersSchema(ReportArgsSchema, FiltersSchema):
    """A page of a report, narrowed by the filters."""


class PagedScreeningFiltersSchema(ReportArgsSchema, ScreeningFiltersSchema):
    """A page of the screening table, narrowed by the filters and an access path."""


COUNT = "a number, \"<5\" (1 to 4, suppressed) or \"x\" (suppressed so that no small count " \
        "can be worked out from the totals)"


class OutcomeSchema(ma.Schema):
    outcome = ma.fields.String(required=True, metadata={
        "description": "referral (Verweis) | case_management (KIM-CM) | no_need (kein Bedarf) | "
                       "information | guidance | accompaniment | crisis_intervention | undecided"})
    referral_org_id = ma.fields.String(required=True, allow_none=True)
    referral_org_name = ma.fields.String(required=True, allow_none=True, metadata={
        "description": "the organisation's name as identity published it (ADR 0086)"})


class ScreeningRowSchema(OutcomeSchema):
    access_path = ma.fields.String(required=True)
    count = Count(required=True, metadata={"description": COUNT})


class PathTotalSchema(ma.Schema):
    access_path = ma.fields.String(required=True)
    count = Count(required=True, metadata={"description": "people screened (Gesamt): " + COUNT})


class OutcomeTotalSchema(OutcomeSchema):
    count = Count(required=True, metadata={"description": "people of the outcome: " + COUNT})


class ScreeningSchema(PageSchema):
    rows = ma.fields.List(ma.fields.Nested(ScreeningRowSchema), required=True)
    totals = ma.fields.List(ma.fields.Nested(PathTotalSchema), required=True, metadata={
        "description": "per access path (all of them, whatever the page)"})
    outcome_totals = ma.fields.List(ma.fields.Nested(OutcomeTotalSchema), required=True,
                                    metadata={"description": "per outcome"})
    grand_total = Count(required=True, metadata={"description": "people screened in all"})


class TopicRowSchema(ma.Schema):
    primary_topic_area = ma.fields.String(required=True, metadata={
        "description": "topic area of the primary goal (residence = Aufenthalt, work_training = "
                       "Arbeit/Ausbildung, language = Sprache …); unspecified: none set yet"})
    count = Count(required=True, metadata={"description": COUNT})


class ManagerGroupRowSchema(ma.Schema):
    case_manager_id = ma.fields.String(required=True)
    target_group_id = ma.fields.String(required=True, allow_none=True)
    count = Count(required=True, metadata={"description": COUNT})


class ManagerTotalSchema(ma.Schema):
    case_manager_id = ma.fields.String(required=True)
    count = Count(required=True, metadata={
        "description": "her people's target group memberships (a person in two groups counts "
                       "twice)"})


class GroupTotalSchema(ma.Schema):
    target_group_id = ma.fields.String(required=True, allow_none=True)
    count = Count(required=True)


class PrimaryGoalAreasSchema(PageSchema):
    rows = ma.fields.List(ma.fields.Nested(TopicRowSchema), required=True)
    grand_total = Count(required=True, metadata={"description": "people in case management"})
    by_case_manager = ma.fields.List(ma.fields.Nested(ManagerGroupRowSchema), required=True,
                                     metadata={"description": "all of it, whatever the page"})
    case_manager_totals = ma.fields.List(ma.fields.Nested(ManagerTotalSchema), required=True)
    target_group_totals = ma.fields.List(ma.fields.Nested(GroupTotalSchema), required=True)
    by_case_manager_total = Count(required=True, allow_none=True)


class CaseloadRowSchema(ma.Schema):
    case_manager_id = ma.fields.String(required=True)
    organisation_id = ma.fields.String(required=True, allow_none=True)
    fte = ma.fields.Float(required=True, allow_none=True, metadata={
        "description": "share of a full-time post (Stellenanteil) as identity published it"})
    cases = Count(required=True, metadata={"description": COUNT})
    guideline_min = ma.fields.Integer(required=True, allow_none=True)
    guideline_max = ma.fields.Integer(required=True, allow_none=True, metadata={
        "description": "guideline (Richtwert): 1.0 FTE → 50–60, 0.75 → 37–45, 0.5 → 25–30"})
    status = ma.fields.String(required=True, allow_none=True, metadata={
        "description": "under (unter) | within (im Richtwert) | over (über) | no_fte; null "
                       "where the cases are suppressed (it would bound them)"})


class CaseloadSchema(PageSchema):
    rows = ma.fields.List(ma.fields.Nested(CaseloadRowSchema), required=True)
    grand_total = Count(required=True, metadata={"description": "cases in all"})


class EffortRowSchema(ma.Schema):
    phase = ma.fields.String(required=True)
    cases = Count(required=True, metadata={"description": "cases with contacts in the phase"})
    contacts = Count(required=True)
    appointments = Count(required=True, metadata={
        "description": "appointments (Termine): in person, accompaniment, home or video visit"})
    minutes = ma.fields.Integer(required=True, allow_none=True, metadata={
        "description": "effort (Aufwand) in minutes; null where the cases are suppressed"})
    measure = ma.fields.String(required=True, metadata={
        "description": "what the guideline limits per case: appointments | contacts"})
    limit = ma.fields.Integer(required=True)
    guideline = ma.fields.String(required=True)
    guideline_de = ma.fields.String(required=True, metadata={"description": "Richtwert"})
    cases_beyond = Count(required=True, metadata={
        "description": "cases whose measure in the phase is above the limit"})


class EffortTotalsSchema(ma.Schema):
    cases = Count(required=True, metadata={"description": "cases with contacts, summed over "
                                                          "the phases"})
    contacts = Count(required=True)
    appointments = Count(required=True)
    cases_beyond = Count(required=True)


class EffortSchema(PageSchema):
    rows = ma.fields.List(ma.fields.Nested(EffortRowSchema), required=True)
    totals = ma.fields.Nested(EffortTotalsSchema, required=True, metadata={
        "description": "a total per measure (no minutes: they are not suppressed as counts)"})


class ReferralRateRowSchema(ma.Schema):
    partner_org_id = ma.fields.String(required=True)
    partner_name = ma.fields.String(required=True, allow_none=True, metadata={
        "description": "the organisation's name as identity published it (ADR 0086)"})
    kind = ma.fields.String(required=True, metadata={
        "description": "referral_counselling (Verweisberatung) | warm_handover (warme Übergabe) "
                       "| tandem | unspecified"})
    topic_area = ma.fields.String(required=True)
    sent = Count(required=True, metadata={"description": "referrals sent in the period"})
    accepted = Count(required=True, metadata={"description": "of them accepted (angenommen)"})
    arrived = Count(required=True, metadata={"description": "of them arrived (angekommen)"})
    acceptance_rate = ma.fields.Float(required=True, allow_none=True, metadata={
        "description": "accepted / sent (Annahmequote); null when either is suppressed"})
    arrival_rate = ma.fields.Float(required=True, allow_none=True, metadata={
        "description": "arrived / sent (Ankunftsquote); null when either is suppressed"})


class ReferralTotalsSchema(ma.Schema):
    sent = Count(required=True)
    accepted = Count(required=True)
    arrived = Count(required=True)


class ReferralRatesSchema(PageSchema):
    rows = ma.fields.List(ma.fields.Nested(ReferralRateRowSchema), required=True)
    totals = ma.fields.Nested(ReferralTotalsSchema, required=True)


class SeriesRowSchema(ma.Schema):
    month = ma.fields.String(required=True, metadata={"description": "YYYY-MM (Europe/Berlin)"})
    key = ma.fields.String(required=True)
    detail = ma.fields.String(required=True, allow_none=True)
    count = Count(required=True, metadata={"description": COUNT})
    value = ma.fields.Integer(required=True, allow_none=True, metadata={
        "description": "summed minutes (contacts) or days (closures, phase durations); null "
                       "where the count is suppressed"})


class KeyTotalSchema(ma.Schema):
    key = ma.fields.String(required=True)
    detail = ma.fields.String(required=True, allow_none=True)
    count = Count(required=True, metadata={"description": "over the period"})


class MonthTotalSchema(ma.Schema):
    month = ma.fields.String(required=True)
    count = Count(required=True)


class SeriesSchema(PageSchema):
    figure = ma.fields.String(required=True)
    rows = ma.fields.List(ma.fields.Nested(SeriesRowSchema), required=True)
    key_totals = ma.fields.List(ma.fields.Nested(KeyTotalSchema), required=True)
    month_totals = ma.fields.List(ma.fields.Nested(MonthTotalSchema), required=True)
    grand_total = Count(required=True)


def asked(args: dict[str, Any]) -> standard.Asked:
    return standard.Asked(args["date_from"], args["date_to"], args["area_id"],
                          args["organisation_id"], args["case_manager_id"],
                          args["target_group_id"])


def exact(asked_for: bool | None, *, by_default: bool) -> bool:
    """Exact or suppressed for the caller (:func:`~...service_layer.standard_reports.may_see_exact`
    with the configured exact roles); asking for exact counts without the right: 403."""
    allowed = standard.may_see_exact(current_principal(),
                                     current_service().settings.exact_roles)
    return exact_for(asked_for, by_default=by_default, allowed=allowed)


def _page(args: dict[str, Any]) -> dict[str, Any]:
    return {"exact": exact(args["exact"], by_default=True), "limit": args["limit"],
            "offset": args["offset"]}


@blp.route("/screening-outcomes", methods=["GET"])
@blp.etag
@blp.arguments(PagedScreeningFiltersSchema, location="query")
@blp.response(200, ScreeningSchema)
@requires(*standard.READERS)
def screening_outcomes(args):
    """Screening outcomes per access path (Screening-Tabelle): referral targets, KIM case
    management, no need — the latest decision per person; period: the first contact's date.
    One page of the cells, the totals per access path and per outcome; ``If-None-Match`` →
    304."""
    principal = current_principal()
    return standard.screening_outcomes(request_uow(principal), principal, asked(args),
                                       args["access_path"], **_page(args))


@blp.route("/primary-goal-areas", methods=["GET"])
@blp.etag
@blp.arguments(PagedFiltersSchema, location="query")
@blp.response(200, PrimaryGoalAreasSchema)
@requires(*standard.READERS)
def primary_goal_areas(args):
    """People in case management by primary goal topic area, and per case manager by target
    group (Hauptziel-Themenbereiche; Zielgruppen je Case-Managerin). Without a period: open
    cases now; with one: cases open at any time in it. ``If-None-Match`` → 304."""
    principal = current_principal()
    return standard.primary_goal_areas(request_uow(principal), principal, asked(args),
                                       **_page(args))


@blp.route("/caseload", methods=["GET"])
@blp.etag
@blp.arguments(PagedFiltersSchema, location="query")
@blp.response(200, CaseloadSchema)
@requires(*standard.READERS)
def caseload(args):
    """Cases per case manager against the guideline for her FTE share (Fallzahl gegenüber dem
    Richtwert), with who is over or under. ``If-None-Match`` → 304."""
    principal = current_principal()
    return standard.caseload(request_uow(principal), principal, asked(args), **_page(args))


@blp.route("/effort-by-phase", methods=["GET"])
@blp.etag
@blp.arguments(PagedFiltersSchema, location="query")
@blp.response(200, EffortSchema)
@requires(*standard.READERS)
def effort_by_phase(args):
    """Contacts and effort per phase against the guideline (Kontakte und Aufwand je Phase
    gegenüber dem zeitlichen Richtwert, DOMAIN.md §5); period: the contacts' months.
    ``If-None-Match`` → 304."""
    principal = current_principal()
    return standard.effort_by_phase(request_uow(principal), principal, asked(args),
                                    **_page(args))


@blp.route("/referral-rates", methods=["GET"])
@blp.etag
@blp.arguments(PagedFiltersSchema, location="query")
@blp.response(200, ReferralRatesSchema)
@requires(*standard.READERS)
def referral_rates(args):
    """Referrals per partner, kind and topic area with acceptance and arrival rates
    (Vermittlungen je Partner, Art und Themenbereich; Annahme- und Ankunftsquote); period: the
    months the referrals were sent. ``If-None-Match`` → 304."""
    principal = current_principal()
    return standard.referral_rates(request_uow(principal), principal, asked(args),
                                   **_page(args))


def known_figure(figure: str) -> str:
    if figure not in FIGURES:
        raise NotFound(f"No figure {figure!r}; known: {', '.join(sorted(FIGURES))}.",
                       errors=[{"field": "figure", "message": "unknown figure"}])
    return figure


@blp.route("/time-series/<string:figure>", methods=["GET"])
@blp.etag
@blp.arguments(PagedFiltersSchema, location="query")
@blp.response(200, SeriesSchema)
@requires(*standard.READERS)
def time_series(args, figure):
    """A monthly series (Monatsreihe) of one figure: access_paths, counselling_depths,
    admissions, phase_durations, goals_set, goals_reached, contacts, referrals, closures,
    transfers. ``If-None-Match`` → 304."""
    principal = current_principal()
    return standard.time_series(request_uow(principal), principal, asked(args),
                                known_figure(figure), **_page(args))
