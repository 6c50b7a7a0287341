"""Several trusted issuers: identity's tokens as before, and a county's own OIDC provider beside
it, whose claims are translated (fixed tenant, organisation and areas from claims, roles only
through the role map). A token is verified with the keys of the issuer it names and no other."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid

import pytest

from lotse_example.bootstrap import ExampleService
from lotse_example.settings import ExampleSettings
from lotse_platform.auth import (
    CASE_MANAGER,
    COORDINATOR,
    ClaimMapping,
    StaticKeys,
    TokenVerifier,
    TrustedIssuers,
)
from lotse_platform.auth.devtokens import DevIssuer
from lotse_platform.errors import Unauthenticated
from lotse_platform.settings import ConfigurationError, TrustedIssuerSettings, load_settings
from lotse_platform.testing import JwksServer

IDENTITY_TENANT = uuid.UUID("6f1c1e4e-8a52-4a57-9d43-0d7d3c1c2a11")
COUNTY_TENANT = uuid.UUID("0b7f3a52-5a0e-4c39-9a4e-3f4bd6e0c001")
KEYCLOAK = "https://login.kreis-hoexter.example/realms/kim"
SQLITE = "sqlite:///:memory:"


@pytest.fixture(scope="module")
def identity() -> DevIssuer:
    return DevIssuer(issuer="http://127.0.0.1:8101/api/v1/identity", kid="identity-1")


@pytest.fixture(scope="module")
def keycloak() -> DevIssuer:
    return DevIssuer(issuer=KEYCLOAK, kid="kc-1", audience="lotse-console")


def county_mapping(**changes) -> ClaimMapping:
    settings = {"tenant": COUNTY_TENANT, "organisation_claim": "lotse_org",
                "role_claim": "realm_access.roles",
                "role_map": {"kim-case-manager": CASE_MANAGER, "kim-coordination": COORDINATOR},
                "area_claim": "lotse_areas"}
    settings.update(changes)
    return ClaimMapping(**settings)


@pytest.fixture
def verifier(identity, keycloak) -> TrustedIssuers:
    return TrustedIssuers([
        TokenVerifier(identity.keys(), issuer=identity.issuer, audience="lotse"),
        TokenVerifier(keycloak.keys(), issuer=keycloak.issuer, audience="lotse-console",
                      algorithms=["RS256"], claims=county_mapping()),
    ])


def keycloak_token(keycloak: DevIssuer, **claims) -> str:
    # A Keycloak token knows nothing of Lotse's tenant/org/roles claims.
    document = {"sub": "f3a1c2d4-kc", "lotse_org": "org-caritas",
                "realm_access": {"roles": ["kim-case-manager", "offline_access"]},
                "lotse_areas": ["area-nord"], "azp": "lotse-console"}
    lotse_claims = {name: claims.pop(name) for name in ("tenant", "roles") if name in claims}
    document.update(claims)
    token = keycloak.issue(document.pop("sub"), None, None, None, **document)
    if not lotse_claims:
        return token
    from joserfc import jwt

    return keycloak.sign({**jwt.decode(token, keycloak._key).claims, **lotse_claims})


def refused(verifier, token: str) -> str:
    with pytest.raises(Unauthenticated) as caught:
        verifier.verify(token)
    if token:
        assert token not in caught.value.detail
    return caught.value.detail


def test_an_identity_token_is_verified_as_before_and_names_its_issuer(identity, verifier):
    token = identity.issue("user-17", IDENTITY_TENANT, "org-awo", [CASE_MANAGER], areas=["nord"])

    principal = verifier.verify(token)

    assert principal.subject == "user-17"
    assert principal.tenant == IDENTITY_TENANT
    assert principal.roles == frozenset({CASE_MANAGER})
    assert principal.issuer == identity.issuer


def test_an_external_token_becomes_a_principal_through_the_issuers_claim_mapping(
    keycloak, verifier
):
    principal = verifier.verify(keycloak_token(keycloak, jti="kc-token-1"))

    assert principal.subject == "f3a1c2d4-kc"
    assert principal.tenant == COUNTY_TENANT
    assert principal.organisation == "org-caritas"
    assert principal.areas == frozenset({"area-nord"})
    assert principal.kind == "user"
    assert principal.token_id == "kc-token-1"
    assert principal.issuer == KEYCLOAK


def test_external_role_names_the_role_map_does_not_know_are_dropped(keycloak, verifier):
    token = keycloak_token(keycloak, realm_access={"roles": ["kim-case-manager", "tenant_admin",
                                                             "admin"]})

    assert verifier.verify(token).roles == frozenset({CASE_MANAGER})


def test_an_external_token_with_a_lotse_tenant_claim_still_gets_the_issuers_fixed_tenant(
    keycloak, verifier
):
    token = keycloak_token(keycloak, tenant=str(IDENTITY_TENANT), roles=["tenant_admin"])

    principal = verifier.verify(token)

    assert principal.tenant == COUNTY_TENANT
    assert principal.roles == frozenset({CASE_MANAGER})


def test_an_issuer_may_give_a_fixed_organisation_and_roles_as_a_space_separated_claim(keycloak):
    verifier = TokenVerifier(keycloak.keys(), issuer=keycloak.issuer, audience="lotse-console",
                             claims=county_mapping(organisation="org-kreis",
                                                   organisation_claim=None, role_claim="scope",
                                                   area_claim=None))
    token = keycloak_token(keycloak, scope="openid kim-coordination")

    principal = verifier.verify(token)

    assert principal.organisation == "org-kreis"
    assert principal.roles == frozenset({COORDINATOR})
    assert principal.areas == frozenset()


def test_a_machine_client_of_an_external_issuer_is_a_client_principal(keycloak):
    verifier = TokenVerifier(keycloak.keys(), issuer=keycloak.issuer, audience="lotse-console",
                             claims=county_mapping(client_id_claim="client_id"))

    principal = verifier.verify(keycloak_token(keycloak, client_id="reporting-export"))

    assert principal.kind == "client"
    assert principal.subject == "reporting-export"


def test_a_token_of_an_issuer_nobody_trusts_is_refused(verifier):
    stranger = DevIssuer(issuer="https://evil.example/realms/kim", kid="kc-1")
    token = stranger.issue("user-17", IDENTITY_TENANT, "org-awo", [CASE_MANAGER])

    assert refused(verifier, token) == "token issuer is not accepted"


def test_a_token_that_names_the_external_issuer_but_is_signed_by_another_key_is_refused(
    identity, verifier
):
    # identity's key, the external issuer's kid and iss: chosen by iss, verified by its keys only
    forger = DevIssuer(issuer=KEYCLOAK, kid="kc-1", audience="lotse-console")
    forger._key = identity._key

    assert refused(verifier, keycloak_token(forger)) == "token signature is invalid"


def test_an_external_token_for_another_audience_is_refused(keycloak, verifier):
    assert refused(verifier, keycloak_token(keycloak, aud="account")) == (
        "token audience is not accepted")


def test_an_external_token_without_its_organisation_claim_is_refused(keycloak, verifier):
    assert refused(verifier, keycloak_token(keycloak, lotse_org=None)) == (
        "token lacks required claim(s): lotse_org")


def test_an_external_token_whose_areas_are_not_strings_is_refused(keycloak, verifier):
    assert refused(verifier, keycloak_token(keycloak, lotse_areas=[17])) == (
        "token claim 'lotse_areas' must be a list of strings")


class CountingKeys(StaticKeys):
    """An issuer's keys that count how often a verifier asked for them."""

    def __init__(self, issuer: DevIssuer) -> None:
        super().__init__(issuer.jwks())
        self.asked = 0

    def key_set(self):
        self.asked += 1
        return super().key_set()


