"""The standard reports as files and as polled JSON on the real database (issue 12, "Formats and
API" and "Protecting people in the numbers"; ADR 0090, 0091): CSV parsed, XLSX read back, SVG
parsed (bar and line charts with their series), PNG checked; suppressed unless a caller who may
asks for the exact ones; the JSON paged and conditional; each role what it may."""

from __future__ import annotations

import csv
import io
import uuid
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Any

import pytest
from openpyxl import load_workbook

from lotse.casework.v1 import events_pb2 as casework
from lotse.identity.v1 import events_pb2 as identity
from lotse.intake.v1 import events_pb2 as intake
from lotse.kim.v1 import vocabulary_pb2 as kim
from lotse.network.v1 import events_pb2 as network
from lotse_platform.auth import CASE_MANAGER, COORDINATOR, STEERING_MEMBER
from lotse_platform.contracts import Envelope, event_type_of
from lotse_platform.references import ORGANISATION, Known
from lotse_platform.testing import frozen_clock, known_directory, put_directory

from reporting_intake import caller, deliver

pytestmark = pytest.mark.integration

KREIS, STADT = "org-kreis-hoexter", "org-stadt-brakel"
MBE, CARITAS = "org-mbe", "org-caritas"
AREA = "area-hoexter"
CM_A, CM_B = "cm-a", "cm-b"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG = "{http://www.w3.org/2000/svg}"
AT = datetime(2023, 10, 20, 10, tzinfo=UTC)
#: 23:30 UTC: already the next day in Berlin (the stamp is the tenant's time)
MADE_AT = datetime(2026, 3, 31, 22, 30, tzinfo=UTC)


def envelope(event: Any, tenant: uuid.UUID, sequence: int | None = None) -> Envelope:
    service = event_type_of(event).split(".", 1)[0]
    return Envelope(id=uuid.uuid4(), type=event_type_of(event), source=f"/lotse/{service}",
                    time=AT, data=event.SerializeToString(), tenant=tenant, sequence=sequence)


def screening(tenant, path, depth, org="") -> list[Envelope]:
    intake_id = str(uuid.uuid4())
    return [envelope(intake.ContactRecorded(intake_id=intake_id, area_id=AREA, recorded_by=CM_A,
                                            access_path=path, contact_date="2023-09-01"),
                     tenant),
            envelope(intake.CounsellingDepthDecided(intake_id=intake_id, area_id=AREA,
                                                    revision=1, depth=depth, decided_by=CM_A,
                                                    decided_on="2023-09-01",
                                                    referral_org_id=org), tenant)]


def case(tenant, case_manager, group, topic, contacts=()) -> list[Envelope]:
    """A case opened with its primary goal, and its contacts: (phase, day)."""
    facts = casework.CaseFacts(case_id=str(uuid.uuid4()), area_id=AREA,
                               case_manager_id=case_manager, target_group_ids=[group],
                               opened_on="2023-08-01", primary_topic_area=topic)
    events: list[Any] = [casework.CaseOpened(case=facts)]
    events += [casework.ContactRecorded(case=facts, contact_id=str(uuid.uuid4()), phase=phase,
                                        type=casework.CONTACT_TYPE_APPOINTMENT,
                                        duration_minutes=30, contact_on=day)
               for phase, day in contacts]
    return [envelope(e, tenant, sequence=n) for n, e in enumerate(events, start=1)]


def referral(tenant, partner, states) -> list[Envelope]:
    facts = network.ReferralFacts(referral_id=str(uuid.uuid4()), partner_org_id=partner,
                                  topic_area=kim.TOPIC_AREA_RESIDENCE, sent_on="2023-09-20",
                                  mode=network.REFERRAL_MODE_WARM_HANDOVER,
                                  source=network.REFERRAL_SOURCE_CASE, case_manager_id=CM_A)
    kinds = {"sent": network.ReferralSent, "accepted": network.ReferralAccepted,
             "arrived": network.ReferralArrived}
    return [envelope(kinds[s](referral=facts), tenant) for s in states]


SCREENING = kim.ACCESS_PATH_IMMIGRATION_OFFICE_SCREENING
SELF = kim.ACCESS_PATH_SELF_REFERRAL
ASSESSMENT, MONITORING = casework.PHASE_ASSESSMENT, casework.PHASE_MONITORING


