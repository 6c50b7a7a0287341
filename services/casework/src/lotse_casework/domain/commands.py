"""What a caller asks casework to do: one command per write of its API, imperative names.

A command carries the request's data and the ids it acts on; who asks is not part of it: the
actor is the principal of the unit of work the command runs in (a request's caller, given by
:func:`lotse_platform.service.handle`). The handlers are in ``service_layer`` and the map of
both is :data:`lotse_casework.service_layer.handlers.COMMAND_HANDLERS`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from .household import HouseholdContactMember
from .signed_copies import SignedForm


# -- the case as a whole --------------------------------------------------------------------------
@dataclass(frozen=True)
class ChangePhase:
    """Move the case to the next phase of the cycle."""

    case_id: uuid.UUID
    to: str
    note: str | None = None


@dataclass(frozen=True)
class SetTopics:
    """The case's topic areas, and its legal areas (derived when None)."""

    case_id: uuid.UUID
    topic_areas: list[str]
    legal_areas: list[str] | None = None


@dataclass(frozen=True)
class SetMottoAndRisk:
    """The case's settings: the client's motto goal, the safety flag, and the case manager's
    judgement for a case reconstruction (difficulty, typical); None leaves one as it is."""

    case_id: uuid.UUID
    motto_goal: str | None = None
    risk_flagged: bool | None = None
    difficulty: str | None = None
    typical: bool | None = None


@dataclass(frozen=True)
class CloseCase:
    case_id: uuid.UUID
    reason: str
    evaluation: dict[str, Any] | None = None


@dataclass(frozen=True)
class ShareCase:
    """Share the case with a colleague (deputy or tandem) until a date; answers the share id."""

    case_id: uuid.UUID
    colleague_id: str
    kind: str
    valid_until: date
    valid_from: date | None = None  # today
    # a tandem with a partner organisation's specialist adviser (colleague_id: the specialist)
    partner_org_id: str | None = None
    topics: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class EndShare:
    case_id: uuid.UUID
    share_id: uuid.UUID


# -- transfers ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OfferTransfer:
    """Hand the case over: to a case manager of this tenant (``to_case_manager_id``) or to an
    area of another tenant (``to_tenant_id``, ``to_area_id``); answers the transfer id."""

    case_id: uuid.UUID
    to_case_manager_id: str | None = None
    to_area_id: str | None = None
    note: str | None = None
    to_tenant_id: str | None = None


@dataclass(frozen=True)
class AcceptTransfer:
    """Take over a case offered to the caller (or her area, from another tenant); answers the
    id of the case she now has."""

    transfer_id: uuid.UUID


@dataclass(frozen=True)
class DeclineTransfer:
    transfer_id: uuid.UUID


@dataclass(frozen=True)
class CancelTransfer:
    """The sender withdraws her pending offer."""

    transfer_id: uuid.UUID


# -- planning -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RecordAssessment:
    """The assessment or a re-assessment; answers (id, version)."""

    case_id: uuid.UUID
    life_areas: list[dict[str, Any]]
    resources: list[dict[str, Any]] = field(default_factory=list)
    network: list[dict[str, Any]] = field(default_factory=list)
    language_levels: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class SetGoal:
    """Agree a goal; its SMART parts may be missing here, the rule names each one missing."""

    case_id: uuid.UUID
    topic_area: str
    statement: str | None = None
    indicator: str | None = None
    responsible: str | None = None
    responsible_org_id: str | None = None
    realism_note: str | None = None
    due_on: date | None = None
    primary: bool = False


@dataclass(frozen=True)
class ReviseGoal:
    """Change a goal's parts (None: unchanged), saying why."""

    case_id: uuid.UUID
    goal_id: uuid.UUID
    reason: str
    topic_area: str | None = None
    statement: str | None = None
    indicator: str | None = None
    responsible: str | None = None
    responsible_org_id: str | None = None
    realism_note: str | None = None
    due_on: date | None = None
    primary: bool | None = None  # True: it becomes the case's primary goal


