"""Bodies and recurring exchanges (*Gremien*, *Netzwerktreffen*, *Jour fixe*) with their next
dates in the tenant's time zone, and the meetings they held: participants, what each actor
presented, minutes, follow-ups (ADR 0085). Organisational data only."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import time
from typing import Any

import marshmallow as ma
from flask.views import MethodView
from lotse_platform.http import Blueprint
from lotse_platform import clock
from lotse_platform.auth import current_principal, requires
from lotse_platform.errors import NotFound
from lotse_platform.http.text import Line, Text
from lotse_platform.service import handle, request_uow

from ...domain.bodies import BODY_KIND_LABELS, BODY_KINDS, RHYTHM_LABELS, RHYTHMS, Body
from ...domain.commands import (
    CompleteFollowUp,
    ContributionGiven,
    FollowUpGiven,
    RecordMeeting,
    SetUpBody,
)
from ...service_layer.bodies import BODY_READERS, BODY_WRITERS

blp = Blueprint("network-bodies", __name__, url_prefix="/",
                description="Bodies, recurring exchanges and network meetings (Gremien)")

ID = ma.validate.Length(min=1, max=100)
_MANY = {"validate": ma.validate.Length(max=50)}


class CreateBodySchema(ma.Schema):
    name = Line(required=True, validate=ma.validate.Length(min=1, max=200))
    kind = Line(required=True, validate=ma.validate.OneOf(BODY_KINDS), metadata={
        "description": "network_meeting (Netzwerktreffen), jour_fixe, case_manager_exchange, "
                       "exchange_meeting, steering_group, working_group, other"})
    member_org_ids = ma.fields.List(Line(validate=ID), required=True, **_MANY)
    area_id = Line(validate=ID, load_default=None, allow_none=True)
    rhythm = Line(load_default="none", validate=ma.validate.OneOf(RHYTHMS), metadata={
        "description": "none, weekly, monthly (the nth weekday), quarterly (the nth weekday "
                       "of January, April, July, October)"})
    weekday = ma.fields.Integer(load_default=None, allow_none=True,
                                validate=ma.validate.Range(min=0, max=6),
                                metadata={"description": "0 Monday … 6 Sunday"})
    nth = ma.fields.Integer(load_default=None, allow_none=True,
                            validate=ma.validate.OneOf([1, 2, 3, 4, -1]),
                            metadata={"description": "1–4, or -1 for the last"})
    starts_at = Line(load_default=None, allow_none=True,
                     validate=ma.validate.Regexp(r"^([01][0-9]|2[0-3]):[0-5][0-9]$"),
                     metadata={"description": "local time of day in the tenant's time zone, "
                                              "HH:MM"})

    @ma.post_load
    def _time_of_day(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        if data.get("starts_at"):
            data["starts_at"] = time.fromisoformat(data["starts_at"])
        return data


class BodySchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    name = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)
    kind_label = ma.fields.String(required=True)
    member_org_ids = ma.fields.List(ma.fields.String(), required=True)
    area_id = ma.fields.String(allow_none=True)
    rhythm = ma.fields.String(required=True)
    rhythm_label = ma.fields.String(required=True)
    weekday = ma.fields.Integer(allow_none=True)
    nth = ma.fields.Integer(allow_none=True)
    starts_at = ma.fields.Time(allow_none=True, format="%H:%M")
    next_dates = ma.fields.List(ma.fields.AwareDateTime(), required=True, metadata={
        "description": "the next dates, in the tenant's time zone"})


class BodyQuerySchema(ma.Schema):
    area_id = Line(validate=ID)


class ContributionSchema(ma.Schema):
    org_id = Line(required=True, validate=ID)
    target_group = Text(load_default="", validate=ma.validate.Length(max=2000))
    offers = Text(load_default="", validate=ma.validate.Length(max=2000))
    agreements = Text(load_default="", validate=ma.validate.Length(max=2000))


class FollowUpInSchema(ma.Schema):
    what = Text(required=True, validate=ma.validate.Length(min=1, max=1000))
    owner_org_id = Line(required=True, validate=ID)
    due_on = ma.fields.Date(load_default=None, allow_none=True)


class FollowUpSchema(FollowUpInSchema):
    id = ma.fields.UUID(required=True)
    done_on = ma.fields.Date(allow_none=True)


class CreateMeetingSchema(ma.Schema):
    held_on = ma.fields.Date(required=True)
    participant_org_ids = ma.fields.List(Line(validate=ID), required=True, **_MANY)
    contributions = ma.fields.List(ma.fields.Nested(ContributionSchema), load_default=list,
                                   **_MANY, metadata={"description": "each actor's target "
                                                      "group, offers and agreements"})
    minutes = Text(load_default="", validate=ma.validate.Length(max=20000))
    follow_ups = ma.fields.List(ma.fields.Nested(FollowUpInSchema), load_default=list, **_MANY)


class MeetingSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    body_id = ma.fields.UUID(required=True)
    held_on = ma.fields.Date(required=True)
    participant_org_ids = ma.fields.List(ma.fields.String(), required=True)
    contributions = ma.fields.List(ma.fields.Nested(ContributionSchema), required=True)
    minutes = ma.fields.String(required=True)
    follow_ups = ma.fields.List(ma.fields.Nested(FollowUpSchema), required=True)


def _shown(body: Body, tenant: uuid.UUID) -> dict[str, Any]:
    return {**{f.name: getattr(body, f.name) for f in dataclasses.fields(body)},
            "kind_label": BODY_KIND_LABELS[body.kind],
            "rhythm_label": RHYTHM_LABELS[body.rhythm],
            "next_dates": body.schedule().next_dates(clock.now(), clock.time_zones().of(tenant))}


@blp.route("/bodies")
class Bodies(MethodView):
    @blp.arguments(CreateBodySchema)
    @blp.response(201, BodySchema)
    @requires(*BODY_WRITERS)
    def post(self, body):
        """Set up a body or recurring exchange (coordinating office): members, area, rhythm."""
        principal = current_principal()
        body_id = handle(SetUpBody(**body), principal)
        with request_uow(principal) as uow:
            found = uow.get_body(body_id)
            assert found is not None
            return _shown(found, principal.tenant)

    @blp.arguments(BodyQuerySchema, location="query")
    @blp.response(200, BodySchema(many=True))
    @requires(*BODY_READERS)
    def get(self, query):
        """The tenant's bodies with their next dates."""
        principal = current_principal()
        with request_uow(principal) as uow:
            return [_shown(b, principal.tenant) for b in uow.list_bodies(query.get("area_id"))]


