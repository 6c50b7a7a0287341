"""The subject-access APIs (Art. 15 GDPR, ADR 0103).

On the coordinating service, for the tenant's data-protection officer only:

- ``POST /subject-access-requests`` (person id, reference) → 202 with the request;
- ``GET /subject-access-requests/{id}`` → its state per service (pending, answered, overdue);
- ``GET /subject-access-requests/{id}/archive`` → the zip (``<service>.json`` + ``summary.pdf``),
  once no service is pending (409 before).

On every service that holds data about people, for the coordinator's machine client (role
``service``): ``GET /subject-access-parts/{id}`` → its part, as JSON. On the coordinating
service, for a participating service's machine client (role ``service``):
``GET /subject-access-requests/{id}/contacts`` → the phone number and e-mail address the
request names, where the officer gave them (ADR 0108).

Every step is audited (purpose ``data_subject_request``); another tenant's request is not found.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import marshmallow as ma
import sqlalchemy as sa
from flask import Response
from flask.views import MethodView

from .. import clock
from ..audit.purposes import Purpose
from ..auth import current_principal, requires
from ..auth.principal import DATA_PROTECTION_OFFICER, SERVICE, Principal
from ..db.tables import PlatformTables
from ..errors import Conflict, NotFound, ServiceUnavailable
from ..http import Blueprint
from ..http.text import Email, Line
from ..phone import InvalidPhoneNumber, e164
from . import coordinator
from .contacts import contacts_of
from .coordinator import PartSource, PartUnavailable, RequestState
from .declaration import ContactKeys
from .export import holds
from .handlers import PERSON, REQUEST
from .parts import read_part

ZIP = "application/zip"


@dataclass(frozen=True)
class Coordination:
    """What the coordinating service's views need (given on first request)."""

    service: str
    tables: PlatformTables
    services: Sequence[str]
    answer_hours: int
    parts: PartSource
    #: whether the tenant holds a person of this intake id (None: not checked)
    person_known: Callable[[Any, uuid.UUID, str], bool] | None = None


class PhoneNumber(Line):
    """A phone number, kept in E.164 (checked as steering checks its invitation list's)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return e164(text)
        except InvalidPhoneNumber as error:
            raise ma.ValidationError(str(error)) from None


class PersonRequestSchema(ma.Schema):
    """A data subject's request names the person by her intake id (subject access, erasure),
    and may name her phone number and e-mail address for the services that know people only
    by them (ADR 0108)."""

    person_id = ma.fields.UUID(required=True, metadata={
        "description": "the person's intake id (Kennung der Erstberatung)"})
    phone = PhoneNumber(load_default=None, validate=ma.validate.Length(min=1, max=40),
                        metadata={
        "description": "optional: the person's phone number (Telefonnummer), to find her "
                       "where she is known only by it (steering's forum invitation list); "
                       "kept in E.164 with the request until every service answered, never "
                       "in an event or the audit trail"})
    email = Email(load_default=None, validate=ma.validate.Length(min=3, max=254), metadata={
        "description": "optional: the person's e-mail address (E-Mail-Adresse), likewise"})


def contacts_in(body: dict[str, Any]) -> ContactKeys:
    """The contacts a request's body names (none: empty)."""
    return ContactKeys(phone=body.get("phone"), email=body.get("email"))


class ContactsSchema(ma.Schema):
    phone = ma.fields.String(allow_none=True, metadata={"description": "E.164"})
    email = ma.fields.String(allow_none=True)


#: the audit trail's record type of the contacts a request names (their reads, not them)
CONTACTS = "subject_contacts"


class RequestBodySchema(PersonRequestSchema):
    reference = Line(required=True, validate=ma.validate.Length(min=1, max=200), metadata={
        "description": "legal basis or file number of the person's request, e.g. "
                       "\"Art. 15 DSGVO, Az. 2026-17\""})


class ServiceStateSchema(ma.Schema):
    service = ma.fields.String(required=True)
    state = ma.fields.String(required=True, metadata={"enum": [
        coordinator.PENDING, coordinator.ANSWERED, coordinator.OVERDUE]})
    answered_at = ma.fields.DateTime(allow_none=True)
    late = ma.fields.Boolean(required=True, metadata={
        "description": "answered after the deadline"})
    tables = ma.fields.Integer(allow_none=True)
    rows = ma.fields.Integer(allow_none=True)
    accesses = ma.fields.Integer(allow_none=True)


class RequestSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    person_id = ma.fields.String(required=True)
    reference = ma.fields.String(required=True)
    requested_by = ma.fields.String(required=True)
    requested_at = ma.fields.DateTime(required=True)
    deadline = ma.fields.DateTime(required=True)
    delivered_at = ma.fields.DateTime(allow_none=True)
    state = ma.fields.String(required=True, metadata={
        "enum": ["pending", "complete", "incomplete"],
        "description": "complete: every service answered; incomplete: the deadline passed "
                       "without every answer; pending: services may still answer"})
    services = ma.fields.List(ma.fields.Nested(ServiceStateSchema), required=True)
    contacts = ma.fields.List(ma.fields.String(), required=True, metadata={
        "description": "which contacts the request names (phone, email) while they are kept: "
                       "until every service answered; their values are not shown"})


def _shown(request: RequestState) -> dict[str, Any]:
    return {"id": request.id, "person_id": request.person_id, "reference": request.reference,
            "requested_by": request.requested_by, "requested_at": request.requested_at,
            "deadline": request.deadline, "delivered_at": request.delivered_at,
            "state": request.state, "contacts": list(request.contacts),
            "services": [{"service": s.service, "state": s.state, "answered_at": s.answered_at,
                          "late": s.late, "tables": s.tables, "rows": s.rows,
                          "accesses": s.accesses} for s in request.services]}


def requests_blueprint(coordination: Callable[[], Coordination],
                       uow_for: Callable[[Principal], Any]) -> Blueprint:
    """The coordinating service's blueprint."""
    blp = Blueprint("subject_access_requests", __name__, url_prefix="/subject-access-requests",
                    description="Auskunftsersuchen nach Art. 15 DSGVO (subject-access requests)")

    @blp.route("")
    class Requests(MethodView):
        @blp.arguments(RequestBodySchema)
        @blp.response(202, RequestSchema)
        @requires(DATA_PROTECTION_OFFICER)
        def post(self, body: dict[str, Any]) -> dict[str, Any]:
            """Start a subject-access request for a person: every service that holds data
            about people collects its part and answers through the bus by the deadline."""
            principal, c = current_principal(), coordination()
            person_id = str(body["person_id"])
            with uow_for(principal) as uow:
                if c.person_known is not None and not c.person_known(
                        uow.session, principal.tenant, person_id):
                    raise NotFound("no person with this id in the tenant",
                                   errors=[{"field": "person_id", "message": "unknown"}])
                request_id = coordinator.start(
                    uow.session, uow, c.tables, person_id=person_id,
                    reference=body["reference"], requested_by=principal.subject,
                    services=c.services, answer_hours=c.answer_hours, coordinator=c.service,
                    contacts=contacts_in(body))
                uow.audit("create", REQUEST, request_id, purpose=Purpose.data_subject_request)
                uow.audit("subject_access.request", PERSON, person_id,
                          purpose=Purpose.data_subject_request)
                uow.commit()
            with uow_for(principal) as uow:
                request = coordinator.read(uow.session, c.tables, principal.tenant, request_id)
            assert request is not None
            return _shown(request)

    @blp.route("/<uuid:request_id>")
    class Request(MethodView):
        @blp.response(200, RequestSchema)
        @requires(DATA_PROTECTION_OFFICER)
        def get(self, request_id: uuid.UUID) -> dict[str, Any]:
            """The request and each service's state: pending, answered, or overdue (no answer
            by the deadline)."""
            principal, c = current_principal(), coordination()
            with uow_for(principal) as uow:
                request = _found(coordinator.read(uow.session, c.tables, principal.tenant,
                                                  request_id))
                uow.audit("read", REQUEST, request_id, purpose=Purpose.data_subject_request)
                uow.commit()
            return _shown(request)

    @blp.route("/<uuid:request_id>/contacts")
    class Contacts(MethodView):
        @blp.response(200, ContactsSchema)
        @requires(SERVICE)
        def get(self, request_id: uuid.UUID) -> dict[str, Any]:
            """Internal: the phone number and e-mail address the request names (a
            participating service's machine client only, to find the person where she is
            known only by them). Empty once every service answered."""
            principal, c = current_principal(), coordination()
            with uow_for(principal) as uow:
                found = contacts_of(uow.session, c.tables.subject_access_request,
                                    principal.tenant, request_id)
                if found is None:
                    raise NotFound("no such subject-access request in the tenant")
                uow.audit("read", CONTACTS, request_id, purpose=Purpose.data_subject_request)
                uow.commit()
            return {"phone": found.phone, "email": found.email}

    @blp.route("/<uuid:request_id>/archive")
    class Archive(MethodView):
        @blp.response(200, schema={"type": "string", "format": "binary"}, content_type=ZIP,
                      description="<service>.json per service that answered and summary.pdf")
        @requires(DATA_PROTECTION_OFFICER)
        def get(self, request_id: uuid.UUID) -> Response:
            """The archive for the person, once no service is pending (409 before): the JSON
            part of every service that answered and the German summary (PDF). Its delivery
            is audited."""
            principal, c = current_principal(), coordination()
            with uow_for(principal) as uow:
                request = _found(coordinator.read(uow.session, c.tables, principal.tenant,
                                                  request_id))
            if request.state == coordinator.PENDING:
                raise Conflict("services are still answering; the archive is ready when every "
                               "service answered or the deadline passed")
            try:
                content = coordinator.archive(request, c.parts, principal.tenant,
                                              issued_at=clock.now())
            except PartUnavailable as error:
                raise ServiceUnavailable("a service's part cannot be fetched now; try again",
                                         reason=type(error).__name__) from None
            with uow_for(principal) as uow:
                coordinator.mark_delivered(uow, c.tables, request)
                uow.audit("subject_access.deliver", REQUEST, request_id,
                          purpose=Purpose.data_subject_request)
                uow.audit("subject_access.deliver", PERSON, request.person_id,
                          purpose=Purpose.data_subject_request)
                uow.commit()
            response = Response(content, mimetype=ZIP)
            response.headers["Content-Disposition"] = (
                f'attachment; filename="auskunft-{request_id}.zip"')
            response.headers["Cache-Control"] = "no-store"
            return response

    return blp