@pytest.fixture
def county(reporting, tenant) -> uuid.UUID:
    """Screenings: MBE 17, KIM-CM 23, Caritas 4, no need 49 (immigration office); no need 6,
    KIM-CM 2 (self-referral). Cases: cm-a 12 residence + 3 language, cm-b 7 work + 1 health;
    contacts in assessment (September 8, October 2) and monitoring (October 7). Referrals: MBE
    6 sent, 5 accepted, 4 arrived; Caritas 2 sent, 1 arrived."""
    put_directory(reporting, tenant, [
        *known_directory(organisations=(KREIS, STADT), areas=(AREA,),
                         users=[(CM_A, KREIS, ["case_manager"]),
                                (CM_B, STADT, ["case_manager"])]),
        Known(ORGANISATION, MBE, version=1, name="MBE Höxter"),
        Known(ORGANISATION, CARITAS, version=1, name="Caritas")])
    depth = kim.CounsellingDepth
    plan = ([(SCREENING, depth.Value("COUNSELLING_DEPTH_REFERRAL"), MBE)] * 17
            + [(SCREENING, depth.Value("COUNSELLING_DEPTH_CASE_MANAGEMENT"), "")] * 23
            + [(SCREENING, depth.Value("COUNSELLING_DEPTH_REFERRAL"), CARITAS)] * 4
            + [(SCREENING, depth.Value("COUNSELLING_DEPTH_NO_NEED"), "")] * 49
            + [(SELF, depth.Value("COUNSELLING_DEPTH_NO_NEED"), "")] * 6
            + [(SELF, depth.Value("COUNSELLING_DEPTH_CASE_MANAGEMENT"), "")] * 2)
    events = [e for path, d, org in plan for e in screening(tenant, path, d, org)]
    september = [(ASSESSMENT, "2023-09-12")]
    october = [(ASSESSMENT, "2023-10-03"), (MONITORING, "2023-10-10")]
    for n in range(12):
        events += case(tenant, CM_A, "tg-1", kim.TOPIC_AREA_RESIDENCE,
                       september if n < 8 else ())
    for _ in range(3):
        events += case(tenant, CM_A, "tg-2", kim.TOPIC_AREA_LANGUAGE)
    for n in range(7):
        events += case(tenant, CM_B, "tg-1", kim.TOPIC_AREA_WORK_TRAINING,
                       october if n < 2 else [(MONITORING, "2023-10-10")])
    events += case(tenant, CM_B, "tg-2", kim.TOPIC_AREA_HEALTH)
    for _ in range(4):
        events += referral(tenant, MBE, ("sent", "accepted", "arrived"))
    events += referral(tenant, MBE, ("sent", "accepted"))
    events += referral(tenant, MBE, ("sent",))
    events += referral(tenant, CARITAS, ("sent", "arrived"))
    events += referral(tenant, CARITAS, ("sent",))
    events += [envelope(identity.UserCreated(user_id=CM_A, organisation_id=KREIS, fte=0.5,
                                             roles=["case_manager"], version=1), tenant),
               envelope(identity.UserCreated(user_id=CM_B, organisation_id=STADT, fte=0.25,
                                             roles=["case_manager"], version=1), tenant)]
    assert deliver(reporting, events) == len(events)
    return tenant


def read_csv(answer) -> list[list[str]]:
    assert answer.status_code == 200, answer.get_data()[:300]
    assert answer.mimetype == "text/csv"
    data = answer.get_data()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def svg_texts(data: bytes, prefix: str = "") -> set[str]:
    root = ET.fromstring(data)
    groups = [g for g in root.iter(f"{SVG}g") if g.get("id", "").startswith(prefix)] if prefix \
        else [root]
    return {"".join(t.itertext()).strip() for g in groups for t in g.iter(f"{SVG}text")}


def svg_ids(data: bytes, prefix: str) -> set[str]:
    return {g.get("id", "") for g in ET.fromstring(data).iter(f"{SVG}g")
            if g.get("id", "").startswith(prefix)}


