"""`make run`'s demo county with its year of history (ADR 0093): after seeding, reporting's event
store holds the services' real events of many months, and the office's figures show them; and
seeding again writes nothing twice. A small history keeps it fast."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

from lotse_composition.embedded import Platform
from lotse_demo import COUNTY, DEMO_PASSWORD
from lotse_platform.testing import TokenCaller, poll
from lotse_reporting.adapters.orm import event_store

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
