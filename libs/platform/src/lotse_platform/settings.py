"""Settings from environment variables, validated once at start-up.

Every service declares a subclass of :class:`ServiceSettings` with its own prefix
(``LOTSE_EXAMPLE_``) for what is its own (database URLs) and inherits the platform-wide
variables, which keep their fixed ``LOTSE_`` names. :func:`load_settings` turns a missing or
malformed variable into one line on stderr that names it, and exits.
"""

from __future__ import annotations

import json
import os
import sys
import uuid
from enum import Enum
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Self, TypeVar

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from .clock import DEFAULT_TIME_ZONE, TimeZones, time_zone

# what Lotse runs on: SQLite in embedded mode, PostgreSQL everywhere else
DATABASE_BACKENDS = ("sqlite", "postgresql")


class RunMode(str, Enum):
    embedded = "embedded"  # make run: SQLite, in-memory bus, one process
    local = "local"  # make up / containers / Kubernetes: PostgreSQL and RabbitMQ


def _platform(name: str, **kwargs: Any) -> Any:
    """A platform-wide variable: same name for every service, not prefixed per service.

    Like pydantic's ``Field``, whose result it is, it passes for the annotated field's type."""
    return Field(validation_alias=AliasChoices(name), **kwargs)


_URL = r"^https?://[^\s\"'\\]+$"


