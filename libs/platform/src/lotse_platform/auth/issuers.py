"""Several trusted issuers: identity, and external OIDC issuers configured beside it.

ARCHITECTURE.md: "an external OIDC issuer (e.g. the county's Keycloak) can be trusted instead of
or beside local passwords". :class:`TrustedIssuers` holds one :class:`TokenVerifier` per issuer
and lets the token's ``iss`` choose among them; that verifier then checks everything again,
``iss`` included, against its own keys. The ``iss`` is read before the signature is checked only
to choose — a token that names identity is verified with identity's keys and nothing else.

:func:`verifier_from_settings` builds what a service uses: identity from ``LOTSE_JWKS_URL`` /
``LOTSE_TOKEN_ISSUER`` (or the keys handed over in embedded mode), each external issuer from
``LOTSE_TRUSTED_ISSUERS`` (:class:`~lotse_platform.settings.TrustedIssuerSettings`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from joserfc import jws
from joserfc.errors import JoseError

from .. import json_depth
from ..errors import Unauthenticated
from .claims import ClaimMapping
from .keys import JWKSCache, KeySource
from .principal import Principal
from .tokens import MAX_TOKEN_LENGTH, TokenVerifier

if TYPE_CHECKING:
    from ..settings import ServiceSettings, TrustedIssuerSettings

log = logging.getLogger("lotse.auth")


class TrustedIssuers:
    """Verifies tokens of any of ``verifiers``' issuers, each with its own keys and claims."""

    def __init__(self, verifiers: Iterable[TokenVerifier]) -> None:
        self._by_issuer: dict[str, TokenVerifier] = {}
        for verifier in verifiers:
            if verifier.issuer in self._by_issuer:
                raise ValueError(f"issuer {verifier.issuer} is configured twice")
            self._by_issuer[verifier.issuer] = verifier
        if not self._by_issuer:
            raise ValueError("trust at least one issuer")

    @property
    def issuers(self) -> tuple[str, ...]:
        return tuple(self._by_issuer)

    def verifier_for(self, issuer: str) -> TokenVerifier:
        return self._by_issuer[issuer]

    def verify(self, token: str) -> Principal:
        try:
            issuer = _claimed_issuer(token)
        except Unauthenticated as refusal:
            log.info("auth.token_rejected", extra={"reason": refusal.detail})
            raise
        verifier = self._by_issuer.get(issuer) if issuer is not None else None
        if verifier is None:
            log.info("auth.token_rejected", extra={"reason": "token issuer is not accepted"})
            raise Unauthenticated("token issuer is not accepted")
        return verifier.verify(token)


def _claimed_issuer(token: str) -> str | None:
    """The ``iss`` the token claims, unverified: only to choose the verifier."""
    if not isinstance(token, str) or not token:
        raise Unauthenticated("no access token")
    if len(token) > MAX_TOKEN_LENGTH:
        raise Unauthenticated("access token is too large")
    try:
        # parsed before any signature is checked: anyone can send it, nested however deep
        payload = json_depth.loads(jws.extract_compact(token.encode("ascii")).payload)
    except (JoseError, ValueError, TypeError):  # UnicodeError and JSONDecodeError are ValueErrors
        raise Unauthenticated("access token is malformed") from None
    issuer = payload.get("iss") if isinstance(payload, dict) else None
    return issuer if isinstance(issuer, str) else None


def external_verifier(trusted: TrustedIssuerSettings, *, default_audience: str,
                      refresh_interval: float = 30) -> TokenVerifier:
    """The verifier of one external issuer (a :class:`TrustedIssuerSettings`)."""
    mapping = ClaimMapping(
        tenant=trusted.tenant,
        subject_claim=trusted.subject_claim,
        organisation=trusted.organisation,
        organisation_claim=trusted.organisation_claim,
        role_claim=trusted.role_claim,
        role_map=dict(trusted.role_map),
        area_claim=trusted.area_claim,
        client_id_claim=trusted.client_id_claim,
    )
    keys = JWKSCache(trusted.jwks_uri, min_refresh_interval=refresh_interval)
    return TokenVerifier(keys, issuer=trusted.issuer,
                        audience=trusted.audience or default_audience,
                        algorithms=trusted.algorithms, claims=mapping)


def verifier_from_settings(settings: ServiceSettings, *, keys: KeySource | None = None,
                           issuer: str | None = None) -> TokenVerifier | TrustedIssuers:
    """Identity's verifier (``keys``/``issuer``, else ``LOTSE_JWKS_URL``/``LOTSE_TOKEN_ISSUER``)
    and one per ``LOTSE_TRUSTED_ISSUERS`` entry; a single verifier when there is just one."""
    refresh_interval = settings.jwks_refresh_interval
    external = settings.trusted_issuers
    verifiers: list[TokenVerifier] = []
    issuer = issuer or settings.token_issuer
    if keys is None and settings.jwks_url:
        keys = JWKSCache(settings.jwks_url, min_refresh_interval=refresh_interval)
    if keys is None and not external:
        raise RuntimeError("LOTSE_JWKS_URL is not set: the service cannot verify tokens")
    if keys is not None:
        if not issuer:
            raise RuntimeError("LOTSE_TOKEN_ISSUER is not set: the service cannot verify tokens")
        verifiers.append(TokenVerifier(keys, issuer=issuer, audience=settings.token_audience))
    verifiers.extend(external_verifier(trusted, default_audience=settings.token_audience,
                                       refresh_interval=refresh_interval)
                     for trusted in external)
    return verifiers[0] if len(verifiers) == 1 else TrustedIssuers(verifiers)
