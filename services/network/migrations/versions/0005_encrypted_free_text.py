"""Free text of network encrypted per tenant (issue 15 point 4, ADR 0104): a referral's reason
and the data released with it to the partner, the texts of its course (feedback, a refusal's
reason), a body's meeting minutes, contributions and follow-ups. Each column becomes text
holding ``lotse1$…``; existing values are encrypted with their tenant's keys when the migration
runs with the service's key store (else ``keys re-encrypt`` does it later).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from alembic import op

from lotse_platform.db.migrations import decrypt_columns, encrypt_columns

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

#: table -> column -> the type it had
COLUMNS = {
    "body_meetings": {"contributions": "json", "minutes": "text", "follow_ups": "json"},
    "referral_steps": {"text": "text"},
    "referrals": {"reason": "text", "shared": "json"},
}


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        encrypt_columns(op, table, list(columns))


def downgrade() -> None:
    for table, columns in COLUMNS.items():
        decrypt_columns(op, table, columns)
