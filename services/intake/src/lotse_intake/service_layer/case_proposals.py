"""Case proposals (Borken): a partner proposes, the coordinating office decides, the proposer
sees the outcome. Who may is checked against the unit of work's principal (:mod:`.access`)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from lotse_platform.audit import CREATE, READ, UPDATE
from lotse_platform.references import AREA, ORGANISATION, Wanted, check

from ..domain.commands import AcceptCaseProposal, ReferCaseProposal, SubmitCaseProposal
from ..domain.errors import UnknownRecord
from ..domain.model import DepthDecision, Intake
from ..domain.proposals import CaseProposal
from ..domain.vocabulary import ProposalRouting, ProposalStatus
from . import access, events
from .handlers import RECORD, case_manager_references, load_intake, publish
from .unit_of_work import IntakeUnitOfWork


def submit_case_proposal(cmd: SubmitCaseProposal, uow: IntakeUnitOfWork, *,
                         operator_org_id: str) -> CaseProposal:
    """Records the person's first contact (access path: case proposal) and the proposal."""
    contact = cmd.contact
    access.authorize_contact(uow.principal, contact.area_id, access.PROPOSER_ROLES)
    with uow:
        # the proposing organisation is the caller's own (the token's), not a reference
        check(uow.references, [Wanted("area_id", AREA, contact.area_id)])
        intake = Intake.record(
            area_id=contact.area_id, access_path=contact.access_path,
            contact_date=contact.contact_date, person=contact.person,
            recorded_by=contact.recorded_by, today=uow.today(), operator_org_id=operator_org_id,
            referring_org_id=cmd.proposing_org_id, note=contact.note, id=contact.intake_id,
        )
        proposal = CaseProposal.submit(intake, proposing_org_id=cmd.proposing_org_id,
                                       proposed_by=contact.recorded_by,
                                       topic_areas=list(cmd.topic_areas), reason=cmd.reason,
                                       id=cmd.proposal_id)
        uow.intakes.add(intake)
        uow.proposals.add(proposal)
        publish(uow, intake, events.contact_recorded(intake))
        uow.publish(events.case_proposal_submitted(proposal), aggregate_id=proposal.id,
                    sequence=1)
        uow.audit(CREATE, RECORD, intake.id, reason="case_proposal")
        uow.commit()
    return proposal


def _load(uow: IntakeUnitOfWork, proposal_id: uuid.UUID) -> tuple[CaseProposal, Intake]:
    proposal = uow.proposals.get(proposal_id, for_update=True)
    if proposal is None:
        raise UnknownRecord("no such case proposal")
    return proposal, load_intake(uow, proposal.intake_id)


def _decided(uow: IntakeUnitOfWork, proposal: CaseProposal, intake: Intake,
             decision: DepthDecision) -> None:
    publish(uow, intake, events.counselling_depth_decided(intake, decision))
    uow.publish(events.case_proposal_decided(proposal), aggregate_id=proposal.id, sequence=2)
    uow.audit(UPDATE, RECORD, intake.id, reason="case_proposal_decision")


def _office_decides(tenant: uuid.UUID | None) -> ProposalRouting:
    return ProposalRouting.COORDINATING_OFFICE


RoutingOf = Callable[[uuid.UUID | None], ProposalRouting]


def accept_case_proposal(cmd: AcceptCaseProposal, uow: IntakeUnitOfWork, *,
                         case_proposal_routing: RoutingOf = _office_decides,
                         ) -> tuple[CaseProposal, Intake]:
    """The office — or, where partners report to the case manager, the case manager of the
    person's area — accepts a proposal into KIM case management with a case manager."""
    routing = case_proposal_routing(uow.tenant_id)
    with uow:
        proposal, intake = _load(uow, cmd.proposal_id)
        by_case_manager = access.authorize_proposal_decision(uow.principal, proposal, routing)
        check(uow.references, case_manager_references(cmd.case_manager_id,
                                                      cmd.case_manager_org_id))
        decision = proposal.accept(
            intake, case_manager_id=cmd.case_manager_id,
            case_manager_org_id=cmd.case_manager_org_id, decided_by=cmd.decided_by,
            decided_on=cmd.decided_on or uow.today(), note=cmd.note, routing=routing,
            case_conference_on=cmd.case_conference_on)
        proposal.decided_by_case_manager = by_case_manager
        _decided(uow, proposal, intake, decision)
        uow.commit()
    return proposal, intake


def refer_case_proposal(cmd: ReferCaseProposal, uow: IntakeUnitOfWork, *,
                        case_proposal_routing: RoutingOf = _office_decides,
                        ) -> tuple[CaseProposal, Intake]:
    routing = case_proposal_routing(uow.tenant_id)
    with uow:
        proposal, intake = _load(uow, cmd.proposal_id)
        by_case_manager = access.authorize_proposal_decision(uow.principal, proposal, routing)
        check(uow.references, [Wanted("referral.org_id", ORGANISATION, cmd.referral.org_id)])
        decision = proposal.refer(intake, referral=cmd.referral, decided_by=cmd.decided_by,
                                  decided_on=cmd.decided_on or uow.today(), note=cmd.note,
                                  routing=routing, case_conference_on=cmd.case_conference_on)
        proposal.decided_by_case_manager = by_case_manager
        _decided(uow, proposal, intake, decision)
        uow.commit()
    return proposal, intake


def proposal_outcome(proposal_id: uuid.UUID, uow: IntakeUnitOfWork) -> CaseProposal:
    """The outcome only (status, case manager assigned yes/no): no personal data, no audit.
    For the proposing organisation and the office; not found for anyone else."""
    with uow:
        proposal = uow.proposals.get(proposal_id)
        if proposal is None:
            raise UnknownRecord("no such case proposal")
        access.authorize_outcome(uow.principal, proposal)
    return proposal


def case_proposals_for_office(status: ProposalStatus | None, uow: IntakeUnitOfWork,
                              routing: ProposalRouting = ProposalRouting.COORDINATING_OFFICE,
                              ) -> list[tuple[CaseProposal, Intake]]:
    """The deciders' list, with the persons' names: each listed intake is audited. The office
    sees all; where partners report to the case manager, a case manager her areas'."""
    areas = access.proposal_scope(uow.principal, routing)
    with uow:
        rows = []
        for proposal in uow.proposals.with_status(status):
            if areas is not None and proposal.area_id not in areas:
                continue
            intake = load_intake(uow, proposal.intake_id, for_update=False)
            rows.append((proposal, intake))
            uow.audit(READ, RECORD, intake.id, reason="list:case_proposals")
        uow.commit()
    return rows


def proposals_of_organisation(org_id: str, uow: IntakeUnitOfWork) -> list[CaseProposal]:
    """A proposer's own proposals, for their outcome only."""
    with uow:
        return uow.proposals.of_organisation(org_id)
