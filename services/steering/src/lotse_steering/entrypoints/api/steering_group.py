"""The steering group (*Lenkungsgruppe*): its members, its quorum rule (*Beschlussfähigkeit*)
and its meetings with agenda and minutes (ADR 0095). The coordinating office keeps them; the
steering members read them. Members are an organisation's id and a user id — never a name."""

from __future__ import annotations

import uuid

import marshmallow as ma
from flask.views import MethodView
from lotse_platform.http import Blueprint
from lotse_platform.auth import current_principal, requires
from lotse_platform.errors import NotFound
from lotse_platform.http.text import Line, Text
from lotse_platform.service import handle, request_uow

from ...domain.steering_commands import (
    AppointMember,
    ChangeMember,
    PlanMeeting,
    RecordMinutes,
    RemoveMember,
    SetQuorumRule,
)
from ...domain.steering_group import MAJORITIES, AgendaItem
from ...service_layer import steering_group as group
from ...service_layer.steering_access import STEERING_GROUP_EDITORS, STEERING_GROUP_READERS

blp = Blueprint("steering_group", __name__, url_prefix="/",
                description="The steering group (Lenkungsgruppe): members, quorum rule, "
                            "meetings")

_ID = {"validate": ma.validate.Length(min=1, max=100)}


class SteeringMemberInSchema(ma.Schema):
    organisation_id = Line(required=True, **_ID, metadata={
        "description": "the organisation whose seat it is (identity's directory; 422 when "
                       "unknown)"})
    user_id = Line(required=True, **_ID, metadata={
        "description": "the person holding the seat: a user id with the role steering_member "
                       "(422 otherwise) — steering keeps no name"})
    voting = ma.fields.Boolean(required=True, metadata={
        "description": "true: voting (stimmberechtigt); false: advisory (beratend)"})
    deputy_id = ma.fields.UUID(load_default=None, allow_none=True, metadata={
        "description": "another member who votes in her place when she does not "
                       "(Vertretung)"})


class SteeringMemberSchema(SteeringMemberInSchema):
    id = ma.fields.UUID(required=True)
    organisation_name = ma.fields.String(allow_none=True, required=True, metadata={
        "description": "the organisation's name from identity's directory (null while unknown)"})


def _seat(member_id: uuid.UUID) -> dict:
    with request_uow(current_principal()) as uow:
        member = uow.get_member(member_id)
        if member is None:
            raise NotFound("no such member of the steering group")
        return group.seats(uow, [member])[0]


def _member(body: dict, member_id: uuid.UUID | None = None) -> AppointMember | ChangeMember:
    fields = (body["organisation_id"], body["user_id"], body["voting"], body["deputy_id"])
    return ChangeMember(member_id, *fields) if member_id else AppointMember(*fields)


@blp.route("/steering-group/members")
class Members(MethodView):
    @blp.response(200, SteeringMemberSchema(many=True))
    @requires(*STEERING_GROUP_READERS)
    def get(self):
        """The members of the steering group, voting members first."""
        with request_uow(current_principal()) as uow:
            return group.seats(uow, uow.list_members())

    @blp.arguments(SteeringMemberInSchema)
    @blp.response(201, SteeringMemberSchema)
    @requires(*STEERING_GROUP_EDITORS)
    def post(self, body):
        """Appoint a member (the coordinating office): an organisation's seat, the person who
        holds it, voting or advisory, her deputy. A person holds one seat (409)."""
        return _seat(handle(_member(body), current_principal()))


@blp.route("/steering-group/members/<uuid:member_id>")
class MemberById(MethodView):
    @blp.arguments(SteeringMemberInSchema)
    @blp.response(200, SteeringMemberSchema)
    @requires(*STEERING_GROUP_EDITORS)
    def put(self, body, member_id: uuid.UUID):
        """Change a member's seat: organisation, person, voting right, deputy."""
        handle(_member(body, member_id), current_principal())
        return _seat(member_id)

    @blp.response(204)
    @requires(*STEERING_GROUP_EDITORS)
    def delete(self, member_id: uuid.UUID):
        """End a member's seat; a member she deputised for has no deputy afterwards."""
        handle(RemoveMember(member_id), current_principal())


class QuorumRuleSchema(ma.Schema):
    min_participation_percent = ma.fields.Integer(
        required=True, validate=ma.validate.Range(min=1, max=100), metadata={
            "description": "the share of voting members (percent) who must take part in a vote "
                           "(yes, no or abstain); fewer: the proposal is deferred"})
    majority = ma.fields.String(required=True, validate=ma.validate.OneOf(MAJORITIES), metadata={
        "description": "simple: more yes than no; absolute: more than half of the votes cast; "
                       "two_thirds: at least two thirds of the votes cast"})


