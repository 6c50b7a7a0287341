"""Case proposals (*Fallvorschläge*, Borken): partners propose, the coordinating office decides,
the proposer sees the outcome — status and whether a case manager was assigned — and nothing of
the case. Who may is checked by the service layer against the caller (ADR 0052)."""

from __future__ import annotations

import uuid

from flask.views import MethodView
from lotse_platform.http import Blueprint

from lotse_platform import clock
from lotse_platform.auth import current_principal, requires
from lotse_platform.service import current_service, handle, request_uow

from ...domain.commands import (
    AcceptCaseProposal,
    RecordContact,
    ReferCaseProposal,
    SubmitCaseProposal,
)
from ...domain.model import Referral
from ...domain.vocabulary import LABELS, AccessPath, ProposalRouting
from ...service_layer import case_proposals as proposals
from ...service_layer.access import INTAKE_ROLES, OFFICE_ROLES, PROPOSER_ROLES
from .case_proposal_schemas import (
    CaseProposalOutcomeSchema,
    CaseProposalQuerySchema,
    CaseProposalSchema,
    CreateCaseProposalSchema,
    CreateProposalDecisionSchema,
    ProposalRoutingSchema,
)

blp = Blueprint("case_proposals", __name__, url_prefix="/case-proposals",
                description="Fallvorschläge an die Koordinierende Stelle")


def _office_view(row) -> dict:
    proposal, intake = row
    return {**{name: getattr(proposal, name) for name in CaseProposalSchema().fields
               if name != "person"}, "person": intake.person}


@blp.route("")
class CaseProposals(MethodView):
    @blp.arguments(CreateCaseProposalSchema)
    @blp.response(201, CaseProposalOutcomeSchema)
    @requires(*PROPOSER_ROLES)
    def post(self, body):
        """Propose a person to the coordinating office (partners of the person's area).
        The answer, now and later, is the outcome only."""
        principal = current_principal()
        contact = RecordContact(area_id=body["area_id"], access_path=AccessPath.CASE_PROPOSAL,
                                contact_date=body["contact_date"] or clock.today(principal.tenant),
                                person=body["person"], recorded_by=principal.subject,
                                referring_org_id=principal.organisation)
        return handle(
            SubmitCaseProposal(contact=contact, proposing_org_id=principal.organisation,
                               topic_areas=body["topic_areas"], reason=body["reason"]),
            principal)

    @blp.arguments(CaseProposalQuerySchema, location="query")
    @blp.response(200, CaseProposalSchema(many=True))
    @requires(*OFFICE_ROLES, *INTAKE_ROLES)
    def get(self, query):
        """The deciders' list, with the persons' names (each audited as a read): the
        coordinating office all; where partners report to the case manager (`case_manager`),
        a case manager her areas' (else 403)."""
        principal = current_principal()
        routing = current_service().settings.case_proposal_routing_of(principal.tenant)
        rows = proposals.case_proposals_for_office(query.get("status"), request_uow(principal),
                                                   routing)
        return [_office_view(row) for row in rows]


@blp.route("/routing")
class CaseProposalRouting(MethodView):
    @blp.response(200, ProposalRoutingSchema)
    @requires(*PROPOSER_ROLES, *OFFICE_ROLES)
    def get(self):
        """Who decides this tenant's case proposals (`LOTSE_INTAKE_CASE_PROPOSALS`):
        `coordinating_office` (default), `case_conference` (Borken: the office, in the
        scheduled case conference with the Integrationslotsin; the decision names its date) or
        `case_manager` (Höxter: partners report to the case manager of the person's area, who
        decides)."""
        routing = current_service().settings.case_proposal_routing_of(current_principal().tenant)
        return {"routing": routing, "label": LABELS[ProposalRouting][routing]}


@blp.route("/mine")
class MyCaseProposals(MethodView):
    @blp.response(200, CaseProposalOutcomeSchema(many=True))
    @requires(*PROPOSER_ROLES)
    def get(self):
        """The outcomes of my organisation's proposals."""
        principal = current_principal()
        return proposals.proposals_of_organisation(principal.organisation, request_uow(principal))


@blp.route("/<uuid:proposal_id>/outcome")
class CaseProposalOutcome(MethodView):
    @blp.response(200, CaseProposalOutcomeSchema)
    @requires(*PROPOSER_ROLES, *OFFICE_ROLES)
    def get(self, proposal_id: uuid.UUID):
        """The outcome of a proposal: for the proposing organisation and the office; 404 for
        anyone else."""
        principal = current_principal()
        return proposals.proposal_outcome(proposal_id, request_uow(principal))


@blp.route("/<uuid:proposal_id>/decision")
class CaseProposalDecision(MethodView):
    @blp.arguments(CreateProposalDecisionSchema)
    @blp.response(200, CaseProposalSchema)
    @requires(*OFFICE_ROLES, *INTAKE_ROLES)
    def post(self, body, proposal_id: uuid.UUID):
        """Decide a proposal: ``accepted`` into KIM case management with a case manager (who
        becomes responsible and admits once she has the consents), or ``referred``. The office
        decides; where partners report to the case manager (`case_manager`) also the case
        manager of the person's area (else 403); where proposals are decided in case
        conferences (`case_conference`) the decision names the conference's day."""
        principal = current_principal()
        command: AcceptCaseProposal | ReferCaseProposal
        if body["outcome"] == "accepted":
            command = AcceptCaseProposal(
                proposal_id=proposal_id, case_manager_id=body["case_manager_id"],
                case_manager_org_id=body["case_manager_org_id"], decided_by=principal.subject,
                decided_on=body["decided_on"], note=body["note"],
                case_conference_on=body["case_conference_on"])
        else:
            referral = body["referral"]
            command = ReferCaseProposal(
                proposal_id=proposal_id,
                referral=Referral(referral["org_id"], referral["topic"], referral["service_id"]),
                decided_by=principal.subject, decided_on=body["decided_on"], note=body["note"],
                case_conference_on=body["case_conference_on"])
        return _office_view(handle(command, principal))
