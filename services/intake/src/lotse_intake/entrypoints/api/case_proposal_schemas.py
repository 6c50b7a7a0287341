"""Schemas of the case proposals (*Fallvorschläge*): what the office sees, and the outcome that
is all the proposer sees."""

from __future__ import annotations

import marshmallow as ma
from lotse_platform.http.text import Line, Text

from ...domain.vocabulary import ProposalRouting, ProposalStatus, TopicArea
from .schemas import TEXT, CreatePersonSchema, PersonNameSchema, ReferralSchema, an_id, enum, enum_list


class CreateCaseProposalSchema(ma.Schema):
    """A case proposal (*Fallvorschlag*) to the coordinating office."""

    person = ma.fields.Nested(CreatePersonSchema, required=True)
    area_id = an_id("area (town) the person lives in", required=True)
    contact_date = ma.fields.Date(allow_none=True, load_default=None,
                                  metadata={"description": "defaults to today"})
    topic_areas = enum_list(TopicArea, required=True, validate=ma.validate.Length(min=1))
    reason = Text(validate=TEXT, allow_none=True, load_default=None,
                  metadata={"description": "why KIM case management is needed"})


class CaseProposalOutcomeSchema(ma.Schema):
    """What the proposer sees: the outcome, nothing of the case."""

    id = ma.fields.UUID()
    status = enum(ProposalStatus)
    submitted_at = ma.fields.AwareDateTime()
    decided_on = ma.fields.Date(allow_none=True)
    case_manager_assigned = ma.fields.Boolean()


class CaseProposalSchema(ma.Schema):
    """What the coordinating office sees."""

    id = ma.fields.UUID()
    intake_id = ma.fields.UUID()
    proposing_org_id = ma.fields.String()
    proposed_by = ma.fields.String()
    area_id = ma.fields.String()
    topic_areas = enum_list(TopicArea)
    reason = ma.fields.String(allow_none=True)
    status = enum(ProposalStatus)
    submitted_at = ma.fields.AwareDateTime()
    decided_on = ma.fields.Date(allow_none=True)
    decided_by = ma.fields.String(allow_none=True)
    case_manager_id = ma.fields.String(allow_none=True)
    case_manager_org_id = ma.fields.String(allow_none=True)
    referral_org_id = ma.fields.String(allow_none=True)
    referral_topic = enum(TopicArea, allow_none=True)
    case_conference_on = ma.fields.Date(allow_none=True, metadata={
        "description": "the case conference (Fallkonferenz) it was decided in"})
    decided_by_case_manager = ma.fields.Boolean(metadata={
        "description": "decided by the case manager the partner reported to, not the office"})
    person = ma.fields.Nested(PersonNameSchema)


class ProposalRoutingSchema(ma.Schema):
    routing = enum(ProposalRouting, required=True)
    label = ma.fields.String(required=True)


class CaseProposalQuerySchema(ma.Schema):
    status = enum(ProposalStatus)


class CreateProposalDecisionSchema(ma.Schema):
    outcome = Line(required=True, validate=ma.validate.OneOf(["accepted", "referred"]),
                   metadata={"description": "`accepted` (ins Case Management übernommen) or "
                                            "`referred` (Verweisberatung)"})
    case_manager_id = an_id("accepted: the case manager assigned", allow_none=True,
                            load_default=None)
    case_manager_org_id = an_id("accepted: her employer organisation", allow_none=True,
                                load_default=None)
    referral = ma.fields.Nested(ReferralSchema, allow_none=True, load_default=None,
                                metadata={"description": "referred: to whom, for which topic"})
    decided_on = ma.fields.Date(allow_none=True, load_default=None)
    case_conference_on = ma.fields.Date(
        allow_none=True, load_default=None,
        metadata={"description": "the day of the scheduled case conference with the "
                                 "Integrationslotsin it was decided in; required where the "
                                 "tenant decides proposals in case conferences "
                                 "(`case_conference`, `GET /case-proposals/routing`)"})
    note = Text(validate=TEXT, allow_none=True, load_default=None)

    @ma.validates_schema
    def outcome_has_its_details(self, data, **_):
        if data.get("outcome") == "accepted":
            missing = {name: ["required when the proposal is accepted"]
                       for name in ("case_manager_id", "case_manager_org_id") if not data.get(name)}
            if data.get("referral") is not None:
                missing["referral"] = ["only when the proposal is referred"]
            if missing:
                raise ma.ValidationError(missing)
        if data.get("outcome") == "referred" and data.get("referral") is None:
            raise ma.ValidationError({"referral": ["required when the proposal is referred"]})