class TrustedIssuerSettings(BaseModel):
    """An external OIDC issuer whose access tokens are accepted beside identity's.

    One entry of ``LOTSE_TRUSTED_ISSUERS`` (a JSON list), e.g. a county's Keycloak::

        {"issuer": "https://login.kreis-hoexter.de/realms/kim",
         "jwks_uri": "https://login.kreis-hoexter.de/realms/kim/protocol/openid-connect/certs",
         "tenant": "6f1c1e4e-8a52-4a57-9d43-0d7d3c1c2a11", "organisation_claim": "lotse_org",
         "role_claim": "realm_access.roles", "role_map": {"kim-cm": "case_manager"},
         "area_claim": "lotse_areas"}

    The tenant is fixed per issuer; organisation fixed or from a claim; roles through
    ``role_map`` only (:class:`~lotse_platform.auth.claims.ClaimMapping`).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    issuer: str = Field(pattern=_URL, max_length=500)
    jwks_uri: str = Field(pattern=_URL, max_length=1000)
    audience: str | None = Field(default=None, min_length=1,
                                 description="defaults to LOTSE_TOKEN_AUDIENCE")
    tenant: uuid.UUID
    algorithms: tuple[str, ...] = ("RS256", "ES256")
    subject_claim: str = Field(default="sub", min_length=1)
    organisation: str | None = Field(default=None, min_length=1)
    organisation_claim: str | None = Field(default=None, min_length=1)
    role_claim: str | None = Field(default="roles", min_length=1)
    role_map: dict[str, str] = Field(default_factory=dict)
    area_claim: str | None = Field(default=None, min_length=1)
    client_id_claim: str | None = Field(default=None, min_length=1)

    @field_validator("algorithms")
    @classmethod
    def _asymmetric(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        from .auth.tokens import ASYMMETRIC_ALGORITHMS

        refused = sorted(set(value) - ASYMMETRIC_ALGORITHMS)
        if refused or not value:
            raise ValueError(f"only asymmetric signature algorithms are allowed, not {refused}")
        return value

    @field_validator("role_map")
    @classmethod
    def _known_roles(cls, value: dict[str, str]) -> dict[str, str]:
        from .auth.principal import ROLES

        unknown = sorted(set(value.values()) - ROLES)
        if unknown:
            raise ValueError(f"role_map names roles Lotse does not know: {unknown}")
        return value

    @model_validator(mode="after")
    def _one_organisation_source(self) -> Self:
        if (self.organisation is None) == (self.organisation_claim is None):
            raise ValueError("give either organisation (fixed) or organisation_claim")
        return self


def json_variable(value: object, *, shape: type[dict[Any, Any]] | type[list[Any]],
                  looks_like: str) -> object:
    """A structured variable (``LOTSE_TRUSTED_ISSUERS``, ``LOTSE_TENANT_TIME_ZONES``, a service's
    peers): JSON text from the environment — empty means none — or the value given in code.
    ``looks_like`` shows the expected form in the error (``an object {"<tenant id>": …}``)."""
    if isinstance(value, str):
        if not value.strip():
            return shape()
        try:
            value = json.loads(value)
        except ValueError:
            raise ValueError(f"not JSON ({looks_like})") from None
    if not isinstance(value, (list, tuple) if shape is list else shape):
        kind = "list" if shape is list else "object"
        raise ValueError(f"must be a JSON {kind} ({looks_like})")
    return value


def parse_trusted_issuers(value: object,
                          info: ValidationInfo | None = None) -> Sequence[object]:
    """``LOTSE_TRUSTED_ISSUERS``: JSON text from the environment, or a list in code."""
    issuers = json_variable(value, shape=list, looks_like="a list of {issuer, jwks_uri, tenant, …}")
    return tuple(issuers) if isinstance(issuers, list | tuple) else ()


class ServiceSettings(BaseSettings):
    """Variables every service has. Subclasses set ``model_config`` with their own prefix."""

    model_config = SettingsConfigDict(
        env_prefix="LOTSE_", extra="ignore", frozen=True, populate_by_name=True
    )

    # the service's own (prefixed: LOTSE_<SERVICE>_DATABASE_URL ...)
    database_url: str = Field(description="SQLAlchemy URL the service connects with (app role)")
    migration_database_url: str | None = Field(
        default=None, description="URL of the table owner for migrations; defaults to database_url"
    )

    # platform-wide
    mode: RunMode = _platform("LOTSE_MODE", default=RunMode.local)
    broker_url: str = _platform("LOTSE_BROKER_URL", default="amqp://guest:guest@127.0.0.1:5672//")
    exchange: str = _platform("LOTSE_EXCHANGE", default="lotse.events")
    dead_letter_exchange: str = _platform("LOTSE_DEAD_LETTER_EXCHANGE", default="lotse.dead")
    delivery_limit: int = _platform("LOTSE_DELIVERY_LIMIT", default=5, ge=1, le=100)
    prefetch: int = _platform("LOTSE_PREFETCH", default=200, ge=100, le=300)
    relay_batch_size: int = _platform("LOTSE_RELAY_BATCH_SIZE", default=500, ge=1, le=10_000)
    relay_poll_interval: float = _platform("LOTSE_RELAY_POLL_INTERVAL", default=0.05, gt=0, le=10)
    confirm_timeout: float = _platform("LOTSE_CONFIRM_TIMEOUT", default=10.0, gt=0, le=300)
    log_level: str = _platform("LOTSE_LOG_LEVEL", default="INFO", pattern=r"^(DEBUG|INFO|WARNING|ERROR)$")
    log_format: str = _platform("LOTSE_LOG_FORMAT", default="json", pattern=r"^(json|text)$")
    db_app_role: str = _platform("LOTSE_DB_APP_ROLE", default="lotse_app", pattern=r"^[a-z_][a-z0-9_]*$")
    jwks_url: str | None = _platform("LOTSE_JWKS_URL", default=None)
    token_issuer: str | None = _platform("LOTSE_TOKEN_ISSUER", default=None)
    token_audience: str = _platform("LOTSE_TOKEN_AUDIENCE", default="lotse")
    max_body_bytes: int = _platform("LOTSE_MAX_BODY_BYTES", default=1_048_576, ge=1024)
    #: external OIDC issuers trusted beside identity (JSON list of TrustedIssuerSettings)
    trusted_issuers: Annotated[tuple[TrustedIssuerSettings, ...], NoDecode] = _platform(
        "LOTSE_TRUSTED_ISSUERS", default=())
    #: fastest a token with an unknown key id may make a verifier fetch the JWKS again
    jwks_refresh_interval: float = _platform("LOTSE_JWKS_REFRESH_INTERVAL", default=30.0,
                                             gt=0, le=3600)
    # A welfare provider's own instance publishes as `<event type>.<suffix>` so that the
    # broker's topic permissions can hold it to its own routing keys (docs/provider-intake.md).
    routing_key_suffix: str | None = _platform(
        "LOTSE_ROUTING_KEY_SUFFIX", default=None, pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$")
    # false: never declare exchanges or queues (a broker user without configure permission)
    declare_topology: bool = _platform("LOTSE_DECLARE_TOPOLOGY", default=True)
    #: the time zone every date rule counts days in (lotse_platform.clock), per tenant
    time_zone: str = _platform("LOTSE_TIME_ZONE", default=DEFAULT_TIME_ZONE)
    #: a tenant whose days differ from LOTSE_TIME_ZONE: JSON {"<tenant id>": "Europe/Vienna"}
    tenant_time_zones: Annotated[dict[uuid.UUID, str], NoDecode] = _platform(
        "LOTSE_TENANT_TIME_ZONES", default_factory=dict)
    #: spans exported over OTLP/HTTP (lotse_platform.tracing): true, or unset and an OTLP
    #: endpoint given; false keeps tracing off whatever else is set
    tracing: bool | None = _platform("LOTSE_TRACING", default=None)
    #: OpenTelemetry's own variables: the collector (``/v1/traces`` is appended), or the traces
    #: endpoint itself
    otlp_endpoint: str | None = _platform("OTEL_EXPORTER_OTLP_ENDPOINT", default=None,
                                          pattern=_URL)
    otlp_traces_endpoint: str | None = _platform("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                                                 default=None, pattern=_URL)
    #: the write-once directory the worker anchors the audit chains in (ADR 0066); unset: the
    #: worker writes no checkpoints, and entries cut off a chain's end go unnoticed
    audit_anchor_dir: Path | None = _platform("LOTSE_AUDIT_ANCHOR_DIR", default=None)
    #: the Ed25519 key checkpoints are signed with (base64url of its 32 bytes), or a file
    #: holding it (or a PKCS#8 PEM); never a key the database holds
    audit_anchor_key: SecretStr | None = _platform("LOTSE_AUDIT_ANCHOR_KEY", default=None)
    audit_anchor_key_file: Path | None = _platform("LOTSE_AUDIT_ANCHOR_KEY_FILE", default=None)
    #: seconds between checkpoints (a tenant's head is anchored when it moved)
    audit_anchor_interval: float = _platform("LOTSE_AUDIT_ANCHOR_INTERVAL", default=60.0,
                                             ge=1, le=3600)
    #: days a note beside an audit entry is kept (ADR 0065)
    audit_note_retention_days: int = _platform("LOTSE_AUDIT_NOTE_RETENTION_DAYS", default=365,
                                               ge=1, le=3650)
    #: whether the coordinating service's worker runs the retention sweep (ADR 0109); off where
    #: a job of its own runs ``lotse-<service> retention sweep`` instead
    retention_sweep: bool = _platform("LOTSE_RETENTION_SWEEP", default=True)
    #: the local hour (the tenant's time zone) from which the worker sweeps a tenant once a day
    retention_sweep_hour: int = _platform("LOTSE_RETENTION_SWEEP_HOUR", default=2, ge=0, le=23)
    #: the directory of the tenants' key-encryption keys (lotse_platform.sealing, ADR 0082):
    #: one file per tenant, made on first use; unset: nothing can be sealed (signed copies 503)
    key_dir: Path | None = _platform("LOTSE_KEY_DIR", default=None)
    #: hours a service has to answer a subject-access request before it shows as overdue
    #: (ADR 0103; the coordinating service's setting)
    subject_access_answer_hours: int = _platform("LOTSE_SUBJECT_ACCESS_ANSWER_HOURS", default=24,
                                                 ge=1, le=24 * 30)
    #: the services a subject-access request asks (JSON list); empty: every installed service
    #: that declares how a person is found in its tables
    subject_access_services: list[str] = _platform("LOTSE_SUBJECT_ACCESS_SERVICES",
                                                   default_factory=list)
    #: the internal base URL of each service the coordinator fetches parts from (JSON object
    #: {"casework": "http://casework:8000/api/v1/casework"}); unset: the run mode's own
    subject_access_urls: dict[str, str] = _platform("LOTSE_SUBJECT_ACCESS_URLS",
                                                    default_factory=dict)
    #: the key store of the tenants' keys (ADR 0104): ``file:/path`` (a local key directory);
    #: unset: ``file:$LOTSE_KEY_DIR``. Encrypted columns cannot be written without one.
    key_store: str | None = _platform("LOTSE_KEY_STORE", default=None)
    #: seconds a process uses one data key for new encrypted values and keeps an unwrapped one
    #: (a rotation or a destroyed key reaches running processes within it)
    field_key_cache_seconds: float = _platform("LOTSE_FIELD_KEY_CACHE_SECONDS", default=60.0,
                                               ge=0, le=3600)
    #: the largest signed copy of a form accepted (bytes)
    signed_copy_max_bytes: int = _platform("LOTSE_SIGNED_COPY_MAX_BYTES", default=10 * 1024 * 1024,
                                           ge=1024, le=100 * 1024 * 1024)

    #: the translations of the printable forms each tenant hands out (ADR 0080), JSON
    #: {"<tenant id>": ["en", "uk"]}; a tenant not named: every translation shipped. German,
    #: the binding text, is always printed.
    form_languages: Annotated[dict[uuid.UUID, tuple[str, ...]], NoDecode] = _platform(
        "LOTSE_FORM_LANGUAGES", default_factory=dict)

    @field_validator("time_zone")
    @classmethod
    def _a_time_zone(cls, value: str) -> str:
        time_zone(value)
        return value

    @field_validator("tenant_time_zones", mode="before")
    @classmethod
    def _parse_tenant_time_zones(cls, value: object) -> object:
        return json_variable(value, shape=dict, looks_like='an object {"<tenant id>": "Europe/Berlin"}')

    @field_validator("tenant_time_zones")
    @classmethod
    def _known_time_zones(cls, value: dict[uuid.UUID, str]) -> dict[uuid.UUID, str]:
        for name in value.values():
            time_zone(name)
        return value

    @field_validator("form_languages", mode="before")
    @classmethod
    def _parse_form_languages(cls, value: object) -> object:
        return json_variable(value, shape=dict, looks_like='an object {"<tenant id>": ["en", "uk"]}')

    @field_validator("form_languages")
    @classmethod
    def _shipped_languages(cls, value: dict[uuid.UUID, tuple[str, ...]]
                           ) -> dict[uuid.UUID, tuple[str, ...]]:
        from .documents.catalogue import SHIPPED_LANGUAGES

        for tenant, languages in value.items():
            unknown = sorted(set(languages) - set(SHIPPED_LANGUAGES))
            if unknown:
                raise ValueError(f"tenant {tenant}: no forms are shipped in {unknown} "
                                 f"(shipped: {', '.join(SHIPPED_LANGUAGES)})")
        return value

    def form_languages_of(self, tenant: uuid.UUID | None) -> tuple[str, ...]:
        """The languages the tenant's forms are printed in: German, then its translations."""
        from .documents.catalogue import GERMAN, SHIPPED_LANGUAGES

        chosen = self.form_languages.get(tenant) if tenant else None
        translations = SHIPPED_LANGUAGES if chosen is None else chosen
        return (GERMAN, *(code for code in translations if code != GERMAN))

    @property
    def time_zones(self) -> TimeZones:
        return TimeZones.from_names(self.time_zone, self.tenant_time_zones)

    @field_validator("routing_key_suffix", "tracing", "otlp_endpoint", "otlp_traces_endpoint",
                     "audit_anchor_dir", "audit_anchor_key", "audit_anchor_key_file",
                     "key_dir", "key_store", mode="before")
    @classmethod
    def _none_when_empty(cls, value: object) -> object:
        return None if value == "" else value

    _parse_trusted_issuers = field_validator("trusted_issuers", mode="before")(parse_trusted_issuers)

    @field_validator("trusted_issuers")
    @classmethod
    def _distinct_issuers(cls, value: tuple[TrustedIssuerSettings, ...],
                          info: ValidationInfo) -> tuple[TrustedIssuerSettings, ...]:
        names = [trusted.issuer for trusted in value]
        if len(set(names)) != len(names):
            raise ValueError("an issuer is listed twice")
        if info.data.get("token_issuer") in names:
            raise ValueError("identity's issuer (LOTSE_TOKEN_ISSUER) is not an external issuer")
        return value

    @field_validator("audit_anchor_key")
    @classmethod
    def _a_signing_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            from .audit.anchor import load_signing_key

            load_signing_key(value.get_secret_value())
        return value

    @field_validator("key_store")
    @classmethod
    def _a_key_store(cls, value: str | None) -> str | None:
        if value is not None:
            from .crypto.store import key_store_path

            key_store_path(value)
        return value

    @property
    def key_directory(self) -> Path | None:
        """The local key directory: ``LOTSE_KEY_STORE=file:…``, else ``LOTSE_KEY_DIR``."""
        if self.key_store is not None:
            from .crypto.store import key_store_path

            return key_store_path(self.key_store)
        return self.key_dir

    @model_validator(mode="after")
    def _anchor_needs_a_key(self) -> Self:
        if self.audit_anchor_dir is not None and not (self.audit_anchor_key
                                                      or self.audit_anchor_key_file):
            raise ValueError("LOTSE_AUDIT_ANCHOR_DIR needs LOTSE_AUDIT_ANCHOR_KEY or "
                             "LOTSE_AUDIT_ANCHOR_KEY_FILE (the key checkpoints are signed with)")
        if self.audit_anchor_key and self.audit_anchor_key_file:
            raise ValueError("give LOTSE_AUDIT_ANCHOR_KEY or LOTSE_AUDIT_ANCHOR_KEY_FILE, not both")
        return self

    def audit_anchor_signing_key(self) -> Ed25519PrivateKey | None:
        """The key checkpoints are signed with (read from its file now), or None."""
        # the audit chain and its database side only where they are used: the gateway's control
        # plane reads these settings and connects to no database (issue 16)
        from .audit.anchor import load_signing_key

        if self.audit_anchor_key is not None:
            return load_signing_key(self.audit_anchor_key.get_secret_value())
        if self.audit_anchor_key_file is not None:
            return load_signing_key(self.audit_anchor_key_file.read_text())
        return None

    @field_validator("database_url", "migration_database_url")
    @classmethod
    def _a_database_url(cls, value: str | None) -> str | None:
        # Parsed here, not at the first connect: a typo must stop the start, not the first request.
        if value is None:
            return value
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            backend = make_url(value).get_backend_name()
        except ArgumentError:
            raise ValueError("not a database URL (e.g. postgresql+psycopg://user@host/db)") from None
        if backend not in DATABASE_BACKENDS:
            raise ValueError(f"unsupported database {backend!r} (use sqlite or postgresql)")
        return value

    @property
    def owner_database_url(self) -> str:
        return self.migration_database_url or self.database_url


