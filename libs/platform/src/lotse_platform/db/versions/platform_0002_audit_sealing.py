"""Audit entries are written unsealed and chained by the worker's sealer (ADR 0008): nullable
chain columns, the index of unsealed entries, the append-only trigger that allows sealing once,
the owner's function that lists tenants with unsealed entries.

For a database whose platform tables were created before sealing existed; the services' own
audit-sealing migrations did this until it moved here (ADR 0010) and are empty now. It runs on
every database that had no platform branch yet, sealed or not, and changes nothing where all of
it is there already (a database that ``platform_0001`` created has it).

Revision ID: platform_0002
Revises: platform_0001
Create Date: 2026-12-01
"""

from alembic import op

from lotse_platform.db.migrations import enable_audit_sealing

revision = "platform_0002"
down_revision = "platform_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    enable_audit_sealing(op)


def downgrade() -> None:
    """Nothing to undo safely: entries written unsealed cannot be made sealed-at-insert again,
    and the earlier code runs on this shape (it writes sealed entries and never updates)."""
