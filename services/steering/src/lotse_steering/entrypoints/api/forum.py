"""The participation forum (*Beteiligungsforum*, DOMAIN.md §8; seed 004 L95–L113): forums, their
sessions and anonymous statements, which the coordinating office attaches to generative themes
as evidence. Steering members read them. The forum's invitation list is in :mod:`.invitations`
(ADR 0098).
"""

from __future__ import annotations

import uuid

import marshmallow as ma
from flask.views import MethodView
from lotse_platform.http import Blueprint
from lotse_platform.auth import current_principal, requires
from lotse_platform.http.text import Line, Text
from lotse_platform.service import handle, request_uow

from ...domain.forum import TOPIC_AREAS
from ...domain.forum_commands import (
    AttachForumStatements,
    RecordForumSession,
    RecordStatement,
    SetUpForum,
)
from ...service_layer import forum as forum_service
from ...service_layer.access import sees_case_ids
from ...service_layer.forum_access import (
    FORUM_READERS,
    FORUM_WRITERS,
)
from .reconstructions import ThemeSchema, _theme

blp = Blueprint("forum", __name__, url_prefix="/",
                description="Participation forum: sessions, anonymous statements, theme "
                            "evidence")

_ANONYMOUS = ("Anonymous: no names, no details by which a person could be recognised "
              "(steering members read it).")


# -- forums -------------------------------------------------------------------------------------

class CreateForumSchema(ma.Schema):
    name = Line(required=True, validate=ma.validate.Length(min=1, max=200), metadata={
        "description": "e.g. 'Beteiligungsforum Nordkreis'"})
    description = Text(load_default="", validate=ma.validate.Length(max=4000))


class ForumSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    name = ma.fields.String(required=True)
    description = ma.fields.String(required=True)
    created_on = ma.fields.Date(required=True)


@blp.route("/forums")
class Forums(MethodView):
    @blp.arguments(CreateForumSchema)
    @blp.response(201, ForumSchema)
    @requires(*FORUM_WRITERS)
    def post(self, body):
        """Set up a participation forum of the county (*Beteiligungsforum*; the coordinating
        office)."""
        return handle(SetUpForum(body["name"], body["description"]), current_principal())

    @blp.response(200, ForumSchema(many=True))
    @requires(*FORUM_READERS)
    def get(self):
        """The county's participation forums (the office and the steering group)."""
        return forum_service.forums(request_uow(current_principal()))


@blp.route("/forums/<uuid:forum_id>")
class ForumById(MethodView):
    @blp.response(200, ForumSchema)
    @requires(*FORUM_READERS)
    def get(self, forum_id: uuid.UUID):
        """One forum."""
        return forum_service.forum(request_uow(current_principal()), forum_id)


# -- sessions and statements ----------------------------------------------------------------------

class CreateForumSessionSchema(ma.Schema):
    held_on = ma.fields.Date(required=True)
    place = Line(required=True, validate=ma.validate.Length(min=1, max=200), metadata={
        "description": "the place as an institution's name, e.g. 'Bürgerhaus Hilden' "
                       "(Veranstaltungsort)"})
    topic = Line(load_default="", validate=ma.validate.Length(max=500))
    participants = ma.fields.Integer(load_default=None, allow_none=True,
                                     validate=ma.validate.Range(min=0, max=10000), metadata={
                                         "description": "how many took part (a count; empty "
                                                        "for a session still to come)"})


class ForumSessionSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    forum_id = ma.fields.UUID(required=True)
    held_on = ma.fields.Date(required=True)
    place = ma.fields.String(required=True)
    topic = ma.fields.String(required=True)
    participants = ma.fields.Integer(allow_none=True, required=True)


@blp.route("/forums/<uuid:forum_id>/sessions")
class ForumSessions(MethodView):
    @blp.arguments(CreateForumSessionSchema)
    @blp.response(201, ForumSessionSchema)
    @requires(*FORUM_WRITERS)
    def post(self, body, forum_id: uuid.UUID):
        """Record a session of the forum (*Termin*): date, place, topic, the number of
        participants (none yet for a session to come: 422 naming ``participants``)."""
        return handle(RecordForumSession(forum_id, body["held_on"], body["place"], body["topic"],
                                         body["participants"]), current_principal())

    @blp.response(200, ForumSessionSchema(many=True))
    @requires(*FORUM_READERS)
    def get(self, forum_id: uuid.UUID):
        """The forum's sessions, newest first."""
        return forum_service.forum_sessions(request_uow(current_principal()), forum_id)


class CreateStatementSchema(ma.Schema):
    text = Text(required=True, validate=ma.validate.Length(min=1, max=4000), metadata={
        "description": "what was said (*Aussage*). " + _ANONYMOUS})
    topic_area = Line(required=True, validate=ma.validate.OneOf(tuple(TOPIC_AREAS)), metadata={
        "description": "the KIM topic area: " + ", ".join(f"{k} ({v})"
                                                          for k, v in TOPIC_AREAS.items())})


class StatementSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    session_id = ma.fields.UUID(required=True)
    forum_id = ma.fields.UUID(required=True)
    text = ma.fields.String(required=True)
    topic_area = ma.fields.String(required=True)
    recorded_on = ma.fields.Date(required=True)
    theme_id = ma.fields.String(allow_none=True, required=True, metadata={
        "description": "the theme it is evidence of, null while unattached"})


@blp.route("/forum-sessions/<uuid:session_id>/statements")
class Statements(MethodView):
    @blp.arguments(CreateStatementSchema)
    @blp.response(201, StatementSchema)
    @requires(*FORUM_WRITERS)
    def post(self, body, session_id: uuid.UUID):
        """Record an anonymous statement of a session held (409 before the session's day):
        the words and a topic area, no author."""
        return handle(RecordStatement(session_id, body["text"], body["topic_area"]),
                      current_principal())

    @blp.response(200, StatementSchema(many=True))
    @requires(*FORUM_READERS)
    def get(self, session_id: uuid.UUID):
        """The session's anonymous statements."""
        return forum_service.statements(request_uow(current_principal()), session_id)


class AttachStatementsSchema(ma.Schema):
    statement_ids = ma.fields.List(ma.fields.UUID(), required=True,
                                   validate=ma.validate.Length(min=1, max=50), metadata={
                                       "description": "ids of forum statements"})


@blp.route("/themes/<uuid:theme_id>/forum-statements")
class ThemeStatements(MethodView):
    @blp.arguments(AttachStatementsSchema)
    @blp.response(200, ThemeSchema)
    @requires(*FORUM_WRITERS)
    def post(self, body, theme_id: uuid.UUID):
        """Attach anonymous forum statements to a theme as its evidence (the coordinating
        office). An unknown statement: 422 naming ``statement_ids.<i>``; one that is evidence of
        another theme: 409; nothing attached either way. One attached already counts once."""
        principal = current_principal()
        theme = handle(AttachForumStatements(theme_id, tuple(body["statement_ids"])), principal)
        return _theme(theme, sees_case_ids(principal))
