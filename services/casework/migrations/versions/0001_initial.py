"""Case files: cases, the person's copy, consents, phases, assessments, goals, help plans,
steps, contacts, conferences, shares, transfers, notices, case managers, awaiting handovers.
Row-level security on every tenant-owned table. The platform tables come from the platform
branch this depends on.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from lotse_platform.db.migrations import enable_tenant_rls

revision = "0001"
down_revision = None
branch_labels = None
depends_on = "platform_0001"  # outbox, inbox, audit log (ADR 0010)


def upgrade() -> None:
    op.create_table('awaiting_handovers',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('intake_id', sa.String(length=100), nullable=False),
    sa.Column('operator_org_id', sa.String(length=100), nullable=False),
    sa.Column('case_manager_id', sa.String(length=100), nullable=False),
    sa.Column('case_manager_org_id', sa.String(length=100), nullable=False),
    sa.Column('area_id', sa.String(length=100), nullable=False),
    sa.Column('admitted_on', sa.Date(), nullable=False),
    sa.Column('topic_areas', sa.JSON(), nullable=False),
    sa.Column('target_group_ids', sa.JSON(), nullable=False),
    sa.Column('refusal', sa.String(length=500), nullable=False),
    sa.Column('since', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('tenant_id', 'operator_org_id', 'intake_id', name='uq_awaiting_intake')
    )
    op.create_index('ix_awaiting_handovers_tenant_id', 'awaiting_handovers', ['tenant_id'], unique=False)
    enable_tenant_rls(op, 'awaiting_handovers')

    op.create_table('case_managers',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.String(length=100), nullable=False),
    sa.Column('organisation_id', sa.String(length=100), nullable=False),
    sa.Column('fte', sa.Float(), nullable=False),
    sa.Column('areas', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('tenant_id', 'user_id')
    )
    op.create_index('ix_case_managers_tenant_id', 'case_managers', ['tenant_id'], unique=False)
    enable_tenant_rls(op, 'case_managers')

    op.create_table('cases',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('intake_id', sa.String(length=100), nullable=False),
    sa.Column('operator_org_id', sa.String(length=100), nullable=False),
    sa.Column('area_id', sa.String(length=100), nullable=False),
    sa.Column('organisation_id', sa.String(length=100), nullable=False),
    sa.Column('case_manager_id', sa.String(length=100), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('topic_areas', sa.JSON(), nullable=False),
    sa.Column('legal_areas', sa.JSON(), nullable=False),
    sa.Column('target_group_ids', sa.JSON(), nullable=False),
    sa.Column('phase', sa.String(length=30), nullable=False),
    sa.Column('phases_visited', sa.JSON(), nullable=False),
    sa.Column('motto_goal', sa.Text(), nullable=True),
    sa.Column('risk_flagged', sa.Boolean(), nullable=False),
    sa.Column('consent_withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sharing_stopped', sa.Boolean(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('closure_reason', sa.String(length=40), nullable=True),
    sa.Column('evaluation', sa.JSON(), nullable=True),
    sa.Column('event_sequence', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('tenant_id', 'operator_org_id', 'intake_id', name='uq_cases_intake')
    )
    op.create_index('ix_cases_case_manager_id', 'cases', ['case_manager_id'], unique=False)
    op.create_index('ix_cases_tenant_id', 'cases', ['tenant_id'], unique=False)
    enable_tenant_rls(op, 'cases')

    op.create_table('notices',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('recipient_id', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=True),
    sa.Column('reference', sa.String(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_notices_recipient_id', 'notices', ['recipient_id'], unique=False)
    op.create_index('ix_notices_tenant_id', 'notices', ['tenant_id'], unique=False)
    enable_tenant_rls(op, 'notices')

    op.create_table('assessments',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('life_areas', sa.JSON(), nullable=False),
    sa.Column('resources', sa.JSON(), nullable=False),
    sa.Column('network', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('tenant_id', 'case_id', 'version', name='uq_assessments_version')
    )
    op.create_index('ix_assessments_case_id', 'assessments', ['case_id'], unique=False)
    op.create_index('ix_assessments_tenant_id', 'assessments', ['tenant_id'], unique=False)
    enable_tenant_rls(op, 'assessments')

    op.create_table('conferences',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('planned_on', sa.Date(), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('agenda', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('participants', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=True),
    sa.Column('minutes', sa.Text(), nullable=True),
    sa.Column('actions', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_conferences_case_id', 'conferences', ['case_id'], unique=False)
    op.create_index('ix_conferences_tenant_id', 'conferences', ['tenant_id'], unique=False)
    enable_tenant_rls(op, 'conferences')

    op.create_table('consents',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('consent_id', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('partner_org_id', sa.String(length=100), nullable=False),
    sa.Column('topic_areas', sa.JSON(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('withdrawn_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('tenant_id', 'case_id', 'consent_id', name='uq_consents_case_consent')
    )
    op.create_index('ix_consents_case_id', 'consents', ['case_id'], unique=False)
    op.create_index('ix_consents_tenant_id', 'consents', ['tenant_id'], unique=False)
    enable_tenant_rls(op, 'consents')

    op.create_table('contacts',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('type', sa.String(length=30), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('phase', sa.String(length=30), nullable=False),
    sa.Column('purpose', sa.String(length=30), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('client_agreement', sa.Boolean(), nullable=False),
    sa.Column('second_staff_id', sa.String(length=100), nullable=True),
    sa.Column('risk_seen', sa.Boolean(), nullable=False),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_contacts_case_id', 'contacts', ['case_id'], unique=False)
    op.create_index('ix_contacts_tenant_id', 'contacts', ['tenant_id'], unique=False)
    enable_tenant_rls(op, 'contacts')

    op.create_table('goals',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('topic_area', sa.String(length=40), nullable=False),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('indicator', sa.Text(), nullable=False),
    sa.Column('responsible', sa.String(length=40), nullable=False),
    sa.Column('responsible_org_id', sa.String(length=100), nullable=False),
    sa.Column('realism_note', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('set_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('history', sa.JSON(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_goals_case_id', 'goals', ['case_id'], unique=False)
    op.create_index('ix_goals_tenant_id', 'goals', ['tenant_id'], unique=False)
    enable_tenant_rls(op, 'goals')

    op.create_table('help_plans',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('monitoring_every_days', sa.Integer(), nullable=False),
    sa.Column('monitoring_contact_types', sa.JSON(), nullable=False),
    sa.Column('changes', sa.Text(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('tenant_id', 'case_id', 'version', name='uq_help_plans_version')
    )
    op.create_index('ix_help_plans_case_id', 'help_plans', ['case_id'], unique=False)
    op.create_index('ix_help_plans_tenant_id', 'help_plans', ['tenant_id'], unique=False)
    enable_tenant_rls(op, 'help_plans')

    op.create_table('persons',
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=True),
    sa.Column('contact', sa.JSON(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('interpreter_needed', sa.Boolean(), nullable=False),
    sa.Column('screening', sa.JSON(), nullable=False),
    sa.Column('counselling_history', sa.JSON(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.PrimaryKeyConstraint('case_id')
    )
    op.create_index('ix_persons_tenant_id', 'persons', ['tenant_id'], unique=False)
    enable_tenant_rls(op, 'persons')

    op.create_table('phase_transitions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('from_phase', sa.String(length=30), nullable=True),
    sa.Column('to_phase', sa.String(length=30), nullable=False),
    sa.Column('changed_by', sa.String(length=100), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_phase_transitions_case_id', 'phase_transitions', ['case_id'], unique=False)
    op.create_index('ix_phase_transitions_tenant_id', 'phase_transitions', ['tenant_id'], unique=False)
    enable_tenant_rls(op, 'phase_transitions')

    op.create_table('shares',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('colleague_id', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_shares_case_id', 'shares', ['case_id'], unique=False)
    op.create_index('ix_shares_colleague_id', 'shares', ['colleague_id'], unique=False)
    op.create_index('ix_shares_tenant_id', 'shares', ['tenant_id'], unique=False)
    enable_tenant_rls(op, 'shares')

    op.create_table('transfers',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('from_area_id', sa.String(length=100), nullable=False),
    sa.Column('from_case_manager_id', sa.String(length=100), nullable=False),
    sa.Column('to_area_id', sa.String(length=100), nullable=False),
    sa.Column('to_case_manager_id', sa.String(length=100), nullable=False),
    sa.Column('to_organisation_id', sa.String(length=100), nullable=False),
    sa.Column('requested_by', sa.String(length=100), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_transfers_case_id', 'transfers', ['case_id'], unique=False)
    op.create_index('ix_transfers_tenant_id', 'transfers', ['tenant_id'], unique=False)
    op.create_index('ix_transfers_to_case_manager_id', 'transfers', ['to_case_manager_id'], unique=False)
    enable_tenant_rls(op, 'transfers')

    op.create_table('steps',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('goal_id', sa.Uuid(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('responsible', sa.String(length=40), nullable=False),
    sa.Column('responsible_org_id', sa.String(length=100), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.ForeignKeyConstraint(['goal_id'], ['goals.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_steps_case_id', 'steps', ['case_id'], unique=False)
    op.create_index('ix_steps_tenant_id', 'steps', ['tenant_id'], unique=False)

    enable_tenant_rls(op, 'steps')


def downgrade() -> None:
    for table in ('steps', 'transfers', 'shares', 'phase_transitions', 'persons', 'help_plans', 'goals', 'contacts', 'consents', 'conferences', 'assessments', 'notices', 'cases', 'case_managers', 'awaiting_handovers'):
        op.drop_table(table)
