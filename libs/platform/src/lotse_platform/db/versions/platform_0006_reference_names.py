"""An organisation's name in the replica of identity's directory (ADR 0086): what forms print
and reports show for a partner, instead of its id. Existing rows get theirs with identity's next
event about the organisation; until then they have none, and what prints them says so.

Revision ID: platform_0006
Revises: platform_0005
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "platform_0006"
down_revision = "platform_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # platform_0003 creates the table from the current definition (lotse_platform.db.tables):
    # on a database made after this change the column is there already
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("known_reference")}
    if "name" not in columns:
        with op.batch_alter_table("known_reference") as batch:
            batch.add_column(sa.Column("name", sa.String(300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("known_reference") as batch:
        batch.drop_column("name")
