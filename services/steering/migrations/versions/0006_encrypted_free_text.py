"""Free text and the invitation list of steering encrypted per tenant (issue 15 point 4, ADR
0104): the forum's anonymous statements, the project groups' meeting notes, and the invitation
list's name, phone number and e-mail address. Each column becomes text holding ``lotse1$…``;
existing values are encrypted with their tenant's keys when the migration runs with the
service's key store (else ``keys re-encrypt`` does it later).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from alembic import op

from lotse_platform.db.migrations import decrypt_columns, encrypt_columns

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

#: table -> column -> the type it had
COLUMNS = {
    "forum_invitees": {"name": "varchar(200)", "phone": "varchar(20)", "email": "varchar(254)"},
    "forum_statements": {"text": "text"},
    "project_group_meetings": {"notes": "text"},
}


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        encrypt_columns(op, table, list(columns))


def downgrade() -> None:
    for table, columns in COLUMNS.items():
        decrypt_columns(op, table, columns)
