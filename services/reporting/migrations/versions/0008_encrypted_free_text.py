"""The two-week reports' free text encrypted per tenant (issue 15 point 4, ADR 0104): the topics
a case manager flags in her own words and her notes on corrected figures. Each column becomes
text holding ``lotse1$…``; existing values are encrypted with their tenant's keys when the
migration runs with the service's key store (else ``keys re-encrypt`` does it later).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from alembic import op

from lotse_platform.db.migrations import decrypt_columns, encrypt_columns

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

#: column -> the type it had
COLUMNS = {"corrections": "json", "topics": "json"}


def upgrade() -> None:
    encrypt_columns(op, "period_report", list(COLUMNS))


def downgrade() -> None:
    decrypt_columns(op, "period_report", COLUMNS)