@pytest.mark.parametrize(("token", "reason"), [
    ("", "no access token"),
    ("not-a-jwt", "access token is malformed"),
    ("a.b.c", "access token is malformed"),
    ("x" * 20_000, "access token is too large"),
])
def test_a_malformed_token_is_refused_before_any_issuer_is_chosen(identity, keycloak, token,
                                                                  reason):
    keys = [CountingKeys(identity), CountingKeys(keycloak)]
    verifier = TrustedIssuers([
        TokenVerifier(keys[0], issuer=identity.issuer, audience="lotse"),
        TokenVerifier(keys[1], issuer=keycloak.issuer, audience="lotse-console",
                      algorithms=["RS256"], claims=county_mapping()),
    ])

    assert refused(verifier, token) == reason
    assert [k.asked for k in keys] == [0, 0], "no issuer's verifier was consulted"
    # the same verifiers do verify a well-formed token (the counting is real)
    verifier.verify(identity.issue("user-17", IDENTITY_TENANT, "org-awo", [CASE_MANAGER]))
    assert [k.asked for k in keys] == [1, 0]


def test_an_issuer_configured_twice_is_refused(identity):
    with pytest.raises(ValueError):
        TrustedIssuers([TokenVerifier(identity.keys(), issuer=identity.issuer, audience="lotse"),
                        TokenVerifier(identity.keys(), issuer=identity.issuer, audience="lotse")])


