"""The records an intake consists of: the person, the screening form, decisions, consents and
the admission. The rules that tie them together live on the aggregate (:mod:`.model`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from lotse_platform import clock

from .target_groups import ScreeningFacts
from .vocabulary import (
    AdmissionCriterion,
    ConsentKind,
    CefrLevel,
    CounsellingDepth,
    LanguageEvidence,
    OtherServiceKind,
    TopicArea,
)


def _now() -> datetime:
    return clock.now()  # the platform's instant, never the server's clock


@dataclass(frozen=True)
class LanguageLevel:
    """A CEFR level in one of the person's languages, what it rests on and when (004 L144)."""

    language: str  # BCP 47, one of the person's languages
    level: CefrLevel
    evidence: LanguageEvidence
    assessed_on: date


@dataclass(frozen=True)
class Person:
    """Minimal personal data (§67a SGB X: only what the task needs)."""

    given_name: str
    family_name: str
    date_of_birth: date | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    languages: tuple[str, ...] = ()
    interpreter_needed: bool = False
    language_levels: tuple[LanguageLevel, ...] = ()


@dataclass(frozen=True)
class OtherService:
    """Another service already counselling the person (*Parallelbetreuung*, 000 L170)."""

    org_id: str
    kind: OtherServiceKind


@dataclass(frozen=True)
class CriterionAnswer:
    """One admission criterion of the screening form: yes/no with a note."""

    criterion: AdmissionCriterion
    met: bool
    note: str | None = None


@dataclass
class Screening:
    """The screening form (*Screeningbogen*) as last completed."""

    criteria: list[CriterionAnswer]
    topic_areas: list[TopicArea]
    crisis: bool
    facts: ScreeningFacts
    screened_on: date
    screened_by: str
    matching_target_group_ids: list[str] = field(default_factory=list)  # computed
    target_group_ids: list[str] = field(default_factory=list)  # confirmed by the case manager
    target_group_note: str | None = None  # why the confirmed groups differ from the computed
    intake_id: uuid.UUID | None = None
    tenant_id: uuid.UUID | None = None

    @property
    def criteria_met(self) -> list[AdmissionCriterion]:
        return [answer.criterion for answer in self.criteria if answer.met]


@dataclass(frozen=True)
class Referral:
    """Referral counselling (*Verweisberatung*): to which organisation/service, for which topic."""

    org_id: str
    topic: TopicArea
    service_id: str | None = None


@dataclass
class DepthDecision:
    """One decision of the counselling depth; a revision adds another, history is kept."""

    revision: int
    depth: CounsellingDepth
    decided_by: str
    decided_on: date
    referral_org_id: str | None = None
    referral_service_id: str | None = None
    referral_topic: TopicArea | None = None
    note: str | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    decided_at: datetime = field(default_factory=_now)
    intake_id: uuid.UUID | None = None
    tenant_id: uuid.UUID | None = None


@dataclass
class Consent:
    """A consent record: data-protection information handed over, a release of confidentiality
    (*Schweigepflichtentbindung*) for one partner and some problem areas, or the counselling
    agreement (*Beratungsvereinbarung*). Withdrawal takes effect on the day it is recorded."""

    kind: ConsentKind
    given_on: date
    valid_from: date
    recorded_by: str
    valid_until: date | None = None
    language: str | None = None  # data-protection information: the language handed over in
    partner_org_id: str | None = None
    topic_areas: list[TopicArea] = field(default_factory=list)
    withdrawn_on: date | None = None
    withdrawn_at: datetime | None = None
    withdrawn_by: str | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    intake_id: uuid.UUID | None = None
    tenant_id: uuid.UUID | None = None

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def is_valid_on(self, day: date) -> bool:
        return (not self.withdrawn and self.valid_from <= day
                and (self.valid_until is None or day <= self.valid_until))


@dataclass
class Admission:
    """Admission to KIM case management (*Aufnahme ins Case Management*)."""

    case_manager_id: str
    case_manager_org_id: str
    admitted_on: date
    admitted_by: str
    target_group_ids: list[str] = field(default_factory=list)
    outside_target_groups: bool = False
    justification: str | None = None
    intake_id: uuid.UUID | None = None
    tenant_id: uuid.UUID | None = None
