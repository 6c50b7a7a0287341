"""Request metrics: labelled by route template, served at /metrics, summed over gunicorn workers."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from lotse_http_test_app import build_app, captured_logs
from lotse_platform.testing import free_port, poll
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

NOTE_ROUTE = "/notes/<uuid:note_id>"
TESTS_DIR = Path(__file__).resolve().parent


@pytest.fixture
def logs():
    with captured_logs() as capture:
        yield capture


@pytest.fixture
def app(logs):
    return build_app()


@pytest.fixture
def client(app):
    return app.test_client()


def requests_counted(route: str, method: str = "GET", status: str = "200") -> float:
    labels = {"service": "testapp", "route": route, "method": method, "status": status}
    return REGISTRY.get_sample_value("lotse_http_requests_total", labels) or 0.0


def test_requests_are_counted_by_route_template_method_and_status(client):
    before = requests_counted(NOTE_ROUTE)
    latency_before = REGISTRY.get_sample_value(
        "lotse_http_request_duration_seconds_count",
        {"service": "testapp", "route": NOTE_ROUTE, "method": "GET"}) or 0.0

    for _ in range(3):
        client.get(f"/notes/{uuid.uuid4()}")

    assert requests_counted(NOTE_ROUTE) - before == 3
    assert REGISTRY.get_sample_value(
        "lotse_http_request_duration_seconds_count",
        {"service": "testapp", "route": NOTE_ROUTE, "method": "GET"}) - latency_before == 3


def test_a_request_that_matched_no_route_is_counted_as_unmatched(client):
    before = requests_counted("unmatched", status="404")

    client.get("/Ay%C5%9Fe-Y%C4%B1lmaz")

    assert requests_counted("unmatched", status="404") - before == 1
    assert "Ay" not in client.get("/metrics").get_data(as_text=True)


def test_an_unknown_method_does_not_grow_the_label_set(client):
    before = requests_counted("unmatched", method="OTHER", status="405")

    client.open("/notes", method="BREW")

    assert requests_counted("unmatched", method="OTHER", status="405") - before == 1


def in_flight() -> float | None:
    return REGISTRY.get_sample_value("lotse_http_requests_in_flight", {"service": "testapp"})


@pytest.mark.parametrize(("outcome", "status"), [("answered", 204), ("crashed", 500)])
def test_a_request_is_in_flight_while_it_is_handled_and_not_once_it_is_answered(
        app, outcome, status):
    entered, release = threading.Event(), threading.Event()

    def held():
        entered.set()
        assert release.wait(timeout=20), "the test never released the request"
        if outcome == "crashed":
            raise RuntimeError("the handler failed")
        return "", 204

    app.add_url_rule("/held", view_func=held)
    client = app.test_client()
    client.get("/notes")
    idle = in_flight()
    answers = []
    request = threading.Thread(target=lambda: answers.append(client.get("/held")))
    request.start()
    try:
        assert entered.wait(timeout=20), "the request never reached its handler"
        assert in_flight() == idle + 1
    finally:
        release.set()
        request.join(timeout=20)

    assert [a.status_code for a in answers] == [status]
    assert in_flight() == idle == 0


def test_metrics_are_served_in_the_prometheus_text_format(client):
    client.get("/notes")

    response = client.get("/metrics")

    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    names = {family.name for family in text_string_to_metric_families(response.get_data(True))}
    assert {"lotse_http_requests", "lotse_http_request_duration_seconds",
            "lotse_http_requests_in_flight"} <= names


# -- under gunicorn -------------------------------------------------------------------------




def http_status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


@pytest.mark.slow
def test_metrics_under_gunicorn_count_every_request_across_two_workers(tmp_path):
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    stale = metrics_dir / "counter_999999.db"
    stale.write_bytes(b"left over from an earlier run")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "LOTSE_BIND": f"127.0.0.1:{port}",
        "LOTSE_WORKERS": "2",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(TESTS_DIR), os.environ.get("PYTHONPATH")])),
    }
    output = tmp_path / "gunicorn.log"
    with output.open("wb") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:lotse_platform.http.gunicorn_conf",
             "lotse_http_test_app:create_app()"],
            cwd=TESTS_DIR, env=env, stdout=log_file, stderr=subprocess.STDOUT,
        )
    try:
        def answering() -> bool:
            if server.poll() is not None:
                raise AssertionError(f"gunicorn exited {server.returncode}:\n{output.read_text()}")
            return http_status(f"{base}/healthz") == 200

        poll(answering, timeout=30, interval=0.1, message="gunicorn to answer /healthz")
        assert not stale.exists()
        # both workers have booted and written their files
        poll(lambda: len({path.stem.rsplit("_", 1)[1]
                          for path in metrics_dir.glob("gauge_livesum_*.db")}) == 2,
             timeout=30, message="both workers to start")

        statuses = [http_status(f"{base}/notes/{uuid.uuid4()}") for _ in range(40)]
        assert statuses == [200] * 40

        families = text_string_to_metric_families(fetch(f"{base}/metrics"))
        counted = sum(
            sample.value
            for family in families if family.name == "lotse_http_requests"
            for sample in family.samples
            if sample.name == "lotse_http_requests_total"
            and sample.labels["route"] == NOTE_ROUTE
        )
        assert counted == 40, output.read_text()
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
