"""The network service's database: the platform's tables (outbox, inbox, audit log, directory
replica) from the platform branch this depends on; the network's own tables come with the
directory, the referrals, the agreements and the meetings.

Revision ID: 0001
Revises:
Create Date: 2026-12-07
"""

revision = "0001"
down_revision = None
branch_labels = None
depends_on = "platform_0001"  # outbox, inbox, audit log (ADR 0010)


def upgrade() -> None:
    """Nothing of its own yet."""


def downgrade() -> None:
    """Nothing of its own yet."""