def parts_blueprint(tables: Callable[[], PlatformTables],
                    uow_for: Callable[[Principal], Any]) -> Blueprint:
    """Every participating service's internal API: its part of a request."""
    blp = Blueprint("subject_access_parts", __name__, url_prefix="/subject-access-parts",
                    description="Internal: this service's part of a subject-access request "
                                "(for the coordinating service)")

    @blp.route("/<uuid:request_id>")
    class Part(MethodView):
        @blp.response(200, schema={"type": "object"}, content_type="application/json",
                      description="the part: the person's rows and the accesses to them")
        @requires(SERVICE)
        def get(self, request_id: uuid.UUID) -> Response:
            """This service's part of the request (the coordinator's machine client only)."""
            principal = current_principal()
            with uow_for(principal) as uow:
                content = read_part(uow.session, tables(), principal.tenant, request_id)
                if content is None:
                    raise NotFound("this service keeps no part of this request")
                uow.audit("read", "subject_access_part", request_id,
                          purpose=Purpose.data_subject_request)
                uow.commit()
            response = Response(content, mimetype="application/json")
            response.headers["Cache-Control"] = "no-store"
            return response

    return blp


def person_known(root: tuple[str, str], metadata: sa.MetaData) -> Callable[[Any, uuid.UUID, str],
                                                                           bool]:
    """Whether the tenant holds a person whose intake id is ``person_id`` in ``root``'s table."""
    table, column = metadata.tables[root[0]], root[1]

    def known(session: Any, tenant_id: uuid.UUID, person_id: str) -> bool:
        query = sa.select(sa.literal(1)).where(holds(table.c[column], [person_id]))
        if "tenant_id" in table.c:
            query = query.where(table.c.tenant_id == tenant_id)
        return session.execute(query).first() is not None

    return known


def _found(request: RequestState | None) -> RequestState:
    if request is None:
        raise NotFound("no such subject-access request in the tenant")
    return request
