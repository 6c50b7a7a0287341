"""`make run`'s demo county with its year of history (ADR 0093): after seeding, reporting's event
store holds the services' real events of many months, and the office's figures show them; the
case managers' 2-week reports of the past periods are submitted in the background once those
events are projected, the most recent ones left overdue for some (ADR 0102); and seeding again
writes nothing twice. A small history keeps it fast."""

from __future__ import annotations

import os
import threading
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

from lotse_composition import demo_reports
from lotse_composition.embedded import Platform
from lotse_demo import COUNTY, DEMO_PASSWORD
from lotse_platform.testing import TokenCaller, poll
from lotse_reporting.adapters.orm import event_store
from lotse_reporting.domain.periods import Period
from lotse_reporting.service_layer.seed_reports import planned_periods

pytestmark = pytest.mark.slow

PEOPLE = 40


@pytest.fixture
def platform(tmp_path: Path, monkeypatch):
    for name in [n for n in os.environ if n.startswith("LOTSE_") and n.endswith("DATABASE_URL")]:
        monkeypatch.delenv(name)
    # what Platform.build sets if unset: set here so that it is undone after the test
    for name, value in {"LOTSE_MODE": "embedded", "LOTSE_BROKER_URL": "memory://",
                        "LOTSE_PUBLIC_URL": "http://localhost:8080",
                        "LOTSE_KEY_DIR": str(tmp_path / "keys"),
                        "LOTSE_AUDIT_ANCHOR_DIR": ""}.items():
        monkeypatch.setenv(name, value)
    platform = Platform(tmp_path / "data", base_url="http://localhost:8080",
                        history_people=PEOPLE)
    platform.build()
    try:
        yield platform
    finally:
        platform.shutdown()


def _service(platform: Platform, name: str):
    return next(m.service for m in platform.mounted if m.service.name == name)


def _caller(platform: Platform, username: str) -> TokenCaller:
    identity = _service(platform, "identity").create_app().test_client()
    answer = identity.post("/oauth/token", data={
        "grant_type": "password", "client_id": "lotse-console", "username": username,
        "password": DEMO_PASSWORD})
    assert answer.status_code == 200, answer.get_json()
    return TokenCaller(_service(platform, "reporting").create_app().test_client(),
                       answer.get_json()["access_token"])


def _months(platform: Platform) -> Counter:
    with _service(platform, "reporting").engine.connect() as connection:
        times = connection.execute(sa.select(event_store.c.occurred_at, event_store.c.source))
        return Counter((t.strftime("%Y-%m"), source) for t, source in times)


def test_the_demo_county_has_a_year_of_history_in_reporting(platform):
    platform.start_workers()

    def months_of(source: str) -> set[str]:
        return {month for month, s in _months(platform) if s == source}

    poll(lambda: len(months_of("/lotse/intake")) >= 10 and len(months_of("/lotse/casework"))
         >= 10 and len(months_of("/lotse/network")) >= 6, timeout=120,
         message="events of at least 10 months from intake and casework in reporting's store")

    office = _caller(platform, "ks.koch")
    rows = poll(lambda: [r for r in office.get("/cases/by-area-and-phase").get_json()["rows"]
                         if r["phase"] == "closed"], timeout=60,
                message="closed cases of the history in the figures")
    figures = office.get("/cases/by-area-and-phase").get_json()["rows"]
    assert sum(r["cases"] for r in figures) >= 30 + 14  # the history's cases and the demo's
    assert len({r["phase"] for r in figures}) >= 4 and sum(r["cases"] for r in rows) >= 3
    assert len({r["area_id"] for r in figures}) >= 5

    partners = office.get("/referrals/by-partner").get_json()["rows"]
    outcomes = Counter()
    for row in partners:
        outcomes.update(row["outcomes"])
    assert len({r["partner_org_id"] for r in partners}) >= 4
    assert {"completed", "declined", "cancelled"} <= {o for o, n in outcomes.items() if n}
    assert sum(r["referrals"] for r in partners) >= 20


