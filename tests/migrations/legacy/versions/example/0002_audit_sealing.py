"""Audit entries are written unsealed and chained by the worker's sealer (ADR 0008): nullable
chain columns, the index of unsealed entries, the append-only trigger that allows sealing once,
the owner's function that lists tenants with unsealed entries. A database created after this
change has all of it from its first migration already; then this one changes nothing.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from alembic import op

from tests.migrations.legacy.legacy_platform import enable_audit_sealing

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    enable_audit_sealing(op)


def downgrade() -> None:
    """Nothing to undo safely: entries written unsealed cannot be made sealed-at-insert again,
    and the earlier code runs on this shape (it writes sealed entries and never updates)."""