def test_the_screening_csv_is_the_steering_group_s_suppressed_table_with_its_totals(
        county, app, issuer):
    """Issue 12: exports suppress cells below 5 with secondary suppression — the same cells as
    the suppressed JSON; the office's exact export only when asked for."""
    steering = caller(app, issuer, county, "lg-1", (STEERING_MEMBER,), "org-jobcenter")
    office = caller(app, issuer, county, "ks-1", (COORDINATOR,), KREIS)

    rows = read_csv(steering.get("/reports/screening-outcomes.csv"))

    header = rows[0]
    assert header[0] == "Zugangsweg" and header[-1] == "Summe"
    assert {"Verweis: MBE Höxter", "Verweis: Caritas", "KIM-Case-Management",
            "kein Bedarf"} <= set(header)
    table = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert set(table) == {"Screening Ausländerbehörde", "Selbstmelder", "Summe"}
    screened = table["Screening Ausländerbehörde"]
    assert screened["Verweis: Caritas"] == "<5" and screened["Summe"] == "93"
    assert screened["Verweis: MBE Höxter"] == "x"  # else 93 would give the 4 away
    assert table["Summe"]["Summe"] == "101"
    assert not {"1", "2", "3", "4"} & {v for row in rows[1:] for v in row[1:]}
    # the JSON a steering member reads hides the same cells
    json = steering.get("/reports/screening-outcomes",
                        query_string={"limit": 1000}).get_json()
    marks = {(r["access_path"], r["referral_org_id"] or r["outcome"]): r["count"]
             for r in json["rows"] if not isinstance(r["count"], int)}
    assert marks[("immigration_office_screening", CARITAS)] == "<5"
    assert marks[("immigration_office_screening", MBE)] == "x"
    assert sum(1 for row in rows[1:] for v in row[1:] if v in ("<5", "x")) == len(marks) + sum(
        1 for t in [*json["totals"], *json["outcome_totals"], {"count": json["grand_total"]}]
        if not isinstance(t["count"], int))

    assert steering.get("/reports/screening-outcomes.csv?exact=true").status_code == 403
    exact = read_csv(office.get("/reports/screening-outcomes.csv?exact=true"))
    exact_table = {row[0]: dict(zip(exact[0], row, strict=True)) for row in exact[1:]}
    assert exact_table["Screening Ausländerbehörde"]["Verweis: Caritas"] == "4"
    assert exact_table["Selbstmelder"]["kein Bedarf"] == "6"
    only = read_csv(office.get("/reports/screening-outcomes.csv?exact=true"
                               "&access_path=self_referral"))
    assert [row[0] for row in only[1:]] == ["Selbstmelder", "Summe"]


def test_the_caseload_xlsx_reads_back_with_numbers_and_the_tenant_s_time(county, app, issuer):
    office = caller(app, issuer, county, "ks-1", (COORDINATOR,), KREIS)
    with frozen_clock(MADE_AT):
        answer = office.get("/reports/caseload.xlsx?exact=true")
    assert answer.status_code == 200
    assert "caseload-intern.xlsx" in answer.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(answer.get_data()))
    values = [list(row) for row in book.active.iter_rows(values_only=True)]
    assert values[0][0] == "Fallzahl je Case-Managerin"
    header = values[1]
    body = {row[0]: dict(zip(header, row, strict=True)) for row in values[2:5]}
    assert body[CM_A]["Fälle"] == 15 and body[CM_A]["Stellenanteil"] == 0.5
    assert (body[CM_A]["Richtwert von"], body[CM_A]["Richtwert bis"]) == (25, 30)
    assert body[CM_A]["Status"] == "unter dem Richtwert"
    assert body["Summe"]["Fälle"] == 23
    notes = [row[0] for row in values[5:] if row[0]]
    assert "Stand / as of: 01.04.2026 00:30 (CEST)" in notes
    # suppressed by default: cm-b's 8 cases and the total shown, nothing small
    suppressed = load_workbook(io.BytesIO(office.get("/reports/caseload.xlsx").get_data()))
    rows = [list(r) for r in suppressed.active.iter_rows(values_only=True)][2:5]
    assert [row[3] for row in rows] == [15, 8, 23]


