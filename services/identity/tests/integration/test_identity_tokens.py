"""The token endpoint and its relatives, against the real PostgreSQL: every grant, logout,
discovery, and tokens that the platform's verifier accepts through identity's JWKS over HTTP."""

from __future__ import annotations

import urllib.parse

import pytest
from identity_support import (
    ISSUER,
    REDIRECT,
    Served,
    authorize,
    bearer,
    code_of,
    demo_id,
    identity_settings,
    password_login,
    pkce,
    token_of,
)

from lotse_demo import COUNTY
from lotse_identity.bootstrap import IdentityService
from lotse_identity.service_layer.seed import DEMO_INTAKE_CLIENT_ID, DEMO_INTAKE_SECRET
from lotse_platform.auth import JWKSCache, TokenVerifier

pytestmark = pytest.mark.integration


def verifier_for(url: str) -> TokenVerifier:
    return TokenVerifier(JWKSCache(f"{url}/.well-known/jwks.json"), issuer=ISSUER,
                         audience="lotse")


@pytest.fixture(scope="module")
def served(app):
    server = Served(app)
    yield server.url
    server.close()


def test_a_machine_client_gets_a_short_lived_token_that_names_it_and_its_organisation(
        client, served):
    response = client.post("/oauth/token", data={"grant_type": "client_credentials"},
                           auth=(DEMO_INTAKE_CLIENT_ID, DEMO_INTAKE_SECRET))
    assert response.status_code == 200, response.json
    assert response.json["expires_in"] == 600 and "refresh_token" not in response.json
    principal = verifier_for(served).verify(response.json["access_token"])
    assert principal.is_client and principal.subject == DEMO_INTAKE_CLIENT_ID
    assert principal.tenant == COUNTY.tenant_id
    assert principal.organisation == str(demo_id("org:awo"))
    assert principal.roles == {"provider_staff"}
    assert principal.areas == {str(demo_id("area:hoexter")), str(demo_id("area:beverungen"))}


def test_a_wrong_client_secret_is_refused(client):
    response = client.post("/oauth/token", data={"grant_type": "client_credentials"},
                           auth=(DEMO_INTAKE_CLIENT_ID, "not-the-secret"))
    assert response.status_code == 401 and response.json["error"] == "invalid_client"


def test_a_user_token_carries_tenant_organisation_areas_and_roles_and_verifies_over_jwks(
        client, served):
    principal = verifier_for(served).verify(token_of(client, "cm.warburg"))
    person = COUNTY.user("cm.warburg")
    assert principal.kind == "user" and principal.subject == str(person.id)
    assert principal.organisation == str(demo_id("org:stadt-warburg"))
    assert principal.roles == {"case_manager"}
    assert principal.areas == {str(demo_id("area:warburg")), str(demo_id("area:willebadessen"))}


def test_discovery_names_the_endpoints_and_the_jwks_holds_the_published_keys(client, identity):
    discovery = client.get("/.well-known/openid-configuration")
    assert discovery.headers["Cache-Control"] == "public, max-age=300"
    document = discovery.json
    assert client.get("/.well-known/oauth-authorization-server").json == document
    assert document["issuer"] == ISSUER
    assert document["token_endpoint"] == f"{ISSUER}/oauth/token"
    assert document["jwks_uri"] == f"{ISSUER}/.well-known/jwks.json"
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert {"client_credentials", "authorization_code", "refresh_token",
            "urn:ietf:params:oauth:grant-type:jwt-bearer"} <= set(document["grant_types_supported"])
    jwks = client.get("/.well-known/jwks.json")
    assert jwks.headers["Cache-Control"] == "public, max-age=60"
    keys = jwks.json["keys"]
    with identity.uow() as uow:
        published = {k.kid: k.state.value for k in uow.published_keys()}
    assert {k["kid"] for k in keys} == set(published)
    assert {"current", "next"} <= set(published.values())
    for jwk in keys:
        assert jwk["use"] == "sig" and jwk["alg"] == "RS256" and "d" not in jwk


