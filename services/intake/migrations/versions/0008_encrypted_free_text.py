"""Free-text columns of intake encrypted per tenant (issue 15 point 4, ADR 0104): the notes of
an intake, a screening's facts (residence details, origin), its criteria's notes and its
target-group note, a depth decision's note, an admission's
justification, a case proposal's reason, a household's note. Each column becomes text holding
``lotse1$…``; existing values are encrypted with their tenant's keys when the migration runs
with the service's key store (else ``keys re-encrypt`` does it later).

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

#: table -> column -> the type it had
COLUMNS = {
    "admissions": {"justification": "text"},
    "case_proposals": {"reason": "text"},
    "depth_decisions": {"note": "text"},
    "households": {"note": "varchar(200)"},
    "intakes": {"note": "text"},
    "screenings": {"facts": "json", "criteria": "json", "target_group_note": "text"},
}

#: the primary key of a table whose key is not ``id``
KEYS = {"screenings": "intake_id", "admissions": "intake_id"}


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        encrypt_columns(op, table, list(columns), key=KEYS.get(table, "id"))


def downgrade() -> None:
    for table, columns in COLUMNS.items():
        decrypt_columns(op, table, columns, key=KEYS.get(table, "id"))
