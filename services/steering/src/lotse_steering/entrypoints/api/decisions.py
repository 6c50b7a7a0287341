"""Decision proposals (*Beschlussvorlagen*) of the steering group, the members' votes and the
decisions (ADR 0095). The coordinating office puts proposals and records decisions; steering
members read them and vote — their own vote, or as a member's deputy when she does not."""

from __future__ import annotations

import uuid
from datetime import date

import marshmallow as ma
from flask.views import MethodView
from lotse_platform.http import Blueprint
from lotse_platform.auth import current_principal, requires
from lotse_platform.errors import NotFound
from lotse_platform.http.text import Line, Text
from lotse_platform.service import handle, request_uow

from ...domain.decisions import (
    CREATE,
    END,
    KIND_LABELS_DE,
    KINDS,
    OUTCOME_LABELS_DE,
    VOTES,
    DecisionProposal,
    TargetGroupChange,
)
from ...domain.steering_commands import CastVote, DecideProposal, PutProposal
from ...service_layer.steering_access import (
    STEERING_GROUP_EDITORS,
    STEERING_GROUP_READERS,
    VOTERS,
)

blp = Blueprint("decisions", __name__, url_prefix="/",
                description="Decision proposals of the steering group, votes and decisions")

_TEXT = {"load_default": "", "validate": ma.validate.Length(max=4000)}


class AttachmentSchema(ma.Schema):
    title = Line(required=True, validate=ma.validate.Length(min=1, max=200))
    reference = Line(required=True, validate=ma.validate.Length(min=1, max=500), metadata={
        "description": "where the document is kept: its number or address in the county's "
                       "document management (steering stores references, not files: ADR 0095)"})


class MandateSchema(ma.Schema):
    """The project group's mandate (Arbeitsauftrag, seed 001 L511)."""

    subject = Text(**_TEXT, metadata={"description": "Gegenstand (required)"})
    objective = Text(**_TEXT, metadata={"description": "Zielsetzung der Bearbeitung (required)"})
    composition = Text(**_TEXT, metadata={"description": "Zusammensetzung (required)"})
    working_form = Text(**_TEXT, metadata={"description": "Vorgaben zur Arbeitsform"})
    expected_result = Text(**_TEXT, metadata={
        "description": "gewünschte Darstellung des Ergebnisses"})
    special_requirements = Text(**_TEXT, metadata={"description": "besondere Vorgaben"})


_VALUES = ma.fields.List(Line(validate=ma.validate.Length(min=1, max=40)),
                         validate=ma.validate.Length(max=20))


class TargetGroupConditionsSchema(ma.Schema):
    """Machine-checkable conditions in intake's vocabulary (intake's target groups'
    ``conditions``); intake checks the values when the decision reaches it."""

    residence_statuses = _VALUES
    min_age = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(min=0, max=120))
    max_age = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(min=0, max=120))
    years_in_germany_under = ma.fields.Integer(allow_none=True,
                                               validate=ma.validate.Range(min=1, max=100))
    unaccompanied_minor_at_entry = ma.fields.Boolean()
    regions_of_origin = _VALUES
    multiple_support_need_established = ma.fields.Boolean()
    disadvantaged = ma.fields.Boolean()
    arrived_in_county_since = ma.fields.Date(allow_none=True)
    households = _VALUES
    international_family_history = ma.fields.Boolean()


class TargetGroupChangeSchema(ma.Schema):
    change = ma.fields.String(required=True, validate=ma.validate.OneOf((CREATE, END)), metadata={
        "description": "create a target group, or end one"})
    name = Line(load_default=None, validate=ma.validate.Length(max=200), metadata={
        "description": "create: the group's name"})
    criteria = Text(load_default=None, validate=ma.validate.Length(max=4000), metadata={
        "description": "create: who belongs to it, as the steering group words it"})
    valid_from = ma.fields.Date(load_default=None, metadata={"description": "create"})
    valid_until = ma.fields.Date(load_default=None, metadata={
        "description": "create: the last day (none: open-ended); end: the last day it applies"})
    area_ids = ma.fields.List(Line(validate=ma.validate.Length(min=1, max=100)),
                              load_default=list, validate=ma.validate.Length(max=100), metadata={
                                  "description": "create: identity's areas it applies in "
                                                 "(none: the whole county)"})
    target_group_id = ma.fields.UUID(load_default=None, metadata={
        "description": "end: intake's target group"})
    conditions = ma.fields.Nested(TargetGroupConditionsSchema, load_default=None, metadata={
        "description": "create, optional: the machine-checkable conditions in intake's "
                       "vocabulary; without them intake's group has none and the case manager "
                       "confirms membership at screening. A value intake does not know leaves "
                       "the group without conditions (ADR 0095)"})


