"""An upstream that is down is a quick 503 problem document, one that hangs a 504 after its
timeout — never a hang, never a 500 — and traffic flows again as soon as the service is back."""

from __future__ import annotations

import http.client
import re
import time

import pytest

from lotse_gateway.testing import call
from lotse_platform.testing import poll

pytestmark = pytest.mark.integration

TALLIES = "/api/v1/example/tallies"
CONNECT_TIMEOUT = 2.0  # the example route's, in conftest.routes_yaml


def authorised(keys) -> dict[str, str]:
    return {"Authorization": f"Bearer {keys.token()}"}


def assert_unavailable(response, instance: str) -> None:
    assert response.status == 503
    assert response.header("content-type") == "application/problem+json"
    assert response.header("retry-after") == "5"
    problem = response.json()
    assert problem["type"] == "urn:lotse:problem:unavailable"
    assert problem["status"] == 503
    assert problem["instance"] == instance
    assert problem["request_id"] == response.header("x-request-id")


@pytest.mark.slow
def test_a_killed_upstream_is_503_within_the_timeout_and_is_used_again_when_it_returns(
    gateway, example_upstream, keys
):
    assert call("GET", gateway.url + TALLIES, headers=authorised(keys)).status == 200

    example_upstream.kill()
    killed_at = time.monotonic()
    try:
        first = poll(lambda: (r := call("GET", gateway.url + TALLIES, headers=authorised(keys)))
                     .status != 200 and r, timeout=10, message="the gateway to notice")
        noticed_after = time.monotonic() - killed_at
        answers = [call("GET", gateway.url + TALLIES, headers=authorised(keys))
                   for _ in range(5)]
    finally:
        example_upstream.start()

    assert noticed_after < CONNECT_TIMEOUT + 1
    for response in [first, *answers]:
        assert_unavailable(response, TALLIES)
        assert response.elapsed < CONNECT_TIMEOUT + 0.5
    back = poll(lambda: call("GET", gateway.url + TALLIES, headers=authorised(keys)).status == 200,
                timeout=15, message="traffic to flow again")
    assert back


def test_a_service_that_is_not_running_at_all_is_503_at_once(gateway):
    response = call("GET", gateway.url + "/api/v1/identity/.well-known/openid-configuration")

    assert_unavailable(response, "/api/v1/identity/.well-known/openid-configuration")
    assert response.elapsed < 1.0


def test_an_upstream_that_does_not_answer_is_504_after_the_routes_timeout(gateway, keys):
    response = call("GET", gateway.url + "/api/v1/steering/themes", headers=authorised(keys))

    assert response.status == 504
    assert response.header("content-type") == "application/problem+json"
    assert response.json()["type"] == "urn:lotse:problem:upstream-timeout"
    assert response.json()["request_id"] == response.header("x-request-id")
    assert 0.9 < response.elapsed < 3.0


def _server_counter(gateway, name: str) -> float:
    """One of HAProxy's counters of the example route's server (its Prometheus exporter)."""
    metrics = call("GET", gateway.metrics_url).body.decode()
    match = re.search(r'^haproxy_server_%s\{proxy="example",server="example-1"\} (\S+)$' % name,
                      metrics, re.MULTILINE)
    assert match is not None, f"no {name} for the example route's server"
    return float(match.group(1))


def test_requests_through_the_gateway_reuse_the_connection_to_the_service(gateway, keys):
    """The service keeps its connections alive (gthread) and HAProxy reuses them: no TCP
    connection per forwarded request (issue 16)."""
    opened = _server_counter(gateway, "connection_attempts_total")
    reused = _server_counter(gateway, "connection_reuses_total")
    client = http.client.HTTPConnection("127.0.0.1", gateway.port, timeout=5)
    try:
        for _ in range(20):
            client.request("GET", TALLIES, headers=authorised(keys))
            response = client.getresponse()
            response.read()
            assert response.status == 200
    finally:
        client.close()

    assert _server_counter(gateway, "connection_attempts_total") - opened <= 1
    assert _server_counter(gateway, "connection_reuses_total") - reused >= 19
