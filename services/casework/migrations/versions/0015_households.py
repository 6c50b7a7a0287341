"""The household (Bedarfsgemeinschaft, 001 L562; families and single parents, 002 L217) a case's
intake is linked to, with the kind and the person's relation, as intake hands it over and
reports changes (``intake.household.membership_changed.v1``). Ids and codes only. Cases opened so
far belong to no household.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("household_id", sa.String(100), nullable=True))
        batch.add_column(sa.Column("household_kind", sa.String(40), nullable=True))
        batch.add_column(sa.Column("household_relation", sa.String(40), nullable=True))
    op.create_index("ix_cases_household_id", "cases", ["household_id"])


def downgrade() -> None:
    op.drop_index("ix_cases_household_id", "cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("household_relation")
        batch.drop_column("household_kind")
        batch.drop_column("household_id")
