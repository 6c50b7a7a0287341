"""Appointments of a case and open consultation hours (seed 001 L134 "Terminabsprachen",
"offene Sprechstunde"; L546 home visits "vorab verbindlich vereinbart"); a contact refers to the
appointment it took place as.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from lotse_platform.db.migrations import enable_tenant_rls

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "appointments",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("at", sa.Time(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("place", sa.Text(), nullable=False),
        sa.Column("with_whom", sa.Text(), nullable=True),
        sa.Column("interpreter_needed", sa.Boolean(), nullable=False),
        sa.Column("client_agreement", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("planned_by", sa.String(100), nullable=False),
        sa.Column("planned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_appointments_tenant_id", "appointments", ["tenant_id"])
    op.create_index("ix_appointments_case_id", "appointments", ["case_id"])
    op.create_index("ix_appointments_on", "appointments", ["on"])
    enable_tenant_rls(op, "appointments")
    op.create_table(
        "consultation_hours",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("case_manager_id", sa.String(100), nullable=False),
        sa.Column("place", sa.String(300), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("starts", sa.Time(), nullable=False),
        sa.Column("ends", sa.Time(), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_consultation_hours_tenant_id", "consultation_hours", ["tenant_id"])
    op.create_index("ix_consultation_hours_case_manager_id", "consultation_hours",
                    ["case_manager_id"])
    enable_tenant_rls(op, "consultation_hours")
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("appointment_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("appointment_id")
    op.drop_table("consultation_hours")
    op.drop_table("appointments")
