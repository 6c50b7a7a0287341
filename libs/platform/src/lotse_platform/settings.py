"""Settings from environment variables, validated once at start-up.

Every service declares a subclass of :class:`ServiceSettings` with its own prefix
(``LOTSE_EXAMPLE_``) for what is its own (database URLs) and inherits the platform-wide
variables, which keep their fixed ``LOTSE_`` names. :func:`load_settings` turns a missing or
malformed variable into one line on stderr that names it, and exits.
"""

from __future__ import annotations

import sys
from enum import Enum
from typing import TypeVar

from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

# what Lotse runs on: SQLite in embedded mode, PostgreSQL everywhere else
DATABASE_BACKENDS = ("sqlite", "postgresql")


class RunMode(str, Enum):
    embedded = "embedded"  # make run: SQLite, in-memory bus, one process
    local = "local"  # make up / containers / Kubernetes: PostgreSQL and RabbitMQ


def _platform(name: str, **kwargs):
    """A platform-wide variable: same name for every service, not prefixed per service."""
    return Field(validation_alias=AliasChoices(name), **kwargs)


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

    @field_validator("database_url", "migration_database_url")
    @classmethod
    def _a_database_url(cls, value: str | None) -> str | None:
        # Parsed here, not at the first connect: a typo must stop the start, not the first request.
        if value is None:
            return value
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


def _variable_name(cls: type[BaseSettings], loc: tuple) -> str:
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
            parts.append(f"{name} is invalid: {message}")
    return "configuration error: " + "; ".join(parts)


def load_settings(cls: type[S], **overrides) -> S:
    """Read ``cls`` from the environment; on error print one line naming the variable and exit."""
    try:
        return cls(**overrides)
    except ValidationError as error:
        line = describe_error(cls, error)
        print(line, file=sys.stderr)
        raise ConfigurationError(line) from None
