"""What Authlib's grants work with: clients, the user a token is for, refresh tokens.

They are snapshots taken from the database in the client's tenant; Authlib never touches the
ORM objects. Every token request carries a client_id (or, for the jwt-bearer grant, an external
issuer), and the client names its tenant (ADR 0012).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from authlib.oauth2.rfc6749 import ClientMixin, TokenMixin
from authlib.oauth2.rfc7523 import JWTBearerGrant

from ..adapters.crypto import secret_matches
from ..domain.model import ApiClient, ClientKind, User

SECRET_METHODS = ("client_secret_basic", "client_secret_post")


@dataclass(frozen=True)
class Subject:
    """The person a token is issued for, with the roles and areas it carries."""

    user_id: uuid.UUID
    tenant_id: uuid.UUID
    organisation_id: uuid.UUID
    roles: tuple[str, ...]
    area_ids: tuple[str, ...]
    #: the user's token generation when she was authenticated; her tokens carry it
    token_generation: int = 0

    @classmethod
    def of(cls, user: User, tenant_id, roles=None) -> Subject:
        return cls(user.id, uuid.UUID(str(tenant_id)), user.organisation_id,
                   tuple(user.roles if roles is None else roles), tuple(user.area_ids),
                   user.token_generation)

    def get_user_id(self) -> str:
        return str(self.user_id)


class OAuthClient(ClientMixin):
    def __init__(self, client: ApiClient) -> None:
        self.record = client
        self.tenant_id: uuid.UUID = client.tenant_id
        self.service_account_id: uuid.UUID = client.id
        self.organisation_id: uuid.UUID = client.organisation_id
        self.roles = tuple(client.roles)
        self.area_ids = tuple(client.area_ids)

    def get_client_id(self) -> str:
        return self.record.client_id

    def get_default_redirect_uri(self) -> str | None:
        uris = self.record.redirect_uris
        return uris[0] if len(uris) == 1 else None

    def get_allowed_scope(self, scope) -> str:
        # Lotse authorises by role × organisation × area, not by scope: scopes are ignored
        return ""

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.record.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return secret_matches(self.record.secret_hash, client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if self.record.kind is ClientKind.public:
            return method == "none"
        return method in SECRET_METHODS

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code" and "authorization_code" in self.record.grant_types

    def check_grant_type(self, grant_type: str) -> bool:
        return self.record.active and grant_type in self.record.grant_types


class IssuerClient(ClientMixin):
    """A trusted external OIDC issuer, in the role Authlib's jwt-bearer grant gives a client."""

    def __init__(self, config, tenant_id: uuid.UUID) -> None:
        self.config = config
        self.tenant_id = tenant_id

    def get_client_id(self) -> str:
        return self.config.issuer

    def get_allowed_scope(self, scope) -> str:
        return ""

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == JWTBearerGrant.GRANT_TYPE


@dataclass
class StoredRefreshToken(TokenMixin):
    id: uuid.UUID
    tenant_id: uuid.UUID
    client_id: str
    user_id: uuid.UUID
    scope: str
    token_generation: int = 0

    def check_client(self, client) -> bool:
        return client.get_client_id() == self.client_id

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return 0

    def is_expired(self) -> bool:
        return False  # only usable tokens are turned into this

    def is_revoked(self) -> bool:
        return False

    def get_user(self):
        return self.user_id

    def get_client(self):
        return None


@dataclass
class StoredCode:
    id: uuid.UUID
    user_id: uuid.UUID
    redirect_uri: str
    scope: str
    code_challenge: str | None
    code_challenge_method: str | None
    token_generation: int = 0

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope
