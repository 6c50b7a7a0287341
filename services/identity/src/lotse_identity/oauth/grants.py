"""Authlib's grants, told where Lotse keeps its users, codes and tokens.

Only storage and lookups are ours; the protocol (parameter checks, client authentication, PKCE,
error answers) is Authlib's. Every lookup runs in the tenant of the requesting client.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6749.errors import InvalidGrantError, InvalidRequestError, OAuth2Error
from authlib.oauth2.rfc7523 import JWTBearerGrant
from authlib.oauth2.rfc7636 import CodeChallenge

from lotse_platform.http.request_id import current_request_id

from ..adapters.crypto import random_secret, secret_digest
from ..domain.model import AuthorizationCode, now
from ..domain.passwords import PasswordRejected
from ..service_layer.login import (
    AccountLocked,
    InvalidCredentials,
    PasswordChangeRequired,
    check_password,
)
from .models import IssuerClient, StoredCode, StoredRefreshToken, Subject

log = logging.getLogger("lotse.identity.oauth")

ALL_CLIENT_METHODS = ["client_secret_basic", "client_secret_post", "none"]


class AccountLockedError(OAuth2Error):
    """429 with Retry-After: too many failed passwords for this username."""

    error = "account_locked"
    status_code = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            description=("too many failed sign-in attempts for this username; it is locked "
                         f"for {retry_after} seconds (Kontosperre)"))
        self.retry_after = retry_after

    def get_headers(self):
        return [*super().get_headers(), ("Retry-After", str(self.retry_after))]


class PasswordChangeRequiredError(OAuth2Error):
    """The right password, but a temporary one set by an administrator: log in with it once
    more and a new one as ``new_password``."""

    error = "password_change_required"

    def __init__(self) -> None:
        super().__init__(description=(
            "the password was set by an administrator and must be changed: send it again as "
            "password and your new one as new_password"))


class NewPasswordRejectedError(InvalidRequestError):
    """``new_password`` breaks a rule; the description names the rule, never the password."""


def _identity(grant):
    return grant.server.identity


def _active_subject(identity, tenant_id, user_id, roles=None) -> Subject | None:
    with identity.uow(tenant_id) as uow:
        user = uow.get_user(user_id)
        if user is None or not user.active:
            return None
        return Subject.of(user, tenant_id, roles)


def authenticate_password(identity, tenant_id, username: str, password: str,
                          new_password: str | None = None) -> Subject:
    """A user by password, or an OAuth error (invalid_grant, 429 account_locked,
    password_change_required). With ``new_password`` her password is replaced by it, which the
    login of a temporary password must do (invalid_request when it breaks a rule)."""
    try:
        user = check_password(identity.uow(tenant_id, request_id=current_request_id()),
                              username, password, identity.settings, new_password=new_password)
    except AccountLocked as locked:
        raise AccountLockedError(locked.retry_after) from None
    except InvalidCredentials:
        raise InvalidGrantError("invalid username or password") from None
    except PasswordChangeRequired:
        raise PasswordChangeRequiredError() from None
    except PasswordRejected as rejected:
        raise NewPasswordRejectedError(rejected.detail) from None
    return Subject.of(user, tenant_id)


def _current_subject(identity, tenant_id, user_id, generation: int) -> Subject | None:
    """The active user, if nothing ended her sessions since ``generation`` was handed out."""
    subject = _active_subject(identity, tenant_id, user_id)
    if subject is None or subject.token_generation != generation:
        return None
    return subject


class ClientCredentialsGrant(grants.ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]


class PasswordGrant(grants.ResourceOwnerPasswordCredentialsGrant):
    """Only registered when LOTSE_IDENTITY_ALLOW_PASSWORD_GRANT (embedded mode, the demo)."""

    TOKEN_ENDPOINT_AUTH_METHODS = ALL_CLIENT_METHODS

    def validate_token_request(self):
        params = self.request.form
        if not params.get("username"):
            raise InvalidRequestError("Missing 'username' in request.")
        super().validate_token_request()

    def authenticate_user(self, username, password):
        tenant_id = self.request.client.tenant_id if self.request.client else None
        if tenant_id is None:  # Authlib authenticated the client before; keep it that way
            tenant_id = self.authenticate_token_endpoint_client().tenant_id
        return authenticate_password(_identity(self), tenant_id, username, password,
                                     self.request.form.get("new_password"))

    def authenticate_token_endpoint_client(self):
        client = super().authenticate_token_endpoint_client()
        self.request.client = client
        return client


class PkceRequired(CodeChallenge):
    """PKCE with S256 for every authorization request (OAuth 2.1), not only public clients."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]
    DEFAULT_CODE_CHALLENGE_METHOD = "S256"

    def validate_code_challenge(self, grant, redirect_uri):
        if not grant.request.payload.data.get("code_challenge"):
            raise InvalidRequestError("Missing 'code_challenge' (PKCE with S256 is required)")
        super().validate_code_challenge(grant, redirect_uri)


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ALL_CLIENT_METHODS

    def save_authorization_code(self, code, request):
        identity = _identity(self)
        client = request.client
        payload = request.payload
        record = AuthorizationCode(
            code_hash=secret_digest(code), client_id=client.get_client_id(),
            user_id=request.user.user_id, redirect_uri=payload.redirect_uri or "",
            expires_at=now() + timedelta(seconds=identity.settings.authorization_code_ttl),
            scope=request.scope or "", code_challenge=payload.data.get("code_challenge"),
            code_challenge_method=payload.data.get("code_challenge_method") or "S256",
            token_generation=request.user.token_generation)
        with identity.uow(client.tenant_id) as uow:
            uow.add(record)
            uow.commit()

    def query_authorization_code(self, code, client):
        identity = _identity(self)
        with identity.uow(client.tenant_id) as uow:
            record = uow.authorization_code(secret_digest(code))
            if record is None or record.client_id != client.get_client_id():
                return None
            # single use: spent on the first exchange, successful or not
            if record.expires_at <= now() or not uow.use_authorization_code(record.id, now()):
                uow.commit()
                return None
            uow.commit()
        return StoredCode(record.id, record.user_id, record.redirect_uri, record.scope,
                          record.code_challenge, record.code_challenge_method,
                          record.token_generation)

    def delete_authorization_code(self, authorization_code):
        """Nothing left to do: the code was spent when it was looked up."""

    def authenticate_user(self, authorization_code):
        # a password change between the login and the exchange ends this login too
        return _current_subject(_identity(self), self.request.client.tenant_id,
                                authorization_code.user_id, authorization_code.token_generation)


class RefreshTokenGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ALL_CLIENT_METHODS
    INCLUDE_NEW_REFRESH_TOKEN = True  # rotation: each refresh token works once

    def authenticate_refresh_token(self, refresh_token):
        identity = _identity(self)
        client = self.request.client
        with identity.uow(client.tenant_id) as uow:
            record = uow.refresh_token(secret_digest(refresh_token))
            if record is None or record.client_id != client.get_client_id():
                return None
            # revoked as it is used, so two requests with the same token cannot both succeed
            if not record.usable(now()) or not uow.revoke_refresh_token(record.id, now()):
                uow.commit()
                return None
            uow.commit()
        return StoredRefreshToken(record.id, record.tenant_id, record.client_id,
                                  record.user_id, record.scope, record.token_generation)

    def authenticate_user(self, refresh_token):
        # revoked with the password change, or issued by a refresh that raced with it
        return _current_subject(_identity(self), refresh_token.tenant_id, refresh_token.user_id,
                                refresh_token.token_generation)

    def revoke_old_credential(self, refresh_token):
        """Revoked already when it was accepted (authenticate_refresh_token)."""


class ExternalTokenExchange(JWTBearerGrant):
    """RFC 7523: a token of the county's own OIDC provider for a Lotse access token.

    The assertion's ``iss`` must be a configured external issuer; its signature is checked
    against that issuer's JWKS, its ``aud`` against the configured audience; the subject claim
    must be linked to a local user of the issuer's tenant.
    """

    def resolve_issuer_client(self, issuer):
        trusted = _identity(self).external_issuer(issuer)
        if trusted is None:
            return None
        config, tenant_id = trusted
        self._issuer = IssuerClient(config, tenant_id)
        return self._issuer

    def resolve_client_public_key(self, client):
        return _identity(self).external_keys(client.config).key_set()

    def get_audiences(self):
        issuer = getattr(self, "_issuer", None)
        return [issuer.config.audience] if issuer else []

    def process_assertion_claims(self, assertion):
        claims = super().process_assertion_claims(assertion)
        self._claims = claims
        return claims

    def validate_token_request(self):
        super().validate_token_request()
        if self.request.user is None:
            self.request.user = self.authenticate_user(None)
            if self.request.user is None:
                raise InvalidGrantError(description="Invalid 'sub' value in assertion")

    def authenticate_user(self, subject):
        config = self._issuer.config
        value = self._claims.get(config.subject_claim)
        if not isinstance(value, str) or not value:
            return None
        identity = _identity(self)
        with identity.uow(self._issuer.tenant_id) as uow:
            user = uow.user_by_external_identity(config.issuer, value)
            if user is None or not user.active:
                return None
            roles = None
            if config.role_claim:
                external = self._claims.get(config.role_claim) or []
                if isinstance(external, str):
                    external = external.split()
                mapping = config.role_map or {}
                roles = sorted({mapping[r] for r in external if isinstance(r, str) and r in mapping})
            return Subject.of(user, self._issuer.tenant_id, roles)

    def has_granted_permission(self, client, user):
        return True  # the issuer is trusted for its tenant; the user was found in that tenant


def new_refresh_token(client, grant_type, user, scope) -> str:
    return random_secret()

