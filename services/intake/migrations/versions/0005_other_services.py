"""Intakes record other services already counselling the person (Parallelbetreuung,
000 L170; Doppelförderung, 002 L335): a JSON list of organisation id and kind.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("intakes", sa.Column("other_services", sa.JSON, nullable=False,
                                       server_default="[]"))


def downgrade() -> None:
    op.drop_column("intakes", "other_services")
