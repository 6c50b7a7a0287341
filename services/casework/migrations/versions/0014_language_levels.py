"""Language levels (CEFR) with their evidence and day in the assessment, and the ones intake
recorded at the first contact in the case's copy of the person (seed 004 L144 "offizielle
Nachweise für den Sprachstand"), so that progress can be counted.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("assessments", "persons"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("language_levels", sa.JSON(), nullable=False,
                                       server_default="[]"))


def downgrade() -> None:
    for table in ("assessments", "persons"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("language_levels")
