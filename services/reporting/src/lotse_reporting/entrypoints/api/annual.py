"""The county's annual report (*Jahresbericht*) and the state's controlling extract (issue 12;
ADR 0097).

- ``/annual-reports/{year}`` (JSON) and ``/annual-reports/{year}.pdf``: the coordinating office
  and the steering group. The JSON is exact for the roles of ``LOTSE_REPORTING_EXACT_ROLES``
  (default the coordinating office) and suppressed for everyone else (``?exact=false`` gives the
  steering group's view); the PDF, a file that leaves the office, is suppressed unless an exact
  role asks ``?exact=true`` (ADR 0091).
- ``/state-extract/{year}`` (JSON, ``lotse-kim-controlling`` 1.0, docs/state-extract.md) and
  ``/state-extract/{year}.csv``: the coordinating office only, always suppressed.

Counts, codes and organisations only; no person."""

from __future__ import annotations

import marshmallow as ma
from flask import Response
from lotse_platform.http import Blueprint

from lotse_platform.auth import COORDINATOR, current_principal, requires
from lotse_platform.documents.api import PDF_RESPONSE, pdf_response
from lotse_platform.service import request_uow

from ...adapters import spreadsheets
from ...service_layer import annual
from .administration import SummarySchema
from .exports import ExportArgsSchema
from .figures import ROLES, Count, exact_for

blp = Blueprint("reporting-annual", __name__, url_prefix="/",
                description="The county's annual report and the state's controlling extract")

COUNT = ("a number, \"<5\" (1 to 4, suppressed) or \"x\" (suppressed so that no small count "
         "can be worked out)")


class AnnualArgsSchema(ma.Schema):
    exact = ma.fields.Boolean(load_default=None, metadata={
        "description": "true: exact counts (only the roles of LOTSE_REPORTING_EXACT_ROLES, "
                       "default the coordinating office; anyone else 403); false: suppressed; "
                       "unset: exact for those roles, suppressed for everyone else"})


class RowSchema(ma.Schema):
    key = ma.fields.String(required=True, metadata={
        "description": "the row's code (an access path, phase, topic area, target group id …; "
                       "\"none\": without one)"})
    cells = ma.fields.Dict(keys=ma.fields.String(), values=Count(), required=True, metadata={
        "description": f"per column: {COUNT}"})
    total = Count(required=True, allow_none=True, metadata={
        "description": "the row's total (null: the table publishes none)"})
    arrival_rate = ma.fields.Float(allow_none=True, metadata={
        "description": "referrals only: arrived / sent, null where either is hidden"})


class AnnualTableSchema(ma.Schema):
    code = ma.fields.String(required=True, metadata={
        "description": "first-contacts | admissions | anonymous-contacts | anonymous-people | "
                       "open-cases | closures | goals-set | goals-reached | referrals | "
                       "reported-topics"})
    title_de = ma.fields.String(required=True)
    title_en = ma.fields.String(required=True)
    row_dimension = ma.fields.String(required=True)
    column_dimension = ma.fields.String(required=True)
    columns = ma.fields.List(ma.fields.String(), required=True)
    rows = ma.fields.List(ma.fields.Nested(RowSchema), required=True)
    column_totals = ma.fields.Dict(keys=ma.fields.String(), values=Count(), required=True,
                                   allow_none=True)
    total = Count(required=True, allow_none=True, metadata={
        "description": "the grand total (null: the table publishes none)"})


class AnnualReportSchema(ma.Schema):
    year = ma.fields.Integer(required=True)
    complete = ma.fields.Boolean(required=True, metadata={
        "description": "false while the year is running (the figures as of today)"})
    as_of = ma.fields.Date(required=True)
    suppressed = ma.fields.Boolean(required=True)
    legend = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(),
                            required=True, allow_none=True)
    tables = ma.fields.List(ma.fields.Nested(AnnualTableSchema), required=True)
    administration = ma.fields.Nested(SummarySchema, required=True, metadata={
        "description": "posts per building block, funding and forwarding of the year "
                       "(ADR 0092)"})


class SuppressionSchema(ma.Schema):
    threshold = ma.fields.Integer(required=True)
    small = ma.fields.String(required=True)
    blocked = ma.fields.String(required=True)


class ExtractPostSchema(ma.Schema):
    building_block = ma.fields.String(required=True)
    posts = ma.fields.Integer(required=True)
    fte = ma.fields.String(required=True, metadata={"format": "decimal"})
    filled_fte = ma.fields.String(required=True, metadata={"format": "decimal"})
    granted_fte = ma.fields.String(required=True, allow_none=True,
                                   metadata={"format": "decimal"})


