"""What the gateway adds to every request and answer: routing with the prefix stripped, request
id and trace context passed to the service and back, CORS for the console only, an access log
without personal data, and metrics per route."""

from __future__ import annotations

import re
import uuid

import pytest
from gateway_support import CONSOLE

from lotse_gateway.testing import call
from lotse_platform.testing import poll

pytestmark = pytest.mark.integration

TALLIES = "/api/v1/example/tallies"
TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def authorised(keys, **headers) -> dict[str, str]:
    return {"Authorization": f"Bearer {keys.token()}", **headers}


def service_log_mentions(example_upstream, text: str) -> bool:
    return text in example_upstream.log_path.read_text(errors="replace")


def test_the_service_sees_and_echoes_the_callers_request_id_and_traceparent(
    gateway, example_upstream, keys
):
    request_id = f"console-{uuid.uuid4().hex[:12]}"

    response = call("GET", gateway.url + TALLIES,
                    headers=authorised(keys, **{"X-Request-ID": request_id,
                                                "traceparent": TRACEPARENT}))

    assert response.status == 200
    assert response.header("x-request-id") == request_id
    # the caller's trace, continued in the service's span for the request (its own span id)
    answered = response.header("traceparent")
    assert re.fullmatch(r"00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}", answered)
    assert answered.split("-")[1] == TRACEPARENT.split("-")[1]
    assert poll(lambda: service_log_mentions(example_upstream, request_id),
                message="the service's access log line with the request id")


def test_without_ids_the_gateway_makes_them_and_the_service_uses_those(
    gateway, example_upstream, keys
):
    response = call("GET", gateway.url + TALLIES, headers=authorised(keys))

    request_id = response.header("x-request-id")
    # a UUID with dashes is the gateway's (a service makes 32 hex digits without)
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                        request_id)
    assert re.fullmatch(r"00-[0-9a-f]{32}-[0-9a-f]{16}-00", response.header("traceparent"))
    assert poll(lambda: service_log_mentions(example_upstream, request_id),
                message="the service's access log line with the gateway's request id")
    assert poll(lambda: [e for e in gateway.access_log() if e["request_id"] == request_id],
                message="the gateway's access log line with the same id")


@pytest.mark.parametrize(("request_id", "traceparent"), [
    ("has spaces in it", "garbage"),
    ("x" * 101, "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
    ('quote"d', "00-00000000000000000000000000000000-00f067aa0ba902b7-01"),
])
def test_malformed_ids_from_the_caller_are_replaced(gateway, keys, request_id, traceparent):
    response = call("GET", gateway.url + TALLIES,
                    headers=authorised(keys, **{"X-Request-ID": request_id,
                                                "traceparent": traceparent}))

    assert response.status == 200
    assert response.header("x-request-id") != request_id
    assert response.header("traceparent") != traceparent


def test_the_gateways_own_answers_carry_the_request_id_too(gateway):
    response = call("GET", gateway.url + TALLIES, headers={"X-Request-ID": "own-answer-1"})

    assert response.status == 401
    assert response.header("x-request-id") == "own-answer-1"
    assert response.json()["request_id"] == "own-answer-1"


def test_the_prefix_is_stripped_for_a_providers_own_intake_route(gateway, keys):
    response = call("GET", gateway.url + "/api/v1/providers/awo-hoexter/intake/tallies",
                    headers=authorised(keys))

    assert response.status == 200
    assert response.json() == []


def test_an_unknown_path_is_a_404_problem_document(gateway):
    response = call("GET", gateway.url + "/api/v2/nothing")

    assert response.status == 404
    assert response.json()["detail"] == "No service is routed at this path."


def test_a_services_metrics_are_not_reachable_through_the_gateway(gateway, keys):
    response = call("GET", gateway.url + "/api/v1/example/metrics", headers=authorised(keys))

    assert response.status == 404
    assert response.header("content-type") == "application/problem+json"


@pytest.mark.parametrize("path", [
    "/api/v1/identity/oauth/../../example/tallies",
    "/api/v1/identity/oauth/%2e%2e/%2e%2e/example/tallies",
    "/api/v1/example/./tallies",
])
def test_a_path_with_dot_segments_cannot_lead_from_a_public_path_to_another(gateway, path):
    response = call("GET", gateway.url + path)

    assert response.status == 400
    assert response.header("content-type") == "application/problem+json"


def test_a_preflight_from_the_console_is_allowed_without_a_token(gateway):
    response = call("OPTIONS", gateway.url + "/api/v1/example/notes",
                    headers={"Origin": CONSOLE, "Access-Control-Request-Method": "POST",
                             "Access-Control-Request-Headers": "authorization, content-type"})

    assert response.status == 204
    assert response.header("access-control-allow-origin") == CONSOLE
    assert "POST" in response.header("access-control-allow-methods")
    assert "Authorization" in response.header("access-control-allow-headers")
    assert response.header("access-control-max-age") == "600"
    assert "Origin" in response.header("vary")


def test_a_preflight_from_another_origin_is_refused(gateway):
    response = call("OPTIONS", gateway.url + "/api/v1/example/notes",
                    headers={"Origin": "https://evil.example", "Access-Control-Request-Method":
                             "POST"})

    assert response.status == 403
    assert response.header("access-control-allow-origin") is None
    assert response.json()["detail"] == "This origin may not call the API from a browser."


def test_the_consoles_requests_may_read_answers_and_headers_even_refusals(gateway, keys):
    allowed = call("GET", gateway.url + TALLIES, headers=authorised(keys, Origin=CONSOLE))
    refused = call("GET", gateway.url + TALLIES, headers={"Origin": CONSOLE})
    stranger = call("GET", gateway.url + TALLIES,
                    headers=authorised(keys, Origin="https://evil.example"))

    for response in (allowed, refused):
        assert response.header("access-control-allow-origin") == CONSOLE
        assert "X-Request-ID" in response.header("access-control-expose-headers")
    assert refused.status == 401
    assert stranger.header("access-control-allow-origin") is None


def test_the_access_log_has_no_query_string_token_client_address_or_ids(gateway, keys):
    token = keys.token()
    note_id = uuid.uuid4()

    response = call("GET", f"{gateway.url}/api/v1/example/notes/{note_id}?name=Erika+Mustermann",
                    headers={"Authorization": f"Bearer {token}"})

    request_id = response.header("x-request-id")
    (line,) = poll(lambda: [e for e in gateway.access_log() if e["request_id"] == request_id],
                   message="the access log line")
    assert line["path"] == "/api/v1/example/notes/:id"
    assert line["route"] == "example"
    assert line["status"] == response.status
    raw = [text for text in gateway.log_path.read_text().splitlines() if request_id in text]
    for text in raw:
        assert "Erika" not in text and "name=" not in text
        assert token.split(".")[2] not in text
        assert str(note_id) not in text
        assert "127.0.0.1" not in text


def test_metrics_are_exported_per_route_including_the_gateways_refusals(gateway, keys):
    call("GET", gateway.url + TALLIES, headers=authorised(keys))
    call("GET", gateway.url + TALLIES)

    metrics = call("GET", gateway.metrics_url).body.decode()

    def value(code: str) -> float:
        match = re.search(r'^haproxy_backend_http_responses_total\{proxy="example",code="%s"\} '
                          r"(\S+)$" % code, metrics, re.MULTILINE)
        return float(match.group(1)) if match else 0.0

    assert value("2xx") >= 1
    assert value("4xx") >= 1
    assert 'haproxy_backend_status{proxy="example",state="UP"} 1' in metrics
    assert call("GET", gateway.url + "/metrics").status == 404  # not on the public port
