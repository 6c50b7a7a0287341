"""A county's own OIDC provider (here a stand-in for its Keycloak on 127.0.0.1): its tokens are
exchanged at the token endpoint (RFC 7523 jwt-bearer) for Lotse tokens of the linked local
user, with her local roles or roles mapped from a configured claim."""

from __future__ import annotations

import json

import pytest
from identity_support import bearer, identity_settings, token_of
from joserfc.jwk import RSAKey

from lotse_demo import COUNTY
from lotse_identity.bootstrap import IdentityService
from lotse_platform.auth import StaticKeys, TokenVerifier

pytestmark = pytest.mark.integration

GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"


def exchange(client, assertion: str):
    return client.post("/oauth/token", data={"grant_type": GRANT, "assertion": assertion})


def verify(identity, client, token):
    jwks = client.get("/.well-known/jwks.json").json
    return TokenVerifier(StaticKeys(jwks), issuer=identity.issuer, audience="lotse").verify(token)


@pytest.fixture(scope="module")
def linked(app, keycloak):
    """cm.beverungen is linked to subject kc-4711 at the county's Keycloak (by the admin)."""
    client = app.test_client()
    user = COUNTY.user("cm.beverungen")
    response = client.post(f"/users/{user.id}/external-identities",
                           headers=bearer(token_of(client, "admin")),
                           json={"issuer": keycloak.issuer, "subject": "kc-4711"})
    assert response.status_code == 201, response.json
    return user


def test_a_keycloak_token_of_a_linked_person_becomes_a_lotse_token_with_her_roles(
        identity, client, keycloak, linked):
    response = exchange(client, keycloak.token("kc-4711"))
    assert response.status_code == 200, response.json
    principal = verify(identity, client, response.json["access_token"])
    assert principal.subject == str(linked.id) and principal.kind == "user"
    assert principal.roles == {"case_manager"}
    assert principal.tenant == COUNTY.tenant_id


def test_an_unknown_subject_is_refused(client, keycloak, linked):
    response = exchange(client, keycloak.token("kc-unknown"))
    assert response.status_code == 400 and response.json["error"] == "invalid_grant"


def test_a_token_for_another_audience_or_signed_by_another_key_is_refused(client, keycloak,
                                                                          linked):
    assert exchange(client, keycloak.token("kc-4711", aud="another-app")).json["error"] == \
        "invalid_grant"
    impostor = type(keycloak)(issuer=keycloak.issuer, key=RSAKey.generate_key(
        2048, parameters={"kid": "kc-1", "alg": "RS256", "use": "sig"}))
    assert exchange(client, impostor.token("kc-4711")).json["error"] == "invalid_grant"
    expired = keycloak.token("kc-4711", ttl=-600)
    assert exchange(client, expired).json["error"] == "invalid_grant"


def test_a_token_of_an_issuer_that_is_not_configured_is_refused(client, keycloak, linked):
    stranger = type(keycloak)(issuer="http://127.0.0.1:9/realms/other", key=keycloak.key)
    response = exchange(client, stranger.token("kc-4711"))
    assert response.status_code == 400 and response.json["error"] == "invalid_grant"


def test_roles_can_come_from_a_configured_claim_through_the_role_map(
        identity_db, broker_url, keycloak, linked):
    settings = identity_settings(identity_db, broker_url, keycloak)
    issuers = json.loads(settings.external_issuers)
    issuers[0].update(role_claim="realm_roles", role_map={"kim-ks": "coordinator",
                                                          "kim-cm": "case_manager"})
    mapped = IdentityService(settings.model_copy(update={"external_issuers": json.dumps(issuers)}))
    client = mapped.create_app().test_client()
    response = exchange(client, keycloak.token("kc-4711", roles=["kim-ks", "offline_access"]))
    assert response.status_code == 200, response.json
    assert verify(mapped, client, response.json["access_token"]).roles == {"coordinator"}
