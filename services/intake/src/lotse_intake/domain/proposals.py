"""Case proposals (*Fallvorschläge*, Kreis Borken): an authorised partner proposes a person to
the coordinating office; the office, usually after a case conference with the immigration
office, accepts the person into case management (assigning a case manager) or answers with a
referral. The proposer learns the outcome and nothing more.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from .errors import InvalidField, RuleConflict
from .model import DepthDecision, Intake, Referral
from .vocabulary import CounsellingDepth, ProposalRouting, ProposalStatus, TopicArea, in_order


@dataclass
class CaseProposal:
    intake_id: uuid.UUID
    proposing_org_id: str
    proposed_by: str
    area_id: str
    topic_areas: list[TopicArea]
    reason: str | None = None  # why the proposer thinks KIM case management is needed
    status: ProposalStatus = ProposalStatus.SUBMITTED
    decided_on: date | None = None
    decided_by: str | None = None
    case_manager_id: str | None = None
    case_manager_org_id: str | None = None
    referral_org_id: str | None = None
    referral_topic: TopicArea | None = None
    #: the case conference the proposal was decided in (required with ``case_conference``)
    case_conference_on: date | None = None
    decided_by_case_manager: bool = False
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    submitted_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    tenant_id: uuid.UUID | None = None

    @classmethod
    def submit(cls, intake: Intake, *, proposing_org_id: str, proposed_by: str,
               topic_areas: list[TopicArea], reason: str | None = None,
               id: uuid.UUID | None = None) -> CaseProposal:
        if not topic_areas:
            raise InvalidField("topic_areas", "name at least one topic area with a need")
        return cls(intake_id=intake.id, proposing_org_id=proposing_org_id,
                   proposed_by=proposed_by, area_id=intake.area_id,
                   topic_areas=in_order(topic_areas, TopicArea), reason=reason, id=id or uuid.uuid4())

    @property
    def case_manager_assigned(self) -> bool:
        return self.status == ProposalStatus.ACCEPTED and self.case_manager_id is not None

    def _open(self, decided_on: date, routing: ProposalRouting,
              case_conference_on: date | None) -> None:
        if self.status != ProposalStatus.SUBMITTED:
            raise RuleConflict("this case proposal has already been decided")
        if decided_on < self.submitted_at.date():
            raise InvalidField("decided_on", "cannot lie before the proposal was submitted")
        if case_conference_on is None and routing == ProposalRouting.CASE_CONFERENCE:
            raise InvalidField("case_conference_on", "proposals are decided in the scheduled "
                                                     "case conference with the Integrationslotsin:"
                                                     " give its date")
        if case_conference_on is not None and not (
                self.submitted_at.date() <= case_conference_on <= decided_on):
            raise InvalidField("case_conference_on", "must lie between the proposal's "
                                                     "submission and the decision")
        self.case_conference_on = case_conference_on

    def accept(self, intake: Intake, *, case_manager_id: str, case_manager_org_id: str,
               decided_by: str, decided_on: date, note: str | None = None,
               routing: ProposalRouting = ProposalRouting.COORDINATING_OFFICE,
               case_conference_on: date | None = None) -> DepthDecision:
        """Into KIM case management: the decision is recorded on the intake (and returned) and
        the case manager becomes responsible; the admission itself follows once she has the
        consents."""
        self._open(decided_on, routing, case_conference_on)
        decision = intake.decide_counselling_depth(
            depth=CounsellingDepth.CASE_MANAGEMENT, decided_by=decided_by,
            decided_on=decided_on, note=note)
        intake.responsible_id = case_manager_id
        self.status = ProposalStatus.ACCEPTED
        self.case_manager_id = case_manager_id
        self.case_manager_org_id = case_manager_org_id
        self._decided(decided_by, decided_on)
        return decision

    def refer(self, intake: Intake, *, referral: Referral, decided_by: str, decided_on: date,
              note: str | None = None,
              routing: ProposalRouting = ProposalRouting.COORDINATING_OFFICE,
              case_conference_on: date | None = None) -> DepthDecision:
        """Answered with referral counselling to an existing service (the intake's decision,
        returned)."""
        self._open(decided_on, routing, case_conference_on)
        decision = intake.decide_counselling_depth(
            depth=CounsellingDepth.REFERRAL, referral=referral, decided_by=decided_by,
            decided_on=decided_on, note=note)
        self.status = ProposalStatus.REFERRED
        self.referral_org_id = referral.org_id
        self.referral_topic = referral.topic
        self._decided(decided_by, decided_on)
        return decision

    def _decided(self, decided_by: str, decided_on: date) -> None:
        self.decided_by = decided_by
        self.decided_on = decided_on