@dataclass(frozen=True)
class ReachGoal:
    case_id: uuid.UUID
    goal_id: uuid.UUID
    reason: str | None = None


@dataclass(frozen=True)
class DropGoal:
    case_id: uuid.UUID
    goal_id: uuid.UUID
    reason: str | None = None


@dataclass(frozen=True)
class DrawUpHelpPlan:
    """The help plan, or its review (what changed and why); answers (id, version)."""

    case_id: uuid.UUID
    every_days: int
    contact_types: list[str]
    changes: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class PlanStep:
    case_id: uuid.UUID
    goal_id: uuid.UUID
    description: str
    responsible: str
    due_on: date
    responsible_org_id: str | None = None


@dataclass(frozen=True)
class CompleteStep:
    case_id: uuid.UUID
    step_id: uuid.UUID


# -- contacts and conferences ---------------------------------------------------------------------
@dataclass(frozen=True)
class RecordContact:
    """An appointment, call, e-mail, accompaniment or home visit that took place."""

    case_id: uuid.UUID
    type: str
    occurred_on: date
    duration_minutes: int
    topics: list[str] = field(default_factory=list)
    purpose: str | None = None
    notes: str | None = None
    client_agreement: bool = False
    second_staff_id: str | None = None
    risk_seen: bool = False
    appointment_id: uuid.UUID | None = None  # the planned appointment that took place
    children_present: bool = False
    child_protection_concern: bool = False
    youth_office_org_id: str | None = None


@dataclass(frozen=True)
class PlanAppointment:
    """An appointment with the client (Terminabsprache); a home visit with her agreement."""

    case_id: uuid.UUID
    kind: str
    on: date
    at: time
    duration_minutes: int
    place: str
    with_whom: str | None = None
    interpreter_needed: bool = False
    client_agreement: bool = False


@dataclass(frozen=True)
class RecordNoShow:
    """The client did not come to the appointment."""

    case_id: uuid.UUID
    appointment_id: uuid.UUID


@dataclass(frozen=True)
class CancelAppointment:
    case_id: uuid.UUID
    appointment_id: uuid.UUID


@dataclass(frozen=True)
class OfferConsultationHours:
    """A case manager's open consultation hour at a place, on a weekday (0 = Monday)."""

    place: str
    weekday: int
    starts: time
    ends: time


@dataclass(frozen=True)
class EndConsultationHours:
    consultation_hours_id: uuid.UUID


@dataclass(frozen=True)
class RecordTeamDiscussion:
    """A team case discussion, peer consultation or supervision inside the case-management
    team (Fallbesprechung, Supervision); no partner takes part."""

    kind: str
    held_on: date
    participant_ids: list[str] = field(default_factory=list)
    case_ids: list[uuid.UUID] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    minutes: str | None = None
    structural_issues: str | None = None


@dataclass(frozen=True)
class PlanConference:
    """A case conference; each participant ``{"organisation_id", "role"}`` needs a release,
    each person without an organisation ``{"role", "name", "client_agreed"}`` the client's
    agreement. The case manager convenes it in town, the coordinating office for the county
    (``level`` follows from who convenes)."""

    case_id: uuid.UUID
    planned_on: date
    topics: list[str]
    agenda: str
    participants: list[dict[str, Any]] = field(default_factory=list)
    persons: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class AddPerson:
    """A person without an organisation joins a planned conference (001 L622)."""

    case_id: uuid.UUID
    conference_id: uuid.UUID
    role: str
    client_agreed: bool
    name: str | None = None


@dataclass(frozen=True)
class PlanConferenceRound:
    """The coordinating office convenes a county conference for every active case of one case
    manager on one day (Borken's quarterly review, 003 L35), inviting the same organisations
    (the immigration office's liaison …) to each where the case's release allows it."""

    case_manager_id: str
    planned_on: date
    topics: list[str]
    agenda: str
    organisation_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AddParticipant:
    case_id: uuid.UUID
    conference_id: uuid.UUID
    organisation_id: str
    role: str | None = None


