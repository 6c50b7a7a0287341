"""The case file (*Fallakte*): a case and what belongs to it, with the rules of the case cycle.

No Flask, SQLAlchemy or kombu here. Entities are dataclasses mapped imperatively onto tables
(:mod:`lotse_casework.adapters.orm`); lists held as JSON are always replaced, never mutated
in place, so the mapper sees every change.
"""

from __future__ import annotations

from typing import Any

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from lotse_platform import clock

from . import phases
from .errors import Incomplete, Refused
from .vocabulary import (
    LEGAL_AREAS,
    LEGAL_AREAS_BY_TOPIC,
    PARTICIPATION_CONSENTS,
    REGULAR_CLOSURE_REASONS,
    TOPIC_AREAS,
)


def now() -> datetime:
    """The platform's instant (a tenant's day is ``clock.today``), never the server's clock."""
    return clock.now()


def derive_legal_areas(topic_areas: list[str]) -> list[str]:
    """The legal areas (Rechtskreise) of a case's topic areas: each topic's first (assumed) one,
    in the order of :data:`LEGAL_AREAS` without repeats."""
    assumed = {LEGAL_AREAS_BY_TOPIC[t][0] for t in topic_areas if LEGAL_AREAS_BY_TOPIC.get(t)}
    return [area for area in LEGAL_AREAS if area in assumed]


def check_legal_areas(topic_areas: list[str], legal_areas: list[str]) -> None:
    possible = {a for t in topic_areas for a in LEGAL_AREAS_BY_TOPIC.get(t, ())}
    wrong = [a for a in legal_areas if a not in possible]
    if wrong:
        raise Incomplete("legal areas must belong to the case's topic areas",
                         {"legal_areas": f"not a legal area of these topics: {', '.join(wrong)}"})


