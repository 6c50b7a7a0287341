"""Environment → settings of the identity service (``LOTSE_IDENTITY_…``).

Secrets (the key-encryption key) come from the environment or a file, never from the repository.
See docs/identity.md for the table of every variable.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from pydantic import AliasChoices, BaseModel, Field, field_validator, model_validator
from pydantic_settings import SettingsConfigDict

from lotse_platform.settings import RunMode, ServiceSettings

SERVICE = "identity"
API_PREFIX = f"/api/v1/{SERVICE}"


class ExternalIssuer(BaseModel):
    """A county's own OIDC provider (Keycloak, ADFS) whose tokens identity exchanges for its own.

    ``subject_claim`` names the claim that identifies the person (``sub``, ``preferred_username``,
    ``upn`` …); she must be linked to a local user (``POST /users/{id}/external-identities``).
    With ``role_claim`` the local roles come from that claim through ``role_map`` (external name →
    Lotse role; unmapped names are dropped); without it the local user's own roles apply.
    """

    model_config = {"frozen": True, "extra": "forbid"}

    issuer: str = Field(min_length=1)
    jwks_uri: str = Field(pattern=r"^https?://")
    audience: str = Field(min_length=1)
    tenant: uuid.UUID = Field(description="id of the tenant the issuer's people belong to")
    subject_claim: str = "sub"
    role_claim: str | None = None
    role_map: dict[str, str] | None = None


class IdentitySettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="LOTSE_IDENTITY_", extra="ignore", frozen=True, populate_by_name=True
    )

    #: the public URL of this service (through the gateway); the ``iss`` of every token
    issuer: str | None = Field(default=None, pattern=r"^https?://[^\s]+[^/\s]$")
    #: the platform's public base URL; with it the issuer defaults to <public_url>/api/v1/identity
    public_url: str | None = Field(default=None,
                                   validation_alias=AliasChoices("LOTSE_PUBLIC_URL"))
    signing_algorithm: str = Field(default="RS256", pattern=r"^(RS256|ES256)$")
    access_token_ttl: int = Field(default=600, ge=60, le=3600)
    refresh_token_ttl: int = Field(default=8 * 3600, ge=300, le=30 * 24 * 3600)
    authorization_code_ttl: int = Field(default=120, ge=30, le=600)
    #: embedded mode and the demo only: the resource-owner password grant (default: embedded only)
    allow_password_grant: bool | None = None

    # signing keys
    key_encryption_key: str | None = Field(default=None, repr=False)
    key_encryption_key_file: Path | None = None
    key_rotation_days: float = Field(default=30, gt=0, le=365)
    #: a new key is published this long before it signs (longer than verifiers cache the JWKS)
    key_publish_ahead: int = Field(default=2 * 3600, ge=0, le=30 * 24 * 3600)
    #: kept published this long beyond the access-token lifetime after a key stops signing
    key_retire_leeway: int = Field(default=300, ge=0, le=24 * 3600)
    key_check_interval: float = Field(default=60, gt=0, le=3600)

    # lockout after repeated failed passwords
    lockout_max_failures: int = Field(default=5, ge=1, le=100)
    lockout_window: int = Field(default=900, ge=10, le=24 * 3600)
    lockout_duration: int = Field(default=900, ge=10, le=24 * 3600)

    #: JSON list of external issuers (see :class:`ExternalIssuer`)
    external_issuers: str = "[]"

    @field_validator("external_issuers")
    @classmethod
    def _issuers_parse(cls, value: str) -> str:
        try:
            document = json.loads(value)
        except ValueError:
            raise ValueError("not JSON (a list of {issuer, jwks_uri, audience, tenant, …})") from None
        if not isinstance(document, list):
            raise ValueError("must be a JSON list")
        for item in document:
            ExternalIssuer.model_validate(item)
        return value

    @model_validator(mode="after")
    def _issuer_known(self):
        if self.mode is RunMode.local and not (self.issuer or self.public_url):
            raise ValueError("LOTSE_IDENTITY_ISSUER is required (the public URL of identity)")
        return self

    @property
    def token_issuer_url(self) -> str:
        if self.issuer:
            return self.issuer
        base = (self.public_url or "http://localhost:8080").rstrip("/")
        return f"{base}{API_PREFIX}"

    @property
    def password_grant_enabled(self) -> bool:
        if self.allow_password_grant is not None:
            return self.allow_password_grant
        return self.mode is RunMode.embedded

    @property
    def exchange_issuers(self) -> tuple[ExternalIssuer, ...]:
        return tuple(ExternalIssuer.model_validate(i) for i in json.loads(self.external_issuers))

    @property
    def max_key_lifetime_after_signing(self) -> int:
        """How long a key stays published after it stopped signing."""
        return self.access_token_ttl + self.key_retire_leeway
