"""A person's CEFR language levels with their evidence and date (004 L144), on the intake.

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
    op.add_column("intakes", sa.Column("language_levels", sa.JSON, nullable=False,
                                       server_default="[]"))


def downgrade() -> None:
    op.drop_column("intakes", "language_levels")