# -- the case -------------------------------------------------------------------------------------
@dataclass
class Case:
    """A person's case in KIM case management, from admission to closure."""

    intake_id: str
    operator_org_id: str  # the intake instance the case came from; "" = the county's own
    area_id: str
    organisation_id: str  # the case manager's employer
    case_manager_id: str
    opened_on: date
    topic_areas: list[str] = field(default_factory=list)
    legal_areas: list[str] = field(default_factory=list)
    target_group_ids: list[str] = field(default_factory=list)
    phase: str = "intake"
    phases_visited: list[str] = field(default_factory=lambda: ["intake"])
    motto_goal: str | None = None
    # the topic area of the primary goal (das primäre Ziel, seed 004 L134): counted, not read
    primary_topic_area: str | None = None
    risk_flagged: bool = False
    # the case manager's judgement for a case reconstruction (Fallrekonstruktion)
    difficulty: str | None = None  # low, medium, high (Schwierigkeitsgrad)
    typical: bool = False  # discussed in the network as a typical case
    case_manager_since: date | None = None  # when the current case manager took the case
    consent_withdrawn_at: datetime | None = None
    sharing_stopped: bool = False
    closed_on: date | None = None
    closure_reason: str | None = None
    evaluation: dict[str, Any] | None = None
    event_sequence: int = 0
    handed_over_at: datetime | None = None  # to another tenant: nobody here opens it any more
    # the household (Bedarfsgemeinschaft, 001 L562) of the intake: intake's id, its kind
    # (family, single_parent, partners, shared_household) and the person's relation in it
    household_id: str | None = None
    household_kind: str | None = None
    household_relation: str | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    opened_at: datetime = field(default_factory=now)
    tenant_id: uuid.UUID | None = None

    @classmethod
    def open(cls, *, intake_id: str, operator_org_id: str, area_id: str, organisation_id: str,
             case_manager_id: str, opened_on: date, topic_areas: list[str],
             target_group_ids: list[str], case_id: uuid.UUID | None = None) -> Case:
        topics = [t for t in TOPIC_AREAS if t in set(topic_areas)]
        case = cls(intake_id=intake_id, operator_org_id=operator_org_id, area_id=area_id,
                   organisation_id=organisation_id, case_manager_id=case_manager_id,
                   opened_on=opened_on, topic_areas=topics,
                   legal_areas=derive_legal_areas(topics),
                   target_group_ids=list(target_group_ids), case_manager_since=opened_on)
        if case_id is not None:
            case.id = case_id
        return case

    @property
    def with_case_manager_since(self) -> date:
        """Since when the current case manager has the case (a transfer starts it again)."""
        return self.case_manager_since or self.opened_on

    @property
    def is_open(self) -> bool:
        return self.phase != phases.CLOSED

    def join_household(self, household_id: str, kind: str, relation: str) -> None:
        """The intake was linked to a household (intake's word on it, 001 L562)."""
        self.household_id, self.household_kind, self.household_relation = (
            household_id, kind, relation)

    def leave_household(self) -> None:
        self.household_id = self.household_kind = self.household_relation = None

    def next_sequence(self) -> int:
        """The next number of this case's events (per-aggregate order on the bus)."""
        self.event_sequence += 1
        return self.event_sequence

    def require_open(self) -> None:
        if not self.is_open:
            raise Refused("the case is closed")

    def require_phase(self, allowed: tuple[str, ...], what: str) -> None:
        if self.phase not in allowed:
            raise Refused(f"{what} belongs to the phases {', '.join(allowed)}; "
                          f"the case is in {self.phase}", phase=self.phase)

    @property
    def came_from(self) -> str | None:
        """The phase before the current one (where a re-assessment returns to)."""
        return self.phases_visited[-2] if len(self.phases_visited) > 1 else None

    @property
    def allowed_transitions(self) -> list[str]:
        return phases.allowed_transitions(self.phase, self.came_from)

    def change_phase(self, target: str, by: str, at: datetime | None = None,
                     note: str | None = None) -> PhaseTransition:
        phases.check_transition(self.phase, target, self.came_from)
        transition = PhaseTransition(case_id=self.id, from_phase=self.phase, to_phase=target,
                                     changed_by=by, changed_at=at or now(), note=note)
        self.phase = target
        self.phases_visited = [*self.phases_visited, target]
        return transition

    def set_topics(self, topic_areas: list[str], legal_areas: list[str] | None) -> None:
        self.require_open()
        topics = [t for t in TOPIC_AREAS if t in set(topic_areas)]
        if not topics:
            raise Incomplete("a case has at least one topic area",
                             {"topic_areas": "at least one topic area"})
        if legal_areas is None:
            legal = derive_legal_areas(topics)
        else:
            check_legal_areas(topics, legal_areas)
            legal = [a for a in LEGAL_AREAS if a in set(legal_areas)]
        self.topic_areas, self.legal_areas = topics, legal

    def close(self, reason: str, evaluation: dict[str, Any] | None, by: str, on: date,
              at: datetime | None = None) -> PhaseTransition:
        """Close the case (Abschluss / Entpflichtung). The regular end — goals reached, or the
        client steers her network — comes after the evaluation and needs it."""
        phases.check_closure(self.phase, reason)
        if reason in REGULAR_CLOSURE_REASONS:
            missing = {name: "required for a regular closure" for name in EVALUATION_FIELDS
                       if not (evaluation or {}).get(name) and (evaluation or {}).get(name) != 0}
            if missing:
                raise Incomplete("the evaluation is incomplete: "
                                 + ", ".join(f"evaluation.{m}" for m in missing),
                                 {f"evaluation.{m}": why for m, why in missing.items()})
        transition = PhaseTransition(case_id=self.id, from_phase=self.phase, to_phase=phases.CLOSED,
                                     changed_by=by, changed_at=at or now(),
                                     note=f"closure: {reason}")
        self.phase = phases.CLOSED
        self.phases_visited = [*self.phases_visited, phases.CLOSED]
        self.closure_reason = reason
        self.evaluation = dict(evaluation) if evaluation else None
        self.closed_on = on
        return transition

    def hand_over(self, by: str, on: date, at: datetime) -> PhaseTransition:
        """The case went to another tenant running Lotse: closed here (moved away), and its
        file is opened by nobody here any more."""
        transition = self.close("moved_away", None, by, on, at=at)
        transition.note = "closure: moved_away (handed over to another county)"
        self.handed_over_at = at
        return transition

    def duration_days(self, until: date) -> int:
        return (until - self.opened_on).days

    def withdraw_consent(self, kind: str, at: datetime) -> None:
        """A consent was withdrawn (Widerruf): the case is marked; a participation consent
        withdrawn stops every sharing of the case with partners at once."""
        self.consent_withdrawn_at = at
        if kind in PARTICIPATION_CONSENTS:
            self.sharing_stopped = True


# the evaluation at closure (Evaluation, DOMAIN.md §5)
EVALUATION_FIELDS = ("plan", "methods", "cooperation", "client_satisfaction",
                     "service_planning_hints")


