"""Project groups' work (*Projektarbeitsgruppen*, DOMAIN.md §8 step 4; ADR 0096): the mandate,
members and meetings, the goal system as a tree, service chains (as JSON and drawn as SVG) and
the result the group presents to the steering group.

Members are user ids with their organisation ids — never names. The coordinating office edits
the group; its members read it and edit its goal system and service chains; steering members
read; a case manager who is no member sees nothing (403).
"""

from __future__ import annotations

import uuid
from typing import Any

import marshmallow as ma
from flask import Response, request
from flask.views import MethodView
from lotse_platform.http import Blueprint
from lotse_platform.auth import current_principal, requires
from lotse_platform.http.text import Line, Text
from lotse_platform.service import request_uow

from ...adapters import chain_svg
from ...domain.goal_systems import LEVEL_LABELS_DE, LEVELS, GoalNode
from ...domain.project_groups import MAX_MEETING_MINUTES, MEMBER_ROLES, MemberEntry
from ...domain.service_chains import ChainStep
from ...service_layer import project_groups as work
from ...service_layer.access import GROUP_EDITORS, GROUP_READERS, GROUP_WORKERS

blp = Blueprint("project_groups", __name__, url_prefix="/",
                description="Project groups: mandate, members, meetings, goal systems, service "
                            "chains and the result presented to the steering group")

_NO_PERSONAL_DATA = ("Structures and organisations only — no names or details of clients or "
                     "staff.")
_ETAG = {"ETag": {"description": "the version read; send it back as If-Match to replace",
                  "schema": {"type": "string"}}}


def _texts(max_items: int = 20, **kwargs: Any) -> ma.fields.List:
    return ma.fields.List(Text(validate=ma.validate.Length(min=1, max=1000)),
                          validate=ma.validate.Length(max=max_items), load_default=list,
                          **kwargs)


class WarningSchema(ma.Schema):
    code = ma.fields.String(required=True)
    field = ma.fields.String(metadata={"description": "the field the advice is about"})
    key = ma.fields.String(metadata={"description": "the goal system node's key"})
    quarter = ma.fields.String(metadata={"description": "YYYY-Qn"})
    meetings = ma.fields.Integer()
    message = ma.fields.String(required=True)
    message_de = ma.fields.String(required=True)


# -- the group ---------------------------------------------------------------------------------

class MemberSchema(ma.Schema):
    user_id = ma.fields.String(required=True, metadata={"description": "identity's user id"})
    organisation_id = ma.fields.String(required=True)
    role = ma.fields.String(required=True, metadata={"description": " | ".join(MEMBER_ROLES)})
    role_de = ma.fields.Function(lambda m: MEMBER_ROLES[m.role], required=True)


class MeetingSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    held_on = ma.fields.Date(required=True)
    duration_minutes = ma.fields.Integer(required=True)
    topics = ma.fields.List(ma.fields.String(), required=True)
    notes = ma.fields.String(required=True)


class ProjectGroupSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    theme_id = ma.fields.UUID(required=True, metadata={"description": "the generative theme"})
    decision_id = ma.fields.UUID(required=True, metadata={
        "description": "the steering group's mandate decision"})
    subject = ma.fields.String(required=True, metadata={"description": "Gegenstand"})
    objective = ma.fields.String(required=True, metadata={"description": "Zielsetzung"})
    composition = ma.fields.String(required=True, metadata={"description": "Zusammensetzung"})
    working_form = ma.fields.String(required=True, metadata={"description": "Arbeitsform"})
    expected_result = ma.fields.String(required=True, metadata={
        "description": "gewünschte Darstellung des Ergebnisses"})
    special_requirements = ma.fields.String(required=True, metadata={
        "description": "besondere Vorgaben"})
    mandated_on = ma.fields.Date(required=True)
    status = ma.fields.String(required=True, metadata={"description": "mandated | presented"})
    members = ma.fields.List(ma.fields.Nested(MemberSchema), required=True)
    meetings = ma.fields.List(ma.fields.Nested(MeetingSchema), required=True)
    warnings = ma.fields.List(ma.fields.Nested(WarningSchema), required=True, metadata={
        "description": "advice, not refusal: a quarter without a meeting or with more than "
                       "two (1–2 a quarter are planned); members of fewer than two "
                       "organisations"})
    your_access = ma.fields.String(required=True, metadata={
        "description": "read | work (a member: edits goal system and service chains) | edit "
                       "(the coordinating office)"})


