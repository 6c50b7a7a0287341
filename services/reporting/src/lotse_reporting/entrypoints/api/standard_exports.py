"""The standard reports as files (issue 12, "Formats and API"; ADR 0090, 0091), in the figures'
scheme: the report's JSON path with a suffix for a table — ``/reports/<report>.csv`` and
``.xlsx``, ``/reports/time-series/<figure>.csv`` and ``.xlsx`` — and ``/charts/<report>.svg``
and ``.png`` (bar charts), ``/charts/time-series/<figure>.svg`` and ``.png`` (line charts);
the primary goal areas' per case manager table: ``/reports/primary-goal-areas/by-case-manager``
``.csv`` … and ``/charts/primary-goal-areas/by-case-manager.svg`` ….

The same filters and scopes as the JSON (a case manager her own figures …). Always suppressed
(primary and secondary) unless the caller asks ``?exact=true``, which the exact roles
(``LOTSE_REPORTING_EXACT_ROLES``) and a caller held to her own scope (an organisation's
administrator, a case manager) may; a steering member gets 403."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import marshmallow as ma
from lotse_platform.http import Blueprint

from lotse_platform.auth import current_principal, requires
from lotse_platform.service import request_uow

from ...domain.standard_tables import (CASE_MANAGER_GROUPS, PRIMARY_GOAL_AREAS, REPORTS,
                                      SCREENING_OUTCOMES, TIME_SERIES)
from ...service_layer import standard_exports
from ...service_layer.exports import CHART_FORMATS, TABLE_FORMATS
from ...service_layer.standard_reports import READERS
from .exports import MEDIA_TYPES, file_response
from .standard import FiltersSchema, ScreeningFiltersSchema, asked, exact, known_figure

blp = Blueprint("reporting-standard-exports", __name__, url_prefix="/",
                description="The standard reports as CSV and XLSX tables and SVG and PNG charts")

EXACT = ma.fields.Boolean(load_default=False, metadata={
    "description": "true: the exact counts, for internal use (the roles of "
                   "LOTSE_REPORTING_EXACT_ROLES, default the coordinating office, and an "
                   "organisation's administrator or a case manager for her own scope; a steering "
                   "member 403); default false: suppressed"})


class ExportFiltersSchema(FiltersSchema):
    exact = EXACT


class ScreeningExportFiltersSchema(ScreeningFiltersSchema):
    exact = EXACT


DESCRIPTIONS = {
    "csv": "the report as CSV (UTF-8 with BOM, ';' between fields, decimal comma: Excel in "
           "Germany), the totals row 'Summe' last",
    "xlsx": "the report as an Excel workbook (one sheet: title, header, rows, totals row, "
            "legend)",
    "svg": "a chart (SVG, text kept as text)",
    "png": "a chart (PNG, 150 dpi)",
}


def _view(report: str, fmt: str) -> Callable[..., Any]:
    def view(args, figure=None):
        principal = current_principal()
        wanted = standard_exports.Wanted(
            report, fmt, asked(args), exact(args["exact"], by_default=False),
            access_path=args.get("access_path"),
            figure=known_figure(figure) if report == TIME_SERIES else None)
        return file_response(standard_exports.export(request_uow(principal), principal, wanted),
                         fmt)

    kind = "table" if fmt in TABLE_FORMATS else "chart"
    view.__name__ = f"{report.replace('-', '_')}_{kind}_{fmt}"
    chart = "a line chart per key over the months" if report == TIME_SERIES else "a bar chart"
    view.__doc__ = (f"{report.replace('-', ' ').capitalize()}: "
                    f"{DESCRIPTIONS[fmt] if fmt in TABLE_FORMATS else chart}. Same filters as "
                    "the JSON; suppressed unless a caller who may asks ?exact=true.")
    return view


#: the path of a report's file (without the format) where it is not the report's name
NAMES = {TIME_SERIES: f"{TIME_SERIES}/<string:figure>",
         CASE_MANAGER_GROUPS: f"{PRIMARY_GOAL_AREAS}/by-case-manager"}


def _path(report: str, fmt: str) -> str:
    name = NAMES.get(report, report)
    return f"/reports/{name}.{fmt}" if fmt in TABLE_FORMATS else f"/charts/{name}.{fmt}"


for _report in (*REPORTS, CASE_MANAGER_GROUPS, TIME_SERIES):
    _args = ScreeningExportFiltersSchema if _report == SCREENING_OUTCOMES else \
        ExportFiltersSchema
    for _fmt in TABLE_FORMATS + CHART_FORMATS:
        _schema: dict[str, Any] = {"type": "string", "description": DESCRIPTIONS[_fmt]}
        if _fmt != "csv":
            _schema["format"] = "binary"
        _endpoint = _view(_report, _fmt)
        blp.route(_path(_report, _fmt), methods=["GET"], endpoint=_endpoint.__name__)(
            blp.arguments(_args, location="query")(
                blp.response(200, schema=_schema, content_type=MEDIA_TYPES[_fmt].split(";")[0],
                             description=DESCRIPTIONS[_fmt])(
                    requires(*READERS)(_endpoint))))
