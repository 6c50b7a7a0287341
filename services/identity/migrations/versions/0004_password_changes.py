"""Password changes end every session (ADR 0063): a user's token generation, carried by her
refresh tokens and authorization codes (and her access tokens), and the flag of a temporary
password set by an administrator, which her next login must change.

Existing users start at generation 0 without the flag: their passwords and sessions stay valid
(tokens issued before carry no generation, which counts as 0).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

GENERATION_TABLES = ("users", "refresh_tokens", "authorization_codes")


def upgrade() -> None:
    for table in GENERATION_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("token_generation", sa.Integer, nullable=False,
                                       server_default="0"))
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("password_change_required", sa.Boolean, nullable=False,
                                   server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("password_change_required")
    for table in GENERATION_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("token_generation")
