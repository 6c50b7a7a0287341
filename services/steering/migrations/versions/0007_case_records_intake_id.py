"""A pseudonymous case's intake id (``case_records.intake_id``, from casework's
``case.opened`` event): a subject-access request, which names the person by her intake id, finds
her case facts in steering by it (issue 15, ADR 0108). Cases opened before this change keep an
empty one: steering cannot learn it afterwards (only the opening event carries it).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("case_records", sa.Column("intake_id", sa.String(100), nullable=True))
    op.create_index("ix_case_records_tenant_intake", "case_records", ["tenant_id", "intake_id"])


def downgrade() -> None:
    op.drop_index("ix_case_records_tenant_intake", table_name="case_records")
    op.drop_column("case_records", "intake_id")
