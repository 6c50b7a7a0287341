"""A token issuer for development and tests — NOT FOR PRODUCTION.

:class:`DevIssuer` makes an RSA key pair in memory and signs whatever claims it is asked to. It
stands in for the identity service in embedded mode (``make run``) until that service exists,
and lets tests forge every kind of bad token. Its private key lives only in the process; a
deployment must verify tokens against the identity service's JWKS (``LOTSE_JWKS_URL``), never
against a ``DevIssuer``.

    issuer = DevIssuer()
    verifier = TokenVerifier(StaticKeys(issuer.jwks()), issuer=issuer.issuer, audience="lotse")
    token = issuer.issue("user-17", tenant_id, "org-awo", ["case_manager"], areas=["nord"])
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Iterable
from typing import Any

from joserfc import jwt
from joserfc.jwk import RSAKey

from .keys import StaticKeys


class DevIssuer:
    """Signs access tokens with a fresh RS256 key (``kid`` given or random)."""

    algorithm = "RS256"

    def __init__(self, issuer: str = "http://localhost/dev", kid: str | None = None, *,
                 audience: str = "lotse", key_size: int = 2048) -> None:
        self.issuer = issuer
        self.audience = audience
        self.kid = kid or f"dev-{secrets.token_hex(8)}"
        self._key = RSAKey.generate_key(
            key_size, parameters={"kid": self.kid, "alg": self.algorithm, "use": "sig"}
        )

    def jwks(self) -> dict[str, Any]:
        """The public half, as a JWKS document."""
        return {"keys": [self._key.as_dict(private=False)]}

    def keys(self) -> StaticKeys:
        return StaticKeys(self.jwks())

    def public_pem(self) -> bytes:
        return self._key.as_pem(private=False)

    def issue(self, subject: str, tenant: uuid.UUID | str, org: str, roles: Iterable[str],
              areas: Iterable[str] = (), ttl: int = 900, *, header: dict[str, Any] | None = None,
              **overrides: Any) -> str:
        """A signed JWT. ``overrides`` replace claims (``exp=…``, ``aud=…``, ``client_id=…``);
        ``None`` (also for ``tenant``, ``org`` or
        ``roles``) removes the claim. ``header`` adds or replaces header fields."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": subject,
            "tenant": str(tenant) if tenant is not None else None,
            "org": org,
            "roles": list(roles) if roles is not None else None,
            "areas": list(areas),
            "iat": now,
            "nbf": now,
            "exp": now + ttl,
            "jti": secrets.token_hex(16),
        }
        claims.update(overrides)
        return self.sign({name: value for name, value in claims.items() if value is not None},
                         header=header)

    def sign(self, claims: dict[str, Any], *, header: dict[str, Any] | None = None) -> str:
        """Sign exactly ``claims`` (no defaults, no checks): for forging odd tokens in tests."""
        protected = {"alg": self.algorithm, "kid": self.kid, "typ": "JWT", **(header or {})}
        return jwt.encode(protected, dict(claims), self._key, algorithms=[self.algorithm])
