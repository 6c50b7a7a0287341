"""The shared tables' free text encrypted per tenant (issue 15 point 4, ADR 0104): the note
beside an audit entry (``audit_note.note``, a purpose note or an auditor's filters, ADR 0065)
and a service's part of a subject-access request (``subject_access_part.content``, the person's
rows as JSON, ADR 0103). Each becomes text holding ``lotse1$…``; existing values are encrypted
with their tenant's keys when the migration runs with the service's key store (else
``lotse-<service> keys re-encrypt`` does it later, as for the services' own columns).

Revision ID: platform_0011
Revises: platform_0010
Create Date: 2026-12-07
"""

from alembic import op

from lotse_platform.db.migrations import decrypt_columns, encrypt_columns

revision = "platform_0011"
down_revision = "platform_0010"
branch_labels = None
depends_on = None

#: table -> (its key, column -> the type it had)
COLUMNS = {
    "audit_note": ("audit_id", {"note": "varchar(2000)"}),
    "subject_access_part": ("request_id", {"content": "text"}),
}


def upgrade() -> None:
    for table, (key, columns) in COLUMNS.items():
        encrypt_columns(op, table, list(columns), key=key)


def downgrade() -> None:
    for table, (key, columns) in COLUMNS.items():
        decrypt_columns(op, table, columns, key=key)
