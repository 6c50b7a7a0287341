"""Case managers become a read model of identity's user events: roles, enabled, version; the
FTE share may be unknown.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case_managers") as batch:
        batch.alter_column("fte", existing_type=sa.Float(), nullable=True)
        batch.add_column(sa.Column("roles", sa.JSON(), nullable=False,
                                   server_default='["case_manager"]'))
        batch.add_column(sa.Column("enabled", sa.Boolean(), nullable=False,
                                   server_default=sa.true()))
        batch.add_column(sa.Column("version", sa.BigInteger(), nullable=False,
                                   server_default="0"))
    with op.batch_alter_table("case_managers") as batch:
        for column in ("roles", "enabled", "version"):
            batch.alter_column(column, server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("case_managers") as batch:
        for column in ("version", "enabled", "roles"):
            batch.drop_column(column)
        batch.alter_column("fte", existing_type=sa.Float(), nullable=False)
