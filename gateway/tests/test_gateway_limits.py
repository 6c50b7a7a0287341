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


TRUSTING_LIMITS = LOW_LIMITS + "  trusted_clients: [127.0.0.3/32]\n"


@pytest.fixture
def trusting_gateway(example_upstream, platform_env, tmp_path):
    process = GatewayProcess(routes_yaml(example_upstream.port, limits=TRUSTING_LIMITS),
                             dict(platform_env), tmp_path / "trusting")
    process.start()
    yield process
    process.stop()


def test_a_trusted_client_calling_for_many_users_is_held_to_each_users_limit_alone(
    trusting_gateway, keys
):
    """The console calls the APIs for all its users from one address: past the per-client
    limit its calls go on, each user's still counted; an untrusted address is still limited."""
    users = [keys.token(f"user-{n}") for n in range(15)]
    for_many = [get(trusting_gateway, token, source="127.0.0.3").status for token in users]
    one_user = [get(trusting_gateway, users[0], source="127.0.0.3").status for _ in range(5)]
    others = [keys.token(f"user-other-{n}") for n in range(15)]
    untrusted = [get(trusting_gateway, token, source="127.0.0.4").status for token in others]

    assert for_many == [200] * 15  # over the per-client 12
    assert one_user == [200] * 4 + [429]  # her 5th in all is over the per-user 5
    assert untrusted == [200] * 12 + [429] * 3