@blp.route("/project-groups")
class ProjectGroups(MethodView):
    @blp.response(200, ProjectGroupSchema(many=True))
    @requires(*GROUP_READERS)
    def get(self):
        """The tenant's project groups, newest mandate first: the coordinating office and the
        steering group see all; anyone else the groups she is a member of."""
        return work.project_groups(request_uow(current_principal()))


@blp.route("/project-groups/<uuid:group_id>")
class ProjectGroupById(MethodView):
    @blp.response(200, ProjectGroupSchema)
    @requires(*GROUP_READERS)
    def get(self, group_id: uuid.UUID):
        """One project group: its mandate, members, meetings and the advice on its rhythm."""
        return work.project_group(request_uow(current_principal()), group_id)


class MemberInSchema(ma.Schema):
    user_id = Line(required=True, validate=ma.validate.Length(min=1, max=100))
    organisation_id = Line(required=True, validate=ma.validate.Length(min=1, max=100), metadata={
        "description": "the organisation the member comes from (the user belongs to it, 422 "
                       "otherwise)"})
    role = ma.fields.String(load_default="member", validate=ma.validate.OneOf(list(MEMBER_ROLES)))


class MembersSchema(ma.Schema):
    members = ma.fields.List(ma.fields.Nested(MemberInSchema), required=True,
                             validate=ma.validate.Length(max=50))


@blp.route("/project-groups/<uuid:group_id>/members")
class GroupMembers(MethodView):
    @blp.arguments(MembersSchema)
    @blp.response(200, ProjectGroupSchema)
    @requires(*GROUP_EDITORS)
    def put(self, body, group_id: uuid.UUID):
        """Set the group's members (the coordinating office), replacing the list: users of the
        tenant, each with the organisation she comes from and her role in the group (one
        chair). Ids only, no names."""
        entries = [MemberEntry(m["user_id"], m["organisation_id"], m["role"])
                   for m in body["members"]]
        return work.replace_members(request_uow(current_principal()), group_id, entries)


class CreateMeetingSchema(ma.Schema):
    held_on = ma.fields.Date(required=True)
    duration_minutes = ma.fields.Integer(required=True, validate=ma.validate.Range(
        min=1, max=MAX_MEETING_MINUTES), metadata={"description": "up to 3 hours (422 above)"})
    topics = _texts(metadata={"description": "the topics worked on"})
    notes = Text(load_default="", validate=ma.validate.Length(max=8000), metadata={
        "description": "the group's working notes. " + _NO_PERSONAL_DATA})


@blp.route("/project-groups/<uuid:group_id>/meetings")
class GroupMeetings(MethodView):
    @blp.arguments(CreateMeetingSchema)
    @blp.response(201, ProjectGroupSchema)
    @requires(*GROUP_EDITORS)
    def post(self, body, group_id: uuid.UUID):
        """Record a meeting of the group (the coordinating office): day, duration (up to three
        hours), topics, notes. One to two a quarter are planned; more or none shows as a
        warning in the group, not as a refusal."""
        return work.record_meeting(request_uow(current_principal()), group_id,
                                   body["held_on"], body["duration_minutes"], body["topics"],
                                   body["notes"])


# -- the goal system ---------------------------------------------------------------------------

class GoalNodeInSchema(ma.Schema):
    key = Line(required=True, validate=ma.validate.Length(min=1, max=50), metadata={
        "description": "the node's key, unique in the tree (children name it as parent)"})
    parent = Line(load_default=None, allow_none=True, validate=ma.validate.Length(max=50),
                  metadata={"description": "the parent's key; null for the principle goal"})
    level = ma.fields.String(required=True, validate=ma.validate.OneOf(LEVELS), metadata={
        "description": "principle (Leitziel) → framework (Rahmenziel) → result (Ergebnisziel) "
                       "→ activity (Aktivität)"})
    title = Text(required=True, validate=ma.validate.Length(min=1, max=1000), metadata={
        "description": "a goal as a reached state, an activity as an instruction (advice, see "
                       "warnings)"})
    indicators = _texts(metadata={"description": "at least one for every goal"})
    sources = _texts(metadata={"description": "sources of verification"})
    assumptions = _texts(metadata={"description": "critical assumptions"})
    responsible_organisation_id = Line(load_default=None, allow_none=True,
                                       validate=ma.validate.Length(max=100), metadata={
                                           "description": "required for an activity"})


