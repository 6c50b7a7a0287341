"""Lotse access tokens: RFC 9068 JWTs that :class:`lotse_platform.auth.TokenVerifier` accepts.

Authlib's :class:`JWTBearerTokenGenerator` makes the token response (``expires_in``, refresh
token); the claims are Lotse's (``tenant``, ``org``, ``roles``, ``areas``; ``client_id`` only
for machine clients, because the platform reads its presence as "a machine is calling"), and the
header names the signing key (``kid``) so verifiers pick it from the JWKS during rotation.
"""

from __future__ import annotations

import time

from authlib.common.security import generate_token
from authlib.oauth2.rfc9068 import JWTBearerTokenGenerator
from joserfc import jwt

from .models import OAuthClient, Subject


class LotseTokenGenerator(JWTBearerTokenGenerator):
    def __init__(self, *, issuer: str, audience: str, ttl: int, keyring,
                 refresh_token_generator) -> None:
        super().__init__(issuer=issuer, refresh_token_generator=refresh_token_generator,
                         expires_generator=ttl)
        self.audience = audience
        self.keyring = keyring

    def get_jwks(self):
        return self.keyring.signing_key()

    def get_audiences(self, client, user, scope) -> str:
        return self.audience

    def get_extra_claims(self, client, grant_type, user, scope) -> dict:
        if isinstance(user, Subject):
            claims = {"sub": str(user.user_id), "tenant": str(user.tenant_id),
                      "org": str(user.organisation_id), "roles": list(user.roles),
                      "areas": list(user.area_ids)}
            if isinstance(client, OAuthClient):
                claims["azp"] = client.get_client_id()  # which application asked, not who
            return claims
        # a machine client: its service account is the subject
        return {"sub": str(client.service_account_id), "tenant": str(client.tenant_id),
                "org": str(client.organisation_id), "roles": list(client.roles),
                "areas": list(client.area_ids), "client_id": client.get_client_id()}

    def access_token_generator(self, client, grant_type, user, scope):
        issued = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.get_audiences(client, user, scope),
            "iat": issued,
            "nbf": issued,
            "exp": issued + self._get_expires_in(client, grant_type),
            "jti": generate_token(24),
            **self.get_extra_claims(client, grant_type, user, scope),
        }
        if scope:
            claims["scope"] = scope
        key = self.get_jwks()
        header = {"alg": key.alg, "typ": "at+jwt", "kid": key.kid}
        return jwt.encode(header, claims, key, algorithms=[key.alg])
