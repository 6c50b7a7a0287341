"""The directory (Open Referral HSDS 3.0, ADR 0083): organisations, locations, services with
their locations, schedules and search facets, the tenant's public switch; row-level security on
every table. Full-text search: a ``tsvector`` column with a GIN index on PostgreSQL (``german``
configuration), an FTS5 table on SQLite (embedded mode).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from lotse_platform.db.migrations import enable_tenant_rls
from lotse_platform.db.tables import UtcDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLES = ("directory_settings", "directory_service_facets", "directory_schedules",
          "directory_service_at_location", "directory_services", "directory_locations",
          "directory_organizations")


def _tenant() -> sa.Column:
    return sa.Column("tenant_id", sa.Uuid, nullable=False)


def _version() -> list[sa.Column]:
    return [sa.Column("version", sa.Integer, nullable=False),
            sa.Column("updated_at", UtcDateTime(), nullable=False),
            sa.Column("updated_by", sa.String(100), nullable=True)]


def _service_ref(**kwargs) -> sa.Column:
    return sa.Column("service_id", sa.Uuid,
                     sa.ForeignKey("directory_services.id", ondelete="CASCADE"), **kwargs)


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "directory_organizations",
        sa.Column("id", sa.Uuid, primary_key=True),
        _tenant(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("identity_org_id", sa.String(100), nullable=True),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("website", sa.String(500), nullable=True),
        *_version(),
    )
    op.create_index("ix_directory_organizations_tenant_id", "directory_organizations",
                    ["tenant_id"])
    op.create_index("ix_directory_organizations_identity_org_id", "directory_organizations",
                    ["identity_org_id"])

    op.create_table(
        "directory_locations",
        sa.Column("id", sa.Uuid, primary_key=True),
        _tenant(),
        sa.Column("organization_id", sa.Uuid, sa.ForeignKey("directory_organizations.id"),
                  nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("location_type", sa.String(20), nullable=False),
        sa.Column("address_1", sa.String(200), nullable=False),
        sa.Column("postal_code", sa.String(20), nullable=False),
        sa.Column("city", sa.String(100), nullable=False),
        sa.Column("municipality_id", sa.String(100), nullable=False),
        *_version(),
    )
    op.create_index("ix_directory_locations_tenant_id", "directory_locations", ["tenant_id"])
    op.create_index("ix_directory_locations_organization_id", "directory_locations",
                    ["organization_id"])
    op.create_index("ix_directory_locations_municipality_id", "directory_locations",
                    ["municipality_id"])

    op.create_table(
        "directory_services",
        sa.Column("id", sa.Uuid, primary_key=True),
        _tenant(),
        sa.Column("organization_id", sa.Uuid, sa.ForeignKey("directory_organizations.id"),
                  nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("topic_areas", sa.JSON, nullable=False),
        sa.Column("legal_areas", sa.JSON, nullable=False),
        sa.Column("own_case_management", sa.Boolean, nullable=False),
        sa.Column("fees_description", sa.Text, nullable=True),
        sa.Column("target_group_ids", sa.JSON, nullable=False),
        sa.Column("minimum_age", sa.Integer, nullable=True),
        sa.Column("maximum_age", sa.Integer, nullable=True),
        sa.Column("languages", sa.JSON, nullable=False),
        sa.Column("service_area_ids", sa.JSON, nullable=False),
        sa.Column("contacts", sa.JSON, nullable=False),
        sa.Column("url", sa.String(500), nullable=True),
        sa.Column("email", sa.String(254), nullable=True),
        *_version(),
        sa.Column("search_vector", sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql"),
                  nullable=True),
    )
    op.create_index("ix_directory_services_tenant_id", "directory_services", ["tenant_id"])
    op.create_index("ix_directory_services_organization_id", "directory_services",
                    ["organization_id"])
    if postgres:
        op.create_index("ix_directory_services_search_vector", "directory_services",
                        ["search_vector"], postgresql_using="gin")
    else:
        # embedded mode: SQLite's FTS5 (no German stemmer: words match as prefixes)
        op.execute("CREATE VIRTUAL TABLE directory_services_fts USING fts5("
                   "service_id UNINDEXED, tenant_id UNINDEXED, name, description, extra, "
                   "tokenize = 'unicode61 remove_diacritics 2')")

    op.create_table(
        "directory_service_at_location",
        _service_ref(primary_key=True),
        sa.Column("location_id", sa.Uuid, sa.ForeignKey("directory_locations.id"),
                  primary_key=True),
        _tenant(),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_index("ix_directory_service_at_location_tenant_id",
                    "directory_service_at_location", ["tenant_id"])
    op.create_index("ix_directory_service_at_location_location_id",
                    "directory_service_at_location", ["location_id"])

    op.create_table(
        "directory_schedules",
        _service_ref(primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        _tenant(),
        sa.Column("location_id", sa.Uuid, nullable=True),
        sa.Column("byday", sa.String(2), nullable=False),
        sa.Column("opens_at", sa.String(5), nullable=False),
        sa.Column("closes_at", sa.String(5), nullable=False),
        sa.Column("valid_from", sa.Date, nullable=True),
        sa.Column("valid_to", sa.Date, nullable=True),
        sa.Column("description", sa.String(200), nullable=True),
    )
    op.create_index("ix_directory_schedules_tenant_id", "directory_schedules", ["tenant_id"])
    op.create_index("ix_directory_schedules_byday", "directory_schedules",
                    ["tenant_id", "byday"])

    op.create_table(
        "directory_service_facets",
        _service_ref(primary_key=True),
        sa.Column("facet", sa.String(20), primary_key=True),
        sa.Column("code", sa.String(100), primary_key=True),
        _tenant(),
    )
    op.create_index("ix_directory_service_facets_tenant_id", "directory_service_facets",
                    ["tenant_id"])
    op.create_index("ix_directory_service_facets_code", "directory_service_facets",
                    ["tenant_id", "facet", "code", "service_id"])

    op.create_table(
        "directory_settings",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("public_api", sa.Boolean, nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=True),
    )
    for table in TABLES:
        enable_tenant_rls(op, table)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TABLE IF EXISTS directory_services_fts")
    for table in TABLES:
        op.drop_table(table)