class GoalSystemInSchema(ma.Schema):
    nodes = ma.fields.List(ma.fields.Nested(GoalNodeInSchema), required=True,
                           validate=ma.validate.Length(max=200), metadata={
                               "description": "the whole tree, flat, each node with its "
                                              "parent's key"})


class GoalNodeSchema(ma.Schema):
    key = ma.fields.String(required=True)
    parent = ma.fields.String(required=True, allow_none=True)
    level = ma.fields.String(required=True)
    level_de = ma.fields.String(required=True, metadata={
        "description": ", ".join(LEVEL_LABELS_DE.values())})
    title = ma.fields.String(required=True)
    indicators = ma.fields.List(ma.fields.String(), required=True)
    sources = ma.fields.List(ma.fields.String(), required=True)
    assumptions = ma.fields.List(ma.fields.String(), required=True)
    responsible_organisation_id = ma.fields.String(required=True, allow_none=True)
    children = ma.fields.List(ma.fields.Nested(lambda: GoalNodeSchema()), required=True)


class GoalSystemSchema(ma.Schema):
    group_id = ma.fields.UUID(required=True)
    version = ma.fields.Integer(required=True, metadata={"description": "0: none yet"})
    etag = ma.fields.String(required=True, allow_none=True)
    updated_at = ma.fields.AwareDateTime(required=True, allow_none=True)
    updated_by = ma.fields.String(required=True, allow_none=True, metadata={
        "description": "a user id"})
    tree = ma.fields.Nested(GoalNodeSchema, required=True, allow_none=True, metadata={
        "description": "the principle goal with its children, nested"})
    warnings = ma.fields.List(ma.fields.Nested(WarningSchema), required=True, metadata={
        "description": "advice on phrasing; never a refusal"})
    organisation_names = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(),
                                        required=True, metadata={
                                            "description": "the responsible organisations' "
                                                           "names by id"})


def _with_etag(view: dict[str, Any]) -> Any:
    return (view, 200, {"ETag": view["etag"]}) if view.get("etag") else view


@blp.route("/project-groups/<uuid:group_id>/goal-system")
class GroupGoalSystem(MethodView):
    @blp.response(200, GoalSystemSchema, headers=_ETAG)
    @requires(*GROUP_READERS)
    def get(self, group_id: uuid.UUID):
        """The group's goal system as a nested tree (null while there is none) with its ETag and
        the advice on phrasing."""
        return _with_etag(work.goal_system(request_uow(current_principal()), group_id))

    @blp.arguments(GoalSystemInSchema)
    @blp.response(200, GoalSystemSchema, headers=_ETAG)
    @blp.alt_response(412, description="If-Match names an older version")
    @blp.alt_response(428, description="If-Match is missing")
    @requires(*GROUP_WORKERS)
    def put(self, body, group_id: uuid.UUID):
        """Replace the whole goal system (the coordinating office or a member of the group).
        Rules, each a 422 naming ``nodes.<i>.<field>``: one principle goal at the root; levels
        strictly in order (an activity only under a result goal); every goal at least one
        indicator; every activity a responsible organisation of the tenant.
        ``If-Match`` with the ETag read is required once there is something to replace (428
        without it, 412 for an older version)."""
        nodes = [GoalNode(key=n["key"], parent=n["parent"], level=n["level"], title=n["title"],
                          indicators=tuple(n["indicators"]), sources=tuple(n["sources"]),
                          assumptions=tuple(n["assumptions"]),
                          responsible_organisation_id=n["responsible_organisation_id"])
                 for n in body["nodes"]]
        return _with_etag(work.replace_goal_system(request_uow(current_principal()), group_id,
                                                   nodes, request.headers.get("If-Match")))


# -- service chains ----------------------------------------------------------------------------

class ChainStepInSchema(ma.Schema):
    order = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1, max=1000),
                              metadata={"description": "unique in the chain"})
    organisation_id = Line(required=True, validate=ma.validate.Length(min=1, max=100),
                           metadata={"description": "the actor"})
    activity = Text(required=True, validate=ma.validate.Length(min=1, max=500))
    responsibility = Text(load_default="", validate=ma.validate.Length(max=500), metadata={
        "description": "who answers for it inside the organisation (a role, not a name)"})
    standards = _texts(metadata={"description": "professional standards (fachliche Standards)"})
    handover = Text(load_default=None, allow_none=True, validate=ma.validate.Length(max=500),
                    metadata={"description": "the handover point to the next step: required "
                                             "where the next step is another actor's, refused "
                                             "where it is the same organisation's and on the "
                                             "last step"})