@dataclass
class Person:
    """The case's own copy of the person's data from the handover package (personal data)."""

    case_id: uuid.UUID
    name: str
    date_of_birth: date | None = None
    contact: dict[str, Any] = field(default_factory=dict)  # phone, email, address
    languages: list[str] = field(default_factory=list)
    interpreter_needed: bool = False
    screening: dict[str, Any] = field(default_factory=dict)  # criteria, topic areas, crisis, target groups
    # CEFR levels recorded at the first contact: language, level, evidence, assessed_on (004 L144)
    language_levels: list[dict[str, Any]] = field(default_factory=list)
    counselling_history: list[dict[str, Any]] = field(default_factory=list)
    received_at: datetime = field(default_factory=now)
    tenant_id: uuid.UUID | None = None


@dataclass
class Consent:
    """A consent record kept from intake (Einwilligung, Schweigepflichtentbindung)."""

    case_id: uuid.UUID
    consent_id: str
    kind: str
    partner_org_id: str = ""
    topic_areas: list[str] = field(default_factory=list)
    valid_from: date | None = None
    valid_until: date | None = None
    withdrawn_on: date | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    tenant_id: uuid.UUID | None = None

    def valid_on(self, day: date) -> bool:
        return (self.withdrawn_on is None
                and (self.valid_from is None or self.valid_from <= day)
                and (self.valid_until is None or day <= self.valid_until))


def participation_withdrawn(case: Case, consents: list[Consent]) -> bool:
    """Whether the person has withdrawn from case management, so that nothing of the case is
    shared any more: the case was marked so (intake's withdrawal event), or one of
    ``consents`` — the case's copy, or the copy as intake confirmed it at the moment of sharing
    (ADR 0053) — is a participation consent that is withdrawn."""
    return case.sharing_stopped or any(
        c.kind in PARTICIPATION_CONSENTS and c.withdrawn_on is not None for c in consents)


def require_sharing(case: Case, consents: list[Consent], what: str) -> None:
    """Refuse (409) a sharing of the case once participation is withdrawn."""
    if participation_withdrawn(case, consents):
        raise Refused(f"consent was withdrawn: {what}")


def topics_without_release(case: Case, consents: list[Consent], organisation_id: str,
                           topics: list[str], on: date) -> list[str]:
    """The topics that ``organisation_id`` may not hear about in this case: those without a
    valid release of confidentiality for that partner (all of them once sharing stopped).
    The case manager's own organisation needs none."""
    if organisation_id == case.organisation_id:
        return []
    if participation_withdrawn(case, consents):
        return list(topics)
    covered = {t for c in consents
               if c.kind == "release_of_confidentiality" and c.partner_org_id == organisation_id
               and c.valid_on(on) for t in c.topic_areas}
    return [t for t in topics if t not in covered]


@dataclass
class PhaseTransition:
    case_id: uuid.UUID
    from_phase: str | None
    to_phase: str
    changed_by: str
    changed_at: datetime
    note: str | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    tenant_id: uuid.UUID | None = None


@dataclass
class Notice:
    """Something the case manager is told (shown in her day until read)."""

    recipient_id: str
    kind: str  # consent_withdrawn, handover_waiting_for_consent, transfer_offered, …
    case_id: uuid.UUID | None = None
    reference: str | None = None
    created_at: datetime = field(default_factory=now)
    read_at: datetime | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    tenant_id: uuid.UUID | None = None


# -- deputies and tandems -------------------------------------------------------------------------
MAX_SHARE_DAYS = 366


def _check_share_dates(valid_from: date, valid_until: date) -> None:
    if valid_until < valid_from:
        raise Incomplete("a share ends after it starts",
                         {"valid_until": "must not be before valid_from"})
    if (valid_until - valid_from).days > MAX_SHARE_DAYS:
        raise Incomplete("a share is time-limited",
                         {"valid_until": f"at most {MAX_SHARE_DAYS} days after valid_from"})


