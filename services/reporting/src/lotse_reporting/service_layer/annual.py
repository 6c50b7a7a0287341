"""The county's annual report and the state's controlling extract (issue 12; ADR 0097).

Both are the year's tables (:mod:`lotse_reporting.domain.annual`) read from the read models —
the intakes, the monthly facts, the phase entries, the 2-week reports of the periods that end in
the year, the anonymous contacts in the event store — and the office's administration of the
year (posts, funding, forwarding; ADR 0092):

- the **annual report** (JSON, PDF): exact for the coordinating office, suppressed (primary and
  secondary on each table, ADR 0091) for the steering group;
- the **state extract** (``lotse-kim-controlling``, a versioned format documented in
  docs/state-extract.md with its JSON Schema): always suppressed, it leaves the office.

Every read is audited as a read of the report (the reason names it and the year); counts,
codes and organisations only, never a person."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from lotse.casework.v1 import events_pb2 as casework
from lotse.intake.v1 import events_pb2 as intake
from lotse.kim.v1 import vocabulary_pb2 as kim
from lotse.network.v1 import events_pb2 as network
from lotse_platform import clock
from lotse_platform.documents import Document, Heading, KeyValues, Note
from lotse_platform.documents import Table as PrintedTable
from lotse_platform.documents.pdf import render_pdf
from lotse_platform.errors import Unprocessable

from ..domain import annual
from ..domain.annual import AnonymousContact, Year
from ..domain.periods import Period, day_of
from ..domain.suppression import publish
from ..domain.tables import BLOCKED, SMALL, PublishedTable, Sheet, SheetValue, Shown, Table
from .administration import AdministrationUnitOfWork, administration_summary
from .projections import decode

#: the state extract's format and its version (docs/state-extract.md: additive = minor)
EXTRACT_FORMAT = "lotse-kim-controlling"
EXTRACT_VERSION = "1.0"
EXTRACT_SCHEMA = f"{EXTRACT_FORMAT}-{EXTRACT_VERSION}.schema.json"

#: the first year answered: the state funds KIM since 2020 (seed 000 L30); earlier years 422
FIRST_YEAR = 2020

ANONYMOUS_TYPE = "intake.anonymous_contact.recorded.v1"
ANONYMOUS_KINDS = {intake.AnonymousContactRecorded.KIND_SHORT_QUERY: "short_query",
                   intake.AnonymousContactRecorded.KIND_INFORMATION_EVENT: "information_event"}


def _codes(enum: Any, prefix: str) -> tuple[str, ...]:
    """The codes of a contract's enum, in its order, without the unspecified one."""
    return tuple(name.removeprefix(prefix).lower() for name, value in enum.items() if value)


ACCESS_PATHS = _codes(kim.AccessPath, "ACCESS_PATH_")
DEPTHS = _codes(kim.CounsellingDepth, "COUNSELLING_DEPTH_")
TOPIC_AREAS = _codes(kim.TopicArea, "TOPIC_AREA_")
CLOSURE_REASONS = _codes(casework.ClosureReason, "CLOSURE_REASON_")
REFERRAL_KINDS = _codes(network.ReferralMode, "REFERRAL_MODE_")

LEGEND = {SMALL: "1 bis 4, gesperrt / 1 to 4, suppressed",
          BLOCKED: "gesperrt, damit kein kleiner Wert errechenbar ist / suppressed so that no "
                   "small count can be worked out"}


@dataclass(frozen=True)
class AnnualTables:
    """The year's tables, in the order the report shows them."""

    year: Year
    tables: tuple[Table, ...]


def year_of(uow: AdministrationUnitOfWork, year: int) -> Year:
    """``year`` if the tenant has lived it (this year included, as of today); 422 naming the
    field ``year`` otherwise."""
    this_year = clock.today(uow.tenant_id).year
    if not FIRST_YEAR <= year <= this_year:
        raise Unprocessable("no year to report", errors=[{
            "field": "year", "message": f"a year from {FIRST_YEAR} to {this_year}"}])
    return Year(year)


