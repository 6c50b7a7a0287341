"""A covering index for the referral rates at 1,000,000 events (ADR 0101): the monthly facts of
the referrals by month, with what the report groups and narrows by, so a year is read from the
index alone. Partial: only the referral facts, a few in a hundred of the facts written, carry
it; facts are inserted once, so a rebuild leaves it as compact as building it afterwards does.
(A covering index on the cases' report rows was measured and left out: a rebuild rewrites a
case's row with each batch of its events, and its upsert sets the columns such an index
carries, so PostgreSQL cannot clear the old entries bottom-up as it does the primary key's: it
grew to 103 MB, as large as the table, and the planner read the table anyway.)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

REFERRAL_COLUMNS = ["key", "subject", "fact_id", "detail", "area_id", "case_manager_id",
                    "target_group_ids"]


def upgrade() -> None:
    op.create_index("ix_report_fact_referrals", "report_fact", ["tenant_id", "month"],
                    postgresql_include=REFERRAL_COLUMNS,
                    postgresql_where="figure = 'referrals'")


def downgrade() -> None:
    op.drop_index("ix_report_fact_referrals", table_name="report_fact")
