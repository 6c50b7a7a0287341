"""Information events with a professional input (*Informationsveranstaltungen mit fachlichem
Input*, seed 004 L123) that the steering group decided on: planned, then held with the attendance
as a count.
"""

from __future__ import annotations

import uuid

import marshmallow as ma
from flask.views import MethodView
from lotse_platform.http import Blueprint
from lotse_platform.auth import current_principal, requires
from lotse_platform.http.text import Line
from lotse_platform.service import handle, request_uow

from ...domain.forum_commands import (
    ChangeInformationEvent,
    PlanInformationEvent,
)
from ...domain.information_events import STATUSES
from ...service_layer import forum as forum_service
from ...service_layer.forum_access import (
    FORUM_READERS,
    FORUM_WRITERS,
)

blp = Blueprint("information_events", __name__, url_prefix="/",
                description="Information events with a professional input")


class CreateInformationEventSchema(ma.Schema):
    held_on = ma.fields.Date(required=True)
    topic = Line(required=True, validate=ma.validate.Length(min=1, max=500))
    audience = Line(load_default="", validate=ma.validate.Length(max=500), metadata={
        "description": "who it is for (*Zielgruppe der Veranstaltung*), e.g. "
                       "'Beratungsakteure'"})
    speaker_organisation = Line(load_default="", validate=ma.validate.Length(max=200), metadata={
        "description": "the organisation giving the professional input (an institution's name)"})
    status = Line(load_default="planned", validate=ma.validate.OneOf(tuple(STATUSES)), metadata={
        "description": "planned (geplant) | held (durchgeführt)"})
    attendance = ma.fields.Integer(load_default=None, allow_none=True,
                                   validate=ma.validate.Range(min=0, max=100000), metadata={
                                       "description": "how many attended (a count), once held"})
    theme_id = ma.fields.UUID(load_default=None, allow_none=True, metadata={
        "description": "the generative theme it serves (a theme of this tenant)"})
    decision_id = ma.fields.UUID(load_default=None, allow_none=True, metadata={
        "description": "the steering group's decision that asked for it"})


class ChangeInformationEventSchema(ma.Schema):
    held_on = ma.fields.Date()
    topic = Line(validate=ma.validate.Length(min=1, max=500))
    audience = Line(validate=ma.validate.Length(max=500))
    speaker_organisation = Line(validate=ma.validate.Length(max=200))
    status = Line(validate=ma.validate.OneOf(tuple(STATUSES)))
    attendance = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(min=0, max=100000))
    theme_id = ma.fields.UUID(allow_none=True)
    decision_id = ma.fields.UUID(allow_none=True)


class InformationEventSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    held_on = ma.fields.Date(required=True)
    topic = ma.fields.String(required=True)
    audience = ma.fields.String(required=True)
    speaker_organisation = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    status_de = ma.fields.String(required=True)
    attendance = ma.fields.Integer(allow_none=True, required=True)
    theme_id = ma.fields.UUID(allow_none=True, required=True)
    decision_id = ma.fields.UUID(allow_none=True, required=True)


@blp.route("/information-events")
class InformationEvents(MethodView):
    @blp.arguments(CreateInformationEventSchema)
    @blp.response(201, InformationEventSchema)
    @requires(*FORUM_WRITERS)
    def post(self, body):
        """Plan (or record) an information event with a professional input: date, topic,
        audience, the organisation giving the input; held with its attendance (a held event
        lies today or before, 422 naming ``held_on``; without attendance 422 naming
        ``attendance``). ``theme_id`` names a theme of this tenant (422 otherwise)."""
        return handle(PlanInformationEvent(**body), current_principal())

    @blp.response(200, InformationEventSchema(many=True))
    @requires(*FORUM_READERS)
    def get(self):
        """The county's information events, newest first."""
        return forum_service.information_events(request_uow(current_principal()))


@blp.route("/information-events/<uuid:event_id>")
class InformationEventById(MethodView):
    @blp.response(200, InformationEventSchema)
    @requires(*FORUM_READERS)
    def get(self, event_id: uuid.UUID):
        """One information event."""
        return forum_service.information_event(request_uow(current_principal()), event_id)

    @blp.arguments(ChangeInformationEventSchema)
    @blp.response(200, InformationEventSchema)
    @requires(*FORUM_WRITERS)
    def patch(self, body, event_id: uuid.UUID):
        """Change an information event, e.g. ``{"status": "held", "attendance": 23}`` after it
        took place; a held event goes back to planned no more (409)."""
        return handle(ChangeInformationEvent(event_id, body), current_principal())
