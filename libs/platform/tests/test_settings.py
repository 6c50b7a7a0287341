"""Settings come from environment variables and are validated once, at start-up: a missing or
malformed variable stops the process with status 2 and one line on stderr that names it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from lotse_example.settings import ExampleSettings
from lotse_platform.bus import Topology
from lotse_platform.settings import ConfigurationError, RunMode, load_settings

GOOD_URL = "postgresql+psycopg://lotse_app@127.0.0.1:5432/lotse_example"


def clean_environment(**variables: str) -> dict[str, str]:
    """The inherited environment without any LOTSE_ variable, plus ``variables``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
    env.update(variables)
    return env


def start_check_db(tmp_path, **variables: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lotse_example.cli", "check-db"],
        env=clean_environment(**variables), cwd=tmp_path, capture_output=True, text=True,
        timeout=60,
    )


@pytest.fixture
def environment(monkeypatch):
    for name in [k for k in os.environ if k.startswith("LOTSE_")]:
        monkeypatch.delenv(name)

    def set_variables(**variables: str) -> None:
        for name, value in variables.items():
            monkeypatch.setenv(name, value)

    return set_variables


# -- the process ---------------------------------------------------------------------------------

def test_a_missing_database_url_stops_the_process_with_status_2_and_one_line_naming_it(tmp_path):
    result = start_check_db(tmp_path)

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "configuration error: LOTSE_EXAMPLE_DATABASE_URL is required but not set"]
    assert result.stdout == ""


def test_a_malformed_database_url_stops_the_process_with_status_2_and_one_line_naming_it(tmp_path):
    result = start_check_db(tmp_path, LOTSE_EXAMPLE_DATABASE_URL="localhost:5432 example")

    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("configuration error: LOTSE_EXAMPLE_DATABASE_URL is invalid")


def test_a_prefetch_of_50_stops_the_process_with_status_2_and_one_line_naming_it(tmp_path):
    result = start_check_db(tmp_path, LOTSE_EXAMPLE_DATABASE_URL=GOOD_URL, LOTSE_PREFETCH="50")

    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("configuration error: LOTSE_PREFETCH is invalid")
    assert "100" in lines[0]


# -- the rules -----------------------------------------------------------------------------------

def test_a_complete_environment_gives_settings_with_safe_defaults(environment):
    environment(LOTSE_EXAMPLE_DATABASE_URL=GOOD_URL)

    settings = load_settings(ExampleSettings)

    assert settings.database_url == GOOD_URL
    assert settings.owner_database_url == GOOD_URL
    assert settings.mode is RunMode.local
    assert 100 <= settings.prefetch <= 300
    assert settings.delivery_limit >= 1


def test_platform_variables_keep_their_unprefixed_names_for_every_service(environment):
    environment(LOTSE_EXAMPLE_DATABASE_URL=GOOD_URL, LOTSE_PREFETCH="150",
                LOTSE_EXAMPLE_PREFETCH="250", LOTSE_DELIVERY_LIMIT="7")

    settings = load_settings(ExampleSettings)

    assert settings.prefetch == 150
    assert settings.delivery_limit == 7


@pytest.mark.parametrize("prefetch", ["100", "200", "300"])
def test_a_prefetch_from_100_to_300_is_accepted(environment, prefetch):
    environment(LOTSE_EXAMPLE_DATABASE_URL=GOOD_URL, LOTSE_PREFETCH=prefetch)

    assert load_settings(ExampleSettings).prefetch == int(prefetch)


@pytest.mark.parametrize("prefetch", ["0", "99", "301", "1000", "lots"])
def test_a_prefetch_outside_100_to_300_is_refused(environment, capsys, prefetch):
    environment(LOTSE_EXAMPLE_DATABASE_URL=GOOD_URL, LOTSE_PREFETCH=prefetch)

    with pytest.raises(ConfigurationError) as refused:
        load_settings(ExampleSettings)

    assert refused.value.code == 2
    assert "LOTSE_PREFETCH is invalid" in str(refused.value)
    assert capsys.readouterr().err == f"{refused.value}\n"


def test_an_instance_publishes_under_its_routing_key_suffix_and_may_skip_declaring(environment):
    environment(LOTSE_EXAMPLE_DATABASE_URL=GOOD_URL, LOTSE_ROUTING_KEY_SUFFIX="awo",
                LOTSE_DECLARE_TOPOLOGY="false")

    topology = Topology.from_settings(load_settings(ExampleSettings))

    assert topology.routing_key("intake.case.admitted.v1") == "intake.case.admitted.v1.awo"
    assert topology.declare is False


def test_without_a_suffix_the_routing_key_is_the_event_type_and_topology_is_declared(
    environment
):
    environment(LOTSE_EXAMPLE_DATABASE_URL=GOOD_URL, LOTSE_ROUTING_KEY_SUFFIX="")

    topology = Topology.from_settings(load_settings(ExampleSettings))

    assert topology.routing_key("intake.case.admitted.v1") == "intake.case.admitted.v1"
    assert topology.declare is True


@pytest.mark.parametrize("suffix", ["AWO", "awo.caritas", "#", "a*"])
def test_a_routing_key_suffix_that_is_not_one_lower_case_word_is_refused(environment, suffix):
    environment(LOTSE_EXAMPLE_DATABASE_URL=GOOD_URL, LOTSE_ROUTING_KEY_SUFFIX=suffix)

    with pytest.raises(ConfigurationError) as refused:
        load_settings(ExampleSettings)

    assert "LOTSE_ROUTING_KEY_SUFFIX is invalid" in str(refused.value)


@pytest.mark.parametrize("url", ["", "not a url", "mysql://lotse@db/lotse"])
def test_a_database_url_that_is_not_sqlite_or_postgresql_is_refused(environment, capsys, url):
    environment(LOTSE_EXAMPLE_DATABASE_URL=url)

    with pytest.raises(ConfigurationError) as refused:
        load_settings(ExampleSettings)

    assert str(refused.value).startswith(
        "configuration error: LOTSE_EXAMPLE_DATABASE_URL is invalid")


def test_a_malformed_migration_url_is_named_by_its_own_variable(environment, capsys):
    environment(LOTSE_EXAMPLE_DATABASE_URL=GOOD_URL, LOTSE_EXAMPLE_MIGRATION_DATABASE_URL="owner")

    with pytest.raises(ConfigurationError) as refused:
        load_settings(ExampleSettings)

    assert "LOTSE_EXAMPLE_MIGRATION_DATABASE_URL is invalid" in str(refused.value)


def test_every_problem_is_named_on_the_same_single_line(environment, capsys):
    environment(LOTSE_PREFETCH="50", LOTSE_MODE="cloud", LOTSE_LOG_LEVEL="LOUD")

    with pytest.raises(ConfigurationError):
        load_settings(ExampleSettings)

    err = capsys.readouterr().err
    assert err.count("\n") == 1
    for name in ("LOTSE_EXAMPLE_DATABASE_URL", "LOTSE_PREFETCH", "LOTSE_MODE", "LOTSE_LOG_LEVEL"):
        assert name in err


def test_the_error_line_never_repeats_the_value_which_may_hold_a_password(environment, capsys):
    environment(LOTSE_EXAMPLE_DATABASE_URL="mysql://lotse:s3cret-pw@db/lotse")

    with pytest.raises(ConfigurationError):
        load_settings(ExampleSettings)

    assert "s3cret-pw" not in capsys.readouterr().err