class CreateDecisionProposalSchema(ma.Schema):
    subject = Line(required=True, validate=ma.validate.Length(min=1, max=300))
    text = Text(required=True, validate=ma.validate.Length(min=1, max=20000), metadata={
        "description": "the proposed decision (Beschlussvorschlag); organisational text only"})
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(KINDS), metadata={
        "description": "establish_theme · mandate_project_group · adopt_result · "
                       "change_target_groups · other"})
    theme_id = ma.fields.UUID(load_default=None, metadata={
        "description": "the theme it concerns (required for establish_theme, "
                       "mandate_project_group, adopt_result)"})
    reference = Line(load_default=None, validate=ma.validate.Length(max=100), metadata={
        "description": "the proposal's number (Vorlagennummer), if the county uses one; intake "
                       "keeps it as a target group's decision reference"})
    attachments = ma.fields.List(ma.fields.Nested(AttachmentSchema), load_default=list,
                                 validate=ma.validate.Length(max=20))
    mandate = ma.fields.Nested(MandateSchema, load_default=None, metadata={
        "description": "mandate_project_group only"})
    target_group_change = ma.fields.Nested(TargetGroupChangeSchema, load_default=None,
                                           metadata={"description": "change_target_groups only"})


class TargetGroupChangeOutSchema(ma.Schema):
    change = ma.fields.String(required=True)
    name = ma.fields.String(allow_none=True)
    criteria = ma.fields.String(allow_none=True)
    valid_from = ma.fields.String(allow_none=True)
    valid_until = ma.fields.String(allow_none=True)
    area_ids = ma.fields.List(ma.fields.String())
    target_group_id = ma.fields.String(allow_none=True)
    conditions = ma.fields.Dict(allow_none=True)


class MandateOutSchema(ma.Schema):
    subject = ma.fields.String()
    objective = ma.fields.String()
    composition = ma.fields.String()
    working_form = ma.fields.String()
    expected_result = ma.fields.String()
    special_requirements = ma.fields.String()


class VoteSchema(ma.Schema):
    member_id = ma.fields.UUID(required=True)
    vote = ma.fields.String(required=True, metadata={"description": "yes · no · abstain"})
    as_deputy = ma.fields.Boolean(required=True, metadata={
        "description": "cast by the member's deputy"})
    cast_at = ma.fields.AwareDateTime(required=True)


class TallySchema(ma.Schema):
    yes = ma.fields.Integer(required=True)
    no = ma.fields.Integer(required=True)
    abstentions = ma.fields.Integer(required=True)
    voting_members = ma.fields.Integer(required=True)


class DecisionProposalSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    subject = ma.fields.String(required=True)
    text = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)
    kind_de = ma.fields.String(required=True)
    reference = ma.fields.String(allow_none=True, required=True)
    theme_id = ma.fields.UUID(allow_none=True, required=True)
    attachments = ma.fields.List(ma.fields.Nested(AttachmentSchema), required=True)
    mandate = ma.fields.Nested(MandateOutSchema, allow_none=True, required=True)
    target_group_change = ma.fields.Nested(TargetGroupChangeOutSchema, allow_none=True,
                                           required=True)
    created_on = ma.fields.Date(required=True)
    votes = ma.fields.List(ma.fields.Nested(VoteSchema), required=True)
    outcome = ma.fields.String(allow_none=True, required=True, metadata={
        "description": "approved · rejected · deferred; null while open"})
    outcome_de = ma.fields.String(allow_none=True, required=True, metadata={
        "description": "angenommen · abgelehnt · vertagt"})
    decided_on = ma.fields.Date(allow_none=True, required=True, metadata={
        "description": "the tenant's day of the decision"})
    tally = ma.fields.Nested(TallySchema, allow_none=True, required=True, metadata={
        "description": "the votes counted at the decision"})
    project_group_id = ma.fields.UUID(allow_none=True, required=True, metadata={
        "description": "the project group an approved mandate created"})


def _proposal(proposal: DecisionProposal, votes) -> dict:
    return {"id": proposal.id, "subject": proposal.subject, "text": proposal.text,
            "kind": proposal.kind, "kind_de": KIND_LABELS_DE[proposal.kind],
            "reference": proposal.reference, "theme_id": proposal.theme_id,
            "attachments": proposal.attachments, "mandate": proposal.mandate,
            "target_group_change": proposal.target_group_change,
            "created_on": proposal.created_on, "votes": votes, "outcome": proposal.outcome,
            "outcome_de": OUTCOME_LABELS_DE.get(proposal.outcome or ""),
            "decided_on": proposal.decided_on, "tally": proposal.tally,
            "project_group_id": proposal.project_group_id}