@blp.route("/steering-group/quorum-rule")
class QuorumRuleView(MethodView):
    @blp.response(200, QuorumRuleSchema)
    @requires(*STEERING_GROUP_READERS)
    def get(self):
        """The tenant's quorum rule (Beschlussfähigkeit, from its rules of procedure); default:
        half of the voting members take part, simple majority."""
        return group.quorum_rule(request_uow(current_principal()))

    @blp.arguments(QuorumRuleSchema)
    @blp.response(200, QuorumRuleSchema)
    @requires(*STEERING_GROUP_EDITORS)
    def put(self, body):
        """Set the tenant's quorum rule (the coordinating office); it applies to the decisions
        recorded from now on."""
        return handle(SetQuorumRule(body["min_participation_percent"], body["majority"]),
                      current_principal())


class AgendaItemSchema(ma.Schema):
    title = Line(required=True, validate=ma.validate.Length(min=1, max=300))
    proposal_id = ma.fields.UUID(load_default=None, allow_none=True, metadata={
        "description": "the decision proposal the item puts to the group"})


class CreateSteeringMeetingSchema(ma.Schema):
    held_on = ma.fields.Date(required=True)
    agenda = ma.fields.List(ma.fields.Nested(AgendaItemSchema), load_default=list,
                            validate=ma.validate.Length(max=50),
                            metadata={"description": "the agenda (Tagesordnung), in order"})


class AgendaItemOutSchema(ma.Schema):
    title = ma.fields.String(required=True)
    proposal_id = ma.fields.String(allow_none=True, required=True)


class SteeringMeetingSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    held_on = ma.fields.Date(required=True)
    agenda = ma.fields.List(ma.fields.Nested(AgendaItemOutSchema), required=True)
    minutes = ma.fields.String(allow_none=True, required=True, metadata={
        "description": "the minutes (Protokoll), null until recorded"})
    minutes_recorded_at = ma.fields.AwareDateTime(allow_none=True, required=True)


@blp.route("/steering-group/meetings")
class Meetings(MethodView):
    @blp.response(200, SteeringMeetingSchema(many=True))
    @requires(*STEERING_GROUP_READERS)
    def get(self):
        """The steering group's meetings, newest first."""
        with request_uow(current_principal()) as uow:
            return uow.list_meetings()

    @blp.arguments(CreateSteeringMeetingSchema)
    @blp.response(201, SteeringMeetingSchema)
    @requires(*STEERING_GROUP_EDITORS)
    def post(self, body):
        """Plan a meeting with its agenda (the coordinating office); an item may name a
        decision proposal (422 when there is none)."""
        principal = current_principal()
        meeting_id = handle(PlanMeeting(body["held_on"], tuple(
            AgendaItem(i["title"], str(i["proposal_id"]) if i["proposal_id"] else None)
            for i in body["agenda"])), principal)
        with request_uow(principal) as uow:
            return uow.get_meeting(meeting_id)


@blp.route("/steering-group/meetings/<uuid:meeting_id>")
class MeetingById(MethodView):
    @blp.response(200, SteeringMeetingSchema)
    @requires(*STEERING_GROUP_READERS)
    def get(self, meeting_id: uuid.UUID):
        """One meeting with its agenda and minutes."""
        with request_uow(current_principal()) as uow:
            meeting = uow.get_meeting(meeting_id)
        if meeting is None:
            raise NotFound("no such meeting")
        return meeting


class MinutesSchema(ma.Schema):
    minutes = Text(required=True, validate=ma.validate.Length(min=1, max=20000), metadata={
        "description": "organisational text only: what was discussed and decided — no names "
                       "or details of people in a case"})


@blp.route("/steering-group/meetings/<uuid:meeting_id>/minutes")
class Minutes(MethodView):
    @blp.arguments(MinutesSchema)
    @blp.response(200, SteeringMeetingSchema)
    @requires(*STEERING_GROUP_EDITORS)
    def put(self, body, meeting_id: uuid.UUID):
        """Record the minutes once the meeting has been held (409 before its day, and 409 when
        they are recorded already)."""
        principal = current_principal()
        handle(RecordMinutes(meeting_id, body["minutes"]), principal)
        with request_uow(principal) as uow:
            return uow.get_meeting(meeting_id)
