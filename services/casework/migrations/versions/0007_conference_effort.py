"""A case conference counts against the effort guideline (seed 001 L291 "Durchführung von
Fallkonferenzen: 1 Termin je 1 bis zu 2 Stunden"): the phase it was held in and how long it took.

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
    with op.batch_alter_table("conferences") as batch:
        batch.add_column(sa.Column("phase", sa.String(30), nullable=True))
        batch.add_column(sa.Column("duration_minutes", sa.Integer, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conferences") as batch:
        batch.drop_column("duration_minutes")
        batch.drop_column("phase")
