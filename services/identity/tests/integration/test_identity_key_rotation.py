"""Key rotation on identity's own database: a new key is published before it signs, the old one
stays published until every token it signed has expired, and tokens of both verify meanwhile."""

from __future__ import annotations

from datetime import timedelta

import pytest
from identity_support import identity_settings
from joserfc import jws

from lotse_demo import COUNTY
from lotse_identity.bootstrap import IdentityService
from lotse_identity.domain.keys import KeyState
from lotse_identity.domain.model import now
from lotse_identity.cli import main as cli
from lotse_identity.service_layer.seed import DEMO_INTAKE_CLIENT_ID, DEMO_INTAKE_SECRET
from lotse_platform.auth import StaticKeys, TokenVerifier
from lotse_platform.errors import Unauthenticated

pytestmark = pytest.mark.integration


@pytest.fixture
def rotating(fresh_db, broker_url, keycloak):
    identity = IdentityService(identity_settings(fresh_db, broker_url, keycloak, key_rotation_days=30,
                                          key_publish_ahead=3600, access_token_ttl=600,
                                          key_retire_leeway=300))
    identity.migrate()
    identity.seed_demo(COUNTY)
    yield identity
    identity.engine.dispose()


def machine_token(client) -> str:
    response = client.post("/oauth/token", data={"grant_type": "client_credentials"},
                           auth=(DEMO_INTAKE_CLIENT_ID, DEMO_INTAKE_SECRET))
    assert response.status_code == 200, response.json
    return response.json["access_token"]


def kid_of(token: str) -> str:
    return jws.extract_compact(token.encode()).headers()["kid"]


def published(client) -> set[str]:
    return {key["kid"] for key in client.get("/.well-known/jwks.json").json["keys"]}


def verify_with_jwks(identity, client, token):
    """What a service or the gateway does: verify against the JWKS it fetched just now."""
    jwks = client.get("/.well-known/jwks.json").json
    return TokenVerifier(StaticKeys(jwks), issuer=identity.issuer, audience="lotse").verify(token)


def test_rotation_publishes_before_signing_and_keeps_the_old_key_until_its_tokens_expire(
        rotating):
    client = rotating.create_app().test_client()
    t0 = now()
    rotating.rotate_keys(at=t0)
    with rotating.uow() as uow:
        states = {k.state: k.kid for k in uow.signing_keys()}
    first, upcoming = states[KeyState.current], states[KeyState.next]
    assert published(client) == {first, upcoming}, "the next key is published before it signs"

    old_token = machine_token(client)
    assert kid_of(old_token) == first

    # not due yet: nothing changes
    assert not rotating.rotate_keys(at=t0 + timedelta(days=29)).changes_anything

    rotated_at = t0 + timedelta(days=30)
    plan = rotating.rotate_keys(at=rotated_at)
    assert plan.promote.kid == upcoming and plan.retire.kid == first
    new_token = machine_token(client)
    assert kid_of(new_token) == upcoming, "the key published ahead signs now"
    with rotating.uow() as uow:
        successor = uow.signing_keys([KeyState.next])[0].kid
    assert published(client) == {first, upcoming, successor}
    assert kid_of(new_token) != successor, "a freshly published key does not sign yet"

    # during the rotation tokens of both keys verify
    assert verify_with_jwks(rotating, client, old_token).subject == DEMO_INTAKE_CLIENT_ID
    assert verify_with_jwks(rotating, client, new_token).subject == DEMO_INTAKE_CLIENT_ID

    # the retired key stays as long as a token it signed can live (TTL + leeway) …
    rotating.rotate_keys(at=rotated_at + timedelta(seconds=600 + 300 - 1))
    assert first in published(client)
    # … and goes afterwards, its private key erased
    rotating.rotate_keys(at=rotated_at + timedelta(seconds=600 + 300))
    assert published(client) == {upcoming, successor}
    with rotating.uow() as uow:
        removed = [k for k in uow.signing_keys([KeyState.removed])]
    assert [k.kid for k in removed] == [first] and removed[0].private_key is None
    with pytest.raises(Unauthenticated, match="signing key is unknown"):
        verify_with_jwks(rotating, client, old_token)


def test_the_command_line_rotates_only_when_the_next_key_was_published_long_enough(
        rotating, monkeypatch, capsys):
    settings = rotating.settings
    for name, value in {"LOTSE_IDENTITY_DATABASE_URL": settings.database_url,
                        "LOTSE_IDENTITY_ISSUER": settings.issuer,
                        "LOTSE_IDENTITY_KEY_ENCRYPTION_KEY": settings.key_encryption_key,
                        "LOTSE_IDENTITY_KEY_PUBLISH_AHEAD": "3600"}.items():
        monkeypatch.setenv(name, value)
    assert cli(["rotate-keys"]) == 0  # a fresh database: the first keys
    assert cli(["rotate-keys", "--force"]) == 0
    out = capsys.readouterr().out
    assert "waits" in out and '"state": "current"' in out and '"state": "next"' in out


def test_the_worker_rotates_keys_on_schedule(rotating):
    assert "key-rotation" in rotating.worker_loops()
