"""Short queries and information events without a person (001 L134, L205): record them, and
count them for the coordinating office. No name, no note, no free text at all."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from lotse_platform.http import Blueprint

from lotse_platform.auth import current_principal, requires
from lotse_platform.http.text import Line
from lotse_platform.service import handle, request_uow

from ...domain.anonymous import EVENT_MAX_MINUTES, EVENT_MAX_PEOPLE, SHORT_QUERY_MAX_MINUTES
from ...domain.commands import RecordAnonymousContact
from ...domain.vocabulary import AnonymousContactKind, TopicArea
from ...service_layer.access import INTAKE_ROLES
from ...service_layer.anonymous import count_anonymous_contacts
from .schemas import LANGUAGE, an_id, enum, enum_list

blp = Blueprint("anonymous_contacts", __name__, url_prefix="/anonymous-contacts",
                description="Personenunabhängige Arbeit: Kurzanfragen (maximal 20 Minuten) "
                            "und Informationsveranstaltungen, gezählt ohne Namen")


class CreateAnonymousContactSchema(ma.Schema):
    kind = enum(AnonymousContactKind, required=True)
    area_id = an_id("area (town) where it took place", required=True)
    held_on = ma.fields.Date(required=True)
    topic_areas = enum_list(TopicArea, required=True, validate=ma.validate.Length(min=1))
    languages = ma.fields.List(Line(validate=LANGUAGE), load_default=list,
                               validate=ma.validate.Length(max=20),
                               metadata={"description": "languages used (BCP 47 tags)"})
    duration_minutes = ma.fields.Integer(
        required=True, validate=ma.validate.Range(min=1, max=EVENT_MAX_MINUTES),
        metadata={"description": f"a short query at most {SHORT_QUERY_MAX_MINUTES} minutes"})
    people = ma.fields.Integer(load_default=1,
                               validate=ma.validate.Range(min=1, max=EVENT_MAX_PEOPLE),
                               metadata={"description": "number of people reached"})


class AnonymousContactSchema(ma.Schema):
    id = ma.fields.UUID()
    kind = enum(AnonymousContactKind)
    area_id = ma.fields.String()
    held_on = ma.fields.Date()
    topic_areas = enum_list(TopicArea)
    languages = ma.fields.List(ma.fields.String())
    duration_minutes = ma.fields.Integer()
    people = ma.fields.Integer()
    recorded_by = ma.fields.String()


class CountQuerySchema(ma.Schema):
    from_ = ma.fields.Date(required=True, data_key="from")
    until = ma.fields.Date(required=True)
    area_id = an_id("only this area", load_default=None)


class KindCountSchema(ma.Schema):
    kind = enum(AnonymousContactKind)
    records = ma.fields.Integer()
    people = ma.fields.Integer()
    minutes = ma.fields.Integer()
    by_topic_area = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer(),
                                   metadata={"description": "records per topic area"})
    by_language = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer(),
                                 metadata={"description": "records per language"})


@blp.route("")
class AnonymousContacts(MethodView):
    @blp.arguments(CreateAnonymousContactSchema)
    @blp.response(201, AnonymousContactSchema)
    @requires(*INTAKE_ROLES)
    def post(self, body):
        """Record a short query (at most 20 minutes) or an information event, without a name
        (case managers of the area, the office)."""
        principal = current_principal()
        return handle(RecordAnonymousContact(
            kind=body["kind"], area_id=body["area_id"], held_on=body["held_on"],
            topic_areas=tuple(body["topic_areas"]), languages=tuple(body["languages"]),
            duration_minutes=body["duration_minutes"], people=body["people"],
            recorded_by=principal.subject), principal)


@blp.route("/counts")
class AnonymousContactCounts(MethodView):
    @blp.arguments(CountQuerySchema, location="query")
    @blp.response(200, KindCountSchema(many=True))
    @requires(*INTAKE_ROLES)
    def get(self, query):
        """Per kind, held from `from` to `until`: records, people reached, minutes, and records
        per topic area and per language (the office: the whole tenant; a case manager: her
        areas)."""
        principal = current_principal()
        return count_anonymous_contacts(query["from_"], query["until"], query["area_id"],
                                        request_uow(principal))
