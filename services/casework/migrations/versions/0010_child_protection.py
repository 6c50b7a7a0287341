"""Child and youth protection on visits (seed 001 L556): a contact records whether children were
present and a concern, and a concern opens a referral need to the youth office.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from lotse_platform.db.migrations import enable_tenant_rls

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("children_present", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("child_protection_concern", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("youth_office_org_id", sa.String(100), nullable=True))
    op.create_table(
        "child_protection_concerns",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("contact_id", sa.Uuid(), sa.ForeignKey("contacts.id"), nullable=False),
        sa.Column("raised_by", sa.String(100), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("youth_office_org_id", sa.String(100), nullable=False),
        sa.Column("referral_status", sa.String(20), nullable=False),
    )
    op.create_index("ix_child_protection_concerns_tenant_id", "child_protection_concerns",
                    ["tenant_id"])
    op.create_index("ix_child_protection_concerns_case_id", "child_protection_concerns",
                    ["case_id"])
    enable_tenant_rls(op, "child_protection_concerns")


def downgrade() -> None:
    op.drop_table("child_protection_concerns")
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("youth_office_org_id")
        batch.drop_column("child_protection_concern")
        batch.drop_column("children_present")