def _periods_ending_in(year: Year) -> list[Period]:
    """The 2-week periods whose last day lies in the year (a report belongs to its end)."""
    found, period = [], Period.of(year.first)
    while period.end.year == year.year:
        found.append(period)
        period = period.next
    return found


def _anonymous(uow: AdministrationUnitOfWork) -> list[AnonymousContact]:
    found = []
    for stored in uow.stored_events_of(ANONYMOUS_TYPE):
        event = decode(stored)
        if not isinstance(event, intake.AnonymousContactRecorded):
            continue
        kind = ANONYMOUS_KINDS.get(event.kind)
        if kind:
            found.append(AnonymousContact(event.contact_id or str(stored.event_id), kind,
                                          day_of(event.held_on), int(event.people)))
    return found


def read_tables(uow: AdministrationUnitOfWork, year: Year, reason: str) -> AnnualTables:
    """The year's tables from the read models (one transaction, audited with ``reason``)."""
    with uow:
        intakes = uow.intake_report_rows()
        facts = [f for figure in ("admissions", "closures", "goals_set", "goals_reached",
                                  "referrals") for f in uow.facts(figure)]
        entries = uow.phase_entries()
        topics = [t.topic_area for period in _periods_ending_in(year)
                  for report in uow.period_reports(period) if report.submitted
                  for t in report.topics]
        anonymous = _anonymous(uow)
        uow.audit("read", "report", reason=reason)
        uow.commit()
    held, people = annual.anonymous_contacts(anonymous, year)
    return AnnualTables(year, (
        annual.screenings(intakes, year, ACCESS_PATHS, DEPTHS),
        annual.admissions(facts, year),
        held, people,
        annual.open_at_year_end(entries, year),
        annual.closures(facts, year, CLOSURE_REASONS),
        annual.goals(facts, year, "goals_set", TOPIC_AREAS),
        annual.goals(facts, year, "goals_reached", TOPIC_AREAS),
        annual.referrals(facts, year, REFERRAL_KINDS),
        annual.reported_topics(topics, TOPIC_AREAS),
    ))


# -- a published table as JSON ---------------------------------------------------------------------
def _rate(part: Shown | None, whole: Shown | None) -> float | None:
    """``part / whole`` where both are shown (and there is a whole)."""
    if not isinstance(part, int) or not isinstance(whole, int) or whole == 0:
        return None
    return round(part / whole, 3)


def table_json(shown: PublishedTable) -> dict[str, Any]:
    """A table as the report and the extract answer it: its codes, rows with their cells and
    totals, the column totals and the grand total (null where the table publishes none)."""
    table = shown.table
    rows, columns = table.shape
    found = []
    for i, key in enumerate(table.row_keys):
        row: dict[str, Any] = {
            "key": key[0], "cells": {c: shown.cell(i, j) for j, c in enumerate(table.column_keys)},
            "total": shown.row_total(i)}
        if table.code == "referrals":
            row["arrival_rate"] = _rate(shown.cell(i, 0), shown.row_total(i))
        found.append(row)
    return {"code": table.code, "title_de": table.title, "title_en": table.title_en,
            "row_dimension": table.row_dimensions[0], "column_dimension": table.column_dimension,
            "columns": list(table.column_keys), "rows": found,
            "column_totals": ({c: shown.column_total(j) for j, c in enumerate(table.column_keys)}
                              if table.column_totals else None),
            "total": shown.grand_total() if columns > 1 or table.row_totals
            else shown.column_total(0)}


def _published(tables: AnnualTables, *, exact: bool) -> list[PublishedTable]:
    return [publish(t, exact=exact) for t in tables.tables]


