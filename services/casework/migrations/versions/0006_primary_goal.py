"""The primary goal of a case (*das primäre Ziel*, seed 004 L134): a flag on the goal and its
topic area on the case, counted in the events' case facts.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("goals") as batch:
        batch.add_column(sa.Column("primary", sa.Boolean, nullable=False,
                                   server_default=sa.false()))
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("primary_topic_area", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("primary_topic_area")
    with op.batch_alter_table("goals") as batch:
        batch.drop_column("primary")
