"""Access-token verification: a JWT from the identity service (or a trusted external OIDC
issuer) becomes a :class:`Principal`, or the request is refused with 401.

Only asymmetric signatures are accepted — with a symmetric one, everybody who can verify a token
could also forge one — and only those in the verifier's allow-list; the key is chosen by the
token's ``kid`` from the issuer's key set, never taken from the token itself (``jwk``, ``jku`` and
``x5u`` headers are ignored). Signature checks and the standard claims (``exp``, ``nbf``,
``iat``, ``iss``, ``aud``) are joserfc's; this module adds the Lotse claims:

=========== ==================================================== ==========
claim       meaning                                              required
=========== ==================================================== ==========
sub         user id (or the service account of a client)         yes
tenant      tenant (county / city) id, a UUID                    yes
org         organisation id (employer, provider, authority)      yes
roles       list of role names (:mod:`.principal`)               yes
areas       list of area ids the user serves                     no
client_id   present for machine clients (client credentials)     no
jti         token id                                             no
=========== ==================================================== ==========

A token of a trusted external issuer (the county's Keycloak) carries none of the Lotse claims;
its verifier is given a :class:`~.claims.ClaimMapping` that says where tenant, organisation,
roles and areas come from instead. :class:`~.issuers.TrustedIssuers` picks the verifier by the
token's ``iss``.

Refusals name what is wrong (``token has expired``) and never repeat the token or its claims.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Collection
from typing import Any

from joserfc import jws, jwt
from joserfc.errors import (
    BadSignatureError,
    ClaimError,
    ExpiredTokenError,
    InvalidKeyIdError,
    InvalidPayloadError,
    JoseError,
    KeyParameterError,
    MissingClaimError,
)
from joserfc.jwk import Key, KeyParameters

from ..errors import Unauthenticated
from .claims import ClaimMapping
from .keys import KeySource
from .principal import Principal

log = logging.getLogger("lotse.auth")

#: Signature algorithms a verifier may be configured with: asymmetric only.
ASYMMETRIC_ALGORITHMS = frozenset({
    "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
    "EdDSA", "Ed25519",
})

#: Longer tokens are refused before any parsing (a generous bound for many roles and areas).
MAX_TOKEN_LENGTH = 16_384

_CLAIM_DETAILS = {
    "iss": "token issuer is not accepted",
    "aud": "token audience is not accepted",
    "nbf": "token is not yet valid",
    "iat": "token was issued in the future",
}


class TokenVerifier:
    """Verifies access tokens against the keys of one issuer.

    ``verifier = TokenVerifier(JWKSCache(settings.jwks_url), issuer=settings.token_issuer,
    audience=settings.token_audience)``; ``verifier.verify(token)`` returns a
    :class:`Principal` or raises :class:`Unauthenticated`. With ``claims`` (an external
    issuer) the principal is read through that mapping instead of from the Lotse claims.
    """

    def __init__(self, keys: KeySource, *, issuer: str, audience: str,
                 algorithms: Collection[str] = ("RS256", "ES256"), leeway: int = 30,
                 now: Callable[[], int] | None = None,
                 claims: ClaimMapping | None = None) -> None:
        if not issuer or not audience:
            raise ValueError("a token verifier needs an issuer and an audience")
        refused = set(algorithms) - ASYMMETRIC_ALGORITHMS
        if refused or not algorithms:
            raise ValueError(f"only asymmetric signature algorithms are allowed, "
                             f"not {sorted(refused)}")
        if not 0 <= leeway <= 300:
            raise ValueError("leeway must be between 0 and 300 seconds")
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.algorithms = frozenset(algorithms)
        self.leeway = leeway
        self._now = now
        self.claims = claims

    def verify(self, token: str) -> Principal:
        try:
            return self._verify(token)
        except Unauthenticated as refusal:
            log.info("auth.token_rejected", extra={"reason": refusal.detail})
            raise

    def _verify(self, token: str) -> Principal:
        if not isinstance(token, str) or not token:
            raise Unauthenticated("no access token")
        if len(token) > MAX_TOKEN_LENGTH:
            raise Unauthenticated("access token is too large")
        try:
            header = jws.extract_compact(token.encode("ascii")).headers()
        except (JoseError, ValueError, TypeError):  # UnicodeError is a ValueError
            raise Unauthenticated("access token is malformed") from None

        algorithm = header.get("alg")
        if not isinstance(algorithm, str) or algorithm not in self.algorithms:
            raise Unauthenticated("token signing algorithm is not allowed")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise Unauthenticated("token does not name its signing key (kid)")
        key = self._signing_key(kid, algorithm)

        try:
            claims = jwt.decode(token, key, algorithms=sorted(self.algorithms)).claims
        except BadSignatureError:
            raise Unauthenticated("token signature is invalid") from None
        except InvalidPayloadError:
            raise Unauthenticated("token payload is not a JSON object") from None
        except KeyParameterError:
            raise Unauthenticated("token does not fit its signing key") from None
        except (JoseError, ValueError, TypeError):
            raise Unauthenticated("access token is malformed") from None

        self._validate_standard_claims(claims)
        if self.claims is not None:
            return self.claims.principal(claims, issuer=self.issuer)
        return self._principal(claims, self.issuer)

    def _signing_key(self, kid: str, algorithm: str) -> Key:
        wanted: KeyParameters = {"alg": algorithm, "use": "sig"}
        try:
            return self.keys.key_set().get_by_kid(kid, wanted)
        except InvalidKeyIdError:
            pass
        # The issuer may have rotated its keys: look once more (rate-limited by the source).
        self.keys.refresh()
        try:
            return self.keys.key_set().get_by_kid(kid, wanted)
        except InvalidKeyIdError:
            raise Unauthenticated("token signing key is unknown") from None

    def _validate_standard_claims(self, claims: dict[str, Any]) -> None:
        lotse_claims: dict[str, jwt.ClaimsOption]
        if self.claims is None:
            lotse_claims = {"sub": {"essential": True}, "tenant": {"essential": True},
                            "org": {"essential": True},
                            "roles": {"essential": True, "allow_blank": True}}
        else:  # an external issuer: only what its mapping reads is required
            lotse_claims = {name: {"essential": True} for name in self.claims.required_claims}
        registry = jwt.JWTClaimsRegistry(
            now=self._now,
            leeway=self.leeway,
            iss={"essential": True, "value": self.issuer},
            aud={"essential": True, "value": self.audience},
            exp={"essential": True},
            **lotse_claims,
        )
        try:
            registry.validate(claims)
        except MissingClaimError as error:
            raise Unauthenticated(f"token lacks required claim(s): {error.claim}") from None
        except ExpiredTokenError:
            raise Unauthenticated("token has expired") from None
        except ClaimError as error:
            detail = _CLAIM_DETAILS.get(error.claim, f"token claim '{error.claim}' is invalid")
            raise Unauthenticated(detail) from None

    @staticmethod
    def _principal(claims: dict[str, Any], issuer: str | None = None) -> Principal:
        try:
            tenant = uuid.UUID(claims["tenant"]) if isinstance(claims["tenant"], str) else None
        except ValueError:
            tenant = None
        if tenant is None:
            raise Unauthenticated("token claim 'tenant' is not a UUID")
        organisation = claims["org"]
        if not isinstance(organisation, str):
            raise Unauthenticated("token claim 'org' is invalid")
        roles = _string_list(claims, "roles")
        areas = _string_list(claims, "areas")
        client_id = claims.get("client_id")
        if client_id is not None and (not isinstance(client_id, str) or not client_id):
            raise Unauthenticated("token claim 'client_id' is invalid")
        return Principal(
            subject=client_id or claims["sub"],
            tenant=tenant,
            organisation=organisation,
            areas=areas,
            roles=roles,
            kind="client" if client_id else "user",
            token_id=claims.get("jti"),
            issuer=issuer,
        )


def _string_list(claims: dict[str, Any], name: str) -> frozenset[str]:
    value = claims.get(name, [])
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise Unauthenticated(f"token claim '{name}' must be a list of strings")
    return frozenset(value)
