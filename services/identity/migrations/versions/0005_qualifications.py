"""The training catalogue and the staff's qualification records (seed 001 L361 "CM-Schulungen
des MKJFGFI"; ADR 0081), under row-level security like every tenant-owned table. A tenant set up
from now on starts with the default catalogue (written by the code, not here: row-level
security is forced also for the owner, so a migration sees no tenant); a tenant that exists
already gets them with ``lotse-identity default-trainings --tenant <id>`` (docs/identity.md).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from lotse_platform.db.migrations import enable_tenant_rls

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "trainings",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("key", sa.String(60), nullable=False),
        sa.Column("label_de", sa.String(200), nullable=False),
        sa.Column("label_en", sa.String(200), nullable=False),
        sa.Column("mandatory", sa.Boolean, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.UniqueConstraint("tenant_id", "key", name="uq_trainings_tenant_key"),
    )
    op.create_index("ix_trainings_tenant_id", "trainings", ["tenant_id"])
    op.create_table(
        "qualifications",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("training_id", sa.Uuid, sa.ForeignKey("trainings.id"), nullable=False),
        sa.Column("completed_on", sa.Date, nullable=False),
        sa.Column("reference", sa.String(200), nullable=True),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.Column("recorded_at", TS, nullable=False),
    )
    op.create_index("ix_qualifications_tenant_id", "qualifications", ["tenant_id"])
    op.create_index("ix_qualifications_user_id", "qualifications", ["user_id"])
    enable_tenant_rls(op, "trainings")
    enable_tenant_rls(op, "qualifications")


def downgrade() -> None:
    op.drop_table("qualifications")
    op.drop_table("trainings")