class ServiceChainInSchema(ma.Schema):
    title = Line(required=True, validate=ma.validate.Length(min=1, max=200))
    description = Text(load_default="", validate=ma.validate.Length(max=4000))
    goal_key = Line(load_default=None, allow_none=True, validate=ma.validate.Length(max=50),
                    metadata={"description": "the goal system node it serves (optional)"})
    steps = ma.fields.List(ma.fields.Nested(ChainStepInSchema), required=True,
                           validate=ma.validate.Length(min=2, max=50))


class ChainStepSchema(ma.Schema):
    order = ma.fields.Integer(required=True)
    organisation_id = ma.fields.String(required=True)
    activity = ma.fields.String(required=True)
    responsibility = ma.fields.String(required=True)
    standards = ma.fields.List(ma.fields.String(), required=True)
    handover = ma.fields.String(required=True, allow_none=True)


class HandoverSchema(ma.Schema):
    from_order = ma.fields.Integer(required=True)
    to_order = ma.fields.Integer(required=True)
    from_organisation_id = ma.fields.String(required=True)
    to_organisation_id = ma.fields.String(required=True)
    handover = ma.fields.String(required=True)


class ServiceChainSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    group_id = ma.fields.UUID(required=True)
    title = ma.fields.String(required=True)
    description = ma.fields.String(required=True)
    goal_key = ma.fields.String(required=True, allow_none=True)
    steps = ma.fields.List(ma.fields.Nested(ChainStepSchema), required=True, metadata={
        "description": "in their order"})
    handovers = ma.fields.List(ma.fields.Nested(HandoverSchema), required=True)
    actors = ma.fields.List(ma.fields.String(), required=True, metadata={
        "description": "organisation ids in the order they first act"})
    organisation_names = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(),
                                        required=True)
    version = ma.fields.Integer(required=True)
    etag = ma.fields.String(required=True)
    updated_at = ma.fields.AwareDateTime(required=True)
    updated_by = ma.fields.String(required=True)


def _draft(body: dict[str, Any]) -> work.ChainDraft:
    return work.ChainDraft(
        title=body["title"], description=body["description"], goal_key=body["goal_key"],
        steps=[ChainStep(order=s["order"], organisation_id=s["organisation_id"],
                         activity=s["activity"], responsibility=s["responsibility"],
                         standards=tuple(s["standards"]), handover=s["handover"])
               for s in body["steps"]])



@blp.route("/project-groups/<uuid:group_id>/service-chains")
class GroupServiceChains(MethodView):
    @blp.response(200, ServiceChainSchema(many=True))
    @requires(*GROUP_READERS)
    def get(self, group_id: uuid.UUID):
        """The group's service chains (Dienstleistungsketten)."""
        return work.service_chains(request_uow(current_principal()), group_id)

    @blp.arguments(ServiceChainInSchema)
    @blp.response(201, ServiceChainSchema, headers=_ETAG)
    @requires(*GROUP_WORKERS)
    def post(self, body, group_id: uuid.UUID):
        """Draft a service chain (the coordinating office or a member): ordered activities of
        several actors with handover points, standards and responsibilities.
        Rules, each a 422 naming the field: order numbers unique; at least two actors
        (organisations of the tenant); a handover point wherever the chain passes to another
        actor, none between steps of the same organisation or after the last."""
        view = work.create_service_chain(request_uow(current_principal()), group_id,
                                         _draft(body))
        return view, 201, {"ETag": view["etag"]}


