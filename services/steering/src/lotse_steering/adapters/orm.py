"""Tables of the steering service and their mapping onto the domain classes. No personal data:
cases are pseudonymous ids, people are user ids, findings are organisational facts. The project
groups' meeting notes are free text and stored encrypted with the tenant's keys (ADR 0104)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import registry

from lotse_platform.crypto import EncryptedText
from lotse_platform.db import platform_tables
from lotse_platform.db.tables import Timestamp

from ..domain.cases import CaseRecord
from ..domain.decisions import DecisionProposal, Vote
from ..domain.evidence import ReportedTopic
from ..domain.goal_systems import GoalSystem
from ..domain.project_groups import GroupMeeting, GroupMember, ProjectGroup, ResultPresentation
from ..domain.reconstructions import Reconstruction, Theme
from ..domain.service_chains import ServiceChain
from ..domain.steering_group import Meeting, Member, QuorumRule
from ..domain.themes import ThemeTransition

metadata = sa.MetaData()
mapper_registry = registry(metadata=metadata)
platform = platform_tables(metadata)

#: the case projection, one row per case, from casework's events
case_records = sa.Table(
    "case_records",
    metadata,
    sa.Column("tenant_id", sa.Uuid, primary_key=True, index=True),
    sa.Column("case_id", sa.String(100), primary_key=True),
    sa.Column("area_id", sa.String(100), nullable=False),
    sa.Column("case_manager_id", sa.String(100), nullable=False),
    sa.Column("topic_areas", sa.JSON, nullable=False),
    sa.Column("legal_areas", sa.JSON, nullable=False),
    sa.Column("opened_on", sa.Date, nullable=True),
    sa.Column("transferred_on", sa.Date, nullable=True),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("phases", sa.JSON, nullable=False),
    sa.Column("goals_set", sa.JSON, nullable=False),
    sa.Column("goals_ended", sa.JSON, nullable=False),
    sa.Column("organisations", sa.JSON, nullable=False),
    sa.Column("contacts", sa.Integer, nullable=False),
    sa.Column("facts_sequence", sa.Integer, nullable=False),
    # the person's intake id, from the case's opening: a subject-access request finds her case
    # facts by it (ADR 0108); empty for cases opened before steering kept it
    sa.Column("intake_id", sa.String(100), nullable=True),
    sa.Index("ix_case_records_tenant_intake", "tenant_id", "intake_id"),
)

reconstructions = sa.Table(
    "reconstructions",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
    sa.Column("held_on", sa.Date, nullable=False),
    sa.Column("moderator_id", sa.String(100), nullable=False),
    sa.Column("cases", sa.JSON, nullable=False),
    sa.Column("theme_ids", sa.JSON, nullable=False),
    sa.Column("recorded_at", Timestamp, nullable=False),
)

themes = sa.Table(
    "themes",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("status", sa.String(30), nullable=False),
    sa.Column("evidence", sa.JSON, nullable=False),
    sa.Column("proposed_on", sa.Date, nullable=False),
)

#: topics flagged in the case managers' 2-week reports, from reporting's events (no text, no
#: reporter: ADR 0089)
reported_topics = sa.Table(
    "reported_topics",
    metadata,
    sa.Column("tenant_id", sa.Uuid, primary_key=True, index=True),
    sa.Column("candidate_id", sa.String(100), primary_key=True),
    sa.Column("period", sa.String(10), nullable=False),
    sa.Column("topic_area", sa.String(40), nullable=False),
    sa.Column("flagged_on", sa.Date, nullable=False),
    sa.Column("theme_id", sa.String(100), nullable=True),
)

# -- the steering group and its decisions (ADR 0095) --------------------------------------------

#: seats of the steering group: an organisation's id and a user id, never a name
steering_members = sa.Table(
    "steering_members",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
    sa.Column("organisation_id", sa.String(100), nullable=False),
    sa.Column("user_id", sa.String(100), nullable=False),
    sa.Column("voting", sa.Boolean, nullable=False),
    sa.Column("deputy_id", sa.Uuid, nullable=True),
    sa.UniqueConstraint("tenant_id", "user_id", name="uq_steering_members_user"),
)

#: the tenant's quorum rule (one row per tenant; none: the defaults)
steering_quorum_rules = sa.Table(
    "steering_quorum_rules",
    metadata,
    sa.Column("tenant_id", sa.Uuid, primary_key=True),
    sa.Column("min_participation_percent", sa.Integer, nullable=False),
    sa.Column("majority", sa.String(20), nullable=False),
)

steering_meetings = sa.Table(
    "steering_meetings",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
    sa.Column("held_on", sa.Date, nullable=False),
    sa.Column("agenda", sa.JSON, nullable=False),
    sa.Column("minutes", sa.Text, nullable=True),
    sa.Column("minutes_recorded_at", Timestamp, nullable=True),
    sa.Column("minutes_recorded_by", sa.String(100), nullable=True),
)

decision_proposals = sa.Table(
    "decision_proposals",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
    sa.Column("subject", sa.String(300), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("created_on", sa.Date, nullable=False),
    sa.Column("created_by", sa.String(100), nullable=False),
    sa.Column("theme_id", sa.Uuid, nullable=True),
    sa.Column("reference", sa.String(100), nullable=True),
    sa.Column("attachments", sa.JSON, nullable=False),
    sa.Column("mandate", sa.JSON, nullable=True),
    sa.Column("target_group_change", sa.JSON, nullable=True),
    sa.Column("outcome", sa.String(20), nullable=True),
    sa.Column("decided_on", sa.Date, nullable=True),
    sa.Column("tally", sa.JSON, nullable=True),
    sa.Column("project_group_id", sa.Uuid, nullable=True),
)

decision_votes = sa.Table(
    "decision_votes",
    metadata,
    sa.Column("proposal_id", sa.Uuid, primary_key=True),
    sa.Column("member_id", sa.Uuid, primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
    sa.Column("vote", sa.String(10), nullable=False),
    sa.Column("cast_by", sa.String(100), nullable=False),
    sa.Column("as_deputy", sa.Boolean, nullable=False),
    sa.Column("cast_at", Timestamp, nullable=False),
)

#: a theme's lifecycle, step by step (an escalation with its write-up for the state level)
theme_transitions = sa.Table(
    "theme_transitions",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
    sa.Column("theme_id", sa.Uuid, nullable=False, index=True),
    sa.Column("from_status", sa.String(30), nullable=False),
    sa.Column("to_status", sa.String(30), nullable=False),
    sa.Column("changed_on", sa.Date, nullable=False),
    sa.Column("decision_id", sa.Uuid, nullable=True),
    sa.Column("changed_by", sa.String(100), nullable=True),
    sa.Column("write_up", sa.Text, nullable=True),
)

#: a project group as the steering group's mandate created it (issue 13 step 4)
project_groups = sa.Table(
    "project_groups",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
    sa.Column("theme_id", sa.Uuid, nullable=False),
    sa.Column("decision_id", sa.Uuid, nullable=False),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("objective", sa.Text, nullable=False),
    sa.Column("composition", sa.Text, nullable=False),
    sa.Column("working_form", sa.Text, nullable=False),
    sa.Column("expected_result", sa.Text, nullable=False),
    sa.Column("special_requirements", sa.Text, nullable=False),
    sa.Column("mandated_on", sa.Date, nullable=False),
    sa.Column("status", sa.String(30), nullable=False),
)

#: members by user id and organisation id (no names: identity resolves them)
project_group_members = sa.Table(
    "project_group_members",
    metadata,
    sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
    sa.Column("group_id", sa.Uuid, sa.ForeignKey("project_groups.id"), primary_key=True),
    sa.Column("user_id", sa.String(100), primary_key=True),
    sa.Column("organisation_id", sa.String(100), nullable=False),
    sa.Column("role", sa.String(30), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
)

project_group_meetings = sa.Table(
    "project_group_meetings",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
    sa.Column("group_id", sa.Uuid, sa.ForeignKey("project_groups.id"), nullable=False,
              index=True),
    sa.Column("held_on", sa.Date, nullable=False),
    sa.Column("duration_minutes", sa.Integer, nullable=False),
    sa.Column("topics", sa.JSON, nullable=False),
    sa.Column("notes", EncryptedText("project_group_meetings.notes"), nullable=False),
    sa.Column("recorded_at", Timestamp, nullable=False),
)

#: one goal system per group, its nodes as one document (replaced whole: ADR 0096)
goal_systems = sa.Table(
    "goal_systems",
    metadata,
    sa.Column("group_id", sa.Uuid, sa.ForeignKey("project_groups.id"), primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
    sa.Column("nodes", sa.JSON, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    sa.Column("updated_by", sa.String(100), nullable=False),
)

service_chains = sa.Table(
    "service_chains",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
    sa.Column("group_id", sa.Uuid, sa.ForeignKey("project_groups.id"), nullable=False,
              index=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("goal_key", sa.String(50), nullable=True),
    sa.Column("steps", sa.JSON, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    sa.Column("updated_by", sa.String(100), nullable=False),
)

project_group_results = sa.Table(
    "project_group_results",
    metadata,
    sa.Column("group_id", sa.Uuid, sa.ForeignKey("project_groups.id"), primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("presented_on", sa.Date, nullable=False),
    sa.Column("presented_by", sa.String(100), nullable=False),
)

_mapped = False


def start_mappers() -> None:
    global _mapped
    if _mapped:
        return
    mapper_registry.map_imperatively(CaseRecord, case_records)
    mapper_registry.map_imperatively(Reconstruction, reconstructions)
    mapper_registry.map_imperatively(Theme, themes)
    mapper_registry.map_imperatively(ReportedTopic, reported_topics)
    mapper_registry.map_imperatively(Member, steering_members)
    mapper_registry.map_imperatively(QuorumRule, steering_quorum_rules)
    mapper_registry.map_imperatively(Meeting, steering_meetings)
    mapper_registry.map_imperatively(DecisionProposal, decision_proposals)
    mapper_registry.map_imperatively(Vote, decision_votes)
    mapper_registry.map_imperatively(ThemeTransition, theme_transitions)
    mapper_registry.map_imperatively(ProjectGroup, project_groups)
    mapper_registry.map_imperatively(GroupMember, project_group_members)
    mapper_registry.map_imperatively(GroupMeeting, project_group_meetings)
    mapper_registry.map_imperatively(GoalSystem, goal_systems)
    mapper_registry.map_imperatively(ServiceChain, service_chains)
    mapper_registry.map_imperatively(ResultPresentation, project_group_results)
    _mapped = True
