"""Case conferences on the county level and persons without an organisation (seed 002
L347–L348: town conferences convened by the case manager, county conferences by the
coordinating office; 003 L35: the office's quarterly round over every active case; 001 L622:
volunteers and teachers take part). Existing conferences were the case managers': town.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conferences") as batch:
        batch.add_column(sa.Column("level", sa.String(10), nullable=False,
                                   server_default="town"))
        batch.add_column(sa.Column("persons", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("round_id", sa.Uuid(), nullable=True))
    op.create_index("ix_conferences_round_id", "conferences", ["round_id"])
    op.create_index("ix_conferences_planned_on", "conferences", ["tenant_id", "planned_on"])


def downgrade() -> None:
    op.drop_index("ix_conferences_planned_on", "conferences")
    op.drop_index("ix_conferences_round_id", "conferences")
    with op.batch_alter_table("conferences") as batch:
        batch.drop_column("round_id")
        batch.drop_column("persons")
        batch.drop_column("level")