@dataclass
class Share:
    """A case shared with a named colleague for a limited time (Vertretung, Tandem) — or a
    tandem with the specialist adviser of a partner organisation (*Beratung im Tandem … mit den
    Fachberater*innen für die jeweiligen Schwerpunkte*, seed 000 L201): joint counselling on
    ``topics``, resting on the partner's releases of confidentiality for them. The partner's
    specialist opens no case file here (her organisation's staff have no access to casework):
    the share records the arrangement and what it is allowed to cover."""

    case_id: uuid.UUID
    colleague_id: str  # a colleague case manager, or the partner's specialist adviser
    kind: str
    valid_from: date
    valid_until: date
    created_by: str
    ended_at: datetime | None = None
    partner_org_id: str | None = None  # a partner organisation's tandem
    topics: list[str] = field(default_factory=list)  # … and the topics it covers
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    tenant_id: uuid.UUID | None = None

    @classmethod
    def grant(cls, case: Case, consents: list[Consent], colleague_id: str, kind: str,
              valid_from: date, valid_until: date, by: str) -> Share:
        """Share the case with a colleague; not once the person withdrew from case management
        (``consents``: the copy as intake confirmed it, ADR 0053)."""
        case.require_open()
        require_sharing(case, consents, "the case is not shared with anyone any more")
        if colleague_id == case.case_manager_id:
            raise Incomplete("the case is already hers",
                             {"colleague_id": "must be another colleague"})
        _check_share_dates(valid_from, valid_until)
        return cls(case_id=case.id, colleague_id=colleague_id, kind=kind, valid_from=valid_from,
                   valid_until=valid_until, created_by=by)

    @classmethod
    def grant_partner_tandem(cls, case: Case, consents: list[Consent], specialist_id: str,
                             partner_org_id: str, topics: list[str], valid_from: date,
                             valid_until: date, by: str, today: date) -> Share:
        """Counsel in tandem with a partner organisation's specialist adviser on ``topics``:
        only with a valid release of confidentiality for that partner for every topic
        (``consents``: as intake confirmed them, ADR 0053)."""
        case.require_open()
        require_sharing(case, consents, "the case is not shared with anyone any more")
        problems: dict[str, str] = {}
        if partner_org_id == case.organisation_id:
            problems["partner_org_id"] = ("another organisation than the case manager's (a "
                                          "colleague joins as a case manager)")
        if not topics:
            problems["topics"] = "the topics the tandem counsels on (Schwerpunkte)"
        elif set(topics) - set(case.topic_areas):
            problems["topics"] = f"topics of the case: {', '.join(case.topic_areas)}"
        if problems:
            raise Incomplete("the tandem is incomplete: " + ", ".join(problems), problems)
        _check_share_dates(valid_from, valid_until)
        missing = topics_without_release(case, consents, partner_org_id, topics, today)
        if missing:
            raise Refused(f"organisation {partner_org_id} cannot counsel in tandem: no valid "
                          "release of confidentiality for: " + ", ".join(missing),
                          organisation_id=partner_org_id, topics_without_release=missing)
        return cls(case_id=case.id, colleague_id=specialist_id, kind="tandem",
                   valid_from=valid_from, valid_until=valid_until, created_by=by,
                   partner_org_id=partner_org_id, topics=list(dict.fromkeys(topics)))

    def active_on(self, day: date) -> bool:
        return self.ended_at is None and self.valid_from <= day <= self.valid_until

    def end(self, at: datetime) -> None:
        if self.ended_at is None:
            self.ended_at = at


# -- transfer -------------------------------------------------------------------------------------
HANDED_ON = "the case file is not handed on"


