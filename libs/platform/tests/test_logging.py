"""Structured log lines with stable event names, and no personal data in them, ever."""

from __future__ import annotations

import io
import json
import logging
from urllib.parse import quote

import pytest
from lotse_http_test_app import PERSON_NAME, build_app, captured_logs
from lotse_platform.logging import configure_logging, request_id_var

log = logging.getLogger("lotse.test")


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


def test_a_json_line_has_timestamp_level_logger_event_service_and_extras(logs):
    log.info("relay.start", extra={"batch_size": 500})

    (line,) = logs.lines()
    assert line["event"] == "relay.start"
    assert line["level"] == "INFO"
    assert line["logger"] == "lotse.test"
    assert line["service"] == "testapp"
    assert line["batch_size"] == 500
    assert line["timestamp"].endswith("+00:00")
    assert "request_id" not in line


def test_lazy_arguments_are_formatted_into_the_event(logs):
    log.warning("relay.backlog %d", 17)

    assert logs.lines()[0]["event"] == "relay.backlog 17"


def test_a_record_that_names_its_own_service_keeps_it(logs):
    log.info("relay.start", extra={"service": "intake"})

    assert logs.lines()[0]["service"] == "intake"


def test_the_request_id_of_the_context_is_added(logs):
    token = request_id_var.set("req-42")
    try:
        log.info("consumer.handled")
    finally:
        request_id_var.reset(token)

    assert logs.lines()[0]["request_id"] == "req-42"


def test_configuring_twice_does_not_duplicate_lines(logs):
    configure_logging("testapp", stream=logs.stream)
    configure_logging("testapp", stream=logs.stream)

    log.info("once")

    assert [line["event"] for line in logs.lines()] == ["once"]
    marked = [h for h in logging.getLogger().handlers if getattr(h, "_lotse_handler", False)]
    assert len(marked) == 1


def test_the_level_filters_lines(logs):
    configure_logging("testapp", level="WARNING", stream=logs.stream)

    log.info("quiet")
    log.warning("loud")

    assert [line["event"] for line in logs.lines()] == ["loud"]


def test_text_format_is_one_readable_line(logs):
    stream = io.StringIO()
    configure_logging("testapp", fmt="text", stream=stream)
    token = request_id_var.set("req-7")
    try:
        log.info("relay.start", extra={"batch_size": 500})
    finally:
        request_id_var.reset(token)

    (line,) = stream.getvalue().splitlines()
    assert " INFO " in line and "lotse.test relay.start" in line
    assert "batch_size=500" in line and "service=testapp" in line and "request_id=req-7" in line


def test_exception_messages_are_withheld_in_both_formats(logs):
    text_stream = io.StringIO()
    for fmt, stream in (("json", logs.stream), ("text", text_stream)):
        configure_logging("testapp", fmt=fmt, stream=stream)
        try:
            try:
                {}[PERSON_NAME]
            except KeyError as error:
                raise ValueError(f"no record for {PERSON_NAME}") from error
        except ValueError:
            log.exception("lookup.failed")

    json_line = logs.lines()[0]
    assert "KeyError: <message withheld>" in json_line["exc_info"]
    assert "ValueError: <message withheld>" in json_line["exc_info"]
    assert "direct cause" in json_line["exc_info"]
    assert PERSON_NAME not in logs.text
    assert PERSON_NAME not in text_stream.getvalue()
    assert "ValueError: <message withheld>" in text_stream.getvalue()


def test_an_access_line_names_the_route_template_not_the_path(client, logs):
    client.get("/notes/3f0c7a4e-1d2b-4c5d-9e8f-a1b2c3d4e5f6")

    access = [line for line in logs.lines() if line["logger"] == "lotse.access"]
    assert len(access) == 1
    line = access[0]
    assert line["event"] == "http.request"
    assert line["route"] == "/notes/<uuid:note_id>"
    assert line["method"] == "GET" and line["status"] == 200
    assert isinstance(line["duration_ms"], float | int) and line["duration_ms"] >= 0
    assert line["request_id"]
    assert "3f0c7a4e" not in logs.text


def test_a_persons_name_in_query_string_and_body_leaves_no_trace_in_the_logs(client, logs):
    headers = {"Authorization": "Bearer secret-token-value", "X-Request-ID": "req-name"}
    client.get(f"/notes?search={quote(PERSON_NAME)}", headers=headers)
    client.post(f"/notes?search={quote(PERSON_NAME)}", headers=headers,
                json={"person": {"name": PERSON_NAME}, "text": f"{PERSON_NAME} came by"})
    client.post("/notes", headers=headers, json={"person": {"name": PERSON_NAME, "x": 1}})
    client.post("/notes", headers=headers, data=f'{{"person": "{PERSON_NAME}"',
                content_type="application/json")
    client.post("/notes", headers=headers, data=PERSON_NAME, content_type="text/plain")
    client.get(f"/{quote(PERSON_NAME)}", headers=headers)

    text = logs.text
    assert text.count('"event": "http.request"') == 6  # the requests were logged ...
    for trace in (PERSON_NAME, quote(PERSON_NAME), "Ay", "search", "secret-token-value",
                  "Bearer", "came by"):
        assert trace not in text  # ... without anything they carried
    assert all(json.loads(line) for line in text.splitlines())


def test_the_development_server_does_not_log_raw_paths(logs):
    assert logging.getLogger("werkzeug").getEffectiveLevel() >= logging.WARNING


def test_outgoing_calls_are_not_logged_with_their_urls(logs):
    from lotse_platform.auth.client import ServiceCaller
    from lotse_platform.testing import JsonHandler, LocalServer

    class Peer(JsonHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            self.answer(200, {})

    with LocalServer(Peer) as peer, ServiceCaller(lambda: "secret-token-value") as caller:
        status, _ = caller.call("GET", f"{peer.url}/people/{quote(PERSON_NAME)}?q=Ay")
    assert status == 200
    for trace in (PERSON_NAME, quote(PERSON_NAME), "/people", "secret-token-value"):
        assert trace not in logs.text


def test_without_a_stream_lines_go_to_the_stderr_of_the_moment(logs, capsys):
    configure_logging("testapp")

    log.info("to.stderr")

    assert json.loads(capsys.readouterr().err)["event"] == "to.stderr"
