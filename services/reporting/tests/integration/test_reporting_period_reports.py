"""The 2-week reports on the real database (issue 12, "2-week reports"; seed 001 L355; ADR
0089): pre-filled from the events the worker stored, corrected with a note, submitted once (409
the second time), the office's overview with a frozen clock (submitted, overdue), the county's
report compiled (JSON and a PDF that opens), ETags, and who may read what."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pypdf
import pytest
import sqlalchemy as sa

from lotse_platform.auth import CASE_MANAGER, COORDINATOR, STEERING_MEMBER
from lotse_platform.testing import frozen_clock, known_directory, put_directory

from reporting_period_events import COUNTED, two_weeks

pytestmark = pytest.mark.integration

PERIOD = "2026-W47"
#: Friday of the odd week, in the morning: the period is open
FRIDAY = datetime(2026, 11, 20, 9, tzinfo=UTC)
#: Sunday of the odd week 23:30 UTC = Monday 00:30 in Berlin: the period is due
SUNDAY_LATE = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)


@pytest.fixture
def county(reporting, tenant):
    """Two case managers and an office known from identity's directory; cm-1's two weeks
    stored by the worker."""
    put_directory(reporting, tenant, known_directory(users=[
        ("cm-1", "org-kreis", [CASE_MANAGER]), ("cm-2", "org-awo", [CASE_MANAGER]),
        ("ks-1", "org-kreis", [COORDINATOR])]))
    consumer = reporting.consumer()
    for envelope, event in two_weeks(tenant, "cm-1", date(2026, 11, 10), date(2026, 11, 19)):
        assert consumer.process(envelope, event) == "processed"
    return tenant


def figures(report) -> dict[str, int]:
    return {f["figure"]: f["value"] for f in report["figures"] if f["value"]}


def outbox(superuser, tenant) -> list[str]:
    with superuser.connect() as connection:
        return list(connection.execute(sa.text(
            "SELECT event_type FROM outbox WHERE tenant_id = :t ORDER BY id"), {"t": tenant})
            .scalars())


def test_a_case_manager_corrects_the_prefilled_figures_with_a_note_and_submits_once(
        county, as_user, superuser):
    """001 L355 / issue 12: numbers pre-filled from the events, confirmed or corrected with a
    note, topics by topic area (one flagged for the steering group); submitted once, then
    read-only (409)."""
    cm = as_user("cm-1", roles=(CASE_MANAGER,))
    with frozen_clock(FRIDAY):
        read = cm.get(f"/period-reports/mine/{PERIOD}")
        assert read.status_code == 200, read.json
        assert figures(read.json) == COUNTED
        assert read.json["status"] == "open" and read.json["id"] is None
        assert (read.json["period_start"], read.json["period_end"]) == ("2026-11-09",
                                                                      "2026-11-22")
        tag = read.headers["ETag"]
        assert cm.client.get(f"/period-reports/mine/{PERIOD}",
                             headers={**cm.headers, "If-None-Match": tag}).status_code == 304

        body = {"corrections": {"contacts.home_visit": {"value": 2,
                                                        "note": "ein Hausbesuch nicht erfasst"}},
                "topics": [{"topic_area": "housing", "text": "Kein bezahlbarer Wohnraum",
                            "theme_candidate": True},
                           {"topic_area": "language", "text": "Wartelisten B1"}],
                "network_minutes": 240, "system_minutes": 60}
        saved = cm.client.put(f"/period-reports/mine/{PERIOD}", json=body,
                              headers={**cm.headers, "If-Match": tag})
        assert saved.status_code == 200, saved.json
        home = {f["figure"]: f for f in saved.json["figures"]}["contacts.home_visit"]
        assert (home["prefilled"], home["value"], home["note"]) == (
            1, 2, "ein Hausbesuch nicht erfasst")
        stale = cm.client.put(f"/period-reports/mine/{PERIOD}", json=body,
                              headers={**cm.headers, "If-Match": tag})
        assert stale.status_code == 412, stale.json

        done = cm.post(f"/period-reports/mine/{PERIOD}/submit")
        assert done.status_code == 200, done.json
        assert done.json["status"] == "submitted" and done.json["submitted_late"] is False
        assert figures(done.json)["contacts.home_visit"] == 2
        again = cm.post(f"/period-reports/mine/{PERIOD}/submit")
        assert again.status_code == 409 and again.mimetype == "application/problem+json"
        assert cm.put(f"/period-reports/mine/{PERIOD}", json=body).status_code == 409
    assert outbox(superuser, county) == ["reporting.period_report.submitted.v1",
                                         "reporting.theme_candidate.flagged.v1"]
    with superuser.connect() as connection:
        payloads = b"".join(connection.execute(sa.text(
            "SELECT payload FROM outbox WHERE tenant_id = :t"), {"t": county}).scalars())
    assert "Wohnraum".encode() not in payloads and b"Hausbesuch" not in payloads
    with superuser.connect() as connection:  # the report's words are encrypted (ADR 0104)
        stored = connection.execute(sa.text(
            "SELECT topics, corrections FROM period_report WHERE tenant_id = :t"),
            {"t": county}).one()
    assert all(value.startswith("lotse1$") for value in stored)
    assert not any(word in value for value in stored for word in ("Wohnraum", "Hausbesuch"))
    # the steering group reads the flagged topic's text, not who reported it
    evidence = as_user("lg-1", roles=(STEERING_MEMBER,)).get(
        f"/theme-candidates?period={PERIOD}")
    assert evidence.status_code == 200, evidence.json
    assert [(c["topic_area"], c["text"]) for c in evidence.json["items"]] == [
        ("housing", "Kein bezahlbarer Wohnraum")]
    assert "cm-1" not in str(evidence.json)
    with superuser.connect() as connection:
        trail = " ".join(str(r) for r in connection.execute(sa.text(
            "SELECT * FROM audit_log WHERE tenant_id = :t"), {"t": county}))
    assert "Wohnraum" not in trail and "Hausbesuch nicht" not in trail


def test_the_office_sees_who_submitted_and_who_is_overdue_at_berlin_midnight(county, as_user):
    """001 L355 ("am Ende der ungeraden Woche den KS zugesendet"): at 23:30 UTC on the Sunday
    it is Monday in Berlin — a report not submitted is overdue; an hour earlier it is open."""
    with frozen_clock(FRIDAY):
        assert as_user("cm-1", roles=(CASE_MANAGER,)).post(
            f"/period-reports/mine/{PERIOD}/submit").status_code == 200
    office = as_user("ks-1")
    with frozen_clock(datetime(2026, 11, 22, 22, 30, tzinfo=UTC)):
        before = office.get(f"/period-reports?period={PERIOD}")
        assert before.status_code == 200, before.json
        assert {r["case_manager_id"]: r["status"] for r in before.json["items"]} == {
            "cm-1": "submitted", "cm-2": "open"}
    with frozen_clock(SUNDAY_LATE):
        after = office.get(f"/period-reports?period={PERIOD}").json
        assert {r["case_manager_id"]: r["status"] for r in after["items"]} == {
            "cm-1": "submitted", "cm-2": "overdue"}
        assert (after["submitted"], after["overdue"], after["total"]) == (1, 1, 2)
        page = office.get(f"/period-reports?period={PERIOD}&limit=1&offset=1").json
        assert [r["case_manager_id"] for r in page["items"]] == ["cm-2"]
        late = as_user("cm-2", roles=(CASE_MANAGER,)).post(
            f"/period-reports/mine/{PERIOD}/submit")
        assert late.json["submitted_late"] is True
        read = office.get(f"/period-reports/{PERIOD}/cm-1")
        assert read.status_code == 200 and read.json["status"] == "submitted"
        assert office.get(f"/period-reports/{PERIOD}/nobody").status_code == 404


def test_the_office_compiles_the_county_report_as_json_and_pdf(county, as_user):
    """Issue 12: the coordinating office compiles the county's period report — figures summed,
    topics by topic area — and prints it (a PDF that opens and names the period)."""
    with frozen_clock(FRIDAY):
        cm = as_user("cm-1", roles=(CASE_MANAGER,))
        cm.put(f"/period-reports/mine/{PERIOD}", json={
            "topics": [{"topic_area": "housing", "text": "Kein bezahlbarer Wohnraum",
                        "theme_candidate": True}], "network_minutes": 90})
        cm.post(f"/period-reports/mine/{PERIOD}/submit")
        office = as_user("ks-1")
        compiled = office.get(f"/county-period-reports/{PERIOD}")
        assert compiled.status_code == 200, compiled.json
        assert (compiled.json["submitted"], compiled.json["expected"]) == (2 - 1, 2)
        summed = {f["figure"]: f["value"] for f in compiled.json["figures"] if f["value"]}
        assert summed == COUNTED and compiled.json["network_minutes"] == 90
        assert compiled.json["topics"] == [{
            "topic_area": "housing", "reported": 1, "theme_candidates": 1,
            "texts": [{"text": "Kein bezahlbarer Wohnraum", "theme_candidate": True}]}]
        printed = office.get(f"/county-period-reports/{PERIOD}/pdf")
    assert printed.status_code == 200 and printed.mimetype == "application/pdf"
    assert printed.data.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(printed.data))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert PERIOD in text and "Kein bezahlbarer Wohnraum" in text and "Hausbesuche" in text


def test_who_may_read_what_and_a_bad_period_is_named(county, as_user):
    """Issue 12: a case manager her own, the office the county's, steering members not the
    individual reports; a period that is none is refused naming the field."""
    cm, office = as_user("cm-1", roles=(CASE_MANAGER,)), as_user("ks-1")
    steering = as_user("lg-1", roles=(STEERING_MEMBER,))
    for path in (f"/period-reports?period={PERIOD}", f"/period-reports/{PERIOD}/cm-1",
                 f"/county-period-reports/{PERIOD}"):
        assert cm.get(path).status_code == 403
        assert steering.get(path).status_code == 403
    assert office.get(f"/period-reports/mine/{PERIOD}").status_code == 403
    assert steering.get(f"/period-reports/mine/{PERIOD}").status_code == 403
    assert cm.get(f"/theme-candidates?period={PERIOD}").status_code == 403
    bad = cm.get("/period-reports/mine/2026-W46")
    assert bad.status_code == 422 and bad.json["errors"][0]["field"] == "period"
    wrong = cm.put(f"/period-reports/mine/{PERIOD}", json={
        "corrections": {"first_contacts": {"value": 1}}})
    assert wrong.status_code == 422 and "corrections" in str(wrong.json)
    assert office.get("/period-reports").status_code == 422


def test_the_period_projections_rebuild_to_the_rows_the_worker_built(county, reporting,
                                                                     superuser):
    """ADR 0087/0089: the figures are a projection — a rebuild from the store gives the same
    rows (the case managers' reports are not touched)."""
    def rows():
        with superuser.connect() as connection:
            return ([tuple(r) for r in connection.execute(sa.text(
                "SELECT case_manager_id, period, figure, count FROM period_figure "
                "WHERE tenant_id = :t ORDER BY 1, 2, 3"), {"t": county})],
                    [tuple(r) for r in connection.execute(sa.text(
                        "SELECT case_id, day, case_manager_id, phase, sequence "
                        "FROM period_case_step WHERE tenant_id = :t ORDER BY 1, 5, 2"),
                        {"t": county})])
    built = rows()
    counted = {(m, f): n for m, _p, f, n in built[0]}
    assert counted == {**{("cm-1", f): n for f, n in COUNTED.items()
                          if not f.startswith("open_cases.")},
                       ("cm-other", "first_contacts"): 1}
    assert len(built[1]) == 4  # two cases opened, one moved on, one closed
    reporting.rebuild(stream=None)
    assert rows() == built