@dataclass(frozen=True)
class HoldConference:
    """The conference took place: its minutes and agreed actions."""

    case_id: uuid.UUID
    conference_id: uuid.UUID
    held_on: date
    minutes: str
    actions: list[dict[str, Any]] = field(default_factory=list)
    duration_minutes: int | None = None


# -- the day and the staff ------------------------------------------------------------------------
@dataclass(frozen=True)
class MarkNoticeRead:
    notice_id: uuid.UUID


@dataclass(frozen=True)
class PutCaseManager:
    """Employer, FTE share and areas of a case manager, set by hand."""

    user_id: str
    organisation_id: str
    fte: float
    areas: list[str] = field(default_factory=list)
    active: bool = True


# -- federation: what a peer deployment's casework asks (ADR 0051) --------------------------------
@dataclass(frozen=True)
class ReceivePeerOffer:
    """A peer's tenant offers a case to a tenant served here: ids and facts, no personal data;
    answers the transfer id."""

    transfer_id: uuid.UUID
    from_tenant_id: uuid.UUID
    to_tenant_id: uuid.UUID
    to_area_id: str
    from_case_id: uuid.UUID
    callback_url: str
    topic_areas: list[str] = field(default_factory=list)
    legal_areas: list[str] = field(default_factory=list)
    phase: str | None = None
    offered_on: date | None = None


@dataclass(frozen=True)
class RecordPeerAcceptance:
    """The peer's case manager ``accepted_by`` accepted an offer made from ``from_tenant_id``."""

    transfer_id: uuid.UUID
    from_tenant_id: uuid.UUID
    accepted_by: str


@dataclass(frozen=True)
class RecordPeerErasure:
    """The peer's tenant erased, on her request, a person whose case ``to_tenant_id`` (a tenant
    served here) took over with transfer ``transfer_id`` (Art. 17(2), 19 GDPR)."""

    transfer_id: uuid.UUID
    from_tenant_id: uuid.UUID
    to_tenant_id: uuid.UUID
    erasure_id: uuid.UUID


@dataclass(frozen=True)
class RecordPeerCancel:
    """The peer's tenant withdrew its offer to ``to_tenant_id``, a tenant served here."""

    transfer_id: uuid.UUID
    from_tenant_id: uuid.UUID
    to_tenant_id: uuid.UUID


# -- households (Bedarfsgemeinschaft, 001 L562, 002 L217) ----------------------------------------
@dataclass(frozen=True)
class RecordHouseholdContact:
    """One contact with several people of a household, recorded in each member's case (one
    contact per case, same day, kind and duration), all or nothing."""

    members: tuple[HouseholdContactMember, ...]
    type: str
    occurred_on: date
    duration_minutes: int
    topics: list[str] = field(default_factory=list)
    purpose: str | None = None
    notes: str | None = None
    second_staff_id: str | None = None
    risk_seen: bool = False
    children_present: bool = False

    def for_case(self, member: HouseholdContactMember) -> RecordContact:
        return RecordContact(
            member.case_id, type=self.type, occurred_on=self.occurred_on,
            duration_minutes=self.duration_minutes, topics=list(self.topics),
            purpose=self.purpose, notes=self.notes, second_staff_id=self.second_staff_id,
            risk_seen=self.risk_seen, appointment_id=member.appointment_id,
            children_present=self.children_present)
@dataclass(frozen=True)
class AttachSignedCopy:
    """Attach the scan of a signed form to a case (PDF, JPEG or PNG)."""

    case_id: uuid.UUID
    form: SignedForm
    content: bytes = field(repr=False)
    content_type: str | None
    copy_id: uuid.UUID = field(default_factory=uuid.uuid4)
