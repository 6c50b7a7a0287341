"""The standard reports as files (issue 12, "Formats and API"; ADR 0090, 0091): each report as a
table for CSV and XLSX (its rows, a totals row ``Summe`` last, a total column where the report
has one) and as a chart — a bar chart for the five reports, a line chart for a time series — with
the same filters as the JSON and the same suppression: suppressed unless the caller asked for
the exact counts and may see them (the API decides ``exact``). Every export audited as a read of
the report (the reason names the report and the format)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lotse_platform.auth.principal import Principal

from ..domain.reports import PHASE_LABELS
from ..domain.standard_tables import (ACCESS_PATH_LABELS, CASE_MANAGER_GROUPS, CASELOAD,
                                      EFFORT_BY_PHASE,
                                      EFFORT_MEASURES, KIND_LABELS, OUTCOME_LABELS,
                                      PRIMARY_GOAL_AREAS, REFERRAL_MEASURES, REFERRAL_RATES,
                                      SCREENING_OUTCOMES, STATUS_LABELS, TIME_SERIES,
                                      TOPIC_LABELS, hidden, outcome_of, rate)
from ..domain.tables import BarChart, LineChart, PublishedTable, Sheet, SheetValue
from .exports import TABLE_FORMATS, TOTAL, Export, notes, stamp
from .standard_reports import (Asked, Report, read_caseload, read_effort, read_primary_goal_areas,
                               read_referral_rates, read_screening, read_time_series)
from .unit_of_work import ReportingUnitOfWork


@dataclass(frozen=True)
class Wanted:
    """Which report (:data:`~lotse_reporting.domain.standard_tables.REPORTS` or
    ``time-series``), in which format, for whom and narrowed how."""

    report: str
    fmt: str
    asked: Asked
    exact: bool
    access_path: str | None = None
    figure: str | None = None


def _label(labels: dict[str, str], code: str) -> str:
    return labels.get(code, code)


# -- screening outcomes ------------------------------------------------------------------------
def _outcome_label(report: Report, key: str) -> str:
    outcome, org = outcome_of(key)
    if org:
        return f"{OUTCOME_LABELS['referral']}: {report.names.get(org, org)}"
    return _label(OUTCOME_LABELS, outcome)


def screening_sheet(report: Report, made: str) -> Sheet:
    shown = report.shown
    rows, columns = shown.table.shape
    body: list[tuple[SheetValue, ...]] = [
        (_label(ACCESS_PATH_LABELS, path), *(shown.cell(i, j) for j in range(columns)),
         shown.row_total(i)) for i, (path,) in enumerate(shown.table.row_keys)]
    body.append((TOTAL, *(shown.column_total(j) for j in range(columns)), shown.grand_total()))
    return Sheet(title=shown.table.title, headers=(
        "Zugangsweg", *(_outcome_label(report, k) for k in shown.table.column_keys), TOTAL),
        rows=tuple(body), notes=notes(report.suppressed, made))


def screening_chart(report: Report, made: str) -> BarChart:
    """The outcomes (groups), one bar per access path."""
    shown = report.shown
    return BarChart(
        title=shown.table.title, y_label="Personen",
        categories=tuple(_outcome_label(report, k) for k in shown.table.column_keys),
        series=tuple((_label(ACCESS_PATH_LABELS, path),
                      tuple(shown.cell(i, j) for j in range(shown.table.shape[1])))
                     for i, (path,) in enumerate(shown.table.row_keys)),
        notes=notes(report.suppressed, made))


# -- primary goal areas ------------------------------------------------------------------------
def primary_goal_sheet(report: Report, made: str) -> Sheet:
    shown = report.shown
    body: list[tuple[SheetValue, ...]] = [
        (_label(TOPIC_LABELS, topic), shown.cell(i, 0))
        for i, (topic,) in enumerate(shown.table.row_keys)]
    body.append((TOTAL, shown.column_total(0)))
    return Sheet(title=shown.table.title, headers=("Hauptziel-Themenbereich", "Personen"),
                 rows=tuple(body), notes=notes(report.suppressed, made))


def primary_goal_chart(report: Report, made: str) -> BarChart:
    shown = report.shown
    return BarChart(
        title=shown.table.title, y_label="Personen",
        categories=tuple(_label(TOPIC_LABELS, t) for (t,) in shown.table.row_keys),
        series=(("Personen", tuple(shown.cell(i, 0) for i in range(shown.table.shape[0]))),),
        notes=notes(report.suppressed, made))


def _second(report: Report) -> PublishedTable:
    if report.second is None:
        raise ValueError("the primary goal areas come with the per case manager table")
    return report.second


def case_manager_groups_sheet(report: Report, made: str) -> Sheet:
    """People per case manager (down) and target group (across), the totals."""
    shown = _second(report)
    rows, columns = shown.table.shape
    body: list[tuple[SheetValue, ...]] = [
        (manager, *(shown.cell(i, j) for j in range(columns)), shown.row_total(i))
        for i, (manager,) in enumerate(shown.table.row_keys)]
    body.append((TOTAL, *(shown.column_total(j) for j in range(columns)), shown.grand_total()))
    return Sheet(title=shown.table.title, headers=(
        "Case-Managerin (ID)", *(g or "ohne Zielgruppe" for g in shown.table.column_keys),
        TOTAL), rows=tuple(body), notes=notes(shown.suppressed, made))


def case_manager_groups_chart(report: Report, made: str) -> BarChart:
    """One group per case manager, one bar per target group."""
    shown = _second(report)
    return BarChart(
        title=shown.table.title, y_label="Personen",
        categories=tuple(m for (m,) in shown.table.row_keys),
        series=tuple((g or "ohne Zielgruppe",
                      tuple(shown.cell(i, j) for i in range(shown.table.shape[0])))
                     for j, g in enumerate(shown.table.column_keys)),
        notes=notes(shown.suppressed, made))


# -- caseload ----------------------------------------------------------------------------------
def _guideline(row: dict[str, object]) -> str:
    low, high = row["guideline_min"], row["guideline_max"]
    return "" if low is None else f"Richtwert {low}–{high}"


def caseload_sheet(report: Report, made: str) -> Sheet:
    shown = report.shown
    body: list[tuple[SheetValue, ...]] = []
    for i, row in enumerate(report.rows):
        fte = row["fte"]
        body.append((str(row["case_manager_id"]), str(row["organisation_id"] or ""),
                     float(fte) if isinstance(fte, (int, float)) else None, shown.cell(i, 0),
                     _int(row["guideline_min"]), _int(row["guideline_max"]),
                     None if hidden(shown, i, 0) else STATUS_LABELS[str(row["status"])]))
    body.append((TOTAL, None, None, shown.column_total(0), None, None, None))
    return Sheet(title=shown.table.title, headers=(
        "Case-Managerin (ID)", "Träger (ID)", "Stellenanteil", "Fälle", "Richtwert von",
        "Richtwert bis", "Status"), rows=tuple(body), decimals=frozenset({2}),
        notes=notes(report.suppressed, made))


def _int(value: object) -> int | None:
    return value if isinstance(value, int) else None


def caseload_chart(report: Report, made: str) -> BarChart:
    shown = report.shown
    return BarChart(
        title=shown.table.title, y_label="Fälle",
        categories=tuple(str(row["case_manager_id"]) for row in report.rows),
        series=(("Fälle", tuple(shown.cell(i, 0) for i in range(shown.table.shape[0]))),),
        labels=tuple(_guideline(row) for row in report.rows),
        notes=notes(report.suppressed, made))


# -- effort by phase ---------------------------------------------------------------------------
EFFORT_HEADERS = {"cases": "Fälle", "contacts": "Kontakte", "appointments": "Termine",
                  "cases_beyond": "Fälle über dem Richtwert"}


def effort_sheet(report: Report, made: str) -> Sheet:
    shown = report.shown
    body: list[tuple[SheetValue, ...]] = [
        (_label(PHASE_LABELS, str(row["phase"])),
         *(shown.cell(i, j) for j in range(len(EFFORT_MEASURES))), report.value(i, 0),
         str(row["guideline_de"])) for i, row in enumerate(report.rows)]
    body.append((TOTAL, *(shown.column_total(j) for j in range(len(EFFORT_MEASURES))), None,
                 None))
    return Sheet(title=shown.table.title, headers=(
        "Phase", *(EFFORT_HEADERS[m] for m in EFFORT_MEASURES), "Minuten", "Richtwert"),
        rows=tuple(body), notes=notes(report.suppressed, made))


def effort_chart(report: Report, made: str) -> BarChart:
    """Per phase: the cases, contacts and appointments; the guideline under each phase."""
    shown = report.shown
    return BarChart(
        title=shown.table.title, y_label="Anzahl",
        categories=tuple(_label(PHASE_LABELS, str(row["phase"])) for row in report.rows),
        series=tuple((EFFORT_HEADERS[m], tuple(shown.cell(i, j)
                                               for i in range(shown.table.shape[0])))
                     for j, m in enumerate(EFFORT_MEASURES) if m != "cases_beyond"),
        labels=tuple(str(row["guideline_de"]) for row in report.rows),
        notes=notes(report.suppressed, made))


# -- referral rates ----------------------------------------------------------------------------
REFERRAL_HEADERS = {"sent": "gesendet", "accepted": "angenommen", "arrived": "angekommen"}


def referral_rates_sheet(report: Report, made: str) -> Sheet:
    shown = report.shown
    body: list[tuple[SheetValue, ...]] = [
        (partner, report.names.get(partner), _label(KIND_LABELS, kind),
         _label(TOPIC_LABELS, topic), *(shown.cell(i, j) for j in range(len(REFERRAL_MEASURES))),
         rate(shown, i, 1), rate(shown, i, 2))
        for i, (partner, kind, topic) in enumerate(shown.table.row_keys)]
    sent, accepted, arrived = (shown.column_total(j) for j in range(len(REFERRAL_MEASURES)))
    body.append((TOTAL, None, None, None, sent, accepted, arrived, _ratio(accepted, sent),
                 _ratio(arrived, sent)))
    headers = ("Partner-ID", "Partner", "Art", "Themenbereich",
               *(REFERRAL_HEADERS[m] for m in REFERRAL_MEASURES), "Annahmequote",
               "Ankunftsquote")
    return Sheet(title=shown.table.title, headers=headers, rows=tuple(body),
                 rates=frozenset({len(headers) - 2, len(headers) - 1}),
                 notes=notes(report.suppressed, made))


def _ratio(above: object, below: object) -> float | None:
    if isinstance(above, int) and isinstance(below, int) and below:
        return round(above / below, 3)
    return None


def referral_rates_chart(report: Report, made: str) -> BarChart:
    shown = report.shown
    categories = tuple(f"{report.names.get(partner, partner)} ({_label(KIND_LABELS, kind)}, "
                       f"{_label(TOPIC_LABELS, topic)})"
                       for partner, kind, topic in shown.table.row_keys)
    labels = tuple("" if (r := rate(shown, i, 2)) is None else f"Ankunftsquote {r * 100:.0f} %"
                   for i in range(shown.table.shape[0]))
    return BarChart(
        title=shown.table.title, y_label="Vermittlungen", categories=categories,
        series=tuple((REFERRAL_HEADERS[m], tuple(shown.cell(i, j)
                                                 for i in range(shown.table.shape[0])))
                     for j, m in enumerate(REFERRAL_MEASURES)),
        labels=labels, notes=notes(report.suppressed, made))


# -- time series -------------------------------------------------------------------------------
KEY_LABELS = {**ACCESS_PATH_LABELS, **OUTCOME_LABELS, **TOPIC_LABELS, **PHASE_LABELS}


def _series_label(key: str, detail: str) -> str:
    label = _label(KEY_LABELS, key) or "ohne Angabe"
    return f"{label} ({detail})" if detail else label


def series_sheet(report: Report, made: str) -> Sheet:
    shown = report.shown
    rows, columns = shown.table.shape
    body: list[tuple[SheetValue, ...]] = [
        (key, detail or None, *(shown.cell(i, j) for j in range(columns)), shown.row_total(i))
        for i, (key, detail) in enumerate(shown.table.row_keys)]
    body.append((TOTAL, None, *(shown.column_total(j) for j in range(columns)),
                 shown.grand_total()))
    return Sheet(title=shown.table.title,
                 headers=("Schlüssel", "Detail", *shown.table.column_keys, TOTAL),
                 rows=tuple(body), notes=notes(report.suppressed, made))


def series_chart(report: Report, made: str) -> LineChart:
    """One line per key (and detail) over the months."""
    shown = report.shown
    return LineChart(
        title=shown.table.title, y_label="Anzahl", periods=shown.table.column_keys,
        series=tuple((_series_label(key, detail),
                      tuple(shown.cell(i, j) for j in range(shown.table.shape[1])))
                     for i, (key, detail) in enumerate(shown.table.row_keys)),
        notes=notes(report.suppressed, made))


# -- the files ---------------------------------------------------------------------------------
LAYOUTS: dict[str, tuple[Callable[[Report, str], Sheet],
                         Callable[[Report, str], BarChart | LineChart]]] = {
    SCREENING_OUTCOMES: (screening_sheet, screening_chart),
    PRIMARY_GOAL_AREAS: (primary_goal_sheet, primary_goal_chart),
    CASE_MANAGER_GROUPS: (case_manager_groups_sheet, case_manager_groups_chart),
    CASELOAD: (caseload_sheet, caseload_chart),
    EFFORT_BY_PHASE: (effort_sheet, effort_chart),
    REFERRAL_RATES: (referral_rates_sheet, referral_rates_chart),
    TIME_SERIES: (series_sheet, series_chart),
}


def _read(uow: ReportingUnitOfWork, principal: Principal, wanted: Wanted, reason: str) -> Report:
    if wanted.report == SCREENING_OUTCOMES:
        return read_screening(uow, principal, wanted.asked, wanted.access_path,
                              exact=wanted.exact, reason=reason)
    if wanted.report == TIME_SERIES:
        if wanted.figure is None:
            raise ValueError("a time series needs its figure")
        return read_time_series(uow, principal, wanted.asked, wanted.figure,
                                exact=wanted.exact, reason=reason)
    read = {PRIMARY_GOAL_AREAS: read_primary_goal_areas,
            CASE_MANAGER_GROUPS: read_primary_goal_areas, CASELOAD: read_caseload,
            EFFORT_BY_PHASE: read_effort, REFERRAL_RATES: read_referral_rates}[wanted.report]
    return read(uow, principal, wanted.asked, exact=wanted.exact, reason=reason)


def export(uow: ReportingUnitOfWork, principal: Principal, wanted: Wanted) -> Export:
    """The report laid out for ``wanted.fmt`` (csv, xlsx: a sheet; svg, png: a chart)."""
    name = wanted.report if wanted.figure is None else f"{wanted.report}-{wanted.figure}"
    report = _read(uow, principal, wanted, f"{name.replace('-', '_')}.{wanted.fmt}")
    sheet, chart = LAYOUTS[wanted.report]
    layout = sheet if wanted.fmt in TABLE_FORMATS else chart
    suffix = "intern" if wanted.exact else "gesperrt"
    return Export(layout(report, stamp(uow)), f"{name}-{suffix}.{wanted.fmt}")
