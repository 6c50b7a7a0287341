"""Indexes that carry what the standard reports count, so a county's year is read from the index
alone (ADR 0090, "Speed"): the intakes by the first contact's date with the screening table's
columns; the monthly facts by figure and month with their dimensions and values (replacing the
index on figure and month alone).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

COUNTED = ["access_path", "depth", "referral_org_id", "area_id", "recorded_by", "decided_by",
           "target_group_ids"]


FACT_COLUMNS = ["key", "detail", "subject", "value", "area_id", "case_manager_id",
                "target_group_ids"]


def upgrade() -> None:
    op.create_index("ix_intake_report_contact_date", "intake_report_projection",
                    ["tenant_id", "contact_date"], postgresql_include=COUNTED)
    op.drop_index("ix_report_fact_figure_month", table_name="report_fact")
    op.create_index("ix_report_fact_figure_month", "report_fact", ["tenant_id", "figure", "month"],
                    postgresql_include=FACT_COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_report_fact_figure_month", table_name="report_fact")
    op.create_index("ix_report_fact_figure_month", "report_fact", ["tenant_id", "figure", "month"])
    op.drop_index("ix_intake_report_contact_date", table_name="intake_report_projection")
