"""One clock for every date rule: the tenant's calendar day (Europe/Berlin unless the deployment
says otherwise), never the server's UTC day. The test suite's own date helpers count the same
days, so the suite passes at any hour: these tests run them at 23:30 UTC, which is already
tomorrow in Berlin."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, date, datetime, time

import pytest

from lotse.example.v1 import events_pb2
from lotse_example.settings import ExampleSettings
from lotse_platform import clock, testing
from lotse_platform.clock import TimeZones
from lotse_platform.contracts.outbox import outbox_row
from lotse_platform.settings import ConfigurationError, load_settings

WINTER_NIGHT = datetime(2026, 12, 7, 23, 30, tzinfo=UTC)  # 00:30 on 8 December in Berlin (CET)
SUMMER_NIGHT = datetime(2026, 7, 14, 22, 30, tzinfo=UTC)  # 00:30 on 15 July in Berlin (CEST)
GOOD_URL = "postgresql+psycopg://lotse_app@127.0.0.1:5432/lotse_example"


@pytest.fixture
def zones():
    """Restores the deployment's time zones a test replaced."""
    before = clock.time_zones()
    yield clock.use_time_zones
    clock.use_time_zones(before)


@pytest.mark.parametrize("instant, berlin_day", [
    (WINTER_NIGHT, date(2026, 12, 8)),
    (SUMMER_NIGHT, date(2026, 7, 15)),
    (datetime(2026, 12, 7, 22, 59, tzinfo=UTC), date(2026, 12, 7)),
    (datetime(2026, 7, 14, 21, 59, tzinfo=UTC), date(2026, 7, 14)),
])
def test_today_is_the_day_in_berlin_not_on_the_servers_utc_clock(instant, berlin_day):
    with testing.frozen_clock(instant):
        assert clock.today() == berlin_day
        assert clock.today(uuid.uuid4()) == berlin_day, "an unlisted tenant has the default"
        assert clock.now() == instant and clock.now().tzinfo is UTC


def test_a_tenant_with_its_own_time_zone_counts_its_own_days(zones):
    lisbon, county = uuid.uuid4(), uuid.uuid4()
    zones(TimeZones.from_names("Europe/Berlin", {str(lisbon): "Europe/Lisbon"}))

    with testing.frozen_clock(WINTER_NIGHT):
        assert clock.today(lisbon) == date(2026, 12, 7)
        assert clock.today(str(lisbon)) == date(2026, 12, 7)
        assert clock.today(county) == date(2026, 12, 8)


@pytest.mark.parametrize("instant", [WINTER_NIGHT, SUMMER_NIGHT])
def test_the_suites_date_helpers_count_the_services_days_at_any_hour(instant):
    """What every test of the suite takes its dates from (services' tests, end-to-end tests)."""
    berlin = instant.astimezone(clock.zone()).date()
    assert berlin != instant.date(), "the instant must be one where UTC and Berlin disagree"
    with testing.frozen_clock(instant):
        assert testing.today() == berlin
        assert testing.days_ago(0) == berlin.isoformat()
        assert date.fromisoformat(testing.days_ago(1)) == date.fromordinal(berlin.toordinal() - 1)
        assert date.fromisoformat(testing.days_ahead(1)) == date.fromordinal(
            berlin.toordinal() + 1)


def test_the_clock_runs_again_after_a_frozen_block():
    with testing.frozen_clock(WINTER_NIGHT):
        assert clock.now() == WINTER_NIGHT
    assert clock.now() != WINTER_NIGHT
    assert abs((clock.now() - datetime.now(UTC)).total_seconds()) < 60, "the system clock again"


def test_a_held_day_is_the_tenants_day_at_that_hour_and_events_take_its_time():
    day = date(2026, 3, 29)  # the night Berlin moves to summer time
    with clock.held_on(day, at=time(10, 30)) as instant:
        assert instant == datetime(2026, 3, 29, 8, 30, tzinfo=UTC)  # CEST is UTC+2
        assert clock.today() == day and clock.now() == instant
        row = outbox_row(events_pb2.NoteRecorded(), source="/test", aggregate_id="a",
                         tenant_id=None)
        assert row["occurred_at"] == instant  # an event of the replayed day is dated on it
    assert clock.now() != instant
    assert abs((clock.now() - datetime.now(UTC)).total_seconds()) < 60, "the system clock again"


def test_a_day_held_here_holds_only_this_threads_clock():
    process = datetime(2026, 12, 7, 13, 0, tzinfo=UTC)
    seen_elsewhere: list[datetime] = []
    with testing.frozen_clock(process):
        with clock.held_here(date(2026, 11, 20), at=time(15, 45)) as instant:
            assert instant == datetime(2026, 11, 20, 14, 45, tzinfo=UTC)  # CET is UTC+1
            assert clock.now() == instant and clock.today() == date(2026, 11, 20)
            row = outbox_row(events_pb2.NoteRecorded(), source="/test", aggregate_id="a",
                             tenant_id=None)
            assert row["occurred_at"] == instant
            other = threading.Thread(target=lambda: seen_elsewhere.append(clock.now()))
            other.start()
            other.join()
        assert clock.now() == process, "the process's clock again after the block"
    assert seen_elsewhere == [process], "another thread kept the process's clock"


def test_a_naive_frozen_instant_is_refused():
    naive = datetime(2026, 12, 7)  # noqa: DTZ001 - the mistake under test
    with pytest.raises(ValueError, match="aware"):
        testing.frozen_clock(naive).__enter__()
    assert clock.now() != naive.replace(tzinfo=UTC), "the clock was not stopped"


def test_the_time_zones_come_from_the_settings(monkeypatch):
    tenant = uuid.uuid4()
    monkeypatch.setenv("LOTSE_EXAMPLE_DATABASE_URL", GOOD_URL)
    monkeypatch.setenv("LOTSE_TENANT_TIME_ZONES", f'{{"{tenant}": "Europe/Lisbon"}}')

    zones = load_settings(ExampleSettings).time_zones

    assert zones.default.key == "Europe/Berlin"
    assert zones.of(tenant).key == "Europe/Lisbon" and zones.of(uuid.uuid4()).key == "Europe/Berlin"


#: a tenant id fixed at collection (every pytest-xdist worker collects the same tests)
MARS = uuid.uuid5(uuid.NAMESPACE_URL, "urn:lotse:test:mars")


@pytest.mark.parametrize("variable, value, says", [
    ("LOTSE_TIME_ZONE", "Europe/Hoexter", "unknown time zone"),
    ("LOTSE_TIME_ZONE", "", "unknown time zone"),
    ("LOTSE_TENANT_TIME_ZONES", '{"not-a-uuid": "Europe/Berlin"}', "uuid"),
    ("LOTSE_TENANT_TIME_ZONES", f'{{"{MARS}": "Mars/Olympus"}}', "unknown time zone"),
    ("LOTSE_TENANT_TIME_ZONES", "Europe/Berlin", "not JSON"),
    ("LOTSE_TENANT_TIME_ZONES", '["Europe/Berlin"]', "JSON object"),
])
def test_an_unknown_time_zone_stops_the_start_naming_the_variable(monkeypatch, variable, value,
                                                                   says):
    monkeypatch.setenv("LOTSE_EXAMPLE_DATABASE_URL", GOOD_URL)
    monkeypatch.setenv(variable, value)

    with pytest.raises(ConfigurationError) as refused:
        load_settings(ExampleSettings)

    assert f"{variable} is invalid" in str(refused.value)
    assert says in str(refused.value).lower() or says in str(refused.value)
