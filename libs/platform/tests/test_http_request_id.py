"""Each request carries an id and W3C trace context, in the response and in every log line.

The trace context is OpenTelemetry's (its Flask instrumentation): the caller's trace is continued
in a span of the request's own, and that span's ``traceparent`` is what code handling the request
sees and what the answer carries (same trace id, the request's span id). Tracing is off here, as
by default: nothing is recorded, the ids flow all the same.
"""

from __future__ import annotations

import re

import pytest
from lotse_http_test_app import build_app, captured_logs
from lotse_platform.http import current_request_id, current_traceparent

TRACEPARENT = re.compile(r"00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}")
GIVEN_TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
GIVEN_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"


def trace_id(traceparent: str) -> str:
    return traceparent.split("-")[1]


def span_id(traceparent: str) -> str:
    return traceparent.split("-")[2]


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


def test_a_given_request_id_is_echoed(client):
    response = client.get("/notes", headers={"X-Request-ID": "gw-7f3a.01:b_c"})

    assert response.headers["X-Request-ID"] == "gw-7f3a.01:b_c"


def test_a_request_id_is_generated_when_none_is_given(client):
    first = client.get("/notes").headers["X-Request-ID"]
    second = client.get("/notes").headers["X-Request-ID"]

    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


@pytest.mark.parametrize("malformed", [
    "", "has space", "x" * 101, "semi;colon", "<script>", "name=Ayşe", "a/b",
])
def test_a_malformed_request_id_is_replaced(client, malformed):
    response = client.get("/notes", headers={"X-Request-ID": malformed})

    assert response.headers["X-Request-ID"] != malformed
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


def test_a_valid_traceparent_is_continued_and_the_requests_own_span_answered(client):
    response = client.get("/notes", headers={"traceparent": GIVEN_TRACEPARENT})

    answered = response.headers["traceparent"]
    assert TRACEPARENT.fullmatch(answered)
    assert trace_id(answered) == GIVEN_TRACE_ID
    assert span_id(answered) != span_id(GIVEN_TRACEPARENT)


@pytest.mark.parametrize("malformed", [
    None,
    "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01",  # upper case
    "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  # zero trace id
    "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  # zero parent id
    "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  # forbidden version
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",  # no flags
    "garbage",
])
def test_a_missing_or_malformed_traceparent_is_replaced_by_a_new_one(client, malformed):
    headers = {"traceparent": malformed} if malformed is not None else {}

    echoed = client.get("/notes", headers=headers).headers["traceparent"]

    assert echoed != malformed
    assert TRACEPARENT.fullmatch(echoed)
    assert trace_id(echoed) not in (GIVEN_TRACE_ID, "0" * 32)


def test_each_request_without_a_traceparent_starts_a_trace_of_its_own(client):
    first = client.get("/notes").headers["traceparent"]
    second = client.get("/notes").headers["traceparent"]

    assert trace_id(first) != trace_id(second)


def test_request_id_and_traceparent_are_available_to_code_handling_the_request(app):
    seen = {}

    @app.get("/probe-context")
    def probe_context():
        seen["request_id"], seen["traceparent"] = current_request_id(), current_traceparent()
        return {}

    response = app.test_client().get("/probe-context", headers={
        "X-Request-ID": "req-1", "traceparent": GIVEN_TRACEPARENT})

    assert seen["request_id"] == "req-1"
    assert trace_id(seen["traceparent"]) == GIVEN_TRACE_ID
    assert seen["traceparent"] == response.headers["traceparent"]
    assert current_request_id() is None and current_traceparent() is None  # nothing leaks out


def test_the_probes_have_no_span(client):
    response = client.get("/healthz", headers={"traceparent": GIVEN_TRACEPARENT})

    assert response.status_code == 200
    assert "traceparent" not in response.headers


def test_every_log_line_of_a_request_carries_its_request_id(client, logs):
    client.get("/notes/faults/crash", headers={"X-Request-ID": "req-crash"})
    client.post("/notes", json={"person": {"name": "x"}, "text": "t"},
                headers={"X-Request-ID": "req-post"})
    client.get("/no/such/route", headers={"X-Request-ID": "req-404"})

    lines = logs.lines()
    by_request = {}
    for line in lines:
        by_request.setdefault(line.get("request_id"), []).append(line["event"])
    assert set(by_request) == {"req-crash", "req-post", "req-404"}
    assert by_request["req-crash"] == ["http.unhandled_exception", "http.request"]
    assert by_request["req-post"] == ["notes.recorded", "http.request"]
    assert by_request["req-404"] == ["http.request"]


def test_log_lines_outside_a_request_have_no_request_id(client, logs):
    import logging

    client.get("/notes", headers={"X-Request-ID": "req-before"})
    logging.getLogger("lotse.test").info("after.request")

    assert "request_id" not in logs.lines()[-1]


def test_every_log_line_of_a_request_carries_its_trace_id(client, logs):
    client.get("/notes", headers={"X-Request-ID": "req-traced", "traceparent": GIVEN_TRACEPARENT})
    client.get("/notes", headers={"X-Request-ID": "req-new"})

    lines = logs.lines()
    traced = [line for line in lines if line.get("request_id") == "req-traced"]
    new = [line for line in lines if line.get("request_id") == "req-new"]
    assert [line["event"] for line in traced] == ["notes.listed", "http.request"]
    assert {line["trace_id"] for line in traced} == {GIVEN_TRACE_ID}
    assert len({line["trace_id"] for line in new}) == 1
    assert new[0]["trace_id"] not in (GIVEN_TRACE_ID, "0" * 32)