# -- the annual report ------------------------------------------------------------------------------
def _report(uow: AdministrationUnitOfWork, year: int, *, exact: bool, reason: str
            ) -> tuple[dict[str, Any], list[PublishedTable]]:
    asked = year_of(uow, year)
    shown = _published(read_tables(uow, asked, f"{reason}:{year}"), exact=exact)
    administration = administration_summary(uow, year)
    today = clock.today(uow.tenant_id)
    return {"year": year, "complete": today > asked.last, "as_of": min(today, asked.last),
            "suppressed": not exact, "legend": LEGEND if not exact else None,
            "tables": [table_json(t) for t in shown], "administration": administration}, shown


def annual_report(uow: AdministrationUnitOfWork, year: int, *, exact: bool) -> dict[str, Any]:
    """The county's annual report of ``year``: the year's tables (exact, or suppressed) and the
    office's administration of that year."""
    return _report(uow, year, exact=exact, reason="annual_report")[0]


def _text(value: Shown | None) -> str:
    return "–" if value is None else str(value)


#: a table with more columns is printed long: a line per shown cell and total
PRINTED_COLUMNS = 4
TOTAL = "Summe / total"


def _printed(shown: PublishedTable) -> PrintedTable:
    """A table for the PDF: as it is (its row totals right, its column totals below) when it
    is narrow; else one line per cell — those counted or hidden (a hidden 0 left out would
    give itself away) — and per total."""
    table = shown.table
    rows, columns = table.shape
    label = annual.label_de
    if columns > PRINTED_COLUMNS:
        lines = [(label(key[0]), label(c), _text(shown.cell(i, j)))
                 for i, key in enumerate(table.row_keys)
                 for j, c in enumerate(table.column_keys)
                 if table.counts[i][j] or not isinstance(shown.cell(i, j), int)]
        if table.row_totals:
            lines += [(label(key[0]), TOTAL, _text(shown.row_total(i)))
                      for i, key in enumerate(table.row_keys)]
        if table.column_totals:
            lines += [(TOTAL, label(c), _text(shown.column_total(j)))
                      for j, c in enumerate(table.column_keys)]
        if table.has_grand_total:
            lines.append((TOTAL, TOTAL, _text(shown.grand_total())))
        return PrintedTable((label(table.row_dimensions[0]), label(table.column_dimension),
                             "Anzahl / count"), tuple(lines), empty="–", widths=(2, 2, 1))
    one_column = columns == 1
    header = (label(table.row_dimensions[0]), *(label(c) for c in table.column_keys),
              *(() if one_column or not table.row_totals else (TOTAL,)))
    body = [(label(key[0]), *(_text(shown.cell(i, j)) for j in range(columns)),
             *(() if one_column or not table.row_totals else (_text(shown.row_total(i)),)))
            for i, key in enumerate(table.row_keys)]
    if table.column_totals:
        body.append((TOTAL, *(_text(shown.column_total(j)) for j in range(columns)),
                     *(() if one_column or not table.row_totals
                       else (_text(shown.grand_total()),))))
    return PrintedTable(tuple(header), tuple(body), empty="–")


def _money(value: Decimal | None) -> str:
    return "–" if value is None else f"{value:,.2f} €".replace(",", " ").replace(".", ",")


