"""What a caller asks intake to do: one command per action, imperative names."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from .household import HouseholdKind, HouseholdLink
from .model import CriterionAnswer, Person, Referral
from .records import OtherService
from .signed_copies import SignedForm
from .target_groups import Conditions, ScreeningFacts
from .vocabulary import AccessPath, AnonymousContactKind, ConsentKind, CounsellingDepth, TopicArea


@dataclass(frozen=True)
class RecordContact:
    """Record a first contact (*Erstkontakt*)."""

    area_id: str
    access_path: AccessPath
    contact_date: date
    person: Person
    recorded_by: str
    referring_org_id: str | None = None
    note: str | None = None
    intake_id: uuid.UUID | None = None  # fixed ids for demo data; otherwise new
    other_services: tuple[OtherService, ...] = ()


@dataclass(frozen=True)
class CompleteScreening:
    intake_id: uuid.UUID
    criteria: list[CriterionAnswer]
    topic_areas: list[TopicArea]
    crisis: bool
    facts: ScreeningFacts
    screened_by: str
    screened_on: date | None = None
    target_group_ids: list[str] | None = None  # the case manager's override of the check
    target_group_note: str | None = None


@dataclass(frozen=True)
class DecideCounsellingDepth:
    intake_id: uuid.UUID
    depth: CounsellingDepth
    decided_by: str
    decided_on: date | None = None
    referral: Referral | None = None
    note: str | None = None


@dataclass(frozen=True)
class GiveConsent:
    intake_id: uuid.UUID
    kind: ConsentKind
    given_on: date
    recorded_by: str
    valid_from: date | None = None
    valid_until: date | None = None
    language: str | None = None
    partner_org_id: str | None = None
    topic_areas: list[TopicArea] = field(default_factory=list)
    consent_id: uuid.UUID | None = None


@dataclass(frozen=True)
class WithdrawConsent:
    intake_id: uuid.UUID
    consent_id: uuid.UUID
    withdrawn_by: str


@dataclass(frozen=True)
class AdmitCase:
    intake_id: uuid.UUID
    case_manager_id: str
    case_manager_org_id: str
    admitted_by: str
    admitted_on: date | None = None
    target_group_ids: list[str] | None = None
    justification: str | None = None


@dataclass(frozen=True)
class DefineTargetGroup:
    name: str
    conditions: Conditions
    valid_from: date
    defined_by: str
    valid_until: date | None = None
    area_ids: list[str] = field(default_factory=list)
    description: str | None = None
    steering_decision_ref: str | None = None
    target_group_id: uuid.UUID | None = None


@dataclass(frozen=True)
class EndTargetGroup:
    target_group_id: uuid.UUID
    valid_until: date


@dataclass(frozen=True)
class SubmitCaseProposal:
    """A partner proposes a person to the coordinating office (records the first contact too)."""

    contact: RecordContact
    proposing_org_id: str
    topic_areas: list[TopicArea]
    reason: str | None = None
    proposal_id: uuid.UUID | None = None


@dataclass(frozen=True)
class AcceptCaseProposal:
    proposal_id: uuid.UUID
    case_manager_id: str
    case_manager_org_id: str
    decided_by: str
    decided_on: date | None = None
    note: str | None = None
    case_conference_on: date | None = None


@dataclass(frozen=True)
class RecordAnonymousContact:
    """A short query or an information event, without a person's name (001 L134, L205)."""

    kind: AnonymousContactKind
    area_id: str
    held_on: date
    topic_areas: tuple[TopicArea, ...]
    languages: tuple[str, ...]
    duration_minutes: int
    people: int
    recorded_by: str
    contact_id: uuid.UUID | None = None


@dataclass(frozen=True)
class ReferCaseProposal:
    proposal_id: uuid.UUID
    referral: Referral
    decided_by: str
    decided_on: date | None = None
    note: str | None = None
    case_conference_on: date | None = None


# -- households (Bedarfsgemeinschaft, 001 L562, 002 L217) ----------------------------------------
@dataclass(frozen=True)
class FoundHousehold:
    """Found a household with its first members (at first contact, or later)."""

    kind: HouseholdKind
    members: tuple[HouseholdLink, ...]
    linked_by: str
    note: str | None = None
    household_id: uuid.UUID | None = None  # fixed ids for demo data; otherwise new


@dataclass(frozen=True)
class LinkToHousehold:
    household_id: uuid.UUID
    member: HouseholdLink
    linked_by: str


@dataclass(frozen=True)
class UnlinkFromHousehold:
    household_id: uuid.UUID
    intake_id: uuid.UUID
@dataclass(frozen=True)
class AttachSignedCopy:
    """Attach the scan of a signed form to an intake (PDF, JPEG or PNG)."""

    intake_id: uuid.UUID
    form: SignedForm
    content: bytes = field(repr=False)
    content_type: str | None
    uploaded_by: str
    copy_id: uuid.UUID = field(default_factory=uuid.uuid4)
