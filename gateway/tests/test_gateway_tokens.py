"""Forged, stale and misdirected tokens are refused with 401 at the gateway, before the service
sees the request: the service's own request counter does not move."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import pytest
from joserfc import jwt

from lotse_gateway.testing import call
from lotse_platform.auth import COORDINATOR
from lotse_platform.auth.devtokens import DevIssuer
from lotse_platform.testing import poll

pytestmark = pytest.mark.integration

TALLIES = "/api/v1/example/tallies"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64json(document: dict) -> str:
    return b64(json.dumps(document, separators=(",", ":")).encode())


def claims_of(keys, token: str) -> dict:
    return jwt.decode(token, keys.current._key).claims


def with_header(token: str, **header) -> str:
    _, payload, signature = token.split(".")
    return ".".join([b64json(header), payload, signature])


def forged(keys, kind: str) -> str:
    now = int(time.time())
    valid = keys.token()
    if kind == "alg none":
        header, payload, _ = valid.split(".")
        return f"{b64json({'alg': 'none', 'typ': 'JWT', 'kid': keys.current.kid})}.{payload}."
    if kind == "alg none with the signature kept":
        return with_header(valid, alg="none", typ="JWT", kid=keys.current.kid)
    if kind == "wrong key":
        impostor = DevIssuer(issuer=keys.issuer, kid=keys.current.kid)
        return impostor.issue("user-17", "6f1c1e4e-8a52-4a57-9d43-0d7d3c1c2a11", "org-awo",
                              ["case_manager"])
    if kind == "edited claims":
        header, _, signature = valid.split(".")
        claims = claims_of(keys, valid)
        claims["roles"] = [COORDINATOR]
        return f"{header}.{b64json(claims)}.{signature}"
    if kind == "HS256 signed with the public key":
        header = b64json({"alg": "HS256", "typ": "JWT", "kid": keys.current.kid})
        payload = b64json(claims_of(keys, valid))
        mac = hmac.new(keys.current.public_pem(), f"{header}.{payload}".encode(),
                       hashlib.sha256).digest()
        return f"{header}.{payload}.{b64(mac)}"
    if kind == "expired":
        return keys.token(iat=now - 3600, nbf=now - 3600, exp=now - 120)
    if kind == "not yet valid":
        return keys.token(nbf=now + 600, exp=now + 1200)
    if kind == "issued in the future":
        return keys.token(iat=now + 600, exp=now + 1200)
    if kind == "without exp":
        return keys.token(exp=None)
    if kind == "wrong audience":
        return keys.token(aud="another-platform")
    if kind == "wrong issuer":
        return DevIssuer(issuer="http://127.0.0.1:9/evil", kid=keys.current.kid).issue(
            "user-17", "6f1c1e4e-8a52-4a57-9d43-0d7d3c1c2a11", "org-awo", ["case_manager"])
    if kind == "right issuer, unknown kid":
        return DevIssuer(issuer=keys.issuer, kid="made-up").issue(
            "user-17", "6f1c1e4e-8a52-4a57-9d43-0d7d3c1c2a11", "org-awo", ["case_manager"])
    if kind == "not a JWT":
        return "definitely-not-a-jwt"
    raise AssertionError(kind)


REFUSED = {
    "alg none": "token signing algorithm is not allowed",
    "alg none with the signature kept": "token signing algorithm is not allowed",
    "wrong key": "token signature is invalid",
    "edited claims": "token signature is invalid",
    "HS256 signed with the public key": "token signing algorithm is not allowed",
    "expired": "token has expired",
    "not yet valid": "token is not yet valid",
    "issued in the future": "token was issued in the future",
    "without exp": "token lacks required claim(s): exp",
    "wrong audience": "token audience is not accepted",
    "wrong issuer": "token issuer is not accepted",
    "right issuer, unknown kid": "token signing key is unknown",
    "not a JWT": "access token is malformed",
}


@pytest.mark.parametrize("kind", list(REFUSED))
def test_a_bad_token_is_refused_with_401_before_it_reaches_the_service(
    gateway, example_upstream, keys, kind
):
    token = forged(keys, kind)
    answered_before = example_upstream.requests_answered("/tallies")

    response = call("GET", gateway.url + TALLIES, headers={"Authorization": f"Bearer {token}"})

    assert response.status == 401
    assert response.header("content-type") == "application/problem+json"
    assert response.header("www-authenticate") == 'Bearer realm="lotse", error="invalid_token"'
    problem = response.json()
    assert problem == {"type": "urn:lotse:problem:unauthenticated", "title": "Unauthorized",
                       "status": 401, "detail": REFUSED[kind], "instance": TALLIES,
                       "request_id": response.header("x-request-id")}
    assert token not in response.body.decode()
    assert example_upstream.requests_answered("/tallies") == answered_before


def test_without_a_token_the_answer_is_the_bare_bearer_challenge(gateway, example_upstream):
    answered_before = example_upstream.requests_answered("/tallies")

    response = call("GET", gateway.url + TALLIES)

    assert response.status == 401
    assert response.header("www-authenticate") == 'Bearer realm="lotse"'
    assert response.json()["detail"] == "no access token"
    assert example_upstream.requests_answered("/tallies") == answered_before


def test_another_authorization_scheme_is_an_invalid_request(gateway):
    response = call("GET", gateway.url + TALLIES, headers={"Authorization": "Basic dXNlcjpwdw=="})

    assert response.status == 401
    assert response.header("www-authenticate") == (
        'Bearer realm="lotse", error="invalid_request"')


def test_a_valid_token_passes_and_the_service_verifies_it_again(gateway, example_upstream, keys):
    answered_before = example_upstream.requests_answered("/tallies")

    response = call("GET", gateway.url + TALLIES,
                    headers={"Authorization": f"Bearer {keys.token()}"})

    assert response.status == 200, response.body
    assert response.json() == []
    assert example_upstream.requests_answered("/tallies") == answered_before + 1


def test_an_audience_list_that_contains_the_platform_is_accepted(gateway, keys):
    token = keys.token(aud=["account", "lotse"])

    response = call("GET", gateway.url + TALLIES, headers={"Authorization": f"Bearer {token}"})

    assert response.status == 200


def test_a_token_of_the_trusted_county_issuer_passes_the_gateway_and_the_service(
    gateway, county
):
    response = call("GET", gateway.url + TALLIES,
                    headers={"Authorization": f"Bearer {county.token()}"})

    assert response.status == 200, response.body


def test_a_county_token_for_another_audience_is_refused_at_the_gateway(gateway, county):
    response = call("GET", gateway.url + TALLIES,
                    headers={"Authorization": f"Bearer {county.token(aud='lotse')}"})

    assert response.status == 401
    assert response.json()["detail"] == "token audience is not accepted"


def test_public_paths_of_a_route_need_no_token(gateway):
    # identity's OAuth endpoints are public: the answer is about the missing upstream, not auth
    oauth = call("POST", gateway.url + "/api/v1/identity/oauth/token", body=b"")
    openapi = call("GET", gateway.url + "/api/v1/example/openapi.json")

    assert oauth.status == 503
    assert openapi.status == 200
    assert openapi.json()["info"]["title"].startswith("Lotse example")


def test_the_refusal_reason_is_in_the_access_log_but_the_token_is_not(gateway, keys):
    token = forged(keys, "expired")

    response = call("GET", gateway.url + TALLIES, headers={"Authorization": f"Bearer {token}"})

    request_id = response.header("x-request-id")
    (line,) = poll(lambda: [e for e in gateway.access_log() if e["request_id"] == request_id],
                   message="the access log line")
    assert line["refusal"] == "expired"
    assert line["status"] == 401
    assert line["upstream_ms"] == -1  # never sent upstream
    assert token.split(".")[1] not in gateway.log_path.read_text()
