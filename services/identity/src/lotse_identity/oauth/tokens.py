"""Lotse access tokens: RFC 9068 JWTs that :class:`lotse_platform.auth.TokenVerifier` accepts.

Authlib's :class:`JWTBearerTokenGenerator` makes the token response (``expires_in``, refresh
token); the claims are Lotse's (``tenant``, ``org``, ``roles``, ``areas``; ``client_id`` only
for machine clients, because the platform reads its presence as "a machine is calling"), and the
header names the signing key (``kid``) so verifiers pick it from the JWKS during rotation.

A person's token also carries her ``token_generation``. Identity's own API
(:class:`CurrentTokensOnly`) refuses one whose generation is no longer hers: a token issued
before her password changed, was reset or she was disabled (ADR 0063). The other services
verify tokens without asking identity; there such a token works until it expires.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from authlib.common.security import generate_token
from authlib.oauth2.rfc9068 import JWTBearerTokenGenerator
from joserfc import jws, jwt

from lotse_platform.auth import Principal
from lotse_platform.errors import Unauthenticated

from .models import OAuthClient, Subject

if TYPE_CHECKING:  # Flask's side: identity's worker issues no token and loads no Flask
    from lotse_platform.auth.web import Verifier

#: the claim of a person's token that identity compares with her current token generation
TOKEN_GENERATION = "token_generation"


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
                      "areas": list(user.area_ids), TOKEN_GENERATION: user.token_generation}
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


class CurrentTokensOnly:
    """Identity's own verifier: the platform's, and for a person's token of this issuer her
    current token generation (``generation_of(tenant, user_id)``, None for no such user)."""

    def __init__(self, verifier: Verifier, issuer: str,
                 generation_of: Callable[[uuid.UUID, uuid.UUID], int | None]) -> None:
        self.verifier = verifier
        self.issuer = issuer
        self.generation_of = generation_of

    def verify(self, token: str) -> Principal:
        principal = self.verifier.verify(token)
        if principal.is_client or principal.issuer != self.issuer:
            return principal
        try:
            user_id = uuid.UUID(principal.subject)
        except ValueError:
            return principal  # no user of identity's has it: her records are not found
        current = self.generation_of(principal.tenant, user_id)
        if current is not None and _claimed_generation(token) != current:
            raise Unauthenticated("token was issued before the password was changed or the "
                                  "account was disabled: log in again")
        return principal


def _claimed_generation(token: str) -> object:
    # the signature and the claims were verified already: only read the payload again
    claims = json.loads(jws.extract_compact(token.encode("ascii")).payload)
    return claims.get(TOKEN_GENERATION, 0) if isinstance(claims, dict) else None
