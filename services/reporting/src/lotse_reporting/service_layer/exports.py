"""The figures as files for a steering-group paper: CSV and XLSX tables and SVG and PNG bar
charts (issue 12, "Formats and API"; ADR 0091).

An export is suppressed (primary and secondary, :mod:`lotse_reporting.domain.suppression`)
unless the caller asked for the internal, exact one (``exact``; the API lets only the roles of
``LOTSE_REPORTING_EXACT_ROLES`` ask). Every export is audited as a read of the report (the
reason names the figure and the format). The service layer lays the figure out (a
:class:`~lotse_reporting.domain.tables.Sheet` or a :class:`~lotse_reporting.domain.tables.BarChart`);
the API has the adapters write the file. Its tables carry the margins — a total per row, per
column and the grand total — and the time they were made, on the tenant's clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lotse_platform import clock

from ..domain.reports import (ARRIVED, CASES_BY_AREA_AND_PHASE, OUTCOME_LABELS, PHASE_LABELS,
                              REFERRALS_BY_PARTNER, PublishedReferrals)
from ..domain.tables import (BLOCKED, SMALL, BarChart, LineChart, PublishedTable, Sheet,
                             SheetValue, Shown)
from ..domain.standard_tables import TOPIC_LABELS
from .figures import read_cases, read_referrals
from .unit_of_work import ReportingUnitOfWork

FIGURES = (CASES_BY_AREA_AND_PHASE, REFERRALS_BY_PARTNER)
TABLE_FORMATS = ("csv", "xlsx")
CHART_FORMATS = ("svg", "png")

TOTAL = "Summe"
LEGEND = (f"{SMALL}: 1 bis 4, gesperrt (1 to 4, suppressed)",
          f"{BLOCKED}: gesperrt, damit kein kleiner Wert errechenbar ist (secondary suppression)")
EXACT_NOTE = "Exakte Zahlen, nur für die Koordinierende Stelle / exact counts, internal only"


@dataclass(frozen=True)
class Export:
    """What to write (a sheet for CSV and XLSX, a chart for SVG and PNG — drawn by the
    adapters, :mod:`lotse_reporting.adapters.spreadsheets` and :mod:`~.charts`) and the file's
    name."""

    layout: Sheet | BarChart | LineChart
    filename: str


def stamp(uow: ReportingUnitOfWork) -> str:
    made = clock.now().astimezone(clock.zone(uow.tenant_id))
    return f"Stand / as of: {made:%d.%m.%Y %H:%M} ({made.tzname()})"


def notes(suppressed: bool, stamp: str) -> tuple[str, ...]:
    return (stamp, *(LEGEND if suppressed else (EXACT_NOTE,)))


# -- cases per area and phase ---------------------------------------------------------------------
def cases_sheet(shown: PublishedTable, areas: dict[str, str], stamp: str) -> Sheet:
    table = shown.table
    rows, columns = table.shape
    body: list[tuple[SheetValue, ...]] = [
        (area, areas.get(area), *(shown.cell(i, j) for j in range(columns)),
         shown.row_total(i))
        for i, (area,) in enumerate(table.row_keys)]
    body.append((TOTAL, None, *(shown.column_total(j) for j in range(columns)),
                 shown.grand_total()))
    return Sheet(title=table.title,
                 headers=("Gebiet-ID", "Gebiet", *(PHASE_LABELS[p] for p in table.column_keys),
                          TOTAL),
                 rows=tuple(body), notes=notes(shown.suppressed, stamp))


def cases_chart(shown: PublishedTable, areas: dict[str, str], stamp: str) -> BarChart:
    """Cases per phase (groups), one bar per area; the phases no area has a case in left out."""
    table = shown.table
    used = [j for j in range(table.shape[1]) if any(table.counts[i][j] or not isinstance(
        shown.cell(i, j), int) for i in range(table.shape[0]))]
    return BarChart(
        title=table.title, y_label="Fälle", categories=tuple(
            PHASE_LABELS[table.column_keys[j]] for j in used),
        series=tuple((areas.get(area, area), tuple(shown.cell(i, j) for j in used))
                     for i, (area,) in enumerate(table.row_keys)),
        notes=notes(shown.suppressed, stamp))


# -- referrals per partner --------------------------------------------------------------------------
def _partner(names: dict[str, str], partner: str) -> str:
    return names.get(partner, partner)


def referrals_sheet(shown: PublishedReferrals, names: dict[str, str], stamp: str) -> Sheet:
    table = shown.outcomes.table
    rows, columns = table.shape
    body: list[tuple[SheetValue, ...]] = []
    for i, (partner, topic) in enumerate(table.row_keys):
        body.append((partner, names.get(partner), TOPIC_LABELS.get(topic, topic),
                     *(shown.outcomes.cell(i, j) for j in range(columns)),
                     shown.outcomes.row_total(i), shown.arrived.cell(i, 0),
                     shown.arrival_rate(i)))
    grand = shown.outcomes.grand_total()
    # the arrivals' total only in the exact table (see lotse_reporting.domain.reports)
    came = None if shown.arrived.suppressed else sum(c for (c,) in shown.arrived.table.counts)
    rate = (round(came / grand, 3) if isinstance(grand, int) and isinstance(came, int) and grand
            else None)
    body.append((TOTAL, None, None, *(shown.outcomes.column_total(j) for j in range(columns)),
                 grand, came, rate))
    headers = ("Partner-ID", "Partner", "Themenbereich",
               *(OUTCOME_LABELS[s] for s in table.column_keys), "Vermittlungen",
               OUTCOME_LABELS[ARRIVED] + " (gesamt)", "Ankunftsquote")
    return Sheet(title=table.title, headers=headers, rows=tuple(body),
                 rates=frozenset({len(headers) - 1}), notes=notes(shown.outcomes.suppressed,
                                                                    stamp))


def referrals_chart(shown: PublishedReferrals, names: dict[str, str], stamp: str) -> BarChart:
    """Per partner and topic area: the referrals and the arrived ones, the arrival rate under
    each group."""
    table = shown.outcomes.table
    categories = tuple(f"{_partner(names, partner)} ({TOPIC_LABELS.get(topic, topic)})"
                       for partner, topic in table.row_keys)
    referrals: tuple[Shown, ...] = tuple(
        shown.outcomes.row_total(i) or 0 for i in range(table.shape[0]))
    arrived = tuple(shown.arrived.cell(i, 0) for i in range(table.shape[0]))
    rates = tuple("" if (r := shown.arrival_rate(i)) is None
                  else f"Ankunftsquote {r * 100:.0f} %"
                  for i in range(table.shape[0]))
    return BarChart(title=table.title, y_label="Vermittlungen", categories=categories,
                    series=(("Vermittlungen", referrals), ("angekommen", arrived)),
                    labels=rates, notes=notes(shown.outcomes.suppressed, stamp))


# -- the files ----------------------------------------------------------------------------------------
def export(uow: ReportingUnitOfWork, figure: str, fmt: str, *, exact: bool) -> Export:
    """``figure`` (:data:`FIGURES`) laid out for ``fmt`` (csv, xlsx: a sheet; svg, png: a
    chart)."""
    reason = f"{figure.replace('-', '_')}.{fmt}"
    layout: Callable[..., Sheet | BarChart]
    if figure == CASES_BY_AREA_AND_PHASE:
        cases, areas = read_cases(uow, exact=exact, reason=reason)
        layout = cases_sheet if fmt in TABLE_FORMATS else cases_chart
        drawn = layout(cases, areas, stamp(uow))
    elif figure == REFERRALS_BY_PARTNER:
        referrals, names = read_referrals(uow, exact=exact, reason=reason)
        layout = referrals_sheet if fmt in TABLE_FORMATS else referrals_chart
        drawn = layout(referrals, names, stamp(uow))
    else:
        raise ValueError(f"no figure {figure!r}")
    suffix = "intern" if exact else "gesperrt"
    return Export(drawn, f"{figure}-{suffix}.{fmt}")
