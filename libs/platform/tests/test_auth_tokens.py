"""Access tokens: a valid one becomes a Principal; every forged or stale one is refused with a
precise reason that never repeats the token."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid

import pytest
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey

from lotse_platform.auth import CASE_MANAGER, COORDINATOR, StaticKeys, TokenVerifier
from lotse_platform.auth.devtokens import DevIssuer
from lotse_platform.auth.tokens import MAX_TOKEN_LENGTH
from lotse_platform.errors import Unauthenticated

TENANT = uuid.UUID("6f1c1e4e-8a52-4a57-9d43-0d7d3c1c2a11")


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64json(document: dict) -> str:
    return b64(json.dumps(document, separators=(",", ":")).encode())


def unb64json(segment: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


@pytest.fixture(scope="module")
def issuer() -> DevIssuer:
    return DevIssuer(kid="key-1")


@pytest.fixture
def verifier(issuer) -> TokenVerifier:
    return TokenVerifier(StaticKeys(issuer.jwks()), issuer=issuer.issuer, audience="lotse")


def valid_claims(issuer: DevIssuer) -> dict:
    now = int(time.time())
    return {"iss": issuer.issuer, "aud": "lotse", "sub": "user-17", "tenant": str(TENANT),
            "org": "org-awo", "roles": [CASE_MANAGER], "areas": ["nord"], "iat": now,
            "exp": now + 600}


def refused(verifier: TokenVerifier, token: str) -> str:
    with pytest.raises(Unauthenticated) as caught:
        verifier.verify(token)
    detail = caught.value.detail
    if token:
        assert token not in detail and token[-20:] not in detail
    assert caught.value.status == 401
    return detail


# --- accepted ------------------------------------------------------------------------------

def test_a_valid_token_becomes_a_principal(issuer, verifier):
    token = issuer.issue("user-17", TENANT, "org-awo", [CASE_MANAGER], areas=["nord", "sued"],
                         jti="token-1")

    principal = verifier.verify(token)

    assert principal.subject == "user-17"
    assert principal.tenant == TENANT
    assert principal.organisation == "org-awo"
    assert principal.areas == frozenset({"nord", "sued"})
    assert principal.roles == frozenset({CASE_MANAGER})
    assert principal.kind == "user"
    assert principal.token_id == "token-1"


def test_a_machine_client_is_a_client_principal_named_by_its_client_id(issuer, verifier):
    token = issuer.issue("service-account-4711", TENANT, "org-ki", [COORDINATOR],
                         client_id="reporting")

    principal = verifier.verify(token)

    assert principal.kind == "client"
    assert principal.subject == "reporting"


def test_an_audience_list_containing_ours_is_accepted(issuer, verifier):
    token = issuer.issue("user-17", TENANT, "org-awo", [], aud=["other", "lotse"])

    assert verifier.verify(token).roles == frozenset()


def test_clock_skew_within_the_leeway_is_tolerated(issuer, verifier):
    now = int(time.time())
    token = issuer.issue("user-17", TENANT, "org-awo", [CASE_MANAGER], exp=now - 10, nbf=now + 10)

    assert verifier.verify(token).subject == "user-17"


def test_an_es256_token_from_an_ec_key_is_accepted(issuer):
    ec_key = ECKey.generate_key("P-256", parameters={"kid": "ec-1", "use": "sig"})
    verifier = TokenVerifier(StaticKeys({"keys": [ec_key.as_dict(private=False)]}),
                             issuer=issuer.issuer, audience="lotse")
    token = jwt.encode({"alg": "ES256", "kid": "ec-1"}, valid_claims(issuer), ec_key,
                       algorithms=["ES256"])

    assert verifier.verify(token).organisation == "org-awo"


def test_an_algorithm_outside_the_allow_list_is_refused_even_if_asymmetric(issuer):
    verifier = TokenVerifier(StaticKeys(issuer.jwks()), issuer=issuer.issuer, audience="lotse",
                             algorithms=["ES256"])

    assert refused(verifier, issuer.issue("u", TENANT, "o", [CASE_MANAGER])) == (
        "token signing algorithm is not allowed"
    )


# --- forged -------------------------------------------------------------------------------

def test_an_unsigned_token_with_alg_none_is_refused(issuer, verifier):
    header = {"alg": "none", "typ": "JWT", "kid": issuer.kid}
    token = f"{b64json(header)}.{b64json(valid_claims(issuer))}."

    assert refused(verifier, token) == "token signing algorithm is not allowed"


def test_an_hs256_token_keyed_with_the_public_key_text_is_refused(issuer, verifier):
    # the classic algorithm-confusion attack: the verifier would use the RSA public key as an
    # HMAC secret if it trusted the token's "alg"
    header = {"alg": "HS256", "typ": "JWT", "kid": issuer.kid}
    signing_input = f"{b64json(header)}.{b64json(valid_claims(issuer))}"
    mac = hmac.new(issuer.public_pem(), signing_input.encode(), hashlib.sha256).digest()
    token = f"{signing_input}.{b64(mac)}"

    assert refused(verifier, token) == "token signing algorithm is not allowed"


def test_a_verifier_cannot_be_configured_with_symmetric_or_no_algorithms(issuer):
    for algorithms in (["HS256"], ["RS256", "none"], []):
        with pytest.raises(ValueError):
            TokenVerifier(StaticKeys(issuer.jwks()), issuer=issuer.issuer, audience="lotse",
                          algorithms=algorithms)


def test_a_token_signed_with_another_key_under_a_known_kid_is_refused(issuer, verifier):
    impostor = DevIssuer(issuer=issuer.issuer, kid=issuer.kid)
    token = impostor.issue("user-17", TENANT, "org-awo", [CASE_MANAGER])

    assert refused(verifier, token) == "token signature is invalid"


def test_a_token_whose_claims_were_edited_is_refused(issuer, verifier):
    token = issuer.issue("user-17", TENANT, "org-awo", [CASE_MANAGER])
    header, payload, signature = token.split(".")
    claims = unb64json(payload)
    claims["roles"] = [COORDINATOR]
    token = f"{header}.{b64json(claims)}.{signature}"

    assert refused(verifier, token) == "token signature is invalid"


def test_a_token_naming_an_unknown_key_is_refused(verifier):
    stranger = DevIssuer(kid="key-unknown")

    token = stranger.issue("user-17", TENANT, "org-awo", [CASE_MANAGER], iss="http://localhost/dev")

    assert refused(verifier, token) == "token signing key is unknown"


def test_a_token_without_kid_is_refused(issuer, verifier):
    header, payload, signature = issuer.issue("u", TENANT, "o", [CASE_MANAGER]).split(".")
    unsigned = {key: value for key, value in unb64json(header).items() if key != "kid"}

    assert refused(verifier, f"{b64json(unsigned)}.{payload}.{signature}") == (
        "token does not name its signing key (kid)"
    )


@pytest.mark.parametrize(("token", "reason"), [
    ("", "no access token"),
    (None, "no access token"),
    ("garbage", "access token is malformed"),
    ("a.b", "access token is malformed"),
    ("a.b.c", "access token is malformed"),
    ("é.é.é", "access token is malformed"),
    ("x" * MAX_TOKEN_LENGTH, "access token is malformed"),  # long, not too long
    ("x" * (MAX_TOKEN_LENGTH + 1), "access token is too large"),
])
def test_malformed_tokens_are_refused_with_their_reason(verifier, token, reason):
    assert refused(verifier, token) == reason


def test_a_token_with_an_empty_kid_is_refused(issuer, verifier):
    token = issuer.issue("u", TENANT, "o", [CASE_MANAGER], header={"kid": ""})

    assert refused(verifier, token) == "token does not name its signing key (kid)"


# --- the key a token names: published for signing, for its algorithm ----------------------------

def signed(key, algorithm: str, claims: dict) -> str:
    return jwt.encode({"alg": algorithm, "kid": key.kid, "typ": "JWT"}, claims, key,
                      algorithms=[algorithm])


def rsa_key(kid: str) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid})


def verifier_of(issuer: DevIssuer, key, *, published: dict | None = None,
                **options) -> TokenVerifier:
    """A verifier of the key set that holds ``key``'s public half, published with
    ``published`` (``use``, ``alg``)."""
    public = {**key.as_dict(private=False), **(published or {})}
    return TokenVerifier(StaticKeys({"keys": [public]}), issuer=issuer.issuer, audience="lotse",
                         **options)


def test_a_key_published_for_encryption_verifies_no_token(issuer):
    key = rsa_key("enc-1")
    verifier = verifier_of(issuer, key, published={"alg": "RS256", "use": "enc"})

    assert refused(verifier, signed(key, "RS256", valid_claims(issuer))) == (
        "token signing key is unknown")


def test_a_token_signed_with_another_algorithm_than_its_key_is_published_for_is_refused(issuer):
    key = rsa_key("rs-1")
    verifier = verifier_of(issuer, key, published={"alg": "RS256", "use": "sig"},
                           algorithms=["RS256", "PS256"])

    assert verifier.verify(signed(key, "RS256", valid_claims(issuer))).subject == "user-17"
    assert refused(verifier, signed(key, "PS256", valid_claims(issuer))) == (
        "token signing key is unknown")


def test_a_verifier_configured_for_another_asymmetric_algorithm_accepts_its_tokens(issuer):
    key = rsa_key("ps-1")
    verifier = verifier_of(issuer, key, published={"alg": "PS256", "use": "sig"},
                           algorithms=["PS256"])

    assert verifier.verify(signed(key, "PS256", valid_claims(issuer))).subject == "user-17"


# --- the verifier's own settings -----------------------------------------------------------------

@pytest.mark.parametrize(("issuer_name", "audience"), [("", "lotse"), ("https://idp", "")])
def test_a_verifier_needs_both_an_issuer_and_an_audience(issuer, issuer_name, audience):
    with pytest.raises(ValueError, match="issuer and an audience"):
        TokenVerifier(StaticKeys(issuer.jwks()), issuer=issuer_name, audience=audience)


@pytest.mark.parametrize(("leeway", "allowed"), [(-1, False), (0, True), (300, True),
                                                 (301, False)])
def test_the_leeway_is_between_0_and_300_seconds(issuer, leeway, allowed):
    def make() -> TokenVerifier:
        return TokenVerifier(StaticKeys(issuer.jwks()), issuer=issuer.issuer, audience="lotse",
                             leeway=leeway)

    if allowed:
        assert make().leeway == leeway
    else:
        with pytest.raises(ValueError, match="leeway"):
            make()


@pytest.mark.parametrize(("expired_for", "accepted"), [(29, True), (30, False)])
def test_an_expired_token_is_tolerated_for_less_than_30_seconds_by_the_verifiers_clock(
        issuer, expired_for, accepted):
    now = 2_000_000_000  # the verifier's clock, not this machine's
    verifier = TokenVerifier(StaticKeys(issuer.jwks()), issuer=issuer.issuer, audience="lotse",
                             now=lambda: now)
    token = issuer.issue("user-17", TENANT, "org-awo", [CASE_MANAGER], iat=now - 900,
                         nbf=now - 900, exp=now - expired_for)

    if accepted:
        assert verifier.verify(token).subject == "user-17"
    else:
        assert refused(verifier, token) == "token has expired"


# --- stale or not for us --------------------------------------------------------------------

def test_an_expired_token_is_refused(issuer, verifier):
    token = issuer.issue("user-17", TENANT, "org-awo", [CASE_MANAGER],
                         iat=int(time.time()) - 4000, nbf=None, exp=int(time.time()) - 3000)

    assert refused(verifier, token) == "token has expired"


def test_a_token_not_yet_valid_is_refused(issuer, verifier):
    token = issuer.issue("user-17", TENANT, "org-awo", [CASE_MANAGER], nbf=int(time.time()) + 3600)

    assert refused(verifier, token) == "token is not yet valid"


def test_a_token_from_another_issuer_is_refused(issuer, verifier):
    token = issuer.issue("user-17", TENANT, "org-awo", [CASE_MANAGER], iss="https://evil.example")

    assert refused(verifier, token) == "token issuer is not accepted"


def test_a_token_for_another_audience_is_refused(issuer, verifier):
    token = issuer.issue("user-17", TENANT, "org-awo", [CASE_MANAGER], aud="jobcenter")

    assert refused(verifier, token) == "token audience is not accepted"


@pytest.mark.parametrize("claim", ["sub", "tenant", "org", "roles", "exp", "iss", "aud"])
def test_a_token_missing_a_required_claim_is_refused(issuer, verifier, claim):
    claims = valid_claims(issuer)
    del claims[claim]
    token = issuer.sign(claims)

    assert refused(verifier, token) == f"token lacks required claim(s): {claim}"


def test_a_token_without_tenant_is_refused(issuer, verifier):
    token = issuer.issue("user-17", None, "org-awo", [CASE_MANAGER])

    assert refused(verifier, token) == "token lacks required claim(s): tenant"


@pytest.mark.parametrize("overrides, detail", [
    ({"tenant": "not-a-uuid"}, "token claim 'tenant' is not a UUID"),
    ({"tenant": 42}, "token claim 'tenant' is not a UUID"),
    ({"roles": "case_manager"}, "token claim 'roles' must be a list of strings"),
    ({"areas": ["nord", 7]}, "token claim 'areas' must be a list of strings"),
    ({"org": ""}, "token claim 'org' is invalid"),
    ({"client_id": ""}, "token claim 'client_id' is invalid"),
    ({"client_id": 7}, "token claim 'client_id' is invalid"),
    ({"exp": "tomorrow"}, "token claim 'exp' is invalid"),
])
def test_a_token_with_malformed_lotse_claims_is_refused(issuer, verifier, overrides, detail):
    token = issuer.sign(valid_claims(issuer) | overrides)

    assert refused(verifier, token) == detail


def test_a_token_without_areas_serves_no_area(issuer, verifier):
    claims = valid_claims(issuer)
    del claims["areas"]

    assert verifier.verify(issuer.sign(claims)).areas == frozenset()
