"""A tiny service built with ``create_service_app``, for the HTTP tests and for gunicorn.

    gunicorn -c python:lotse_platform.http.gunicorn_conf 'lotse_http_test_app:create_app()'

Also captures the JSON log lines for the tests.
"""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import amqp.exceptions
import kombu.exceptions
import marshmallow as ma
import sqlalchemy.exc
from flask import request
from flask.views import MethodView
from lotse_platform.http import Blueprint
from lotse_platform import errors
from lotse_platform.http import accepts, create_service_app
from lotse_platform.http.text import Line, Text
from lotse_platform.logging import configure_logging
from lotse_platform.settings import ServiceSettings

PERSON_NAME = "Ayşe Yılmaz"
MAX_BODY_BYTES = 4096

log = logging.getLogger("lotse.testapp")


class PersonSchema(ma.Schema):
    name = Line(required=True)
    birth_year = ma.fields.Integer()


class CreateNoteSchema(ma.Schema):
    person = ma.fields.Nested(PersonSchema, required=True)
    text = Text(required=True, validate=ma.validate.Length(max=2000))
    tags = ma.fields.List(Line(), load_default=list)


class NoteSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    text = ma.fields.String(required=True)


class NoteQuerySchema(ma.Schema):
    search = Line()


def _raise(kind: str):
    if kind == "database":
        # SQLAlchemy quotes the statement and its parameters in the message
        raise sqlalchemy.exc.OperationalError(
            "SELECT * FROM person WHERE name = %(name)s", {"name": PERSON_NAME},
            Exception("connection refused"),
        )
    if kind == "interface":
        raise sqlalchemy.exc.InterfaceError("SELECT 1", {}, Exception("connection closed"))
    if kind == "broker":
        raise kombu.exceptions.OperationalError("[Errno 111] Connection refused")
    if kind == "amqp":
        raise amqp.exceptions.RecoverableConnectionError("connection already closed")
    if kind == "crash":
        raise RuntimeError(f"could not file the note of {PERSON_NAME}")
    if kind == "domain":
        raise IllegalTransition("planning", "closed")
    problem = {
        "bad-request": errors.BadRequest, "unauthenticated": errors.Unauthenticated,
        "forbidden": errors.Forbidden, "not-found": errors.NotFound, "conflict": errors.Conflict,
        "unprocessable": errors.Unprocessable, "too-many": errors.TooManyRequests,
        "unavailable": errors.ServiceUnavailable,
    }[kind]
    raise problem(f"{kind} happened",
                  errors=[{"field": "area_id", "message": "unknown area"}])


class IllegalTransition(errors.Conflict):
    """A domain error as a service declares one: its status comes from the base class."""

    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"a case in phase {current} cannot go to {target}",
                         extensions={"current": current, "allowed": ["monitoring"]})


def build_app(readiness=None):
    # platform-wide settings are read by their variable names
    settings = ServiceSettings(database_url="sqlite://", LOTSE_MAX_BODY_BYTES=MAX_BODY_BYTES)
    app, api = create_service_app("testapp", settings, readiness=readiness,
                                  title="Lotse test service")
    notes = Blueprint("notes", __name__, url_prefix="/notes", description="Notes on a case")

    @notes.route("")
    class Notes(MethodView):
        @notes.arguments(NoteQuerySchema, location="query")
        @notes.response(200, NoteSchema(many=True))
        def get(self, query):
            log.info("notes.listed", extra={"filtered": bool(query.get("search"))})
            return []

        @notes.arguments(CreateNoteSchema)
        @notes.response(201, NoteSchema)
        def post(self, note):
            log.info("notes.recorded", extra={"length": len(note["text"])})
            return {"id": uuid.uuid4(), "text": note["text"]}

    @notes.route("/<uuid:note_id>")
    class NoteById(MethodView):
        @notes.response(200, NoteSchema)
        def get(self, note_id):
            return {"id": note_id, "text": "seen"}

    @notes.route("/import")
    class NoteImport(MethodView):
        @accepts("text/csv")
        @notes.response(204)
        def post(self):
            log.info("notes.imported", extra={"rows": len(request.get_data().splitlines())})

    @notes.route("/search")
    class SearchForm(MethodView):
        @accepts("application/x-www-form-urlencoded")
        @notes.response(204)
        def post(self):
            log.info("notes.searched", extra={"fields": len(request.form)})

    @notes.route("/faults/<kind>")
    class Faults(MethodView):
        @notes.response(204)
        def get(self, kind):
            _raise(kind)

    api.register_blueprint(notes)
    return app


def create_app():
    """For gunicorn: the process logs JSON to stderr (configured by create_service_app)."""
    return build_app()


# -- log capture for the tests ---------------------------------------------------------------


class LogCapture:
    def __init__(self) -> None:
        self.stream = io.StringIO()

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.text.splitlines() if line.strip()]


@contextmanager
def captured_logs() -> Iterator[LogCapture]:
    """Everything logged meanwhile, as the JSON lines a service would write."""
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    capture = LogCapture()
    configure_logging("testapp", level="INFO", fmt="json", stream=capture.stream)
    try:
        yield capture
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
