"""The case managers' 2-week reports (2-Wochen-Berichte, seed 001 L355; ADR 0089).

A period is named by the odd ISO week it ends with (``2026-W47`` = ISO weeks 46 and 47) and is
due at the end of that week (Sunday 24:00, Europe/Berlin). A case manager reads, corrects (with a
note) and submits her own report (``/period-reports/mine/{period}``); the coordinating office
(``coordinator``) sees who submitted and who is overdue, reads each report and compiles the
county's period report (JSON and PDF). A steering member reads none of them, only the topics
flagged as candidates for generative themes (``/theme-candidates``: the text and topic area, not
who reported it); another tenant's caller only her own tenant's.

Reads answer an ``ETag``; ``If-None-Match`` gives 304, and a write with ``If-Match`` naming
another version is refused with 412.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Response, request
from lotse_platform.http import Blueprint

from lotse_platform.auth import (CASE_MANAGER, COORDINATOR, STEERING_MEMBER, current_principal,
                                 requires)
from lotse_platform.documents.api import PDF_RESPONSE, pdf_response
from lotse_platform.http.text import Line, Text
from lotse_platform.service import request_uow

from ...domain.periods import FIGURES, TOPIC_AREAS
from ...service_layer import periods

blp = Blueprint("reporting-periods", __name__, url_prefix="/",
                description="The case managers' 2-week reports (2-Wochen-Berichte) and the "
                            "county's period report")

PERIOD = {"description": "the odd ISO week the period ends with, e.g. 2026-W47 (ISO weeks 46 "
                         "and 47); after a 53-week year YYYY-W01 is one week"}
FREE_TEXT = ("the case manager's own words on her work or a structural problem: no names or "
             "other personal data of clients belong here")


class CorrectionSchema(ma.Schema):
    value = ma.fields.Integer(required=True, validate=ma.validate.Range(min=0, max=100000))
    note = Text(required=True, validate=ma.validate.Length(min=1, max=1000), metadata={
        "description": "why the pre-filled count is corrected (required); " + FREE_TEXT})


class TopicSchema(ma.Schema):
    topic_area = Line(required=True, validate=ma.validate.OneOf(TOPIC_AREAS))
    text = Text(required=True, validate=ma.validate.Length(min=1, max=500), metadata={
        "description": "a structural problem (strukturelles Problem), at most 500 characters; "
                       + FREE_TEXT + ". A flagged topic's text goes to the steering group"})
    theme_candidate = ma.fields.Boolean(load_default=False, metadata={
        "description": "a candidate for a generative theme (Kandidat für ein generatives "
                       "Thema): published to the steering group on submission"})


class ReportEditSchema(ma.Schema):
    corrections = ma.fields.Dict(
        keys=ma.fields.String(validate=ma.validate.OneOf(FIGURES)),
        values=ma.fields.Nested(CorrectionSchema), load_default=dict, metadata={
            "description": "figure → the corrected count and a note; a figure not named keeps "
                           "its pre-filled count"})
    topics = ma.fields.List(ma.fields.Nested(TopicSchema), load_default=list,
                            validate=ma.validate.Length(max=50))
    network_minutes = ma.fields.Integer(load_default=0,
                                        validate=ma.validate.Range(min=0, max=20160), metadata={
        "description": "minutes of network work in the period (Netzwerkarbeit)"})
    system_minutes = ma.fields.Integer(load_default=0,
                                       validate=ma.validate.Range(min=0, max=20160), metadata={
        "description": "minutes of system-level work (Arbeit auf Systemebene)"})


class FigureSchema(ma.Schema):
    figure = ma.fields.String(required=True)
    label_en = ma.fields.String(required=True)
    label_de = ma.fields.String(required=True)
    prefilled = ma.fields.Integer(required=True, metadata={
        "description": "as counted from the events"})
    value = ma.fields.Integer(required=True, metadata={
        "description": "as reported: the correction, else the pre-filled count (frozen on "
                       "submission)"})
    corrected = ma.fields.Boolean(required=True)
    note = ma.fields.String(required=True, allow_none=True)


class TopicOutSchema(ma.Schema):
    topic_area = ma.fields.String(required=True)
    text = ma.fields.String(required=True)
    theme_candidate = ma.fields.Boolean(required=True)


STATUS = {"description": "submitted | overdue (due, not submitted) | open (not due yet)"}


class ReportSchema(ma.Schema):
    id = ma.fields.String(required=True, allow_none=True, metadata={
        "description": "null until the case manager first saves"})
    case_manager_id = ma.fields.String(required=True)
    period = ma.fields.String(required=True, metadata=PERIOD)
    period_start = ma.fields.Date(required=True)
    period_end = ma.fields.Date(required=True)
    weeks = ma.fields.Integer(required=True)
    due_at = ma.fields.AwareDateTime(required=True)
    status = ma.fields.String(required=True, metadata=STATUS)
    submitted_at = ma.fields.AwareDateTime(required=True, allow_none=True)
    submitted_late = ma.fields.Boolean(required=True, allow_none=True)
    version = ma.fields.Integer(required=True)
    etag = ma.fields.String(required=True)
    figures = ma.fields.List(ma.fields.Nested(FigureSchema), required=True)
    topics = ma.fields.List(ma.fields.Nested(TopicOutSchema), required=True)
    network_minutes = ma.fields.Integer(required=True)
    system_minutes = ma.fields.Integer(required=True)


class OverviewArgsSchema(ma.Schema):
    period = Line(required=True, metadata=PERIOD)
    limit = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=200))
    offset = ma.fields.Integer(load_default=0, validate=ma.validate.Range(min=0))


class OverviewRowSchema(ma.Schema):
    case_manager_id = ma.fields.String(required=True)
    status = ma.fields.String(required=True, metadata=STATUS)
    submitted_at = ma.fields.AwareDateTime(required=True, allow_none=True)
    submitted_late = ma.fields.Boolean(required=True, allow_none=True)


class OverviewSchema(ma.Schema):
    period = ma.fields.String(required=True)
    period_start = ma.fields.Date(required=True)
    period_end = ma.fields.Date(required=True)
    due_at = ma.fields.AwareDateTime(required=True)
    submitted = ma.fields.Integer(required=True)
    overdue = ma.fields.Integer(required=True)
    open = ma.fields.Integer(required=True)
    total = ma.fields.Integer(required=True)
    limit = ma.fields.Integer(required=True)
    offset = ma.fields.Integer(required=True)
    items = ma.fields.List(ma.fields.Nested(OverviewRowSchema), required=True)


class CountyFigureSchema(ma.Schema):
    figure = ma.fields.String(required=True)
    label_en = ma.fields.String(required=True)
    label_de = ma.fields.String(required=True)
    value = ma.fields.Integer(required=True)


class CountyTextSchema(ma.Schema):
    text = ma.fields.String(required=True)
    theme_candidate = ma.fields.Boolean(required=True)


class CountyTopicSchema(ma.Schema):
    topic_area = ma.fields.String(required=True)
    reported = ma.fields.Integer(required=True)
    theme_candidates = ma.fields.Integer(required=True)
    texts = ma.fields.List(ma.fields.Nested(CountyTextSchema), required=True)


class CountyReportSchema(ma.Schema):
    period = ma.fields.String(required=True)
    period_start = ma.fields.Date(required=True)
    period_end = ma.fields.Date(required=True)
    weeks = ma.fields.Integer(required=True)
    due_at = ma.fields.AwareDateTime(required=True)
    submitted = ma.fields.Integer(required=True, metadata={
        "description": "reports submitted (compiled here)"})
    expected = ma.fields.Integer(required=True, metadata={
        "description": "the tenant's case managers"})
    figures = ma.fields.List(ma.fields.Nested(CountyFigureSchema), required=True)
    network_minutes = ma.fields.Integer(required=True)
    system_minutes = ma.fields.Integer(required=True)
    theme_candidates = ma.fields.Integer(required=True)
    topics = ma.fields.List(ma.fields.Nested(CountyTopicSchema), required=True)


def _conditional(view: dict[str, Any]) -> Any:
    """304 when ``If-None-Match`` names the current ETag; else the view with its ETag."""
    tag = view["etag"]
    if tag in (t.strip() for t in request.headers.get("If-None-Match", "").split(",")):
        return Response(status=304, headers={"ETag": tag})
    return view, 200, {"ETag": tag}


ETAG_HEADERS = {"ETag": {"description": "the report's entity tag", "schema": {"type": "string"}}}


@blp.route("/period-reports/mine/<string:period>", methods=["GET"])
@blp.response(200, ReportSchema, headers=ETAG_HEADERS)
@blp.alt_response(304, description="not modified (If-None-Match)")
@requires(CASE_MANAGER)
def read_own(period: str):
    """Her own report of the period: each figure pre-filled from the events (first contacts,
    admissions, contacts and home visits, referrals by outcome, goals reached, closures by
    reason, open cases by phase at the period's end, anonymous short consultations and
    information events), her corrections, topics and minutes."""
    principal = current_principal()
    return _conditional(periods.read_own(request_uow(principal), principal, period))


@blp.route("/period-reports/mine/<string:period>", methods=["PUT"])
@blp.arguments(ReportEditSchema)
@blp.response(200, ReportSchema, headers=ETAG_HEADERS)
@blp.alt_response(409, description="the report was submitted: read-only")
@blp.alt_response(412, description="If-Match names another version")
@requires(CASE_MANAGER)
def save_own(body: dict[str, Any], period: str):
    """Save her corrections (each with a note), topics and minutes of network and system-level
    work (replacing what she saved before). Free text is the case manager's own words on her
    work or a structural problem: no names or other personal data of clients belong there."""
    principal = current_principal()
    view = periods.save(request_uow(principal), principal, period, body,
                        request.headers.get("If-Match"))
    return view, 200, {"ETag": view["etag"]}


@blp.route("/period-reports/mine/<string:period>/submit", methods=["POST"])
@blp.response(200, ReportSchema, headers=ETAG_HEADERS)
@blp.alt_response(409, description="submitted already")
@blp.alt_response(412, description="If-Match names another version")
@requires(CASE_MANAGER)
def submit_own(period: str):
    """Submit her report (once): the figures are frozen as confirmed, the coordinating office
    receives it, and each topic flagged as a theme candidate goes to the steering group."""
    principal = current_principal()
    view = periods.submit(request_uow(principal), principal, period,
                          request.headers.get("If-Match"))
    return view, 200, {"ETag": view["etag"]}


@blp.route("/period-reports", methods=["GET"])
@blp.arguments(OverviewArgsSchema, location="query")
@blp.response(200, OverviewSchema)
@requires(COORDINATOR)
def overview(args: dict[str, Any]):
    """Who of the county's case managers submitted the period's report, who is overdue, whose is
    open (one page, by user id)."""
    principal = current_principal()
    return periods.overview(request_uow(principal), args["period"], limit=args["limit"],
                            offset=args["offset"])


@blp.route("/period-reports/<string:period>/<string:case_manager_id>", methods=["GET"])
@blp.response(200, ReportSchema, headers=ETAG_HEADERS)
@blp.alt_response(304, description="not modified (If-None-Match)")
@requires(COORDINATOR)
def read_for_office(period: str, case_manager_id: str):
    """A case manager's report of the period, as the coordinating office reads it."""
    principal = current_principal()
    return _conditional(periods.read_for_office(request_uow(principal), period,
                                                case_manager_id))


