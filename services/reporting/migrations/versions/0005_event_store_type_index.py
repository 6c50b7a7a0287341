"""The event store indexed by type within a tenant: the annual report reads the anonymous
contacts where they are kept (ADR 0097).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_event_store_tenant_type", "event_store", ["tenant_id", "type", "position"])


def downgrade() -> None:
    op.drop_index("ix_event_store_tenant_type", table_name="event_store")
