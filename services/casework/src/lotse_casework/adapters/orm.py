"""Tables of the casework service and their mapping onto the domain classes.

Every table is tenant-owned (``tenant_id``, row-level security in the migration). Personal data
sits in ``persons``, ``assessments``, ``contacts.notes``, ``conferences`` (agenda, minutes,
actions) and the free texts of goals and steps; ``cases`` holds ids, phases and facts.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import registry

from lotse_platform.crypto import EncryptedJSON, EncryptedText
from lotse_platform.db import platform_tables
from lotse_platform.db.tables import Timestamp

from ..domain.appointments import Appointment, ConsultationHours
from ..domain.child_protection import ChildProtectionConcern
from ..domain.team import TeamDiscussion
from ..domain.contacts import Conference, Contact
from ..domain.model import (
    AwaitingHandover,
    Case,
    CaseManager,
    Consent,
    InboundTransfer,
    Notice,
    Person,
    PhaseTransition,
    Share,
    Transfer,
)
from ..domain.planning import Assessment, Goal, HelpPlan, Step
from ..domain.referrals import CaseReferral

metadata = sa.MetaData()
mapper_registry = registry(metadata=metadata)
platform = platform_tables(metadata)


def _id():
    return sa.Column("id", sa.Uuid, primary_key=True)


def _tenant():
    return sa.Column("tenant_id", sa.Uuid, nullable=False, index=True)


def _case_ref():
    return sa.Column("case_id", sa.Uuid, sa.ForeignKey("cases.id"), nullable=False, index=True)


cases = sa.Table(
    "cases", metadata, _id(), _tenant(),
    sa.Column("intake_id", sa.String(100), nullable=False),
    sa.Column("operator_org_id", sa.String(100), nullable=False),
    sa.Column("area_id", sa.String(100), nullable=False),
    sa.Column("organisation_id", sa.String(100), nullable=False),
    sa.Column("case_manager_id", sa.String(100), nullable=False, index=True),
    sa.Column("opened_on", sa.Date, nullable=False),
    sa.Column("opened_at", Timestamp, nullable=False),
    sa.Column("topic_areas", sa.JSON, nullable=False),
    sa.Column("legal_areas", sa.JSON, nullable=False),
    sa.Column("target_group_ids", sa.JSON, nullable=False),
    sa.Column("phase", sa.String(30), nullable=False),
    sa.Column("phases_visited", sa.JSON, nullable=False),
    sa.Column("motto_goal", EncryptedText("cases.motto_goal"), nullable=True),
    sa.Column("primary_topic_area", sa.String(40), nullable=True),
    sa.Column("risk_flagged", sa.Boolean, nullable=False),
    sa.Column("difficulty", sa.String(20), nullable=True),
    sa.Column("typical", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("case_manager_since", sa.Date, nullable=True),
    sa.Column("consent_withdrawn_at", Timestamp, nullable=True),
    sa.Column("sharing_stopped", sa.Boolean, nullable=False),
    sa.Column("closed_on", sa.Date, nullable=True),
    sa.Column("closure_reason", sa.String(40), nullable=True),
    sa.Column("evaluation", EncryptedJSON("cases.evaluation"), nullable=True),
    sa.Column("event_sequence", sa.Integer, nullable=False),
    sa.Column("handed_over_at", Timestamp, nullable=True),
    # the household (Bedarfsgemeinschaft) of the case's intake, as intake reports it
    sa.Column("household_id", sa.String(100), nullable=True, index=True),
    sa.Column("household_kind", sa.String(40), nullable=True),
    sa.Column("household_relation", sa.String(40), nullable=True),
    # one case per admitted intake: a second admission event for it opens nothing
    sa.UniqueConstraint("tenant_id", "operator_org_id", "intake_id", name="uq_cases_intake"),
)

persons = sa.Table(
    "persons", metadata,
    sa.Column("case_id", sa.Uuid, sa.ForeignKey("cases.id"), primary_key=True), _tenant(),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("date_of_birth", sa.Date, nullable=True),
    sa.Column("contact", sa.JSON, nullable=False),
    sa.Column("languages", sa.JSON, nullable=False),
    sa.Column("interpreter_needed", sa.Boolean, nullable=False),
    sa.Column("screening", EncryptedJSON("persons.screening"), nullable=False),
    sa.Column("counselling_history", EncryptedJSON("persons.counselling_history"), nullable=False),
    sa.Column("received_at", Timestamp, nullable=False),
    sa.Column("language_levels", sa.JSON, nullable=False, server_default="[]"),
)

consents = sa.Table(
    "consents", metadata, _id(), _tenant(), _case_ref(),
    sa.Column("consent_id", sa.String(100), nullable=False),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("partner_org_id", sa.String(100), nullable=False),
    sa.Column("topic_areas", sa.JSON, nullable=False),
    sa.Column("valid_from", sa.Date, nullable=True),
    sa.Column("valid_until", sa.Date, nullable=True),
    sa.Column("withdrawn_on", sa.Date, nullable=True),
    sa.UniqueConstraint("tenant_id", "case_id", "consent_id", name="uq_consents_case_consent"),
)

phase_transitions = sa.Table(
    "phase_transitions", metadata, _id(), _tenant(), _case_ref(),
    sa.Column("from_phase", sa.String(30), nullable=True),
    sa.Column("to_phase", sa.String(30), nullable=False),
    sa.Column("changed_by", sa.String(100), nullable=False),
    sa.Column("changed_at", Timestamp, nullable=False),
    sa.Column("note", EncryptedText("phase_transitions.note"), nullable=True),
)

assessments = sa.Table(
    "assessments", metadata, _id(), _tenant(), _case_ref(),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("recorded_by", sa.String(100), nullable=False),
    sa.Column("recorded_at", Timestamp, nullable=False),
    sa.Column("life_areas", EncryptedJSON("assessments.life_areas"), nullable=False),
    sa.Column("resources", EncryptedJSON("assessments.resources"), nullable=False),
    sa.Column("network", EncryptedJSON("assessments.network"), nullable=False),
    sa.Column("language_levels", sa.JSON, nullable=False, server_default="[]"),
    sa.UniqueConstraint("tenant_id", "case_id", "version", name="uq_assessments_version"),
)

goals = sa.Table(
    "goals", metadata, _id(), _tenant(), _case_ref(),
    sa.Column("topic_area", sa.String(40), nullable=False),
    sa.Column("statement", EncryptedText("goals.statement"), nullable=False),
    sa.Column("indicator", EncryptedText("goals.indicator"), nullable=False),
    sa.Column("responsible", sa.String(40), nullable=False),
    sa.Column("responsible_org_id", sa.String(100), nullable=False),
    sa.Column("realism_note", EncryptedText("goals.realism_note"), nullable=False),
    sa.Column("due_on", sa.Date, nullable=False),
    sa.Column("set_on", sa.Date, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("history", EncryptedJSON("goals.history"), nullable=False),
    sa.Column("closed_on", sa.Date, nullable=True),
    sa.Column("status_reason", EncryptedText("goals.status_reason"), nullable=True),
    sa.Column("primary", sa.Boolean, nullable=False, server_default=sa.false()),
)

help_plans = sa.Table(
    "help_plans", metadata, _id(), _tenant(), _case_ref(),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("created_by", sa.String(100), nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("monitoring_every_days", sa.Integer, nullable=False),
    sa.Column("monitoring_contact_types", sa.JSON, nullable=False),
    sa.Column("changes", EncryptedText("help_plans.changes"), nullable=True),
    sa.Column("reason", EncryptedText("help_plans.reason"), nullable=True),
    sa.UniqueConstraint("tenant_id", "case_id", "version", name="uq_help_plans_version"),
)

steps = sa.Table(
    "steps", metadata, _id(), _tenant(), _case_ref(),
    sa.Column("goal_id", sa.Uuid, sa.ForeignKey("goals.id"), nullable=False),
    sa.Column("description", EncryptedText("steps.description"), nullable=False),
    sa.Column("responsible", sa.String(40), nullable=False),
    sa.Column("responsible_org_id", sa.String(100), nullable=False),
    sa.Column("due_on", sa.Date, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("done_on", sa.Date, nullable=True),
)

contacts = sa.Table(
    "contacts", metadata, _id(), _tenant(), _case_ref(),
    sa.Column("type", sa.String(30), nullable=False),
    sa.Column("occurred_on", sa.Date, nullable=False),
    sa.Column("duration_minutes", sa.Integer, nullable=False),
    sa.Column("topics", sa.JSON, nullable=False),
    sa.Column("phase", sa.String(30), nullable=False),
    sa.Column("purpose", sa.String(30), nullable=True),
    sa.Column("notes", EncryptedText("contacts.notes"), nullable=True),
    sa.Column("client_agreement", sa.Boolean, nullable=False),
    sa.Column("second_staff_id", sa.String(100), nullable=True),
    sa.Column("risk_seen", sa.Boolean, nullable=False),
    sa.Column("recorded_by", sa.String(100), nullable=False),
    sa.Column("recorded_at", Timestamp, nullable=False),
    sa.Column("appointment_id", sa.Uuid, nullable=True),
    sa.Column("children_present", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("child_protection_concern", sa.Boolean, nullable=False,
              server_default=sa.false()),
    sa.Column("youth_office_org_id", sa.String(100), nullable=True),
)

team_discussions = sa.Table(
    "team_discussions", metadata, _id(), _tenant(),
    sa.Column("kind", sa.String(30), nullable=False),
    sa.Column("held_on", sa.Date, nullable=False),
    sa.Column("recorded_by", sa.String(100), nullable=False),
    sa.Column("recorded_at", Timestamp, nullable=False),
    sa.Column("participant_ids", sa.JSON, nullable=False),
    sa.Column("case_ids", sa.JSON, nullable=False),
    sa.Column("topics", sa.JSON, nullable=False),
    sa.Column("minutes", EncryptedText("team_discussions.minutes"), nullable=True),
    sa.Column("structural_issues", EncryptedText("team_discussions.structural_issues"), nullable=True),
)

child_protection_concerns = sa.Table(
    "child_protection_concerns", metadata, _id(), _tenant(), _case_ref(),
    sa.Column("contact_id", sa.Uuid, sa.ForeignKey("contacts.id"), nullable=False),
    sa.Column("raised_by", sa.String(100), nullable=False),
    sa.Column("raised_on", sa.Date, nullable=False),
    sa.Column("raised_at", Timestamp, nullable=False),
    sa.Column("youth_office_org_id", sa.String(100), nullable=False),
    sa.Column("referral_status", sa.String(20), nullable=False),
)

appointments = sa.Table(
    "appointments", metadata, _id(), _tenant(), _case_ref(),
    sa.Column("kind", sa.String(30), nullable=False),
    sa.Column("on", sa.Date, nullable=False, index=True),
    sa.Column("at", sa.Time, nullable=False),
    sa.Column("duration_minutes", sa.Integer, nullable=False),
    sa.Column("place", sa.Text, nullable=False),
    sa.Column("with_whom", EncryptedText("appointments.with_whom"), nullable=True),
    sa.Column("interpreter_needed", sa.Boolean, nullable=False),
    sa.Column("client_agreement", sa.Boolean, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("contact_id", sa.Uuid, nullable=True),
    sa.Column("planned_by", sa.String(100), nullable=False),
    sa.Column("planned_at", Timestamp, nullable=False),
    sa.Column("closed_at", Timestamp, nullable=True),
)

consultation_hours = sa.Table(
    "consultation_hours", metadata, _id(), _tenant(),
    sa.Column("case_manager_id", sa.String(100), nullable=False, index=True),
    sa.Column("place", sa.String(300), nullable=False),
    sa.Column("weekday", sa.Integer, nullable=False),
    sa.Column("starts", sa.Time, nullable=False),
    sa.Column("ends", sa.Time, nullable=False),
    sa.Column("created_by", sa.String(100), nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("ended_at", Timestamp, nullable=True),
)

conferences = sa.Table(
    "conferences", metadata, _id(), _tenant(), _case_ref(),
    sa.Column("planned_on", sa.Date, nullable=False),
    sa.Column("topics", sa.JSON, nullable=False),
    sa.Column("agenda", EncryptedText("conferences.agenda"), nullable=False),
    sa.Column("created_by", sa.String(100), nullable=False),
    sa.Column("participants", sa.JSON, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("held_on", sa.Date, nullable=True),
    sa.Column("minutes", EncryptedText("conferences.minutes"), nullable=True),
    sa.Column("actions", EncryptedJSON("conferences.actions"), nullable=False),
    sa.Column("phase", sa.String(30), nullable=True),
    sa.Column("duration_minutes", sa.Integer, nullable=True),
    sa.Column("level", sa.String(10), nullable=False, server_default="town"),
    sa.Column("persons", sa.JSON, nullable=False, server_default="[]"),
    sa.Column("round_id", sa.Uuid, nullable=True, index=True),
    sa.Index("ix_conferences_planned_on", "tenant_id", "planned_on"),
)

case_referrals = sa.Table(
    # the referrals of a case as network reports them (domain/referrals.py)
    "case_referrals", metadata,
    sa.Column("referral_id", sa.String(100), primary_key=True), _tenant(), _case_ref(),
    sa.Column("partner_org_id", sa.String(100), nullable=False),
    sa.Column("mode", sa.String(30), nullable=False),
    sa.Column("topic_area", sa.String(30), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("sent_on", sa.Date, nullable=True),
    sa.Column("status_on", sa.Date, nullable=True),
    sa.Column("arrived_on", sa.Date, nullable=True),
)

shares = sa.Table(
    "shares", metadata, _id(), _tenant(), _case_ref(),
    sa.Column("colleague_id", sa.String(100), nullable=False, index=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("valid_from", sa.Date, nullable=False),
    sa.Column("valid_until", sa.Date, nullable=False),
    sa.Column("created_by", sa.String(100), nullable=False),
    sa.Column("ended_at", Timestamp, nullable=True),
    sa.Column("partner_org_id", sa.String(100), nullable=True),
    sa.Column("topics", sa.JSON, nullable=True),
)

transfers = sa.Table(
    "transfers", metadata, _id(), _tenant(), _case_ref(),
    sa.Column("from_area_id", sa.String(100), nullable=False),
    sa.Column("from_case_manager_id", sa.String(100), nullable=False),
    sa.Column("to_area_id", sa.String(100), nullable=False),
    sa.Column("to_case_manager_id", sa.String(100), nullable=False, index=True),
    sa.Column("to_organisation_id", sa.String(100), nullable=False),
    sa.Column("requested_by", sa.String(100), nullable=False),
    sa.Column("requested_at", Timestamp, nullable=False),
    sa.Column("note", EncryptedText("transfers.note"), nullable=True),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("decided_at", Timestamp, nullable=True),
    sa.Column("to_tenant_id", sa.String(100), nullable=False),
)

inbound_transfers = sa.Table(
    "inbound_transfers", metadata,
    sa.Column("id", sa.Uuid, primary_key=True), _tenant(),
    sa.Column("from_tenant_id", sa.String(100), nullable=False),
    sa.Column("from_case_id", sa.String(100), nullable=False),
    sa.Column("to_area_id", sa.String(100), nullable=False, index=True),
    sa.Column("offered_at", Timestamp, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("accepted_by", sa.String(100), nullable=True),
    sa.Column("accepted_case_id", sa.Uuid, nullable=True),
    sa.Column("decided_at", Timestamp, nullable=True),
    sa.Column("source_url", sa.String(500), nullable=True),
)

notices = sa.Table(
    "notices", metadata, _id(), _tenant(),
    sa.Column("recipient_id", sa.String(100), nullable=False, index=True),
    sa.Column("kind", sa.String(60), nullable=False),
    sa.Column("case_id", sa.Uuid, nullable=True),
    sa.Column("reference", sa.String(100), nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("read_at", Timestamp, nullable=True),
)

case_managers = sa.Table(
    "case_managers", metadata,
    sa.Column("tenant_id", sa.Uuid, primary_key=True, index=True),
    sa.Column("user_id", sa.String(100), primary_key=True),
    sa.Column("organisation_id", sa.String(100), nullable=False),
    sa.Column("fte", sa.Float, nullable=True),
    sa.Column("areas", sa.JSON, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("roles", sa.JSON, nullable=False),
    sa.Column("enabled", sa.Boolean, nullable=False),
    sa.Column("version", sa.BigInteger, nullable=False),
)

awaiting_handovers = sa.Table(
    "awaiting_handovers", metadata, _id(), _tenant(),
    sa.Column("intake_id", sa.String(100), nullable=False),
    sa.Column("operator_org_id", sa.String(100), nullable=False),
    sa.Column("case_manager_id", sa.String(100), nullable=False),
    sa.Column("case_manager_org_id", sa.String(100), nullable=False),
    sa.Column("area_id", sa.String(100), nullable=False),
    sa.Column("admitted_on", sa.Date, nullable=False),
    sa.Column("topic_areas", sa.JSON, nullable=False),
    sa.Column("target_group_ids", sa.JSON, nullable=False),
    sa.Column("refusal", sa.String(500), nullable=False),
    sa.Column("since", Timestamp, nullable=False),
    sa.UniqueConstraint("tenant_id", "operator_org_id", "intake_id", name="uq_awaiting_intake"),
)

TENANT_TABLES = ("cases", "persons", "consents", "phase_transitions", "assessments", "goals",
                 "help_plans", "steps", "contacts", "conferences", "shares", "transfers",
                 "notices", "case_managers", "awaiting_handovers", "inbound_transfers",
                 "appointments", "consultation_hours", "child_protection_concerns",
                 "team_discussions", "case_referrals")

_mapped = False


def start_mappers() -> None:
    global _mapped
    if _mapped:
        return
    for cls, table in ((Case, cases), (Person, persons), (Consent, consents),
                       (PhaseTransition, phase_transitions), (Assessment, assessments),
                       (Goal, goals), (HelpPlan, help_plans), (Step, steps), (Contact, contacts),
                       (Conference, conferences), (Share, shares), (Transfer, transfers),
                       (Notice, notices), (CaseManager, case_managers),
                       (AwaitingHandover, awaiting_handovers),
                       (InboundTransfer, inbound_transfers), (Appointment, appointments),
                       (ConsultationHours, consultation_hours),
                       (ChildProtectionConcern, child_protection_concerns),
                       (TeamDiscussion, team_discussions), (CaseReferral, case_referrals)):
        mapper_registry.map_imperatively(cls, table)
    _mapped = True