@blp.route("/project-groups/<uuid:group_id>/service-chains/<uuid:chain_id>")
class GroupServiceChain(MethodView):
    @blp.response(200, ServiceChainSchema, headers=_ETAG)
    @requires(*GROUP_READERS)
    def get(self, group_id: uuid.UUID, chain_id: uuid.UUID):
        """One service chain with its handover points."""
        return _with_etag(work.service_chain(request_uow(current_principal()), group_id,
                                             chain_id))

    @blp.arguments(ServiceChainInSchema)
    @blp.response(200, ServiceChainSchema, headers=_ETAG)
    @blp.alt_response(412, description="If-Match names an older version")
    @blp.alt_response(428, description="If-Match is missing")
    @requires(*GROUP_WORKERS)
    def put(self, body, group_id: uuid.UUID, chain_id: uuid.UUID):
        """Replace a service chain whole.
        Rules, each a 422 naming the field: order numbers unique; at least two actors
        (organisations of the tenant); a handover point wherever the chain passes to another
        actor, none between steps of the same organisation or after the last.
        ``If-Match`` with the ETag read is required once there is something to replace (428
        without it, 412 for an older version)."""
        return _with_etag(work.replace_service_chain(
            request_uow(current_principal()), group_id, chain_id, _draft(body),
            request.headers.get("If-Match")))


@blp.route("/project-groups/<uuid:group_id>/service-chains/<uuid:chain_id>.svg",
           methods=["GET"])
@blp.response(200, content_type=chain_svg.SVG_MEDIA_TYPE, description="the chain as SVG",
              schema={"type": "string", "format": "binary"})
@requires(*GROUP_READERS)
def service_chain_svg(group_id: uuid.UUID, chain_id: uuid.UUID):
    """The service chain drawn as SVG: one swimlane per actor, the activities left to right in
    their order with arrows, each handover point written on its arrow; German labels, text kept
    as text."""
    chain, names = work.chain_for_drawing(request_uow(current_principal()), group_id, chain_id)
    response = Response(chain_svg.draw(chain, names), mimetype=chain_svg.SVG_MEDIA_TYPE)
    response.headers["Content-Type"] = chain_svg.SVG_MEDIA_TYPE  # as documented (UTF-8 inside)
    response.headers["Content-Disposition"] = 'inline; filename="dienstleistungskette.svg"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response


# -- the result --------------------------------------------------------------------------------

class ProposalSchema(ma.Schema):
    kind = ma.fields.String(required=True, metadata={"description": "adopt_result"})
    project_group_id = ma.fields.UUID(required=True)
    theme_id = ma.fields.UUID(required=True)
    subject = ma.fields.String(required=True)


class ResultSchema(ma.Schema):
    group_id = ma.fields.UUID(required=True)
    theme_id = ma.fields.UUID(required=True)
    mandate_decision_id = ma.fields.UUID(required=True)
    subject = ma.fields.String(required=True)
    objective = ma.fields.String(required=True)
    expected_result = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    presented = ma.fields.Boolean(required=True)
    presented_on = ma.fields.Date(required=True, allow_none=True)
    presented_by = ma.fields.String(required=True, allow_none=True)
    summary = ma.fields.String(required=True, allow_none=True)
    members = ma.fields.Integer(required=True)
    organisations = ma.fields.Integer(required=True)
    meetings = ma.fields.Integer(required=True)
    goal_system = ma.fields.Nested(GoalSystemSchema, required=True)
    service_chains = ma.fields.List(ma.fields.Nested(ServiceChainSchema), required=True)
    proposal = ma.fields.Nested(ProposalSchema, required=True, metadata={
        "description": "what the decision proposal to adopt the result refers to"})


class PresentResultSchema(ma.Schema):
    summary = Text(required=True, validate=ma.validate.Length(min=1, max=8000), metadata={
        "description": "the group's summary for the steering group. " + _NO_PERSONAL_DATA})


@blp.route("/project-groups/<uuid:group_id>/result")
class GroupResult(MethodView):
    @blp.response(200, ResultSchema)
    @requires(*GROUP_READERS)
    def get(self, group_id: uuid.UUID):
        """The group's result as a decision proposal to adopt it attaches: the mandate's subject
        and objective, the goal system, the service chains, the summary (null until
        presented)."""
        return work.result(request_uow(current_principal()), group_id)


@blp.route("/project-groups/<uuid:group_id>/result/presentation")
class GroupResultPresentation(MethodView):
    @blp.arguments(PresentResultSchema)
    @blp.response(200, ResultSchema)
    @blp.alt_response(409, description="no goal system yet, or presented already")
    @requires(*GROUP_EDITORS)
    def post(self, body, group_id: uuid.UUID):
        """Mark the group's result presented to the steering group, with its summary (the
        coordinating office). The group's work becomes read-only; the answer is what the
        decision proposal of kind ``adopt_result`` attaches."""
        return work.present_result(request_uow(current_principal()), group_id, body["summary"])
