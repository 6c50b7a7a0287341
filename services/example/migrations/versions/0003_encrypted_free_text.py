"""A note's text encrypted per tenant (issue 15 point 4, ADR 0104): the column becomes text
holding ``lotse1$…``; existing values are encrypted with their tenant's keys when the migration
runs with the service's key store (else ``lotse-example keys re-encrypt`` does it later). The
pattern of every service's first encrypted columns.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

from alembic import op

from lotse_platform.db.migrations import decrypt_columns, encrypt_columns

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

#: table -> column -> the type it had
COLUMNS = {"notes": {"text": "text"}}


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        encrypt_columns(op, table, list(columns))


def downgrade() -> None:
    for table, columns in COLUMNS.items():
        decrypt_columns(op, table, columns)
