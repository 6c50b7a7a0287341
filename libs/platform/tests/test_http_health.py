"""Liveness and readiness probes."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import sqlalchemy as sa
from lotse_http_test_app import build_app, captured_logs
from lotse_platform.http import CheckFailed, broker_check, database_check
from lotse_platform.http.health import run_checks


@pytest.fixture
def logs():
    with captured_logs() as capture:
        yield capture


def passing() -> None:
    return None


def unreachable_database() -> None:
    raise sa.exc.OperationalError("SELECT 1", {}, ConnectionRefusedError("refused"))


def test_healthz_says_ok_while_the_process_lives(logs):
    app = build_app(readiness={"database": unreachable_database})

    response = app.test_client().get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_is_ready_when_every_check_passes(logs):
    app = build_app(readiness={"database": passing, "broker": passing})

    response = app.test_client().get("/readyz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ready",
                                   "checks": {"database": "ok", "broker": "ok"}}


def test_readyz_is_503_naming_the_check_that_failed(logs):
    app = build_app(readiness={"database": unreachable_database, "broker": passing})

    response = app.test_client().get("/readyz")

    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"]
    body = response.get_json()
    assert body["errors"] == [{"field": "database", "message": "unreachable"}]
    assert body["checks"] == {"database": "unreachable", "broker": "ok"}
    assert body["request_id"] == response.headers["X-Request-ID"]


def test_a_check_can_say_what_is_wrong(logs):
    def migrations_behind() -> None:
        raise CheckFailed("migrations behind")

    app = build_app(readiness={"schema": migrations_behind})

    body = app.test_client().get("/readyz").get_json()

    assert body["errors"] == [{"field": "schema", "message": "migrations behind"}]


def test_a_check_that_hangs_fails_within_the_timeout():
    release = threading.Event()
    started = time.monotonic()

    results = run_checks({"broker": lambda: release.wait(10), "database": passing}, timeout=0.2)

    release.set()
    assert time.monotonic() - started < 2
    assert results == {"broker": "timed out", "database": "ok"}


def test_the_database_check_passes_on_a_working_engine_and_fails_on_a_broken_one(tmp_path):
    working = sa.create_engine(f"sqlite:///{tmp_path / 'ok.db'}")
    broken = sa.create_engine(f"sqlite:///{tmp_path / 'missing' / 'nowhere.db'}")

    results = run_checks({"good": database_check(working), "bad": database_check(broken)})

    assert results == {"good": "ok", "bad": "unreachable"}


def test_the_broker_check_passes_on_a_reachable_broker_and_fails_on_a_closed_port():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]

    results = run_checks({
        "memory": broker_check("memory://"),
        "closed": broker_check(f"amqp://guest:guest@127.0.0.1:{closed_port}//", timeout=0.5),
    }, timeout=2.5)

    assert results == {"memory": "ok", "closed": "unreachable"}


def test_probes_and_metrics_are_marked_public_for_the_auth_layer(logs):
    app = build_app()

    public = {endpoint for endpoint, view in app.view_functions.items()
              if getattr(view, "lotse_public", False)}

    assert public == {"lotse_health.healthz", "lotse_health.readyz", "lotse_metrics.metrics"}
