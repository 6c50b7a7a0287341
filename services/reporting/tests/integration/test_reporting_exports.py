"""The figures as files and as polled JSON on the real database (issue 12, "Formats and API" and
"Protecting people in the numbers"; ADR 0091): CSV parsed, XLSX read back, SVG parsed and PNG
checked; exports suppressed unless the office asks for the exact ones; ETags and pages for the
JSON; each role what it may."""

from __future__ import annotations

import csv
import io
import uuid
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from lotse.casework.v1 import events_pb2 as casework
from lotse_platform.auth import CASE_MANAGER, STEERING_MEMBER
from lotse_platform.references import AREA, ORGANISATION, Known
from lotse_platform.testing import frozen_clock, put_directory

from reporting_events import case_story, referral_story

pytestmark = pytest.mark.integration

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: 23:30 UTC: already the next day in Berlin (the stamp is the tenant's time)
MADE_AT = datetime(2026, 3, 31, 22, 30, tzinfo=UTC)


def county(tenant: uuid.UUID):
    """Hoexter: 6 cases in assessment, 3 closed; Brakel: 7 in assessment, 8 in linking.
    Jobcenter: 6 completed, 1 not arrived; Caritas: 2 declined; AWO: 9 arrived."""
    events = []
    for n in range(6):
        events += case_story(tenant, f"h-a{n}", "area-hoexter")
    for n in range(3):
        events += case_story(tenant, f"h-c{n}", "area-hoexter", closed=True)
    for n in range(7):
        events += case_story(tenant, f"b-a{n}", "area-brakel")
    for n in range(8):
        events += case_story(tenant, f"b-l{n}", "area-brakel", casework.PHASE_LINKING)
    for _ in range(6):
        events += referral_story(tenant, "org-jobcenter", "completed")
    events += referral_story(tenant, "org-jobcenter", "not_arrived")
    for _ in range(2):
        events += referral_story(tenant, "org-caritas", "declined")
    for _ in range(9):
        events += referral_story(tenant, "org-awo", "arrived")
    return events


@pytest.fixture
def figures(reporting, tenant):
    consumer = reporting.consumer()
    for envelope, event in county(tenant):
        consumer.process(envelope, event)
    put_directory(reporting, tenant, [Known(ORGANISATION, "org-jobcenter", version=1,
                                            name="Jobcenter Kreis Höxter"),
                                      Known(AREA, "area-hoexter", version=1, name="Höxter"),
                                      Known(AREA, "area-brakel", version=1, name="Brakel")])


def read_csv(answer) -> list[list[str]]:
    data = answer.get_data()
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_the_csv_export_is_suppressed_with_its_totals_and_exact_only_for_the_office(
        figures, as_user):
    """Issue 12: "Any figure that leaves the coordinating office — exports … — suppresses cells
    below 5, with secondary suppression"; the office's exact export only when asked for."""
    office = as_user("ks-1")
    with frozen_clock(MADE_AT):
        answer = office.get("/cases/by-area-and-phase.csv")
    assert answer.status_code == 200, answer.get_data()[:300]
    assert answer.mimetype == "text/csv"
    assert "attachment" in answer.headers["Content-Disposition"]
    rows = read_csv(answer)
    header = rows[0]
    assert header[:2] == ["Gebiet-ID", "Gebiet"] and header[-1] == "Summe"
    assert "Bestandsaufnahme" in header and "abgeschlossen" in header
    table = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert set(table) == {"area-brakel", "area-hoexter", "Summe"}
    assert table["area-hoexter"]["Gebiet"] == "Höxter", "the town by its name (ADR 0086)"
    hoexter, brakel, total = table["area-hoexter"], table["area-brakel"], table["Summe"]
    assert hoexter["abgeschlossen"] == "<5"  # 3 closed
    assert total["abgeschlossen"] == "<5"  # the column's total is the same 3
    # Hoexter's total would give the 3 away with its other cell: a second cell of the row hidden
    assert hoexter["Bestandsaufnahme"] == "x" and hoexter["Summe"] == "9"
    # and so on around the table, until every sum has two unknowns or none
    assert (brakel["Bestandsaufnahme"], brakel["Leistungssteuerung"], brakel["Summe"]) == (
        "x", "x", "15")
    assert (total["Bestandsaufnahme"], total["Leistungssteuerung"]) == ("13", "x")
    assert total["Summe"] == "24"
    shown = [v for row in rows[1:] for v in row[2:]]
    assert not {"1", "2", "3", "4"} & set(shown)

    exact = read_csv(office.get("/cases/by-area-and-phase.csv?exact=true"))
    exact_table = {row[0]: dict(zip(exact[0], row, strict=True)) for row in exact[1:]}
    assert exact_table["area-hoexter"]["abgeschlossen"] == "3"
    assert exact_table["Summe"]["Bestandsaufnahme"] == "13"


def test_the_referrals_csv_keeps_rates_behind_shown_counts_only(figures, as_user):
    rows = read_csv(as_user("lg-1", roles=(STEERING_MEMBER,)).get("/referrals/by-partner.csv"))
    header = rows[0]
    table = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert table["org-jobcenter"]["Partner"] == "Jobcenter Kreis Höxter"
    assert table["org-jobcenter"]["Themenbereich"] == "Arbeit/Ausbildung"
    assert table["org-caritas"]["abgelehnt"] == "<5"
    assert table["org-caritas"]["Ankunftsquote"] == ""
    assert table["org-awo"]["angekommen"] in ("9", "x")
    assert table["Summe"]["angekommen (gesamt)"] == ""  # the arrivals' total: exact only
    rates = [row["Ankunftsquote"] for row in table.values() if row["Ankunftsquote"]]
    assert all("," in rate for rate in rates)  # decimal comma
    exact = read_csv(as_user("ks-1").get("/referrals/by-partner.csv?exact=true"))
    exact_table = {row[0]: dict(zip(exact[0], row, strict=True)) for row in exact[1:]}
    assert exact_table["org-jobcenter"]["Ankunftsquote"] == "0,857"
    assert exact_table["Summe"]["Vermittlungen"] == "18"
    assert exact_table["Summe"]["angekommen (gesamt)"] == "15"


def test_the_xlsx_export_reads_back(figures, as_user):
    with frozen_clock(MADE_AT):
        answer = as_user("ks-1").get("/cases/by-area-and-phase.xlsx")
    assert answer.status_code == 200
    assert answer.mimetype == ("application/vnd.openxmlformats-officedocument."
                               "spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(answer.get_data()))
    sheet = book.active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Fälle je Gebiet und Phase"
    header = values[1]
    assert header[:2] == ["Gebiet-ID", "Gebiet"] and header[-1] == "Summe"
    body = {row[0]: dict(zip(header, row, strict=True)) for row in values[2:5]}
    assert body["Summe"]["Bestandsaufnahme"] == 13  # a number, not text
    assert body["area-hoexter"]["abgeschlossen"] == "<5"
    assert body["Summe"]["Summe"] == 24
    notes = [row[0] for row in values[5:] if row[0]]
    assert "Stand / as of: 01.04.2026 00:30 (CEST)" in notes  # the tenant's clock
    assert any(str(note).startswith("<5") for note in notes)


SVG = "{http://www.w3.org/2000/svg}"


def svg_texts(data: bytes, prefix: str = "") -> set[str]:
    """The texts of the SVG (those inside a group whose id starts with ``prefix``)."""
    root = ET.fromstring(data)
    groups = [g for g in root.iter(f"{SVG}g") if g.get("id", "").startswith(prefix)] if prefix \
        else [root]
    return {"".join(t.itertext()).strip() for g in groups for t in g.iter(f"{SVG}text")}


def test_the_charts_show_their_series_and_no_small_count(figures, as_user):
    """Issue 12: charts (SVG and PNG) a coordinator can put in a steering-group paper; PNG/SVG
    non-empty with the expected series."""
    office = as_user("ks-1")
    svg = office.get("/charts/cases-by-area-and-phase.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    texts = svg_texts(svg.get_data())
    assert {"Höxter", "Brakel"} <= texts  # the series' legend: the towns by name
    assert {"Fälle je Gebiet und Phase", "Bestandsaufnahme", "Leistungssteuerung"} <= texts
    assert svg_texts(svg.get_data(), "mark-") == {"<5", "x"}
    # every cell with a case hidden: no number drawn but the zeros
    assert svg_texts(svg.get_data(), "value-") <= {"", "0"}
    exact = office.get("/charts/cases-by-area-and-phase.svg?exact=true").get_data()
    assert svg_texts(exact, "value-") - {"", "0"} == {"3", "6", "7", "8"}
    assert svg_texts(exact, "mark-") == set()

    png = office.get("/charts/cases-by-area-and-phase.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert png.get_data().startswith(PNG_SIGNATURE) and len(png.get_data()) > 5000

    referrals = office.get("/charts/referrals-by-partner.svg")
    texts = svg_texts(referrals.get_data())
    assert {"Vermittlungen", "angekommen"} <= texts
    words = " ".join(texts).split()  # a long category is wrapped onto lines
    assert {"Jobcenter", "Höxter", "(Arbeit/Ausbildung)", "org-awo"} <= set(words), \
        "the topic area in German and whole, as the steering group reads it"
    assert "Ankunftsquote 100 %" in texts  # AWO: 9 of 9 arrived
    png = office.get("/charts/referrals-by-partner.png?exact=true")
    assert png.status_code == 200 and png.get_data().startswith(PNG_SIGNATURE)


def test_only_an_exact_role_may_ask_for_exact_counts(figures, as_user):
    steering = as_user("lg-1", roles=(STEERING_MEMBER,))
    for path in ("/cases/by-area-and-phase.csv", "/charts/referrals-by-partner.png",
                 "/cases/by-area-and-phase"):
        refused = steering.get(f"{path}?exact=true")
        assert refused.status_code == 403, path
        assert refused.json["errors"] == [{"field": "exact",
                                           "message": "not allowed for your role"}]
        assert steering.get(path).status_code == 200
    case_manager = as_user("cm-1", roles=(CASE_MANAGER,))
    assert case_manager.get("/cases/by-area-and-phase.xlsx").status_code == 403
    assert case_manager.get("/charts/cases-by-area-and-phase.svg").status_code == 403
    bad = as_user("ks-1").get("/cases/by-area-and-phase.csv?exact=perhaps")
    assert bad.status_code == 422 and bad.json["errors"][0]["field"] == "exact"


def test_the_office_may_ask_for_the_suppressed_json_as_the_steering_group_sees_it(
        figures, as_user):
    office = as_user("ks-1")
    exact = office.get("/cases/by-area-and-phase").json
    assert exact["suppressed"] is False
    assert {"area_id": "area-hoexter", "area_name": "Höxter", "phase": "closed",
            "cases": 3} in exact["rows"]
    suppressed = office.get("/cases/by-area-and-phase?exact=false").json
    steering = as_user("lg-1", roles=(STEERING_MEMBER,)).get("/cases/by-area-and-phase").json
    assert suppressed == steering and steering["suppressed"] is True
    assert {"area_id": "area-hoexter", "area_name": "Höxter", "phase": "closed",
            "cases": "<5"} in steering["rows"]


def test_the_json_is_paged_and_answers_304_while_nothing_changed(reporting, figures, as_user,
                                                                 tenant):
    """Issue 12: "paginated, ETag / conditional requests so dashboards can poll cheaply"."""
    office = as_user("ks-1")
    first = office.get("/cases/by-area-and-phase?limit=2")
    assert first.status_code == 200
    assert (first.json["total"], first.json["limit"], first.json["offset"],
            first.json["next_offset"]) == (4, 2, 0, 2)
    second = office.get("/cases/by-area-and-phase?limit=2&offset=2").json
    assert second["next_offset"] is None
    everything = office.get("/cases/by-area-and-phase").json["rows"]
    assert first.json["rows"] + second["rows"] == everything
    assert office.get("/cases/by-area-and-phase?limit=0").status_code == 422

    etag = first.headers["ETag"]
    headers = {**office.headers, "If-None-Match": etag}
    unchanged = office.client.get("/cases/by-area-and-phase?limit=2", headers=headers)
    assert unchanged.status_code == 304 and unchanged.get_data() == b""
    assert unchanged.headers["ETag"] == etag
    # a steering member's (suppressed) answer has its own tag
    steering = as_user("lg-1", roles=(STEERING_MEMBER,))
    assert steering.client.get("/cases/by-area-and-phase?limit=2", headers={
        **steering.headers, "If-None-Match": etag}).status_code == 200
    # a new case on the page changes it and its tag
    consumer = reporting.consumer()
    for envelope, event in case_story(tenant, "b-new", "area-brakel"):
        consumer.process(envelope, event)
    changed = office.client.get("/cases/by-area-and-phase?limit=2", headers=headers)
    assert changed.status_code == 200 and changed.headers["ETag"] != etag

    referrals = office.get("/referrals/by-partner")
    assert referrals.headers["ETag"]
    assert office.client.get("/referrals/by-partner", headers={
        **office.headers, "If-None-Match": referrals.headers["ETag"]}).status_code == 304


def test_another_tenant_exports_its_own_empty_figures(figures, app, issuer):
    other = app.test_client()
    token = issuer.issue("ks-other", uuid.uuid4(), "org-kreis-paderborn", ["coordinator"],
                         areas=[])
    headers = {"Authorization": f"Bearer {token}"}
    rows = list(csv.reader(io.StringIO(other.get("/cases/by-area-and-phase.csv", headers=headers)
                                       .get_data().decode("utf-8-sig")), delimiter=";"))
    assert [row[0] for row in rows] == ["Gebiet-ID", "Summe"]
    assert rows[1][-1] == "0"
    svg = other.get("/charts/referrals-by-partner.svg", headers=headers)
    assert svg.status_code == 200
    assert b"org-jobcenter" not in svg.get_data() and b"Jobcenter" not in svg.get_data()


def test_who_sees_exact_counts_is_configured(figures, reporting_db, broker_url, issuer, tenant):
    """Issue 12: "Roles that may see exact counts (the coordinating office, internally) are
    configured" — with none configured, the office too sees and exports suppressed figures
    only."""
    from lotse_reporting.bootstrap import ReportingService
    from lotse_reporting.settings import ReportingSettings

    container = ReportingService(ReportingSettings(database_url=reporting_db.app_url,
                                                   migration_database_url=reporting_db.owner_url,
                                                   broker_url=broker_url, exact_roles=()))
    container.trust(issuer.keys(), issuer.issuer)
    try:
        client = container.create_app().test_client()
        headers = {"Authorization": "Bearer " + issuer.issue(
            "ks-1", tenant, "org-kreis-hoexter", ["coordinator"], areas=[])}
        answer = client.get("/cases/by-area-and-phase", headers=headers)
        assert answer.json["suppressed"] is True
        assert {"area_id": "area-hoexter", "area_name": "Höxter", "phase": "closed",
                "cases": "<5"} in answer.json["rows"]
        assert client.get("/cases/by-area-and-phase.csv?exact=true",
                          headers=headers).status_code == 403
    finally:
        container.engine.dispose()