@dataclass
class Transfer:
    """Handing a case over to the case manager of another area after a move (Fallübergabe)."""

    case_id: uuid.UUID
    from_area_id: str
    from_case_manager_id: str
    to_area_id: str
    to_case_manager_id: str
    to_organisation_id: str
    requested_by: str
    requested_at: datetime = field(default_factory=now)
    note: str | None = None
    status: str = "pending"  # pending, accepted, declined, cancelled
    decided_at: datetime | None = None
    to_tenant_id: str = ""  # set when the case goes to another tenant running Lotse
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    tenant_id: uuid.UUID | None = None

    @classmethod
    def offer_to_tenant(cls, case: Case, consents: list[Consent], to_tenant_id: str,
                        to_area_id: str, by: str, note: str | None = None) -> Transfer:
        """Offer the case to the case managers of an area of another tenant (county)."""
        case.require_open()
        require_sharing(case, consents, HANDED_ON)
        return cls(case_id=case.id, from_area_id=case.area_id,
                   from_case_manager_id=case.case_manager_id, to_area_id=to_area_id,
                   to_case_manager_id="", to_organisation_id="", requested_by=by, note=note,
                   to_tenant_id=to_tenant_id)

    def cancel(self, by: str, at: datetime) -> None:
        if self.status != "pending":
            raise Refused(f"the transfer is {self.status}")
        if by != self.from_case_manager_id:
            raise Refused("only the sending case manager cancels a transfer")
        self.status, self.decided_at = "cancelled", at

    @classmethod
    def offer(cls, case: Case, consents: list[Consent], to_area_id: str, to_case_manager_id: str,
              to_organisation_id: str, by: str, note: str | None = None) -> Transfer:
        case.require_open()
        require_sharing(case, consents, HANDED_ON)
        if to_case_manager_id == case.case_manager_id:
            raise Incomplete("a transfer goes to another case manager",
                             {"to_case_manager_id": "must be another case manager"})
        return cls(case_id=case.id, from_area_id=case.area_id,
                   from_case_manager_id=case.case_manager_id, to_area_id=to_area_id,
                   to_case_manager_id=to_case_manager_id, to_organisation_id=to_organisation_id,
                   requested_by=by, note=note)

    def check_acceptance(self, case: Case, by: str) -> None:
        """What accepting needs besides consent: a pending offer to ``by``, an open case."""
        if self.status != "pending":
            raise Refused(f"the transfer is {self.status}")
        if by != self.to_case_manager_id:
            raise Refused("only the receiving case manager accepts a transfer")
        case.require_open()

    def accept(self, case: Case, consents: list[Consent], by: str, at: datetime,
               shares: list[Share], on: date) -> None:
        """The receiving case manager takes the case: it is hers alone from now on — not once
        the person withdrew from case management (``consents``: as intake confirmed them)."""
        self.check_acceptance(case, by)
        require_sharing(case, consents, HANDED_ON)
        case.area_id = self.to_area_id
        case.case_manager_id = self.to_case_manager_id
        case.organisation_id = self.to_organisation_id
        case.case_manager_since = on
        for share in shares:
            share.end(at)  # deputies and tandems of the sender end with the handover
        self.status, self.decided_at = "accepted", at

    def decline(self, by: str, at: datetime) -> None:
        if self.status != "pending":
            raise Refused(f"the transfer is {self.status}")
        if by != self.to_case_manager_id:
            raise Refused("only the receiving case manager declines a transfer")
        self.status, self.decided_at = "declined", at


# -- case managers and the caseload ---------------------------------------------------------------
@dataclass
class CaseManager:
    """A member of staff as case work needs her: employer, FTE share, areas, roles (no name).

    A read model fed by identity's user events (``version`` orders them per user); ``active``
    means: enabled and holding the case-manager role, i.e. counted in the caseload and able to
    receive shares and transfers.
    """

    user_id: str
    organisation_id: str
    fte: float | None
    areas: list[str] = field(default_factory=list)
    active: bool = True
    roles: list[str] = field(default_factory=lambda: ["case_manager"])
    enabled: bool = True
    version: int = 0
    tenant_id: uuid.UUID | None = None

    def refresh_active(self) -> None:
        self.active = self.enabled and "case_manager" in self.roles


@dataclass
class InboundTransfer:
    """A case offered to this tenant by another one (the receiving side of
    :meth:`Transfer.offer_to_tenant`): ids only until a case manager of the area accepts.
    ``source_url`` is the sending deployment's casework URL when that is another deployment
    (federation, ADR 0051); None when the sending tenant is served here."""

    id: uuid.UUID  # the sending tenant's transfer id
    from_tenant_id: str
    from_case_id: str
    to_area_id: str
    offered_at: datetime
    status: str = "pending"  # pending, accepted, cancelled
    accepted_by: str | None = None
    accepted_case_id: uuid.UUID | None = None
    decided_at: datetime | None = None
    source_url: str | None = None
    tenant_id: uuid.UUID | None = None


@dataclass
class AwaitingHandover:
    """An admission whose handover package intake refused for missing consent: no case yet,
    no personal data; retried when intake reports a new consent for the intake."""

    intake_id: str
    operator_org_id: str
    case_manager_id: str
    case_manager_org_id: str
    area_id: str
    admitted_on: date
    topic_areas: list[str] = field(default_factory=list)
    target_group_ids: list[str] = field(default_factory=list)
    refusal: str = ""
    since: datetime = field(default_factory=now)
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    tenant_id: uuid.UUID | None = None
