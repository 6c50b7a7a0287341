"""The criteria of a case reconstruction (seed 001 L450–L455): the case manager's judgement of
the difficulty and whether the case is typical, and since when the current case manager has the
case (8 weeks count from there). Left empty for the cases so far, which count from their opening
(``Case.with_case_manager_since``): row-level security is forced also for the owner, so an
UPDATE here would reach no tenant's rows.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("difficulty", sa.String(20), nullable=True))
        batch.add_column(sa.Column("typical", sa.Boolean, nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("case_manager_since", sa.Date, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("case_manager_since")
        batch.drop_column("typical")
        batch.drop_column("difficulty")