def test_a_time_series_is_a_csv_of_months_and_a_line_chart_per_key(county, app, issuer):
    """Issue 12: charts (SVG and PNG: time series …): the series there, one line each."""
    office = caller(app, issuer, county, "ks-1", (COORDINATOR,), KREIS)

    rows = read_csv(office.get("/reports/time-series/contacts.csv?exact=true"))
    assert rows[0] == ["Schlüssel", "Detail", "2023-09", "2023-10", "Summe"]
    table = {row[0]: row for row in rows[1:]}
    assert table["assessment"] == ["assessment", "appointment", "8", "2", "10"]
    assert table["monitoring"] == ["monitoring", "appointment", "0", "7", "7"]
    assert table["Summe"] == ["Summe", "", "8", "9", "17"]

    svg = office.get("/charts/time-series/contacts.svg?exact=true")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    texts = svg_texts(svg.get_data())
    assert {"Bestandsaufnahme (appointment)", "Monitoring (appointment)"} <= texts  # legend
    assert {"2023-09", "2023-10", "Monatsreihe: contacts"} <= texts
    assert svg_ids(svg.get_data(), "line-") == {"line-0", "line-1"}
    assert svg_texts(svg.get_data(), "mark-") == set()
    steering = caller(app, issuer, county, "lg-1", (STEERING_MEMBER,), "org-jobcenter")
    hidden = steering.get("/charts/time-series/contacts.svg").get_data()
    assert svg_texts(hidden, "mark-") == {"<5", "x"}  # October's 2 and what protects it
    png = steering.get("/charts/time-series/contacts.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert png.get_data().startswith(PNG_SIGNATURE) and len(png.get_data()) > 5000

    unknown = office.get("/reports/time-series/horoscopes.csv")
    assert unknown.status_code == 404 and unknown.get_json()["errors"][0]["field"] == "figure"
    assert office.get("/reports/time-series/contacts").get_json()["figure"] == "contacts"


def test_the_standard_reports_are_bar_charts_with_their_series(county, app, issuer):
    office = caller(app, issuer, county, "ks-1", (COORDINATOR,), KREIS)

    rates = office.get("/charts/referral-rates.svg?exact=true").get_data()
    assert {"gesendet", "angenommen", "angekommen", "Ankunftsquote 67 %"} <= svg_texts(rates)
    assert "MBE" in " ".join(svg_texts(rates)).split()
    assert svg_texts(rates, "value-") - {""} == {"6", "5", "4", "2", "1"}
    topics = office.get("/charts/primary-goal-areas.svg").get_data()
    assert {"Aufenthalt", "Sprache", "Arbeit/Ausbildung", "Gesundheit"} <= svg_texts(topics)
    assert svg_texts(topics, "mark-") == {"<5"}  # language 3, health 1: two unknowns already
    assert not {"1", "3"} & svg_texts(topics, "value-")
    effort = office.get("/charts/effort-by-phase.svg?exact=true").get_data()
    assert {"Fälle", "Kontakte", "Termine", "1–3 Termine"} <= svg_texts(effort)
    for path in ("/charts/screening-outcomes.png", "/charts/caseload.png",
                 "/charts/effort-by-phase.png", "/charts/primary-goal-areas.png",
                 "/charts/referral-rates.png"):
        png = office.get(path)
        assert png.status_code == 200 and png.get_data().startswith(PNG_SIGNATURE), path
    for path in ("/reports/primary-goal-areas.xlsx", "/reports/effort-by-phase.csv",
                 "/reports/referral-rates.xlsx", "/reports/time-series/closures.xlsx"):
        assert office.get(path).status_code == 200, path


def test_the_per_case_manager_table_is_a_file_of_its_own(county, app, issuer):
    """The Hilden table's second part (004 L140): people per case manager and target group."""
    steering = caller(app, issuer, county, "lg-1", (STEERING_MEMBER,), "org-jobcenter")
    rows = read_csv(steering.get("/reports/primary-goal-areas/by-case-manager.csv"))
    assert rows[0] == ["Case-Managerin (ID)", "tg-1", "tg-2", "Summe"]
    table = {row[0]: row[1:] for row in rows[1:]}
    assert table[CM_A] == ["x", "<5", "15"] and table[CM_B] == ["x", "<5", "8"]
    assert table["Summe"][-1] == "23"
    assert not {"1", "2", "3", "4"} & {v for row in rows[1:] for v in row[1:]}
    office = caller(app, issuer, county, "ks-1", (COORDINATOR,), KREIS)
    exact = read_csv(office.get("/reports/primary-goal-areas/by-case-manager.csv?exact=true"))
    assert {row[0]: row[1:] for row in exact[1:]}[CM_A] == ["12", "3", "15"]
    svg = office.get("/charts/primary-goal-areas/by-case-manager.svg").get_data()
    assert {CM_A, CM_B, "tg-1", "tg-2"} <= svg_texts(svg)
    assert office.get("/charts/primary-goal-areas/by-case-manager.png").get_data().startswith(
        PNG_SIGNATURE)


def test_the_referral_rates_csv_shows_a_rate_only_beside_shown_counts(county, app, issuer):
    steering = caller(app, issuer, county, "lg-1", (STEERING_MEMBER,), "org-jobcenter")
    rows = read_csv(steering.get("/reports/referral-rates.csv"))
    table = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert table[CARITAS]["gesendet"] == "<5" and table[CARITAS]["Ankunftsquote"] == ""
    assert table[MBE]["gesendet"] == "x" and table[MBE]["Annahmequote"] == ""
    assert table["Summe"]["gesendet"] == "8" and table["Summe"]["Ankunftsquote"] == "0,625"
    exact = read_csv(caller(app, issuer, county, "ks-1", (COORDINATOR,), KREIS).get(
        "/reports/referral-rates.csv?exact=true"))
    exact_table = {row[0]: dict(zip(exact[0], row, strict=True)) for row in exact[1:]}
    assert (exact_table[MBE]["Partner"], exact_table[MBE]["Art"]) == ("MBE Höxter",
                                                                      "warme Übergabe")
    assert exact_table[MBE]["Annahmequote"] == "0,833"


def test_the_standard_json_is_paged_and_answers_304_while_nothing_changed(
        county, reporting, app, issuer):
    """Issue 12: "paginated, ETag / conditional requests so dashboards can poll cheaply"."""
    office = caller(app, issuer, county, "ks-1", (COORDINATOR,), KREIS)
    first = office.get("/reports/screening-outcomes", query_string={"limit": 2})
    assert first.status_code == 200
    found = first.get_json()
    assert (found["total"], found["limit"], found["offset"], found["next_offset"]) == (
        8, 2, 0, 2)
    everything = office.get("/reports/screening-outcomes").get_json()
    rest = office.get("/reports/screening-outcomes",
                      query_string={"limit": 6, "offset": 2}).get_json()
    assert found["rows"] + rest["rows"] == everything["rows"] and rest["next_offset"] is None
    assert found["totals"] == everything["totals"]  # the totals whatever the page
    assert office.get("/reports/caseload?limit=0").status_code == 422

    etag = first.headers["ETag"]
    headers = {**office.headers, "If-None-Match": etag}
    unchanged = office.client.get("/reports/screening-outcomes?limit=2", headers=headers)
    assert unchanged.status_code == 304 and unchanged.get_data() == b""
    assert unchanged.headers["ETag"] == etag
    steering = caller(app, issuer, county, "lg-1", (STEERING_MEMBER,), "org-jobcenter")
    assert steering.client.get("/reports/screening-outcomes?limit=2", headers={
        **steering.headers, "If-None-Match": etag}).status_code == 200
    assert deliver(reporting, screening(county, SCREENING,
                                        kim.COUNSELLING_DEPTH_CASE_MANAGEMENT)) == 2
    changed = office.client.get("/reports/screening-outcomes?limit=2", headers=headers)
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    for path in ("/reports/primary-goal-areas", "/reports/caseload", "/reports/effort-by-phase",
                 "/reports/referral-rates", "/reports/time-series/contacts"):
        answer = office.get(path)
        assert answer.headers["ETag"], path
        assert office.client.get(path, headers={**office.headers, "If-None-Match":
                                                answer.headers["ETag"]}).status_code == 304


def test_a_case_manager_exports_her_own_figures_and_the_office_may_ask_for_the_steering_view(
        county, app, issuer):
    """Her own figures are internal: exact when she asks (suppressed by default, like every
    export); another's: 403. A steering member may not ask for exact counts."""
    own = caller(app, issuer, county, CM_A, (CASE_MANAGER,), KREIS)
    mine = read_csv(own.get("/reports/caseload.csv?exact=true"))
    assert [row[0] for row in mine[1:]] == [CM_A, "Summe"] and mine[1][3] == "15"
    topics = read_csv(own.get("/reports/primary-goal-areas.csv"))
    assert dict((row[0], row[1]) for row in topics[1:])["Sprache"] == "<5"
    assert own.get("/reports/primary-goal-areas").get_json()["rows"][0]["count"] == 3
    assert own.get("/reports/caseload.csv",
                   query_string={"case_manager_id": CM_B}).status_code == 403
    steering = caller(app, issuer, county, "lg-1", (STEERING_MEMBER,), "org-jobcenter")
    for path in ("/reports/caseload", "/reports/caseload.xlsx", "/charts/caseload.svg"):
        refused = steering.get(f"{path}?exact=true")
        assert refused.status_code == 403, path
        assert refused.get_json()["errors"] == [{"field": "exact",
                                                 "message": "not allowed for your role"}]
    office = caller(app, issuer, county, "ks-1", (COORDINATOR,), KREIS)
    assert office.get("/reports/caseload?exact=false").get_json() == steering.get(
        "/reports/caseload").get_json()
    bad = office.get("/reports/caseload.csv?exact=perhaps")
    assert bad.status_code == 422 and bad.get_json()["errors"][0]["field"] == "exact"
