"""Helpers of the identity service's tests (imported by its conftest and test modules; a
module name of its own, so it never meets another package's ``conftest``)."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass

from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server

from lotse_demo import COUNTY, DEMO_PASSWORD
from lotse_identity.adapters.crypto import new_key_encryption_key
from lotse_identity.settings import IdentitySettings

ISSUER = "http://127.0.0.1/lotse/identity"
REDIRECT = "http://localhost:8080/console/callback"  # the demo console's
KEY_ENCRYPTION_KEY = new_key_encryption_key()  # one per run: every test database uses it


class Served:
    """A WSGI app on a free port of 127.0.0.1, in a thread, until the fixture ends."""

    def __init__(self, app) -> None:
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)


@dataclass
class CountyKeycloak:
    """The county's own OIDC provider, as far as identity sees it: an issuer with a JWKS."""

    issuer: str
    key: RSAKey
    audience: str = "lotse-exchange"

    def token(self, subject: str, *, roles=(), ttl: int = 300, **overrides) -> str:
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": self.audience, "sub": subject, "iat": now,
                  "exp": now + ttl, "realm_roles": list(roles), **overrides}
        header = {"alg": "RS256", "kid": self.key.kid, "typ": "JWT"}
        return jwt.encode(header, {k: v for k, v in claims.items() if v is not None}, self.key,
                          algorithms=["RS256"])


def identity_settings(db, broker_url, keycloak: CountyKeycloak, **overrides) -> IdentitySettings:
    issuers = [{
        "issuer": keycloak.issuer,
        "jwks_uri": f"{keycloak.issuer}/protocol/openid-connect/certs",
        "audience": keycloak.audience,
        "tenant": str(COUNTY.tenant_id),
        "subject_claim": "sub",
    }]
    values = dict(database_url=db.app_url, migration_database_url=db.owner_url,
                  broker_url=broker_url, issuer=ISSUER,
                  key_encryption_key=KEY_ENCRYPTION_KEY, allow_password_grant=True,
                  external_issuers=json.dumps(issuers), key_publish_ahead=3600)
    values.update(overrides)
    return IdentitySettings(**values)


def password_login(client, username: str, password: str = DEMO_PASSWORD,
                   client_id: str = "lotse-console"):
    return client.post("/oauth/token", data={"grant_type": "password", "client_id": client_id,
                                             "username": username, "password": password})


def token_of(client, username: str) -> str:
    response = password_login(client, username)
    assert response.status_code == 200, response.json
    return response.json["access_token"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def demo_id(key: str) -> uuid.UUID:
    from lotse_demo.county import demo_id as make

    return make(key)


def pkce() -> tuple[str, str]:
    """A PKCE code verifier and its S256 challenge."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.decode().rstrip("=")


def authorize(client, challenge: str, username: str = "cm.hoexter",
              password: str = DEMO_PASSWORD, **fields):
    """The console's login page shown, then sent with these credentials (and ``fields``)."""
    query = urllib.parse.urlencode({
        "response_type": "code", "client_id": "lotse-console", "redirect_uri": REDIRECT,
        "state": "xyz", "code_challenge": challenge, "code_challenge_method": "S256"})
    page = client.get(f"/oauth/authorize?{query}")
    assert page.status_code == 200 and b"<form" in page.data
    return client.post(f"/oauth/authorize?{query}",
                       data={"username": username, "password": password, **fields})


def code_of(response) -> str:
    """The authorization code of the login page's redirect back to the console."""
    assert response.status_code == 302, response.data
    location = urllib.parse.urlsplit(response.headers["Location"])
    params = dict(urllib.parse.parse_qsl(location.query))
    assert params["state"] == "xyz"
    return params["code"]


def exchange(client, code: str, verifier: str):
    """The console's exchange of an authorization code for tokens."""
    return client.post("/oauth/token", data={
        "grant_type": "authorization_code", "client_id": "lotse-console", "code": code,
        "redirect_uri": REDIRECT, "code_verifier": verifier})
