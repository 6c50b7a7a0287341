"""Areas are numbered like organisations and users: ``version`` 1 on creation, +1 per change,
carried by ``identity.area.*.v1`` so that every replica keeps the newest (ADR 0054).

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
    with op.batch_alter_table("areas") as batch:
        batch.add_column(sa.Column("version", sa.BigInteger, nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("areas") as batch:
        batch.drop_column("version")
