"""Tables of the intake service and their mapping onto the domain classes.

Every table is tenant-owned (``tenant_id``, row-level security in the migration). Lists of
enumeration values and the screening's structured answers are JSON columns, converted to and
from the domain's types here so the domain never sees a raw string.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import composite, registry, relationship

from lotse_platform.crypto import EncryptedJSON, EncryptedText
from lotse_platform.db import platform_tables
from lotse_platform.db.tables import Timestamp

from ..domain.model import (
    Admission,
    Consent,
    CriterionAnswer,
    DepthDecision,
    Intake,
    LanguageLevel,
    OtherService,
    Person,
    Screening,
)
from ..domain.anonymous import AnonymousContact
from ..domain.household import Household, HouseholdKind, HouseholdMember, HouseholdRelation
from ..domain.proposals import CaseProposal
from ..domain.target_groups import Conditions, ScreeningFacts, TargetGroup
from ..domain.vocabulary import (
    AccessPath,
    AdmissionCriterion,
    AnonymousContactKind,
    ConsentKind,
    CefrLevel,
    CounsellingDepth,
    IntakeStatus,
    LanguageEvidence,
    OtherServiceKind,
    ProposalStatus,
    TopicArea,
)

metadata = sa.MetaData()
mapper_registry = registry(metadata=metadata)
platform = platform_tables(metadata)

Id = sa.String(100)  # ids of other services' records (users, organisations, areas)


def Enum(enum: type[StrEnum]) -> sa.Enum:  # noqa: N802 - reads like a column type
    """Stored as its value in a VARCHAR (no native enum type: adding a value needs no DDL)."""
    return sa.Enum(enum, native_enum=False, create_constraint=False, length=40,
                   values_callable=lambda members: [m.value for m in members],
                   validate_strings=True)


class EnumList(sa.TypeDecorator):
    """A list of enumeration members as a JSON array of their values."""

    impl = sa.JSON
    cache_ok = True

    def __init__(self, enum: type[StrEnum]) -> None:
        super().__init__()
        self.enum = enum

    def process_bind_param(self, value, dialect):
        return None if value is None else [self.enum(v).value for v in value]

    def process_result_value(self, value, dialect):
        return None if value is None else [self.enum(v) for v in value]


class StringList(sa.TypeDecorator):
    impl = sa.JSON
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else [str(v) for v in value]

    def process_result_value(self, value, dialect):
        return None if value is None else list(value)


class StringTuple(StringList):
    cache_ok = True

    def process_result_value(self, value, dialect):
        return None if value is None else tuple(value)


class LanguageLevelsType(sa.TypeDecorator):
    impl = sa.JSON
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return [{"language": v.language, "level": CefrLevel(v.level).value,
                 "evidence": LanguageEvidence(v.evidence).value,
                 "assessed_on": v.assessed_on.isoformat()} for v in value]

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return tuple(LanguageLevel(v["language"], CefrLevel(v["level"]),
                                   LanguageEvidence(v["evidence"]),
                                   date.fromisoformat(v["assessed_on"])) for v in value)


class CriteriaType(EncryptedJSON):
    """The screening's answers per criterion, each with a free-text note: encrypted (ADR 0104)."""

    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return super().process_bind_param(
            [{"criterion": AdmissionCriterion(a.criterion).value, "met": bool(a.met),
              "note": a.note} for a in value], dialect)

    def process_result_value(self, value, dialect):
        value = super().process_result_value(value, dialect)
        if value is None:
            return None
        return [CriterionAnswer(AdmissionCriterion(a["criterion"]), a["met"], a.get("note"))
                for a in value]


class OtherServicesType(sa.TypeDecorator):
    impl = sa.JSON
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return [{"org_id": s.org_id, "kind": OtherServiceKind(s.kind).value} for s in value]

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return [OtherService(s["org_id"], OtherServiceKind(s["kind"])) for s in value]


