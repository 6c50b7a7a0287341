"""Two covering indexes for the county's reports at 1,000,000 events (ADR 0101):

- the cases' report rows by phase, carrying what the Hilden table, the caseload and the phase
  durations read, so they are read from the index alone: a rebuild rewrites a case's row with
  every one of its events, and the table keeps the space of those versions (a year's cases
  were read from over 100 MB of pages for 17,562 rows); the index keeps one small entry per
  row;
- the monthly facts of the referrals (a partial index: only the referral facts, a few in a
  hundred of the facts written, carry it) by month, with what the referral rates group and
  narrow by.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

CASE_COLUMNS = ["opened_on", "closed_on", "case_id", "area_id", "case_manager_id",
                "primary_topic_area", "target_group_ids"]
REFERRAL_COLUMNS = ["key", "subject", "fact_id", "detail", "area_id", "case_manager_id",
                    "target_group_ids"]


def upgrade() -> None:
    op.create_index("ix_case_report_phase", "case_report_projection", ["tenant_id", "phase"],
                    postgresql_include=CASE_COLUMNS)
    op.create_index("ix_report_fact_referrals", "report_fact", ["tenant_id", "month"],
                    postgresql_include=REFERRAL_COLUMNS,
                    postgresql_where="figure = 'referrals'")


def downgrade() -> None:
    op.drop_index("ix_report_fact_referrals", table_name="report_fact")
    op.drop_index("ix_case_report_phase", table_name="case_report_projection")
