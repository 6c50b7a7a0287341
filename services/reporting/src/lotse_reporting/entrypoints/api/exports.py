"""The figures as files (issue 12, "Formats and API"; ADR 0091): each figure as a table —
``/<figure>.csv`` and ``/<figure>.xlsx`` beside its JSON — and as a bar chart,
``/charts/<figure>.svg`` and ``/charts/<figure>.png``, for a steering-group paper.

Always suppressed (primary and secondary) unless the caller asks ``?exact=true``, which only the
roles of ``LOTSE_REPORTING_EXACT_ROLES`` (default: the coordinating office) may — anyone else
gets 403. Counts and organisations only, no person."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import marshmallow as ma
from flask import Response
from lotse_platform.http import Blueprint

from lotse_platform.auth import current_principal, requires
from lotse_platform.service import request_uow

from ...adapters import spreadsheets
from ...domain.tables import Sheet
from ...service_layer import exports
from ...service_layer.exports import CHART_FORMATS, FIGURES, TABLE_FORMATS
from .figures import ROLES, exact_for

blp = Blueprint("reporting-exports", __name__, url_prefix="/",
                description="The figures as CSV and XLSX tables and SVG and PNG charts")

#: the figures' paths (their JSON's, without the format)
PATHS = {"cases-by-area-and-phase": "/cases/by-area-and-phase",
         "referrals-by-partner": "/referrals/by-partner"}

DESCRIPTIONS = {
    "csv": "the table as CSV (UTF-8 with BOM, ';' between fields, decimal comma: Excel in "
           "Germany), the totals row last",
    "xlsx": "the table as an Excel workbook (one sheet: title, header, rows, totals row, legend)",
    "svg": "a bar chart (SVG, text kept as text)",
    "png": "a bar chart (PNG, 150 dpi)",
}


class ExportArgsSchema(ma.Schema):
    exact = ma.fields.Boolean(load_default=False, metadata={
        "description": "true: the exact counts, for internal use (only the roles of "
                       "LOTSE_REPORTING_EXACT_ROLES, default the coordinating office; anyone "
                       "else 403); default false: suppressed"})


MEDIA_TYPES = {"csv": spreadsheets.CSV_MEDIA_TYPE, "xlsx": spreadsheets.XLSX_MEDIA_TYPE,
               "svg": "image/svg+xml", "png": "image/png"}


def file_response(export: exports.Export, fmt: str) -> Response:
    layout = export.layout
    if isinstance(layout, Sheet):
        content = spreadsheets.to_csv(layout) if fmt == "csv" else spreadsheets.to_xlsx(layout)
    else:
        # matplotlib (about 60 MB) on the first chart a worker draws, not in every worker
        # (issue 16, the footprint of a county cell)
        from ...adapters import charts

        content = charts.render(layout, fmt)
    response = Response(content, mimetype=MEDIA_TYPES[fmt])
    response.headers["Content-Type"] = MEDIA_TYPES[fmt]
    response.headers["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _view(figure: str, fmt: str) -> Callable[..., Any]:
    def view(args):
        principal = current_principal()
        return file_response(exports.export(request_uow(principal), figure, fmt,
                                        exact=exact_for(args["exact"], by_default=False)), fmt)

    kind = "table" if fmt in TABLE_FORMATS else "chart"
    view.__name__ = f"{figure.replace('-', '_')}_{kind}_{fmt}"
    view.__doc__ = (f"{figure.replace('-', ' ').capitalize()}: {DESCRIPTIONS[fmt]}. "
                    "Suppressed unless an exact role asks ?exact=true.")
    return view


for _figure in FIGURES:
    for _fmt in TABLE_FORMATS + CHART_FORMATS:
        _path = (f"{PATHS[_figure]}.{_fmt}" if _fmt in TABLE_FORMATS
                 else f"/charts/{_figure}.{_fmt}")
        _described = {"schema": {"type": "string", "format": "binary" if _fmt != "csv" else None,
                                 "description": DESCRIPTIONS[_fmt]},
                      "content_type": MEDIA_TYPES[_fmt].split(";")[0],
                      "description": DESCRIPTIONS[_fmt]}
        if _fmt == "csv":
            del _described["schema"]["format"]
        _endpoint = _view(_figure, _fmt)
        blp.route(_path, methods=["GET"], endpoint=_endpoint.__name__)(
            blp.arguments(ExportArgsSchema, location="query")(
                blp.response(200, **_described)(requires(*ROLES)(_endpoint))))
