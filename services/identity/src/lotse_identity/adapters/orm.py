"""Tables of the identity service and their mapping onto the domain classes.

Every tenant-owned table has ``tenant_id`` under row-level security. Two tables are global by
design and hold nothing personal: ``signing_keys`` (one issuer per deployment) and
``client_directory`` (client_id → tenant: how the token endpoint finds a caller's tenant before
it knows it, ADR 0012).
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import registry

from lotse_platform.db import platform_tables
from lotse_platform.db.tables import Timestamp

from ..domain.keys import KeyState, SigningKey
from ..domain.model import (
    ApiClient,
    Area,
    AreaKind,
    AuthorizationCode,
    ClientKind,
    ExternalIdentity,
    LoginFailures,
    Organisation,
    OrganisationKind,
    RefreshToken,
    Tenant,
    TenantKind,
    User,
)
from ..domain.qualifications import Qualification, Training

metadata = sa.MetaData()
mapper_registry = registry(metadata=metadata)
platform = platform_tables(metadata)


class Hundredths(sa.TypeDecorator):
    """A share such as an FTE (0.75), kept as an integer of hundredths on every backend."""

    impl = sa.Integer
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else int((Decimal(str(value)) * 100).to_integral_value())

    def process_result_value(self, value, dialect):
        return None if value is None else (Decimal(value) / 100).quantize(Decimal("0.01"))


def _enum(cls, name: str):
    # stored as text: a new kind needs no ALTER TYPE, validation happens in the domain and API
    return sa.Enum(cls, name=name, native_enum=False, length=40, validate_strings=True)


def _tenant_id():
    return sa.Column("tenant_id", sa.Uuid, nullable=False, index=True)


tenants = sa.Table(
    "tenants", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    _tenant_id(),
    sa.Column("key", sa.String(60), nullable=False, unique=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kind", _enum(TenantKind, "tenant_kind"), nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
)

client_directory = sa.Table(
    "client_directory", metadata,
    sa.Column("client_id", sa.String(100), primary_key=True),
    sa.Column("tenant", sa.Uuid, nullable=False),
)

areas = sa.Table(
    "areas", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    _tenant_id(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kind", _enum(AreaKind, "area_kind"), nullable=False),
    sa.Column("parent_id", sa.Uuid, sa.ForeignKey("areas.id"), nullable=True),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("version", sa.BigInteger, nullable=False, server_default="1"),
    sa.Column("created_at", Timestamp, nullable=False),
)

organisations = sa.Table(
    "organisations", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    _tenant_id(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kind", _enum(OrganisationKind, "organisation_kind"), nullable=False),
    sa.Column("parent_id", sa.Uuid, sa.ForeignKey("organisations.id"), nullable=True),
    sa.Column("area_id", sa.Uuid, sa.ForeignKey("areas.id"), nullable=True),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("version", sa.BigInteger, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
)

users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    _tenant_id(),
    sa.Column("username", sa.String(100), nullable=False),
    sa.Column("display_name", sa.String(200), nullable=False),
    sa.Column("email", sa.String(254), nullable=True),
    sa.Column("organisation_id", sa.Uuid, sa.ForeignKey("organisations.id"), nullable=False),
    sa.Column("roles", sa.JSON, nullable=False),
    sa.Column("area_ids", sa.JSON, nullable=False),
    sa.Column("fte", Hundredths, nullable=True),
    sa.Column("voting", sa.Boolean, nullable=True),
    sa.Column("password_hash", sa.String(200), nullable=True),
    sa.Column("password_change_required", sa.Boolean, nullable=False,
              server_default=sa.false()),
    sa.Column("token_generation", sa.Integer, nullable=False, server_default="0"),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("version", sa.BigInteger, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    sa.UniqueConstraint("tenant_id", "username", name="uq_users_tenant_username"),
)

external_identities = sa.Table(
    "external_identities", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    _tenant_id(),
    sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("issuer", sa.String(300), nullable=False),
    sa.Column("subject", sa.String(300), nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.UniqueConstraint("tenant_id", "issuer", "subject", name="uq_external_identity"),
)

api_clients = sa.Table(
    "api_clients", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    _tenant_id(),
    sa.Column("client_id", sa.String(100), nullable=False, unique=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kind", _enum(ClientKind, "client_kind"), nullable=False),
    sa.Column("organisation_id", sa.Uuid, sa.ForeignKey("organisations.id"), nullable=False),
    sa.Column("grant_types", sa.JSON, nullable=False),
    sa.Column("roles", sa.JSON, nullable=False),
    sa.Column("area_ids", sa.JSON, nullable=False),
    sa.Column("redirect_uris", sa.JSON, nullable=False),
    sa.Column("secret_hash", sa.String(200), nullable=True),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("revoked_at", Timestamp, nullable=True),
)

refresh_tokens = sa.Table(
    "refresh_tokens", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    _tenant_id(),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("client_id", sa.String(100), nullable=False),
    sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("scope", sa.String(500), nullable=False),
    sa.Column("token_generation", sa.Integer, nullable=False, server_default="0"),
    sa.Column("issued_at", Timestamp, nullable=False),
    sa.Column("expires_at", Timestamp, nullable=False),
    sa.Column("revoked_at", Timestamp, nullable=True),
)

authorization_codes = sa.Table(
    "authorization_codes", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    _tenant_id(),
    sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("client_id", sa.String(100), nullable=False),
    sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("redirect_uri", sa.String(500), nullable=False),
    sa.Column("scope", sa.String(500), nullable=False),
    sa.Column("code_challenge", sa.String(128), nullable=True),
    sa.Column("code_challenge_method", sa.String(10), nullable=True),
    sa.Column("token_generation", sa.Integer, nullable=False, server_default="0"),
    sa.Column("expires_at", Timestamp, nullable=False),
    sa.Column("used_at", Timestamp, nullable=True),
)

trainings = sa.Table(
    "trainings", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    _tenant_id(),
    sa.Column("key", sa.String(60), nullable=False),
    sa.Column("label_de", sa.String(200), nullable=False),
    sa.Column("label_en", sa.String(200), nullable=False),
    sa.Column("mandatory", sa.Boolean, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("version", sa.BigInteger, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    sa.UniqueConstraint("tenant_id", "key", name="uq_trainings_tenant_key"),
)

qualifications = sa.Table(
    "qualifications", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    _tenant_id(),
    sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id"), nullable=False, index=True),
    sa.Column("training_id", sa.Uuid, sa.ForeignKey("trainings.id"), nullable=False),
    sa.Column("completed_on", sa.Date, nullable=False),
    sa.Column("reference", sa.String(200), nullable=True),
    sa.Column("recorded_by", sa.String(100), nullable=False),
    sa.Column("recorded_at", Timestamp, nullable=False),
)

login_failures = sa.Table(
    "login_failures", metadata,
    sa.Column("tenant_id", sa.Uuid, primary_key=True, index=True),
    sa.Column("username_hash", sa.String(64), primary_key=True),
    sa.Column("count", sa.Integer, nullable=False),
    sa.Column("window_start", Timestamp, nullable=False),
    sa.Column("locked_until", Timestamp, nullable=True),
)

signing_keys = sa.Table(
    "signing_keys", metadata,
    sa.Column("kid", sa.String(64), primary_key=True),
    sa.Column("algorithm", sa.String(10), nullable=False),
    sa.Column("state", _enum(KeyState, "key_state"), nullable=False),
    sa.Column("public_jwk", sa.JSON, nullable=False),
    sa.Column("private_key", sa.LargeBinary, nullable=True),
    sa.Column("published_at", Timestamp, nullable=False),
    sa.Column("signing_since", Timestamp, nullable=True),
    sa.Column("retired_at", Timestamp, nullable=True),
    sa.Column("remove_after", Timestamp, nullable=True),
    sa.Column("removed_at", Timestamp, nullable=True),
)

TENANT_TABLES = ("tenants", "areas", "organisations", "users", "external_identities",
                 "api_clients", "refresh_tokens", "authorization_codes", "login_failures",
                 "trainings", "qualifications")

_mapped = False


def start_mappers() -> None:
    global _mapped
    if _mapped:
        return
    for cls, table in ((Tenant, tenants), (Area, areas), (Organisation, organisations),
                       (User, users), (ExternalIdentity, external_identities),
                       (ApiClient, api_clients), (RefreshToken, refresh_tokens),
                       (AuthorizationCode, authorization_codes),
                       (LoginFailures, login_failures), (SigningKey, signing_keys),
                       (Training, trainings), (Qualification, qualifications)):
        mapper_registry.map_imperatively(cls, table)
    _mapped = True