S = TypeVar("S", bound=BaseSettings)


class ConfigurationError(SystemExit):
    """Raised (and exits with status 2) when the environment does not describe a valid setup."""

    def __init__(self, line: str):
        super().__init__(2)
        self.line = line

    def __str__(self) -> str:
        return self.line


def _variable_name(cls: type[BaseSettings], loc: tuple[int | str, ...]) -> str:
    if not loc:
        return str(cls.model_config.get("env_prefix", "")).rstrip("_")
    key = str(loc[0])
    for name, field in cls.model_fields.items():
        alias = field.validation_alias
        choices = alias.choices if isinstance(alias, AliasChoices) else []
        if key in choices or (key == name and choices):
            return str(choices[0])
    return f"{cls.model_config.get('env_prefix', '')}{key}".upper()


def describe_error(cls: type[BaseSettings], error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        name = _variable_name(cls, item.get("loc", ()))
        if item["type"] == "missing":
            parts.append(f"{name} is required but not set")
        else:
            # never the value itself: a URL may carry a password
            message = str(item["msg"]).removeprefix("Value error, ")
            where = _position(item.get("loc", ())[1:])
            parts.append(f"{name} is invalid: {where + ': ' if where else ''}{message}")
    return "configuration error: " + "; ".join(parts)


def _position(loc: tuple[int | str, ...]) -> str:
    """Where inside a structured variable (``[0].tenant``); pydantic's own steps are left out."""
    steps = [f"[{step}]" if isinstance(step, int) else f".{step}" for step in loc
             if not (isinstance(step, str) and "[" in step)]
    return "".join(steps).lstrip(".")


def load_settings(cls: type[S], **overrides: Any) -> S:
    """Read ``cls`` from the environment; on error print one line naming the variable and exit."""
    try:
        return cls(**overrides)
    except ValidationError as error:
        line = describe_error(cls, error)
        print(line, file=sys.stderr)
        raise ConfigurationError(line) from None


class CallerSettings(ServiceSettings):
    """A service that calls other services with its own machine token (client credentials):
    ``LOTSE_TOKEN_URL`` with ``LOTSE_<SERVICE>_CLIENT_ID`` / ``…_CLIENT_SECRET``. In embedded
    mode, and only there, they default to identity's token endpoint in the same process
    (``LOTSE_PUBLIC_URL``, which the embedded runner sets) and the service's demo client."""

    public_url: str | None = Field(
        default=None, validation_alias=AliasChoices("LOTSE_PUBLIC_URL", "LOTSE_EMBEDDED_URL"),
        description="base URL of the embedded platform (set by the embedded runner)")
    token_url: str | None = Field(default=None, validation_alias=AliasChoices("LOTSE_TOKEN_URL"))
    client_id: str | None = Field(default=None, description="the service's machine client")
    client_secret: str | None = Field(default=None, repr=False)

    def embedded_base(self) -> str:
        """The embedded platform's base URL (one process serves every service under it)."""
        base = self.public_url or f"http://127.0.0.1:{os.environ.get('LOTSE_PORT', '8080')}"
        return base.rstrip("/")

    def machine_credentials(self, demo_client_id: str,
                            demo_secret: str) -> tuple[str, str, str] | None:
        """(token URL, client id, secret) of the service's machine client, or None (then a
        call that needs one fails with a message naming the variables)."""
        if self.mode is RunMode.embedded:
            return (self.token_url or f"{self.embedded_base()}/api/v1/identity/oauth/token",
                    self.client_id or demo_client_id, self.client_secret or demo_secret)
        if self.token_url and self.client_id and self.client_secret:
            return self.token_url, self.client_id, self.client_secret
        return None
