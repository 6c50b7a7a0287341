"""Empty. Audit sealing was this service's migration until it moved to the platform branch
(``lotse_platform/db/versions``, revision ``platform_0002``, ADR 0010), which every service's
history shares. The step stays, without any work, so that a database recorded at 0002 still
names a known revision and continues from here.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing: ``platform_0002`` does what this step did."""


def downgrade() -> None:
    """Nothing."""
