"""Free-text and special-category columns of a case file encrypted per tenant (issue 15 point 4,
ADR 0104): the handed-over screening (residence details), notes, life areas, goals, assessments, help plans, steps, conferences, team discussions, transfers. Each column
becomes text holding ``lotse1$…``; existing values are encrypted with their tenant's keys when
the migration runs with the service's key store (else ``keys re-encrypt`` does it later).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

from alembic import op

from lotse_platform.db.migrations import decrypt_columns, encrypt_columns

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

#: table -> column -> the type it had
COLUMNS = {
    "appointments": {"with_whom": "text"},
    "assessments": {"life_areas": "json", "resources": "json", "network": "json"},
    "cases": {"motto_goal": "text", "evaluation": "json"},
    "conferences": {"agenda": "text", "minutes": "text", "actions": "json"},
    "contacts": {"notes": "text"},
    "goals": {"statement": "text", "indicator": "text", "realism_note": "text",
              "history": "json", "status_reason": "text"},
    "help_plans": {"changes": "text", "reason": "text"},
    "persons": {"screening": "json", "counselling_history": "json"},
    "phase_transitions": {"note": "text"},
    "steps": {"description": "text"},
    "team_discussions": {"minutes": "text", "structural_issues": "text"},
    "transfers": {"note": "text"},
}

#: the primary key of a table whose key is not ``id``
KEYS = {"persons": "case_id"}


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        encrypt_columns(op, table, list(columns), key=KEYS.get(table, "id"))


def downgrade() -> None:
    for table, columns in COLUMNS.items():
        decrypt_columns(op, table, columns, key=KEYS.get(table, "id"))