class ExtractFundingSchema(ma.Schema):
    requested = ma.fields.String(required=True, allow_none=True, metadata={"format": "decimal"})
    granted = ma.fields.String(required=True, allow_none=True, metadata={"format": "decimal"})
    called = ma.fields.String(required=True, metadata={"format": "decimal"})
    received = ma.fields.String(required=True, metadata={"format": "decimal"})
    forwarded = ma.fields.String(required=True, metadata={"format": "decimal"})


class StateExtractSchema(ma.Schema):
    format = ma.fields.String(required=True, metadata={"description": "lotse-kim-controlling"})
    version = ma.fields.String(required=True, metadata={
        "description": "MAJOR.MINOR; an additive change raises the minor (docs/state-extract.md)"})
    schema = ma.fields.String(required=True, metadata={
        "description": "the JSON Schema it validates against (docs/schemas/)"})
    county = ma.fields.String(required=True, metadata={"description": "the tenant's id"})
    year = ma.fields.Integer(required=True)
    complete = ma.fields.Boolean(required=True)
    generated_at = ma.fields.String(required=True, metadata={
        "description": "ISO 8601 with the tenant's offset (Europe/Berlin)"})
    suppression = ma.fields.Nested(SuppressionSchema, required=True)
    tables = ma.fields.List(ma.fields.Nested(AnnualTableSchema), required=True)
    posts = ma.fields.List(ma.fields.Nested(ExtractPostSchema), required=True)
    funding = ma.fields.Nested(ExtractFundingSchema, required=True)


@blp.route("/annual-reports/<int:year>", methods=["GET"])
@blp.arguments(AnnualArgsSchema, location="query")
@blp.response(200, AnnualReportSchema)
@requires(*ROLES)
def annual_report(args, year: int):
    """The county's annual report of a year (Jahresbericht): people reached (first contacts by
    access path and counselling depth, admissions per target group, anonymous consultations and
    information events), cases open at the year's end by phase, closures by reason, goals set
    and reached per topic area, referrals per kind with the arrival rate, the topics of the
    2-week reports, and the office's posts and funding. 422 naming ``year`` for a year not
    lived yet."""
    principal = current_principal()
    return annual.annual_report(request_uow(principal), year,
                                exact=exact_for(args["exact"], by_default=True))


@blp.route("/annual-reports/<int:year>.pdf", methods=["GET"])
@blp.arguments(ExportArgsSchema, location="query")
@blp.response(200, **{**PDF_RESPONSE, "description": "the annual report (PDF)"})
@requires(*ROLES)
def annual_report_pdf(args, year: int):
    """The annual report as a PDF (German, the English titles beside); suppressed unless an
    exact role asks ``?exact=true``."""
    principal = current_principal()
    exact = exact_for(args["exact"], by_default=False)
    suffix = "intern" if exact else "gesperrt"
    return pdf_response(annual.annual_pdf(request_uow(principal), year, exact=exact),
                        f"jahresbericht-{year}-{suffix}.pdf")


@blp.route("/state-extract/<int:year>", methods=["GET"])
@blp.response(200, StateExtractSchema)
@requires(COORDINATOR)
def state_extract(year: int):
    """The state's controlling extract of a year (format ``lotse-kim-controlling`` 1.0,
    documented in docs/state-extract.md, JSON Schema in docs/schemas/): always suppressed —
    no count from 1 to 4 and none that can be worked out from the totals."""
    return annual.state_extract(request_uow(current_principal()), year)


CSV_DESCRIPTION = ("the extract as one long CSV table (table;row;column;value; UTF-8 with BOM, "
                   "Excel in Germany)")


@blp.route("/state-extract/<int:year>.csv", methods=["GET"])
@blp.response(200, schema={"type": "string", "description": CSV_DESCRIPTION},
              content_type="text/csv", description=CSV_DESCRIPTION)
@requires(COORDINATOR)
def state_extract_csv(year: int):
    """The state's controlling extract as CSV (the same cells as the JSON)."""
    extract = annual.state_extract(request_uow(current_principal()), year)
    response = Response(spreadsheets.to_csv(annual.extract_sheet(extract)),
                        mimetype=spreadsheets.CSV_MEDIA_TYPE)
    response.headers["Content-Type"] = spreadsheets.CSV_MEDIA_TYPE
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{annual.EXTRACT_FORMAT}-{annual.EXTRACT_VERSION}-{year}.csv"')
    response.headers["Cache-Control"] = "private, no-cache"
    return response