def _read(proposal_id: uuid.UUID) -> dict:
    with request_uow(current_principal()) as uow:
        proposal = uow.get_proposal(proposal_id)
        if proposal is None:
            raise NotFound("no such decision proposal")
        return _proposal(proposal, uow.votes_on(proposal_id))


def _conditions(loaded: dict | None) -> dict | None:
    """As JSON keeps them (a day as its ISO text)."""
    if loaded is None:
        return None
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in loaded.items()}


@blp.route("/decision-proposals")
class Proposals(MethodView):
    @blp.response(200, DecisionProposalSchema(many=True))
    @requires(*STEERING_GROUP_READERS)
    def get(self):
        """The decision proposals, newest first, with the votes cast and the outcome."""
        with request_uow(current_principal()) as uow:
            return [_proposal(p, uow.votes_on(p.id)) for p in uow.list_proposals()]

    @blp.arguments(CreateDecisionProposalSchema)
    @blp.response(201, DecisionProposalSchema)
    @requires(*STEERING_GROUP_EDITORS)
    def post(self, body):
        """Put a decision proposal to the steering group (the coordinating office): subject,
        proposed text, kind, attachments (references), the theme it concerns, and for a
        mandate the project group's mandate, for a target-group change the group to create or
        end. What the kind needs and lacks: 422 naming the field."""
        change = body["target_group_change"]
        proposal_id = handle(PutProposal(
            subject=body["subject"], text=body["text"], kind=body["kind"],
            theme_id=body["theme_id"], reference=body["reference"],
            attachments=tuple(body["attachments"]), mandate=body["mandate"],
            target_group_change=TargetGroupChange(
                change=change["change"], name=change["name"], criteria=change["criteria"],
                valid_from=change["valid_from"], valid_until=change["valid_until"],
                area_ids=tuple(change["area_ids"]),
                target_group_id=(str(change["target_group_id"])
                                 if change["target_group_id"] else None),
                conditions=_conditions(change["conditions"]))
            if change else None), current_principal())
        return _read(proposal_id)


@blp.route("/decision-proposals/<uuid:proposal_id>")
class ProposalById(MethodView):
    @blp.response(200, DecisionProposalSchema)
    @requires(*STEERING_GROUP_READERS)
    def get(self, proposal_id: uuid.UUID):
        """One decision proposal with its votes and outcome."""
        return _read(proposal_id)


class CastVoteSchema(ma.Schema):
    vote = ma.fields.String(required=True, validate=ma.validate.OneOf(VOTES), metadata={
        "description": "yes · no · abstain"})
    for_member_id = ma.fields.UUID(load_default=None, allow_none=True, metadata={
        "description": "vote as this member's deputy (only when she has not voted herself)"})


@blp.route("/decision-proposals/<uuid:proposal_id>/votes")
class Votes(MethodView):
    @blp.arguments(CastVoteSchema)
    @blp.response(200, DecisionProposalSchema)
    @requires(*VOTERS)
    def post(self, body, proposal_id: uuid.UUID):
        """Vote on a proposal (a voting member of the steering group): her own vote, which she
        may change until the decision, or as a member's deputy when the member has not voted.
        An advisory member, a deputy when the member voted, a member when her deputy voted, any
        vote after the decision: 409."""
        handle(CastVote(proposal_id, body["vote"], body["for_member_id"]), current_principal())
        return _read(proposal_id)


class DecideSchema(ma.Schema):
    defer = ma.fields.Boolean(load_default=False, metadata={
        "description": "the group postponed it (vertagt) whatever the votes"})


@blp.route("/decision-proposals/<uuid:proposal_id>/decision")
class Decision(MethodView):
    @blp.arguments(DecideSchema)
    @blp.response(200, DecisionProposalSchema)
    @requires(*STEERING_GROUP_EDITORS)
    def post(self, body, proposal_id: uuid.UUID):
        """Record the steering group's decision with the tenant's day (the coordinating
        office): deferred when postponed or when too few voting members took part (the quorum
        rule), otherwise approved or rejected by the rule's majority. An approved proposal
        acts: a theme established, a project group mandated, a result adopted, a target group
        created or ended in intake. A theme whose status does not allow the step: 409, nothing
        recorded. A second decision: 409."""
        handle(DecideProposal(proposal_id, body["defer"]), current_principal())
        return _read(proposal_id)