def test_a_refresh_token_works_once_and_a_revoked_one_is_refused(client):
    first = password_login(client, "ks.koch").json
    refreshed = client.post("/oauth/token", data={
        "grant_type": "refresh_token", "client_id": "lotse-console",
        "refresh_token": first["refresh_token"]})
    assert refreshed.status_code == 200 and refreshed.json["refresh_token"] != first["refresh_token"]
    replayed = client.post("/oauth/token", data={
        "grant_type": "refresh_token", "client_id": "lotse-console",
        "refresh_token": first["refresh_token"]})
    assert replayed.status_code == 400 and replayed.json["error"] == "invalid_grant"

    # logout: the refresh token is revoked and refused afterwards
    logout = client.post("/oauth/revoke", data={"client_id": "lotse-console",
                                                "token": refreshed.json["refresh_token"],
                                                "token_type_hint": "refresh_token"})
    assert logout.status_code == 200
    after = client.post("/oauth/token", data={
        "grant_type": "refresh_token", "client_id": "lotse-console",
        "refresh_token": refreshed.json["refresh_token"]})
    assert after.status_code == 400 and after.json["error"] == "invalid_grant"


def test_the_web_console_logs_in_with_authorization_code_and_pkce(client, served):
    verifier, challenge = pkce()
    code = code_of(authorize(client, challenge))
    response = client.post("/oauth/token", data={
        "grant_type": "authorization_code", "client_id": "lotse-console", "code": code,
        "redirect_uri": REDIRECT, "code_verifier": verifier})
    assert response.status_code == 200, response.json
    assert "refresh_token" in response.json
    principal = verifier_for(served).verify(response.json["access_token"])
    assert principal.subject == str(COUNTY.user("cm.hoexter").id)
    # a code works once
    again = client.post("/oauth/token", data={
        "grant_type": "authorization_code", "client_id": "lotse-console", "code": code,
        "redirect_uri": REDIRECT, "code_verifier": verifier})
    assert again.status_code == 400 and again.json["error"] == "invalid_grant"


def test_a_code_with_the_wrong_pkce_verifier_is_refused(client):
    _, challenge = pkce()
    code = code_of(authorize(client, challenge))
    response = client.post("/oauth/token", data={
        "grant_type": "authorization_code", "client_id": "lotse-console", "code": code,
        "redirect_uri": REDIRECT, "code_verifier": pkce()[0]})
    assert response.status_code == 400 and response.json["error"] == "invalid_grant"


def test_an_authorization_request_without_pkce_is_refused(client):
    query = urllib.parse.urlencode({"response_type": "code", "client_id": "lotse-console",
                                    "redirect_uri": REDIRECT, "state": "xyz"})
    response = client.get(f"/oauth/authorize?{query}")
    assert response.status_code == 302
    assert "error=invalid_request" in response.headers["Location"]


def test_a_wrong_password_on_the_login_page_shows_the_page_again(client):
    _, challenge = pkce()
    response = authorize(client, challenge, username="cm.brakel", password="wrong-password")
    assert response.status_code == 401 and b"invalid username or password" in response.data


def test_the_password_grant_is_refused_unless_enabled(identity_db, broker_url, keycloak):
    settings = identity_settings(identity_db, broker_url, keycloak, allow_password_grant=False)
    closed = IdentityService(settings).create_app().test_client()
    response = password_login(closed, "cm.hoexter")
    assert response.status_code == 400 and response.json["error"] == "unsupported_grant_type"
    document = closed.get("/.well-known/openid-configuration").json
    assert "password" not in document["grant_types_supported"]


def test_identity_s_own_api_accepts_its_tokens_and_refuses_none(client):
    assert client.get("/users/me").status_code == 401
    me = client.get("/users/me", headers=bearer(token_of(client, "pruefung")))
    assert me.status_code == 200 and me.json["username"] == "pruefung"
