"""Tenants, organisations, areas, users, API clients, tokens, lockout and signing keys, with the
platform tables; row-level security on every tenant-owned table.

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

from tests.migrations.legacy.legacy_platform import create_platform_tables, enable_tenant_rls

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def _tenant_table(name: str, *columns) -> None:
    op.create_table(name, sa.Column("tenant_id", sa.Uuid, nullable=False), *columns)
    op.create_index(f"ix_{name}_tenant_id", name, ["tenant_id"])
    enable_tenant_rls(op, name)


def upgrade() -> None:
    create_platform_tables(op)
    _tenant_table(
        "tenants",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("key", sa.String(60), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    # global by design (ADR 0012): which tenant a client_id belongs to; nothing personal
    op.create_table(
        "client_directory",
        sa.Column("client_id", sa.String(100), primary_key=True),
        sa.Column("tenant", sa.Uuid, nullable=False),
    )
    _tenant_table(
        "areas",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("parent_id", sa.Uuid, sa.ForeignKey("areas.id"), nullable=True),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    _tenant_table(
        "organisations",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("parent_id", sa.Uuid, sa.ForeignKey("organisations.id"), nullable=True),
        sa.Column("area_id", sa.Uuid, sa.ForeignKey("areas.id"), nullable=True),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    _tenant_table(
        "users",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("organisation_id", sa.Uuid, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("roles", sa.JSON, nullable=False),
        sa.Column("area_ids", sa.JSON, nullable=False),
        sa.Column("fte", sa.Integer, nullable=True),
        sa.Column("voting", sa.Boolean, nullable=True),
        sa.Column("password_hash", sa.String(200), nullable=True),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.UniqueConstraint("tenant_id", "username", name="uq_users_tenant_username"),
    )
    _tenant_table(
        "external_identities",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("issuer", sa.String(300), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("tenant_id", "issuer", "subject", name="uq_external_identity"),
    )
    _tenant_table(
        "api_clients",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("client_id", sa.String(100), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("organisation_id", sa.Uuid, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("grant_types", sa.JSON, nullable=False),
        sa.Column("roles", sa.JSON, nullable=False),
        sa.Column("area_ids", sa.JSON, nullable=False),
        sa.Column("redirect_uris", sa.JSON, nullable=False),
        sa.Column("secret_hash", sa.String(200), nullable=True),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("revoked_at", TS, nullable=True),
    )
    _tenant_table(
        "refresh_tokens",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("client_id", sa.String(100), nullable=False),
        sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("scope", sa.String(500), nullable=False),
        sa.Column("issued_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("revoked_at", TS, nullable=True),
    )
    _tenant_table(
        "authorization_codes",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("client_id", sa.String(100), nullable=False),
        sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("redirect_uri", sa.String(500), nullable=False),
        sa.Column("scope", sa.String(500), nullable=False),
        sa.Column("code_challenge", sa.String(128), nullable=True),
        sa.Column("code_challenge_method", sa.String(10), nullable=True),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("used_at", TS, nullable=True),
    )
    op.create_table(
        "login_failures",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("username_hash", sa.String(64), primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("window_start", TS, nullable=False),
        sa.Column("locked_until", TS, nullable=True),
    )
    op.create_index("ix_login_failures_tenant_id", "login_failures", ["tenant_id"])
    enable_tenant_rls(op, "login_failures")
    # global by design: one issuer per deployment; private keys encrypted at rest
    op.create_table(
        "signing_keys",
        sa.Column("kid", sa.String(64), primary_key=True),
        sa.Column("algorithm", sa.String(10), nullable=False),
        sa.Column("state", sa.String(40), nullable=False),
        sa.Column("public_jwk", sa.JSON, nullable=False),
        sa.Column("private_key", sa.LargeBinary, nullable=True),
        sa.Column("published_at", TS, nullable=False),
        sa.Column("signing_since", TS, nullable=True),
        sa.Column("retired_at", TS, nullable=True),
        sa.Column("remove_after", TS, nullable=True),
        sa.Column("removed_at", TS, nullable=True),
    )


def downgrade() -> None:
    for table in ("signing_keys", "login_failures", "authorization_codes", "refresh_tokens",
                  "api_clients", "external_identities", "users", "organisations", "areas",
                  "client_directory", "tenants", "audit_log", "inbox", "outbox"):
        op.drop_table(table)