@blp.route("/bodies/<uuid:body_id>")
class BodyById(MethodView):
    @blp.response(200, BodySchema)
    @requires(*BODY_READERS)
    def get(self, body_id: uuid.UUID):
        """One body with its next dates."""
        principal = current_principal()
        with request_uow(principal) as uow:
            found = uow.get_body(body_id)
            if found is None:
                raise NotFound("no such body")
            return _shown(found, principal.tenant)


@blp.route("/bodies/<uuid:body_id>/meetings")
class Meetings(MethodView):
    @blp.arguments(CreateMeetingSchema)
    @blp.response(201, MeetingSchema)
    @requires(*BODY_WRITERS)
    def post(self, body, body_id: uuid.UUID):
        """Record a meeting held (coordinating office): date, participants, what each actor
        presented, minutes and follow-ups."""
        principal = current_principal()
        meeting_id = handle(RecordMeeting(
            body_id, body["held_on"], body["participant_org_ids"],
            [ContributionGiven(**c) for c in body["contributions"]], body["minutes"],
            [FollowUpGiven(**f) for f in body["follow_ups"]]), principal)
        with request_uow(principal) as uow:
            return uow.get_meeting(meeting_id)

    @blp.response(200, MeetingSchema(many=True))
    @requires(*BODY_READERS)
    def get(self, body_id: uuid.UUID):
        """The body's meetings, the latest first."""
        principal = current_principal()
        with request_uow(principal) as uow:
            if uow.get_body(body_id) is None:
                raise NotFound("no such body")
            return uow.list_meetings(body_id)


@blp.route("/meetings/<uuid:meeting_id>/follow-ups/<uuid:follow_up_id>/done")
class FollowUpDone(MethodView):
    @blp.response(200, MeetingSchema)
    @requires(*BODY_WRITERS)
    def post(self, meeting_id: uuid.UUID, follow_up_id: uuid.UUID):
        """Mark a follow-up done (today, the tenant's day)."""
        principal = current_principal()
        handle(CompleteFollowUp(meeting_id, follow_up_id), principal)
        with request_uow(principal) as uow:
            return uow.get_meeting(meeting_id)