def test_seeding_the_history_again_writes_nothing_twice(platform):
    history = platform.history()
    assert history.people, "the plan is not empty"
    for mounted in platform.mounted:
        assert mounted.service.seed_history(COUNTY, history) == 0, mounted.service.name


def test_no_report_is_submitted_before_reporting_has_the_historys_events(platform):
    # the workers do not run: reporting has handled none of the history's events
    reporting = _service(platform, "reporting")
    producers = [m.service for m in platform.mounted if m.service is not reporting]
    assert demo_reports.wait_until_consumed(reporting, producers, threading.Event(),
                                            timeout=0) > 100
    assert demo_reports.submit_reports(platform.data_dir, reporting, producers, COUNTY,
                                       threading.Event(), timeout=0) is None
    assert demo_reports.pending_plan(platform.data_dir) == platform.history().today, \
        "still to do: the next start tries again"
    office = _caller(platform, "ks.koch")
    latest = Period.of(platform.history().today).previous
    assert office.get(f"/period-reports?period={latest.label}").get_json()["submitted"] == 0


def test_the_demo_case_managers_submitted_their_reports_and_some_are_overdue(platform):
    planned_on = platform.history().today
    assert demo_reports.pending_plan(platform.data_dir) == planned_on
    platform.start_workers()
    job = platform.start_demo_reports()
    assert job is not None
    poll(lambda: not job.is_alive(), timeout=600, message="the demo's 2-week reports submitted")
    assert demo_reports.pending_plan(platform.data_dir) is None, "the plan is marked done"

    office = _caller(platform, "ks.koch")
    managers = {str(u.id) for u in COUNTY.users_with_role("case_manager")}
    latest = Period.of(planned_on).previous  # the most recent period that is due
    overview = office.get(f"/period-reports?period={latest.label}").get_json()
    assert overview["overdue"] >= 1 and overview["submitted"] >= 1, overview
    assert {r["case_manager_id"] for r in overview["items"]} >= managers
    older = latest.previous.previous
    overview = office.get(f"/period-reports?period={older.label}").get_json()
    assert overview["submitted"] == len(managers) and overview["overdue"] == 0, overview

    # the one before the latest is overdue for one case manager; back from `older`, the periods
    # the demo planned (those that began in the year before its day — one fewer on a day when
    # a period began exactly a year before), at most 24
    periods = [p for p in planned_periods(planned_on) if p.start <= older.start][-24:]
    assert len(periods) >= 22 and periods[-1] == older
    county = [office.get(f"/county-period-reports/{p.label}").get_json() for p in periods]
    assert all(c["submitted"] == c["expected"] == len(managers) for c in county)
    assert sum(c["figures"][0]["value"] for c in county) >= 20, "first contacts over the year"
    assert sum(len(c["topics"]) for c in county) >= 20 and sum(
        c["theme_candidates"] for c in county) >= 5
    candidates = sum(office.get(f"/theme-candidates?period={p.label}").get_json()["total"]
                     for p in periods)
    assert candidates == sum(c["theme_candidates"] for c in county)

    # each report confirmed the figures the events say (the history was projected first), or
    # corrected one with a note; submitted on its days, a few after they were due
    corrected = late = 0
    for manager in sorted(managers):
        for period in periods:
            report = office.get(f"/period-reports/{period.label}/{manager}").get_json()
            assert report["status"] == "submitted", (period.label, manager)
            assert report["submitted_at"][:10] < planned_on.isoformat()
            late += report["submitted_late"]
            for figure in report["figures"]:
                if figure["corrected"]:
                    corrected += 1
                    assert figure["note"]
                else:
                    assert figure["value"] == figure["prefilled"], (period.label, figure)
    assert corrected >= 5 and 1 <= late < len(managers) * len(periods) // 4

    assert platform.start_demo_reports() is None, "done: a restart submits nothing"
    reporting = _service(platform, "reporting")
    assert reporting.seed_period_reports(COUNTY, planned_on) == 0