@blp.route("/county-period-reports/<string:period>", methods=["GET"])
@blp.response(200, CountyReportSchema)
@requires(COORDINATOR)
def county(period: str):
    """The county's period report compiled from the submitted reports: the figures summed, the
    minutes of network and system-level work, the topics by topic area."""
    principal = current_principal()
    return periods.county(request_uow(principal), period)


@blp.route("/county-period-reports/<string:period>/pdf", methods=["GET"])
@blp.response(200, **{**PDF_RESPONSE, "description": "the county's period report (PDF)"})
@requires(COORDINATOR)
def county_pdf(period: str):
    """The county's period report as a PDF (German with the English labels)."""
    principal = current_principal()
    return pdf_response(periods.county_pdf(request_uow(principal), period),
                        f"2-wochen-bericht-{period}.pdf")


class CandidateSchema(ma.Schema):
    candidate_id = ma.fields.String(required=True, metadata={
        "description": "as in reporting.theme_candidate.flagged.v1"})
    period = ma.fields.String(required=True)
    topic_area = ma.fields.String(required=True)
    text = ma.fields.String(required=True)


class CandidatePageSchema(ma.Schema):
    period = ma.fields.String(required=True)
    total = ma.fields.Integer(required=True)
    limit = ma.fields.Integer(required=True)
    offset = ma.fields.Integer(required=True)
    items = ma.fields.List(ma.fields.Nested(CandidateSchema), required=True)


@blp.route("/theme-candidates", methods=["GET"])
@blp.arguments(OverviewArgsSchema, location="query")
@blp.response(200, CandidatePageSchema)
@requires(COORDINATOR, STEERING_MEMBER)
def theme_candidates(args: dict[str, Any]):
    """The structural problems the case managers flagged in the period's submitted reports as
    candidates for generative themes (Kandidaten für generative Themen): topic area and text,
    not who reported them — the evidence the steering group works from."""
    principal = current_principal()
    return periods.theme_candidates(request_uow(principal), args["period"], limit=args["limit"],
                                    offset=args["offset"])
