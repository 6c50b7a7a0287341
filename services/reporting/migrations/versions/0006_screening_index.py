"""The intakes indexed by the first contact's date, carrying the screening table's columns, so a
county's year is read from the index alone (ADR 0090, "Speed"). The monthly facts keep their
index on figure and month alone: they are the projection's most written table (most events make
one), and carrying seven columns in its index would weigh on every write for reads that are
grouped by the database and then spend their time in Python.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

COUNTED = ["access_path", "depth", "referral_org_id", "area_id", "recorded_by", "decided_by",
           "target_group_ids"]


def upgrade() -> None:
    op.create_index("ix_intake_report_contact_date", "intake_report_projection",
                    ["tenant_id", "contact_date"], postgresql_include=COUNTED)


def downgrade() -> None:
    op.drop_index("ix_intake_report_contact_date", table_name="intake_report_projection")
