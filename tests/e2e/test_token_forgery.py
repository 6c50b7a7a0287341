"""Forged and stale tokens end to end: refused with 401 at the gateway, and refused again by
every service when sent straight to its port — the gateway is a filter, not the only guard
(ARCHITECTURE.md, "Security").

The forgeries start from a real token identity issued to a case manager:

- a claim edited after signing (more roles; another tenant) — the signature no longer fits;
- the same claims signed with a key of the forger's, under identity's ``kid``;
- ``alg: none`` without a signature;
- a token identity's own current key signed, expired five minutes ago (beyond the 30 s leeway):
  signed here with that key, read from identity's database with its key-encryption key, since
  identity issues tokens for at least 60 s.
"""

from __future__ import annotations

import base64
import json
import time
import uuid

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from lotse_identity.bootstrap import IdentityService
from lotse_identity.settings import IdentitySettings

from .stack import kid_of

pytestmark = [pytest.mark.integration, pytest.mark.slow]

#: an authenticated read of each service (identity's own API verifies with its keys in process)
READS = {"identity": "/users/me", "intake": "/target-groups", "casework": "/caseload",
         "example": "/tallies"}


def b64(document: dict) -> str:
    raw = json.dumps(document, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def parts(token: str) -> tuple[dict, dict, str]:
    header, payload, signature = token.split(".")
    return unb64(header), unb64(payload), signature


def unb64(part: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


@pytest.fixture(scope="module")
def genuine(platform) -> str:
    return platform.password_login("cm.hoexter")["access_token"]


@pytest.fixture(scope="module")
def identitys_signing_key(platform):
    """Identity's current private key, as its token endpoint uses it."""
    env = platform.env["identity"]
    identity = IdentityService(IdentitySettings(
        database_url=env["LOTSE_IDENTITY_DATABASE_URL"], issuer=env["LOTSE_IDENTITY_ISSUER"],
        key_encryption_key=env["LOTSE_IDENTITY_KEY_ENCRYPTION_KEY"]))
    try:
        yield identity.keyring.signing_key()
    finally:
        identity.engine.dispose()


@pytest.fixture(scope="module")
def forgeries(genuine, identitys_signing_key) -> dict[str, tuple[str, str]]:
    """Name → (token, the refusal's detail at the gateway and at every service)."""
    header, claims, signature = parts(genuine)
    edited_roles = {**claims, "roles": ["tenant_admin", "coordinator", "case_manager"]}
    edited_tenant = {**claims, "tenant": str(uuid.uuid4())}
    foreign = RSAKey.generate_key(2048, parameters={"kid": header["kid"], "alg": "RS256",
                                                    "use": "sig"})
    now = int(time.time())
    expired = {**claims, "iat": now - 900, "nbf": now - 900, "exp": now - 300}
    key = identitys_signing_key
    return {
        "roles edited after signing": (
            f"{b64(header)}.{b64(edited_roles)}.{signature}", "token signature is invalid"),
        "tenant edited after signing": (
            f"{b64(header)}.{b64(edited_tenant)}.{signature}", "token signature is invalid"),
        "signed by a foreign key under identity's kid": (
            jwt.encode(header, edited_roles, foreign, algorithms=["RS256"]),
            "token signature is invalid"),
        "alg none": (f"{b64({**header, 'alg': 'none'})}.{b64(edited_roles)}.",
                     "token signing algorithm is not allowed"),
        "expired, signed by identity's own key": (
            jwt.encode({"alg": key.alg, "typ": "at+jwt", "kid": key.kid}, expired, key,
                       algorithms=[key.alg]), "token has expired"),
    }


@pytest.mark.parametrize("direct", [False, True], ids=["through the gateway", "at the service"])
def test_the_genuine_token_is_accepted_everywhere(platform, genuine, direct):
    for service, path in READS.items():
        response = platform.call("GET", service, path, genuine, direct=direct)
        assert response.status == 200, (service, response.status, response.body[:200])


def test_the_expired_token_is_identitys_own_signature_and_only_its_time_is_wrong(
        platform, genuine, forgeries, identitys_signing_key):
    token, _ = forgeries["expired, signed by identity's own key"]
    assert kid_of(token) == identitys_signing_key.kid
    published = platform.call("GET", "identity", "/.well-known/jwks.json").json()
    assert identitys_signing_key.kid in {key["kid"] for key in published["keys"]}
    assert {k: v for k, v in parts(token)[1].items() if k not in ("iat", "nbf", "exp")} == \
        {k: v for k, v in parts(genuine)[1].items() if k not in ("iat", "nbf", "exp")}


@pytest.mark.parametrize("forgery", [
    "roles edited after signing", "tenant edited after signing",
    "signed by a foreign key under identity's kid", "alg none",
    "expired, signed by identity's own key"])
def test_a_forged_or_expired_token_is_refused_at_the_gateway_and_again_by_every_service(
        platform, forgeries, forgery):
    token, reason = forgeries[forgery]
    for direct in (False, True):
        for service, path in READS.items():
            where = (forgery, service, "directly" if direct else "through the gateway")
            response = platform.call("GET", service, path, token, direct=direct)
            assert response.status == 401, (*where, response.status, response.body[:200])
            assert response.json()["detail"] == reason, (*where, response.json())
            assert 'error="invalid_token"' in response.header("www-authenticate"), where