def annual_pdf(uow: AdministrationUnitOfWork, year: int, *, exact: bool) -> bytes:
    """The annual report as a PDF (German, the English titles beside)."""
    report, shown_tables = _report(uow, year, exact=exact, reason="annual_report.pdf")
    admin = report["administration"]
    blocks: list[Any] = [
        KeyValues((("Jahr / Year", str(year)),
                   ("Stand / As of", f"{report['as_of']:%d.%m.%Y}"
                                     + ("" if report["complete"] else " (laufendes Jahr)")),
                   ("Zahlen / Figures", "exakt, intern / exact, internal" if exact
                    else "gesperrt unter 5 / suppressed below 5"))),
    ]
    if not exact:
        blocks.append(Note(" · ".join(f"{mark}: {text}" for mark, text in LEGEND.items())))
    for shown in shown_tables:
        blocks.append(Heading(f"{shown.table.title} / {shown.table.title_en}"))
        blocks.append(_printed(shown))
    blocks.append(Heading("Stellen und Förderung / Posts and funding"))
    blocks.append(PrintedTable(
        ("Baustein / Building block", "Stellen / Posts", "VZÄ / FTE", "besetzt / filled",
         "bewilligt / granted"),
        tuple((b["name"], str(b["posts"]), str(b["fte"]), str(b["filled_fte"]),
               _text(b["granted_fte"])) for b in admin["posts"]), empty="–"))
    funding = admin["funding"]
    blocks.append(KeyValues((
        ("Beantragt / Requested", _money(funding["requested"])),
        ("Bewilligt / Granted", _money(funding["granted"])),
        ("Abgerufen / Called", _money(funding["called"])),
        ("Eingegangen / Received", _money(funding["received"])),
        ("Weitergeleitet / Forwarded", _money(admin["forwarded_total"])))))
    document = Document(language="de", title=f"Jahresbericht {year}",
                        subtitle="Kommunales Integrationsmanagement – annual report",
                        blocks=tuple(blocks))
    return render_pdf([document], issued_on=clock.today(uow.tenant_id))


# -- the state extract --------------------------------------------------------------------------------
def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def state_extract(uow: AdministrationUnitOfWork, year: int) -> dict[str, Any]:
    """The state's controlling extract of ``year`` (``lotse-kim-controlling`` 1.0): always
    suppressed."""
    asked = year_of(uow, year)
    tables = read_tables(uow, asked, f"state_extract:{year}")
    admin = administration_summary(uow, year)
    today = clock.today(uow.tenant_id)
    made = clock.now().astimezone(clock.zone(uow.tenant_id))
    funding = admin["funding"]
    return {
        "format": EXTRACT_FORMAT, "version": EXTRACT_VERSION, "schema": EXTRACT_SCHEMA,
        "county": str(uow.tenant_id), "year": year, "complete": today > asked.last,
        "generated_at": made.isoformat(timespec="seconds"),
        "suppression": {"threshold": 5, "small": SMALL, "blocked": BLOCKED},
        "tables": [table_json(t) for t in _published(tables, exact=False)],
        "posts": [{"building_block": b["building_block"], "posts": b["posts"],
                   "fte": _decimal(b["fte"]), "filled_fte": _decimal(b["filled_fte"]),
                   "granted_fte": _decimal(b["granted_fte"])} for b in admin["posts"]],
        "funding": {"requested": _decimal(funding["requested"]),
                    "granted": _decimal(funding["granted"]),
                    "called": _decimal(funding["called"]),
                    "received": _decimal(funding["received"]),
                    "forwarded": _decimal(admin["forwarded_total"])},
    }


def extract_sheet(extract: dict[str, Any]) -> Sheet:
    """The extract as one long table for CSV: a line per cell and total (table, row, column,
    value), the administration's figures last."""
    body: list[tuple[SheetValue, ...]] = []
    for table in extract["tables"]:
        for row in table["rows"]:
            for column, value in row["cells"].items():
                body.append((table["code"], row["key"], column, value))
            if row["total"] is not None:
                body.append((table["code"], row["key"], "total", row["total"]))
        if table["column_totals"] is not None and len(table["columns"]) > 1:
            for column, value in table["column_totals"].items():
                body.append((table["code"], "total", column, value))
        if table["total"] is not None:
            body.append((table["code"], "total", "total", table["total"]))
    for post in extract["posts"]:
        for field in ("posts", "fte", "filled_fte", "granted_fte"):
            body.append(("posts", post["building_block"], field, post[field]))
    for field, value in extract["funding"].items():
        body.append(("funding", "", field, value))
    return Sheet(title=f"{EXTRACT_FORMAT} {EXTRACT_VERSION} {extract['year']}",
                 headers=("table", "row", "column", "value"), rows=tuple(body))
