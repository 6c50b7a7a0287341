"""Notes on an area and the tallies kept from their events.

A note's text counts as personal data: every read and write of it is audited.

The pattern every service copies: a view takes its body or query through ``@blp.arguments``
(``Create<Noun>Schema``) and declares its answer with ``@blp.response(<status>, <Noun>Schema)``;
it returns the domain's object and the schema dumps it, so ``/openapi.json`` says what each
operation answers (``tests/smoke/test_openapi_contract.py`` fails on one that does not). An
answer without a body is ``@blp.response(204)``. A schema that loads input declares its strings
with the platform's ``Line`` (one line: names, ids) or ``Text`` (several lines: notes), never
marshmallow's ``String``: they refuse the characters no text may hold (ADR 0060;
``tests/smoke/test_text_fields.py`` sends one to every field of every service).
"""

from __future__ import annotations

import uuid

import marshmallow as ma
from flask.views import MethodView
from lotse_platform.http import Blueprint
from lotse_platform.audit import READ
from lotse_platform.auth import COORDINATOR, authorize, current_principal, requires
from lotse_platform.errors import NotFound
from lotse_platform.http.text import Line, Text
from lotse_platform.service import handle, request_uow

from ...domain.commands import RecordNote
from ...domain.model import MAX_NOTE_LENGTH
from ...service_layer.access import NOTE_ROLES

blp = Blueprint("notes", __name__, url_prefix="/", description="Notes on an area (stand-in)")



class CreateNoteSchema(ma.Schema):
    area_id = Line(required=True, validate=ma.validate.Length(min=1, max=100),
                   metadata={"description": "the area (Gebiet) the note is about"})
    text = Text(required=True, validate=ma.validate.Length(min=1, max=MAX_NOTE_LENGTH))


class NoteSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    area_id = ma.fields.String(required=True)
    author_id = ma.fields.String(required=True)
    text = ma.fields.String(required=True)
    recorded_at = ma.fields.AwareDateTime(required=True)


class NoteSummarySchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    area_id = ma.fields.String(required=True)
    recorded_at = ma.fields.AwareDateTime(required=True)


class NoteQuerySchema(ma.Schema):
    area_id = Line(validate=ma.validate.Length(min=1, max=100))
    limit = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=500))


class TallySchema(ma.Schema):
    area_id = ma.fields.String(required=True)
    notes = ma.fields.Integer(required=True)


@blp.route("/notes")
class Notes(MethodView):
    @blp.arguments(CreateNoteSchema)
    @blp.response(201, NoteSchema)
    @requires(*NOTE_ROLES)
    def post(self, body):
        """Record a note on an area (case managers of that area, the coordinating office)."""
        principal = current_principal()
        note_id = handle(RecordNote(body["area_id"], principal.subject, body["text"]), principal)
        with request_uow(principal) as uow:
            return uow.get_note(note_id)

    @blp.arguments(NoteQuerySchema, location="query")
    @blp.response(200, NoteSummarySchema(many=True))
    @requires(*NOTE_ROLES)
    def get(self, query):
        """Notes of the caller's areas, newest first (without their text)."""
        principal = current_principal()
        authorize(principal, NOTE_ROLES, area=query.get("area_id"))
        with request_uow(principal) as uow:
            notes = uow.list_notes(query.get("area_id"), query["limit"])
            if not principal.has_any_role(COORDINATOR):
                notes = [n for n in notes if n.area_id in principal.areas]
            return notes


@blp.route("/notes/<uuid:note_id>")
class NoteById(MethodView):
    @blp.response(200, NoteSchema)
    @requires(*NOTE_ROLES)
    def get(self, note_id: uuid.UUID):
        """One note with its text; the read is audited."""
        principal = current_principal()
        uow = request_uow(principal)
        with uow:
            note = uow.get_note(note_id)
            if note is None:
                raise NotFound("no such note")
            authorize(principal, NOTE_ROLES, area=note.area_id)
            uow.audit(READ, "note", note_id)
            uow.commit()
        return note


@blp.route("/tallies")
class Tallies(MethodView):
    @blp.response(200, TallySchema(many=True))
    @requires(*NOTE_ROLES)
    def get(self):
        """How many notes each of the caller's areas has (kept from the service's own events)."""
        principal = current_principal()
        with request_uow(principal) as uow:
            tallies = uow.tallies()
        if principal.has_any_role(COORDINATOR):
            return tallies
        return [t for t in tallies if t.area_id in principal.areas]
