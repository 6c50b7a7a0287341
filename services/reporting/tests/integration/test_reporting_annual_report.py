"""The county's annual report and the state's controlling extract on PostgreSQL (issue 12;
ADR 0097): a known year's events stored by the consumer add up to the report's figures (the
year on the tenant's calendar); the steering group's report and the extract show no count from
1 to 4 and none that the published totals give away; the extract validates against its JSON
Schema; the PDF opens; who may read what."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import jsonschema
import pypdf
import pytest
import sqlalchemy as sa

from lotse_platform.auth import CASE_MANAGER, COORDINATOR, STEERING_MEMBER
from lotse_platform.testing import frozen_clock, known_directory, put_directory
from lotse_reporting.domain.suppression import recoverable
from lotse_reporting.domain.tables import Table

from reporting_annual_events import CM, EXPECTED, cells, year_2025
from reporting_intake import deliver

pytestmark = pytest.mark.integration

#: 10 March 2026, 23:30 UTC — 00:30 on 11 March in Berlin: the report of 2025 is complete
LATER = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)


def _topics(cm, period: str, at: datetime, topics: list[dict[str, Any]]) -> None:
    with frozen_clock(at):
        saved = cm.put(f"/period-reports/mine/{period}", json={
            "topics": topics, "network_minutes": 0, "system_minutes": 0})
        assert saved.status_code == 200, saved.json
        assert cm.post(f"/period-reports/mine/{period}/submit").status_code == 200


@pytest.fixture
def county(reporting, tenant, as_user):
    """The known year stored by the worker, and a case manager's 2-week report of November
    2025 (two housing topics, one language) and of January 2026 (not in 2025)."""
    put_directory(reporting, tenant, known_directory(users=[
        (CM, "org-kreis", [CASE_MANAGER]), ("ks-1", "org-kreis", [COORDINATOR])]))
    events = year_2025(tenant)
    assert deliver(reporting, events) == len(events)
    cm = as_user(CM, roles=(CASE_MANAGER,))
    _topics(cm, "2025-W47", datetime(2025, 11, 20, 9, tzinfo=UTC), [
        {"topic_area": "housing", "text": "Kein bezahlbarer Wohnraum"},
        {"topic_area": "housing", "text": "Wohnungslosigkeit nach Auszug"},
        {"topic_area": "language", "text": "Wartelisten B1"}])
    _topics(cm, "2026-W03", datetime(2026, 1, 15, 9, tzinfo=UTC), [
        {"topic_area": "health", "text": "Keine Therapieplätze"}])
    return tenant


def _by_code(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["code"]: t for t in report["tables"]}


def _values(table: dict[str, Any]) -> dict[tuple[int, int], Any]:
    """The published positions of a JSON table (cells, row totals, column totals, grand
    total) as :class:`~lotse_reporting.domain.tables.Table` addresses them."""
    rows, columns = len(table["rows"]), len(table["columns"])
    found: dict[tuple[int, int], Any] = {}
    for i, row in enumerate(table["rows"]):
        for j, column in enumerate(table["columns"]):
            found[(i, j)] = row["cells"][column]
        if row["total"] is not None:
            found[(i, columns)] = row["total"]
    if table["column_totals"] is not None:
        for j, column in enumerate(table["columns"]):
            found[(rows, j)] = table["column_totals"][column]
    if table["total"] is not None:
        found[(rows, columns)] = table["total"]
    return found


def _as_table(table: dict[str, Any]) -> Table:
    return Table(code=table["code"], title=table["title_de"], title_en=table["title_en"],
                 row_dimensions=(table["row_dimension"],),
                 row_keys=tuple((r["key"],) for r in table["rows"]),
                 column_dimension=table["column_dimension"], column_keys=tuple(table["columns"]),
                 counts=tuple(tuple(r["cells"][c] for c in table["columns"])
                              for r in table["rows"]),
                 row_totals=table["rows"][0]["total"] is not None,
                 column_totals=table["column_totals"] is not None)


def _nothing_recoverable(exact: dict[str, Any], shown: dict[str, Any]) -> None:
    """No count from 1 to 4 is shown, and no hidden count follows from what is shown (the
    published sums solved for the hidden positions, independent of how they were chosen)."""
    for code, table in _by_code(exact).items():
        published = _values(_by_code(shown)[code])
        assert not [v for v in published.values() if isinstance(v, int) and 0 < v < 5], code
        hidden = {p for p, v in published.items() if not isinstance(v, int)}
        full = _as_table(table)
        assert set(published) == set(full.values()), code
        assert recoverable(full.values(), full.lines(), hidden) == set(), code


def test_the_annual_report_adds_up_the_years_events_on_the_tenants_calendar(county, as_user):
    """First contacts by access path and depth (31 December in, 2024 and 2026 out), admissions
    per target group, anonymous contacts and the people they reached, cases open at the year's
    end by phase (a step at 00:30 on 1 January in Berlin is 2026's), closures, goals, referrals
    per kind with the arrival rate, the 2-week reports' topics, the office's administration."""
    office = as_user("ks-1")
    with frozen_clock(LATER):
        answer = office.get("/annual-reports/2025")
    assert answer.status_code == 200, answer.json
    report = answer.json
    assert (report["year"], report["complete"], report["as_of"]) == (2025, True, "2025-12-31")
    assert report["suppressed"] is False and report["legend"] is None
    tables = _by_code(report)
    assert set(tables) == set(EXPECTED)
    for code, (expected_cells, total) in EXPECTED.items():
        assert cells(tables[code]) == expected_cells, code
        assert tables[code]["total"] == total, code
    screening = {r["key"]: r for r in tables["first-contacts"]["rows"]}
    assert screening["immigration_office_screening"]["total"] == 12
    assert tables["first-contacts"]["column_totals"]["undecided"] == 4
    rates = {r["key"]: r["arrival_rate"] for r in tables["referrals"]["rows"]}
    assert (rates["warm_handover"], rates["tandem"], rates["referral_counselling"]) == (
        0.833, 0.5, None)
    blocks = {b["building_block"] for b in report["administration"]["posts"]}
    assert report["administration"]["year"] == 2025 and blocks


def test_the_steering_groups_report_hides_small_counts_and_what_would_give_them_away(
        county, as_user):
    office, steering = as_user("ks-1"), as_user("sg-1", roles=(STEERING_MEMBER,))
    with frozen_clock(LATER):
        exact = office.get("/annual-reports/2025").json
        shown = steering.get("/annual-reports/2025")
        internal_as_steering = office.get("/annual-reports/2025", query_string={"exact": "false"})
        refused = steering.get("/annual-reports/2025", query_string={"exact": "true"})
    assert shown.status_code == 200, shown.json
    assert shown.json["suppressed"] is True and set(shown.json["legend"]) == {"<5", "x"}
    assert internal_as_steering.json["tables"] == shown.json["tables"]
    _nothing_recoverable(exact, shown.json)
    tables = _by_code(shown.json)
    # one case in intake at the year's end is "<5"; the monitoring cases are blocked beside it
    open_cases = {r["key"]: r["cells"]["cases"] for r in tables["open-cases"]["rows"]}
    assert (open_cases["intake"], open_cases["monitoring"], tables["open-cases"]["total"]) == (
        "<5", "x", 6)
    referrals = {r["key"]: r for r in tables["referrals"]["rows"]}
    assert referrals["tandem"]["arrival_rate"] is None
    assert refused.status_code == 403
    assert refused.json["errors"][0]["field"] == "exact"


def test_the_state_extract_is_suppressed_and_valid_against_its_schema(county, as_user):
    office = as_user("ks-1")
    with frozen_clock(LATER):
        extract = office.get("/state-extract/2025")
        exact = office.get("/annual-reports/2025").json
        as_csv = office.get("/state-extract/2025.csv")
    assert extract.status_code == 200, extract.json
    found = extract.json
    schema = json.loads(resources.files("lotse_reporting").joinpath(
        "schemas", found["schema"]).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(found, schema, format_checker=jsonschema.FormatChecker())
    assert (found["format"], found["version"], found["year"]) == (
        "lotse-kim-controlling", "1.0", 2025)
    assert found["generated_at"] == "2026-03-11T00:30:00+01:00"  # the tenant's clock
    _nothing_recoverable(exact, found)
    # the schema itself refuses a small count
    broken = json.loads(json.dumps(found))
    broken["tables"][0]["rows"][0]["cells"]["information"] = 3
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)

    assert as_csv.status_code == 200
    assert as_csv.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(as_csv.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["table", "row", "column", "value"]
    values = {(t, r, c): v for t, r, c, v in rows[1:]}
    assert values[("first-contacts", "total", "total")] == "19"
    assert values[("open-cases", "intake", "cases")] == "<5"
    assert not [v for v in values.values() if v in {"1", "2", "3", "4"}]


def test_the_annual_report_as_pdf_shows_the_year_and_its_figures(county, as_user):
    office = as_user("ks-1")
    with frozen_clock(LATER):
        suppressed = office.get("/annual-reports/2025.pdf")
        exact = office.get("/annual-reports/2025.pdf", query_string={"exact": "true"})
    assert suppressed.status_code == 200
    assert suppressed.headers["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(
        io.BytesIO(suppressed.data)).pages)
    assert "Jahresbericht 2025" in text and "<5" in text
    exact_text = "\n".join(page.extract_text() for page in pypdf.PdfReader(
        io.BytesIO(exact.data)).pages)
    assert "Monitoring" in exact_text and "19" in exact_text and "<5" not in exact_text


def test_a_year_not_lived_yet_is_refused_naming_the_field_and_the_readers_are_held(
        county, as_user, superuser):
    office, cm = as_user("ks-1"), as_user(CM, roles=(CASE_MANAGER,))
    steering = as_user("sg-1", roles=(STEERING_MEMBER,))
    with frozen_clock(LATER):
        future = office.get("/annual-reports/2027")
        assert office.get("/annual-reports/2026").json["complete"] is False
        assert cm.get("/annual-reports/2025").status_code == 403
        assert steering.get("/state-extract/2025").status_code == 403
        assert office.get("/state-extract/1999").status_code == 422
    assert future.status_code == 422
    assert future.json["errors"][0]["field"] == "year"
    with superuser.connect() as connection:
        reasons = set(connection.execute(sa.text(
            "SELECT reason FROM audit_log WHERE tenant_id = :t"), {"t": county}).scalars())
    assert {"annual_report:2026", "administration:2026"} <= reasons
