"""Case proposals record the case conference they were decided in and whether the case manager
decided them (ADR 0075: Borken's case conferences, Höxter's reports to the case manager).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("case_proposals", sa.Column("case_conference_on", sa.Date, nullable=True))
    op.add_column("case_proposals", sa.Column("decided_by_case_manager", sa.Boolean,
                                              nullable=False, server_default=sa.false()))


def downgrade() -> None:
    op.drop_column("case_proposals", "decided_by_case_manager")
    op.drop_column("case_proposals", "case_conference_on")