class FactsType(EncryptedJSON):
    """The screening's facts (residence statuses, origin): encrypted (ADR 0104)."""

    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else super().process_bind_param(value.as_dict(), dialect)

    def process_result_value(self, value, dialect):
        value = super().process_result_value(value, dialect)
        return None if value is None else ScreeningFacts.from_dict(value)


class ConditionsType(sa.TypeDecorator):
    impl = sa.JSON
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else value.as_dict()

    def process_result_value(self, value, dialect):
        return None if value is None else Conditions.from_dict(value)


def _tenant() -> sa.Column:
    return sa.Column("tenant_id", sa.Uuid, nullable=False, index=True)


intakes = sa.Table(
    "intakes", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    _tenant(),
    sa.Column("area_id", Id, nullable=False, index=True),
    sa.Column("operator_org_id", Id, nullable=False, server_default=""),
    sa.Column("status", Enum(IntakeStatus), nullable=False),
    sa.Column("access_path", Enum(AccessPath), nullable=False),
    sa.Column("referring_org_id", Id, nullable=True),
    sa.Column("contact_date", sa.Date, nullable=False),
    sa.Column("note", EncryptedText("intakes.note"), nullable=True),
    sa.Column("other_services", OtherServicesType, nullable=False, server_default="[]"),
    sa.Column("recorded_by", Id, nullable=False),
    sa.Column("responsible_id", Id, nullable=False, index=True),
    sa.Column("recorded_at", Timestamp, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    # the person (minimal personal data)
    sa.Column("given_name", sa.String(200), nullable=False),
    sa.Column("family_name", sa.String(200), nullable=False),
    sa.Column("date_of_birth", sa.Date, nullable=True),
    sa.Column("phone", sa.String(100), nullable=True),
    sa.Column("email", sa.String(254), nullable=True),
    sa.Column("address", sa.String(500), nullable=True),
    sa.Column("languages", StringTuple, nullable=False),
    sa.Column("interpreter_needed", sa.Boolean, nullable=False),
    sa.Column("language_levels", LanguageLevelsType, nullable=False, server_default="[]"),
)

screenings = sa.Table(
    "screenings", metadata,
    sa.Column("intake_id", sa.Uuid, sa.ForeignKey("intakes.id", ondelete="CASCADE"),
              primary_key=True),
    _tenant(),
    sa.Column("criteria", CriteriaType("screenings.criteria"), nullable=False),
    sa.Column("topic_areas", EnumList(TopicArea), nullable=False),
    sa.Column("crisis", sa.Boolean, nullable=False),
    sa.Column("facts", FactsType("screenings.facts"), nullable=False),  # special category: residence, origin
    sa.Column("screened_on", sa.Date, nullable=False),
    sa.Column("screened_by", Id, nullable=False),
    sa.Column("matching_target_group_ids", StringList, nullable=False),
    sa.Column("target_group_ids", StringList, nullable=False),
    sa.Column("target_group_note", EncryptedText("screenings.target_group_note"), nullable=True),
)

depth_decisions = sa.Table(
    "depth_decisions", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    _tenant(),
    sa.Column("intake_id", sa.Uuid, sa.ForeignKey("intakes.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("depth", Enum(CounsellingDepth), nullable=False),
    sa.Column("referral_org_id", Id, nullable=True),
    sa.Column("referral_service_id", Id, nullable=True),
    sa.Column("referral_topic", Enum(TopicArea), nullable=True),
    sa.Column("note", EncryptedText("depth_decisions.note"), nullable=True),
    sa.Column("decided_by", Id, nullable=False),
    sa.Column("decided_on", sa.Date, nullable=False),
    sa.Column("decided_at", Timestamp, nullable=False),
    sa.UniqueConstraint("intake_id", "revision", name="uq_depth_decisions_revision"),
)

consents = sa.Table(
    "consents", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    _tenant(),
    sa.Column("intake_id", sa.Uuid, sa.ForeignKey("intakes.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("kind", Enum(ConsentKind), nullable=False),
    sa.Column("given_on", sa.Date, nullable=False),
    sa.Column("valid_from", sa.Date, nullable=False),
    sa.Column("valid_until", sa.Date, nullable=True, index=True),
    sa.Column("language", sa.String(35), nullable=True),
    sa.Column("partner_org_id", Id, nullable=True),
    sa.Column("topic_areas", EnumList(TopicArea), nullable=False),
    sa.Column("recorded_by", Id, nullable=False),
    sa.Column("withdrawn_on", sa.Date, nullable=True),
    sa.Column("withdrawn_at", Timestamp, nullable=True),
    sa.Column("withdrawn_by", Id, nullable=True),
)

admissions = sa.Table(
    "admissions", metadata,
    sa.Column("intake_id", sa.Uuid, sa.ForeignKey("intakes.id", ondelete="CASCADE"),
              primary_key=True),
    _tenant(),
    sa.Column("case_manager_id", Id, nullable=False),
    sa.Column("case_manager_org_id", Id, nullable=False),
    sa.Column("admitted_on", sa.Date, nullable=False),
    sa.Column("admitted_by", Id, nullable=False),
    sa.Column("target_group_ids", StringList, nullable=False),
    sa.Column("outside_target_groups", sa.Boolean, nullable=False),
    sa.Column("justification", EncryptedText("admissions.justification"), nullable=True),
)

target_groups = sa.Table(
    "target_groups", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    _tenant(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("description", sa.Text, nullable=True),
    sa.Column("conditions", ConditionsType, nullable=False),
    sa.Column("area_ids", StringList, nullable=False),
    sa.Column("valid_from", sa.Date, nullable=False),
    sa.Column("valid_until", sa.Date, nullable=True),
    sa.Column("steering_decision_ref", sa.String(200), nullable=True),
    sa.Column("created_by", Id, nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
)

case_proposals = sa.Table(
    "case_proposals", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    _tenant(),
    sa.Column("intake_id", sa.Uuid, sa.ForeignKey("intakes.id", ondelete="CASCADE"),
              nullable=False, unique=True),
    sa.Column("proposing_org_id", Id, nullable=False, index=True),
    sa.Column("proposed_by", Id, nullable=False),
    sa.Column("area_id", Id, nullable=False),
    sa.Column("topic_areas", EnumList(TopicArea), nullable=False),
    sa.Column("reason", EncryptedText("case_proposals.reason"), nullable=True),
    sa.Column("status", Enum(ProposalStatus), nullable=False),
    sa.Column("submitted_at", Timestamp, nullable=False),
    sa.Column("decided_on", sa.Date, nullable=True),
    sa.Column("decided_by", Id, nullable=True),
    sa.Column("case_manager_id", Id, nullable=True),
    sa.Column("case_manager_org_id", Id, nullable=True),
    sa.Column("referral_org_id", Id, nullable=True),
    sa.Column("referral_topic", Enum(TopicArea), nullable=True),
    sa.Column("case_conference_on", sa.Date, nullable=True),
    sa.Column("decided_by_case_manager", sa.Boolean, nullable=False,
              server_default=sa.false()),
)

#: short queries and information events without a person (001 L134, L205): counts only
anonymous_contacts = sa.Table(
    "anonymous_contacts", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    _tenant(),
    sa.Column("kind", Enum(AnonymousContactKind), nullable=False),
    sa.Column("area_id", Id, nullable=False),
    sa.Column("held_on", sa.Date, nullable=False),
    sa.Column("topic_areas", EnumList(TopicArea), nullable=False),
    sa.Column("languages", StringList, nullable=False),
    sa.Column("duration_minutes", sa.Integer, nullable=False),
    sa.Column("people", sa.Integer, nullable=False),
    sa.Column("recorded_by", Id, nullable=False),
    sa.Column("recorded_at", Timestamp, nullable=False),
)

#: households (Bedarfsgemeinschaften, 001 L562, 002 L217): a kind and a note without names
households = sa.Table(
    "households", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    _tenant(),
    sa.Column("kind", Enum(HouseholdKind), nullable=False),
    sa.Column("note", EncryptedText("households.note"), nullable=True),
    sa.Column("created_by", Id, nullable=False),
    sa.Column("created_on", sa.Date, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
)

#: an intake belongs to at most one household
household_members = sa.Table(
    "household_members", metadata,
    sa.Column("intake_id", sa.Uuid, sa.ForeignKey("intakes.id", ondelete="CASCADE"),
              primary_key=True),
    _tenant(),
    sa.Column("household_id", sa.Uuid, sa.ForeignKey("households.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("relation", Enum(HouseholdRelation), nullable=False),
    sa.Column("linked_by", Id, nullable=False),
    sa.Column("linked_on", sa.Date, nullable=False),
)

#: when casework closed the case opened from an intake (ADR 0109): from casework's events
#: ``casework.case.opened.v1`` (its intake id) and ``casework.case.closed.v1`` (its closure
#: date), for the retention sweep of closed case records. ``intake_id`` is the case's intake
#: reference as casework has it — an intake of this instance, a provider's, or the transfer id
#: of a case taken over from another county — so it is text without a foreign key; it is empty
#: until the opening arrives (events of a case may arrive out of order); ``closed_on`` is
#: empty while the case is open.
case_closures = sa.Table(
    "case_closures", metadata,
    sa.Column("case_id", sa.Uuid, primary_key=True),
    _tenant(),
    sa.Column("intake_id", Id, nullable=True, index=True),
    sa.Column("closed_on", sa.Date, nullable=True),
)

#: tables that hold personal data of the person (what an erasure has to reach)
PERSONAL_TABLES = ("intakes", "screenings", "depth_decisions", "consents", "admissions",
                   "case_proposals", "household_members", "case_closures")
TENANT_TABLES = (*PERSONAL_TABLES, "target_groups", "anonymous_contacts", "households")

_mapped = False


def start_mappers() -> None:
    global _mapped
    if _mapped:
        return
    mapper_registry.map_imperatively(Screening, screenings)
    mapper_registry.map_imperatively(DepthDecision, depth_decisions)
    mapper_registry.map_imperatively(Consent, consents)
    mapper_registry.map_imperatively(Admission, admissions)
    mapper_registry.map_imperatively(TargetGroup, target_groups)
    mapper_registry.map_imperatively(CaseProposal, case_proposals)
    mapper_registry.map_imperatively(AnonymousContact, anonymous_contacts)
    mapper_registry.map_imperatively(HouseholdMember, household_members)
    mapper_registry.map_imperatively(Household, households, properties={
        "members": relationship(HouseholdMember, lazy="selectin", cascade="all, delete-orphan",
                                order_by=(household_members.c.linked_on,
                                          household_members.c.intake_id)),
    })
    c = intakes.c
    mapper_registry.map_imperatively(Intake, intakes, properties={
        "person": composite(Person, c.given_name, c.family_name, c.date_of_birth, c.phone,
                            c.email, c.address, c.languages, c.interpreter_needed,
                            c.language_levels),
        "screening": relationship(Screening, uselist=False, lazy="selectin",
                                  cascade="all, delete-orphan"),
        "decisions": relationship(DepthDecision, lazy="selectin", cascade="all, delete-orphan",
                                  order_by=depth_decisions.c.revision),
        "consents": relationship(Consent, lazy="selectin", cascade="all, delete-orphan",
                                 order_by=(consents.c.given_on, consents.c.id)),
        "admission": relationship(Admission, uselist=False, lazy="selectin",
                                  cascade="all, delete-orphan"),
    })
    _mapped = True