# -- configuration: LOTSE_TRUSTED_ISSUERS ---------------------------------------------------------

def trusted_json(**changes) -> str:
    entry = {"issuer": KEYCLOAK, "jwks_uri": f"{KEYCLOAK}/protocol/openid-connect/certs",
             "tenant": str(COUNTY_TENANT), "organisation_claim": "lotse_org",
             "role_claim": "realm_access.roles", "role_map": {"kim-case-manager": CASE_MANAGER}}
    entry.update(changes)
    return json.dumps([{k: v for k, v in entry.items() if v is not None}])


@pytest.fixture
def environment(monkeypatch):
    import os

    for name in [k for k in os.environ if k.startswith("LOTSE_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("LOTSE_EXAMPLE_DATABASE_URL", SQLITE)

    def set_variables(**variables: str) -> None:
        for name, value in variables.items():
            monkeypatch.setenv(name, value)

    return set_variables


def test_trusted_issuers_are_read_from_json_in_the_environment(environment):
    environment(LOTSE_TRUSTED_ISSUERS=trusted_json())

    (trusted,) = load_settings(ExampleSettings).trusted_issuers

    assert trusted == TrustedIssuerSettings(
        issuer=KEYCLOAK, jwks_uri=f"{KEYCLOAK}/protocol/openid-connect/certs",
        tenant=COUNTY_TENANT, organisation_claim="lotse_org", role_claim="realm_access.roles",
        role_map={"kim-case-manager": CASE_MANAGER})


def test_without_the_variable_no_external_issuer_is_trusted(environment):
    assert load_settings(ExampleSettings).trusted_issuers == ()


@pytest.mark.parametrize(("value", "message"), [
    ("[{", "LOTSE_TRUSTED_ISSUERS is invalid: not JSON"),
    ('{"issuer": "x"}', "LOTSE_TRUSTED_ISSUERS is invalid: must be a JSON list"),
    (trusted_json(tenant="hoexter"), "LOTSE_TRUSTED_ISSUERS is invalid: [0].tenant:"),
    (trusted_json(role_map={"kim-admin": "superuser"}),
     "LOTSE_TRUSTED_ISSUERS is invalid: [0].role_map: role_map names roles Lotse does not know"),
    (trusted_json(organisation="org-kreis"),
     "LOTSE_TRUSTED_ISSUERS is invalid: [0]: give either organisation (fixed) or"),
    (trusted_json(algorithms=["HS256"]),
     "LOTSE_TRUSTED_ISSUERS is invalid: [0].algorithms: only asymmetric"),
    (trusted_json(jwks_uri="file:///etc/passwd"), "LOTSE_TRUSTED_ISSUERS is invalid: [0].jwks_uri"),
    (trusted_json(colour="blue"), "LOTSE_TRUSTED_ISSUERS is invalid: [0].colour"),
])
def test_a_malformed_trusted_issuer_stops_the_start_with_one_line_naming_the_variable(
    environment, capsys, value, message
):
    environment(LOTSE_TRUSTED_ISSUERS=value)

    with pytest.raises(ConfigurationError) as refused_start:
        load_settings(ExampleSettings)

    line = capsys.readouterr().err
    assert line == f"{refused_start.value}\n"
    assert line.startswith(f"configuration error: {message}")


def test_an_issuer_listed_twice_or_identitys_own_issuer_listed_as_external_is_refused(
    environment, capsys
):
    twice = json.dumps(json.loads(trusted_json()) * 2)
    environment(LOTSE_TRUSTED_ISSUERS=twice)
    with pytest.raises(ConfigurationError) as listed_twice:
        load_settings(ExampleSettings)
    assert "an issuer is listed twice" in str(listed_twice.value)

    environment(LOTSE_TRUSTED_ISSUERS=trusted_json(), LOTSE_TOKEN_ISSUER=KEYCLOAK)
    with pytest.raises(ConfigurationError) as identitys_own:
        load_settings(ExampleSettings)
    assert "LOTSE_TRUSTED_ISSUERS is invalid: identity's issuer" in str(identitys_own.value)


def test_the_process_stops_with_status_2_and_one_line_on_a_malformed_trusted_issuers_variable(
    tmp_path
):
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
    env.update(LOTSE_EXAMPLE_DATABASE_URL=SQLITE, LOTSE_TRUSTED_ISSUERS="not json")

    result = subprocess.run([sys.executable, "-m", "lotse_example.cli", "check-db"],
                            env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "configuration error: LOTSE_TRUSTED_ISSUERS is invalid: not JSON "
        "(a list of {issuer, jwks_uri, tenant, …})"]


# -- a service trusts both ------------------------------------------------------------------------

def test_a_service_verifies_tokens_of_identity_and_of_each_configured_external_issuer(
    identity, keycloak
):
    external = JwksServer(keycloak.jwks(), path="/certs")
    try:
        settings = ExampleSettings(
            database_url=SQLITE, mode="embedded", token_audience="lotse",
            trusted_issuers=json.loads(trusted_json(jwks_uri=external.url,
                                                    audience="lotse-console")))
        service = ExampleService(settings, keys=StaticKeys(identity.jwks()), token_issuer=identity.issuer)

        from_identity = service.verifier.verify(
            identity.issue("user-17", IDENTITY_TENANT, "org-awo", [CASE_MANAGER]))
        from_county = service.verifier.verify(keycloak_token(keycloak))
    finally:
        external.close()

    assert isinstance(service.verifier, TrustedIssuers)
    assert (from_identity.issuer, from_identity.tenant) == (identity.issuer, IDENTITY_TENANT)
    assert (from_county.issuer, from_county.tenant) == (KEYCLOAK, COUNTY_TENANT)


def test_a_service_with_only_identity_keeps_the_single_verifier_and_its_refresh_interval(identity):
    settings = ExampleSettings(database_url=SQLITE, mode="embedded",
                               jwks_url="http://127.0.0.1:9/jwks.json",
                               token_issuer=identity.issuer, jwks_refresh_interval=0.5)

    verifier = ExampleService(settings).verifier

    assert isinstance(verifier, TokenVerifier)
    assert verifier.keys.min_refresh_interval == 0.5


def test_a_service_without_any_issuer_cannot_verify_tokens():
    with pytest.raises(RuntimeError, match="LOTSE_JWKS_URL is not set"):
        _ = ExampleService(ExampleSettings(database_url=SQLITE, mode="embedded")).verifier
