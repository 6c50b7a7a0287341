"""Rate limits per user and per client answer 429 with Retry-After; a body over the route's limit
is 413; neither reaches the service. Each rate-limit test has a gateway of its own, with low
limits, so that the counters start at zero."""

from __future__ import annotations

import pytest

from gateway_support import routes_yaml
from lotse_gateway.testing import GatewayProcess, call

pytestmark = pytest.mark.integration

TALLIES = "/api/v1/example/tallies"
LOW_LIMITS = """
limits:
  per_client: {requests: 12, per: 20s}
  per_user: {requests: 5, per: 20s}
"""


@pytest.fixture
def strict_gateway(example_upstream, platform_env, tmp_path):
    process = GatewayProcess(routes_yaml(example_upstream.port, limits=LOW_LIMITS),
                             dict(platform_env), tmp_path / "strict")
    process.start()
    yield process
    process.stop()


def get(gateway, token: str, source: str = "127.0.0.1"):
    return call("GET", gateway.url + TALLIES, headers={"Authorization": f"Bearer {token}"},
                source_address=source)


def assert_rate_limited(response, detail: str) -> None:
    assert response.status == 429
    assert response.header("retry-after") == "20"
    assert response.header("content-type") == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "urn:lotse:problem:rate-limited"
    assert problem["detail"] == detail


def test_a_user_over_the_limit_gets_429_with_retry_after_while_another_user_passes(
    strict_gateway, example_upstream, keys
):
    erika, jonas = keys.token("user-erika"), keys.token("user-jonas")
    answered_before = example_upstream.requests_answered("/tallies")

    within = [get(strict_gateway, erika).status for _ in range(5)]
    over = get(strict_gateway, erika)
    other_user = get(strict_gateway, jonas)

    assert within == [200] * 5
    assert_rate_limited(over, "Too many requests for this user; slow down.")
    assert other_user.status == 200
    assert example_upstream.requests_answered("/tallies") == answered_before + 6


def test_a_client_address_over_the_limit_gets_429_whoever_the_user_is(
    strict_gateway, example_upstream, keys
):
    users = [keys.token(f"user-{n}") for n in range(12)]

    within = [get(strict_gateway, token).status for token in users]
    over = get(strict_gateway, keys.token("user-fresh"))
    other_client = get(strict_gateway, keys.token("user-fresh"), source="127.0.0.2")

    assert within == [200] * 12
    assert_rate_limited(over, "Too many requests from this client; slow down.")
    assert other_client.status == 200


def test_a_body_over_the_routes_limit_is_413_and_one_within_it_is_forwarded(
    gateway, example_upstream, keys
):
    headers = {"Authorization": f"Bearer {keys.token()}", "Content-Type": "application/json"}
    too_large = b'{"area_id": "area-nord", "text": "' + b"x" * 5000 + b'"}'
    answered_before = example_upstream.requests_answered("/notes")

    refused = call("POST", gateway.url + "/api/v1/example/notes", headers=headers,
                   body=too_large)
    accepted = call("POST", gateway.url + "/api/v1/example/notes", headers=headers,
                    body=b'{"area_id": "area-nord", "text": "Erstkontakt vereinbart"}')

    assert refused.status == 413
    assert refused.header("content-type") == "application/problem+json"
    assert refused.json()["detail"] == "The request body may be at most 4096 bytes."
    assert accepted.status == 201, accepted.body
    assert example_upstream.requests_answered("/notes") == answered_before + 1
