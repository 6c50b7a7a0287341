"""Identity's OAuth 2 authorization server (Authlib), wired to the service container.

Grants: client_credentials (machines), authorization_code with PKCE S256 (the web console),
refresh_token (rotated on use), jwt-bearer (RFC 7523: exchange of an external IdP's token), and
password only when enabled (embedded mode, the demo). Revocation (RFC 7009) revokes refresh
tokens: that is logout. Discovery: RFC 8414 / OpenID metadata, validated by Authlib.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata

from lotse_platform.auth import Principal
from lotse_platform.http.request_id import current_request_id

from ..adapters.crypto import secret_digest
from ..domain.model import RefreshToken, now
from .grants import (
    ALL_CLIENT_METHODS,
    AuthorizationCodeGrant,
    ClientCredentialsGrant,
    ExternalTokenExchange,
    PasswordGrant,
    PkceRequired,
    RefreshTokenGrant,
    new_refresh_token,
)
from .models import OAuthClient, StoredRefreshToken, Subject
from .tokens import TOKEN_GENERATION, LotseTokenGenerator

log = logging.getLogger("lotse.identity.oauth")

TOKEN_PATH = "/oauth/token"
AUTHORIZE_PATH = "/oauth/authorize"
REVOKE_PATH = "/oauth/revoke"
JWKS_PATH = "/.well-known/jwks.json"


class LogoutEndpoint(RevocationEndpoint):
    """RFC 7009 for refresh tokens. Access tokens are short-lived JWTs and expire by themselves;
    revoking one is answered with 200 as the RFC asks, and changes nothing."""

    CLIENT_AUTH_METHODS = ALL_CLIENT_METHODS

    def authenticate_token(self, request, client):
        self._client = client
        return super().authenticate_token(request, client)

    def query_token(self, token_string, token_type_hint):
        if token_type_hint == "access_token":
            return None
        identity = self.server.identity
        client = self._client
        with identity.uow(client.tenant_id) as uow:
            record = uow.refresh_token(secret_digest(token_string))
            if record is None:
                return None
        return StoredRefreshToken(record.id, record.tenant_id, record.client_id, record.user_id,
                                  record.scope, record.token_generation)

    def revoke_token(self, token, request):
        identity = self.server.identity
        with identity.uow(token.tenant_id) as uow:
            if uow.revoke_refresh_token(token.id, now()):
                user = uow.get_user(token.user_id)
                if user is not None:
                    uow.principal = _principal(Subject.of(user, token.tenant_id))
                    uow.request_id = current_request_id()
                    uow.audit("logout", "user", user.id)
            uow.commit()


def _principal(subject: Subject) -> Principal:
    return Principal(subject=str(subject.user_id), tenant=subject.tenant_id,
                     organisation=str(subject.organisation_id), roles=frozenset(subject.roles),
                     areas=frozenset(subject.area_ids))


class LotseAuthorizationServer(AuthorizationServer):
    def __init__(self, identity) -> None:
        super().__init__()
        self.identity = identity
        settings = identity.settings
        self.register_token_generator("default", LotseTokenGenerator(
            issuer=identity.issuer, audience=settings.token_audience,
            ttl=settings.access_token_ttl, keyring=identity.keyring,
            refresh_token_generator=new_refresh_token))
        self.register_grant(ClientCredentialsGrant)
        self.register_grant(AuthorizationCodeGrant, [PkceRequired(required=True)])
        self.register_grant(RefreshTokenGrant)
        self.register_grant(ExternalTokenExchange)
        if settings.password_grant_enabled:
            self.register_grant(PasswordGrant)
        self.register_endpoint(LogoutEndpoint)

    @property
    def grant_types(self) -> list[str]:
        return sorted({grant.GRANT_TYPE for grant, _ in self._token_grants})

    def query_client(self, client_id):
        """The client with this id, found through the global client directory (ADR 0012)."""
        if not isinstance(client_id, str) or not client_id or len(client_id) > 100:
            return None
        with self.identity.uow() as uow:
            tenant_id = uow.tenant_of_client(client_id)
        if tenant_id is None:
            return None
        with self.identity.uow(tenant_id) as uow:
            client = uow.client_by_client_id(client_id)
        if client is None or not client.active:
            return None
        return OAuthClient(client)

    def save_token(self, token, request):
        subject = request.user
        if not isinstance(subject, Subject):
            return  # a machine's token: nothing to keep (no refresh token)
        grant_type = request.payload.grant_type
        with self.identity.uow(subject.tenant_id, principal=_principal(subject),
                               request_id=current_request_id()) as uow:
            if token.get("refresh_token"):
                uow.add(RefreshToken(
                    token_hash=secret_digest(token["refresh_token"]),
                    client_id=request.client.get_client_id(), user_id=subject.user_id,
                    scope=token.get("scope") or "", token_generation=subject.token_generation,
                    expires_at=now() + _seconds(self.identity.settings.refresh_token_ttl),
                    tenant_id=subject.tenant_id))
            if grant_type != "refresh_token":
                uow.audit("login", "user", subject.user_id, reason=grant_type)
            uow.commit()

    def metadata(self) -> dict:
        issuer = self.identity.issuer
        document = AuthorizationServerMetadata({
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}{AUTHORIZE_PATH}",
            "token_endpoint": f"{issuer}{TOKEN_PATH}",
            "revocation_endpoint": f"{issuer}{REVOKE_PATH}",
            "jwks_uri": f"{issuer}{JWKS_PATH}",
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": self.grant_types,
            "token_endpoint_auth_methods_supported": ALL_CLIENT_METHODS,
            "revocation_endpoint_auth_methods_supported": ALL_CLIENT_METHODS,
            "code_challenge_methods_supported": ["S256"],
            "service_documentation": f"{issuer}/openapi.json",
        })
        document.validate()
        return {**document,
                # what the access tokens carry (RFC 9068 JWTs), for the people who read this
                "access_token_signing_alg_values_supported": [
                    self.identity.settings.signing_algorithm],
                "claims_supported": ["iss", "aud", "sub", "tenant", "org", "roles", "areas",
                                     "client_id", "azp", TOKEN_GENERATION, "jti", "iat", "nbf",
                                     "exp"]}


def _seconds(value: int) -> timedelta:
    return timedelta(seconds=value)
