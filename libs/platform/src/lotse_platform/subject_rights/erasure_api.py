"""The erasure and retention APIs of the coordinating service (Art. 17, Art. 5(1)(e) GDPR,
ADR 0106), for the tenant's data-protection officer only:

- ``POST /erasure-requests`` (person id, reference: the legal ground or file number of the
  justified request) → 202 with the erasure; every service erases through the bus;
- ``GET /erasure-requests/{id}`` → its state per service (pending, completed with counts);
- ``GET /retention-policy`` → the tenant's period per retention class with its legal basis;
- ``PUT /retention-policy/{record_kind}`` → set one class's period and legal basis;

and for a participating service's machine client (role ``service``):
``GET /erasure-requests/{id}/contacts`` → the phone number and e-mail address the erasure
names, where the officer gave them (ADR 0108).

Every step is audited (purpose ``data_subject_request``); another tenant's erasure is not found.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import marshmallow as ma
from flask.views import MethodView

from ..audit.purposes import Purpose
from ..auth import current_principal, requires
from ..auth.principal import DATA_PROTECTION_OFFICER, SERVICE, Principal
from ..datamap.vocabulary import RETENTION_CLASSES
from ..db.tables import PlatformTables
from ..errors import NotFound
from ..http import Blueprint
from ..http.text import Line
from . import erasure_handlers, retention
from .api import CONTACTS, ContactsSchema, PersonRequestSchema, contacts_in
from .contacts import contacts_of
from .erasure_handlers import ERASURE, PERSON

POLICY = "retention_policy"


@dataclass(frozen=True)
class ErasureCoordination:
    """What the coordinating service's views need (given on first request)."""

    service: str
    tables: PlatformTables
    services: Sequence[str]
    #: whether the tenant holds a person of this intake id (None: not checked)
    person_known: Callable[[Any, uuid.UUID, str], bool] | None = None


class ErasureBodySchema(PersonRequestSchema):
    reference = Line(required=True, validate=ma.validate.Length(min=1, max=200), metadata={
        "description": "legal ground or file number of the justified request, e.g. "
                       "\"Art. 17 Abs. 1 lit. a DSGVO, Az. DS-2026-18\" (no personal data)"})


class ServiceErasureSchema(ma.Schema):
    service = ma.fields.String(required=True)
    state = ma.fields.String(required=True, metadata={"enum": [
        erasure_handlers.PENDING, erasure_handlers.COMPLETE]})
    completed_at = ma.fields.DateTime(allow_none=True)
    deleted = ma.fields.Integer(allow_none=True, metadata={"description": "rows deleted"})
    anonymised = ma.fields.Integer(allow_none=True, metadata={
        "description": "rows kept (counts, references) without their personal content"})
    kept = ma.fields.Integer(allow_none=True, metadata={
        "description": "rows kept as they are: pseudonymous statistics whose figures an "
                       "erasure must not change (reporting, Art. 17(3)(d) GDPR)"})


class ErasureSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    person_id = ma.fields.String(required=True)
    trigger = ma.fields.String(required=True, metadata={
        "enum": [erasure_handlers.REQUEST, erasure_handlers.RETENTION,
                 erasure_handlers.RECIPIENT],
        "description": "request (Art. 17 GDPR), retention (the period of record_kind ended) "
                       "or recipient (a county that transferred the case to this one erased "
                       "her on request: Art. 17(2), 19 GDPR)"})
    record_kind = ma.fields.String(allow_none=True, metadata={
        "description": "the retention class whose period ended (trigger retention)"})
    reference = ma.fields.String(required=True)
    requested_by = ma.fields.String(required=True)
    requested_at = ma.fields.DateTime(required=True)
    state = ma.fields.String(required=True, metadata={"enum": [
        erasure_handlers.PENDING, erasure_handlers.COMPLETE]})
    services = ma.fields.List(ma.fields.Nested(ServiceErasureSchema), required=True)
    contacts = ma.fields.List(ma.fields.String(), required=True, metadata={
        "description": "which contacts the erasure names (phone, email) while they are kept: "
                       "until every service answered; their values are not shown"})


class PeriodSchema(ma.Schema):
    record_kind = ma.fields.String(required=True, metadata={"enum": sorted(RETENTION_CLASSES)})
    label_de = ma.fields.String(required=True)
    label_en = ma.fields.String(required=True)
    months = ma.fields.Integer(allow_none=True, metadata={
        "description": "months after the record's end; null: not erased by a period"})
    legal_basis = ma.fields.String(required=True)
    default = ma.fields.Boolean(required=True, metadata={
        "description": "the platform's default (the tenant set none)"})


class PolicySchema(ma.Schema):
    periods = ma.fields.List(ma.fields.Nested(PeriodSchema), required=True)


class PeriodBodySchema(ma.Schema):
    months = ma.fields.Integer(required=True, allow_none=True,
                               validate=ma.validate.Range(min=1, max=1200))
    legal_basis = Line(required=True, validate=ma.validate.Length(min=1, max=500))


def _period(period: retention.Period) -> dict[str, Any]:
    de, en = RETENTION_CLASSES.get(period.record_kind, ("", ""))
    return {"record_kind": period.record_kind, "label_de": de, "label_en": en,
            "months": period.months, "legal_basis": period.legal_basis,
            "default": period.updated_by is None}


def erasure_blueprint(coordination: Callable[[], ErasureCoordination],
                      uow_for: Callable[[Principal], Any]) -> Blueprint:
    """The coordinating service's erasure and retention blueprint."""
    blp = Blueprint("erasure_requests", __name__, url_prefix="",
                    description="Löschung nach Art. 17 DSGVO und Löschfristen "
                                "(erasure and retention)")

    @blp.route("/erasure-requests")
    class Erasures(MethodView):
        @blp.arguments(ErasureBodySchema)
        @blp.response(202, ErasureSchema)
        @requires(DATA_PROTECTION_OFFICER)
        def post(self, body: dict[str, Any]) -> dict[str, Any]:
            """Erase a person on her justified request: every service that holds data about
            people deletes or anonymises its rows about her and reports back through the bus."""
            principal, c = current_principal(), coordination()
            person_id = str(body["person_id"])
            with uow_for(principal) as uow:
                if c.person_known is not None and not c.person_known(
                        uow.session, principal.tenant, person_id):
                    raise NotFound("no person with this id in the tenant",
                                   errors=[{"field": "person_id", "message": "unknown"}])
                erasure_id = erasure_handlers.start(
                    uow, c.tables, person_id=person_id, trigger=erasure_handlers.REQUEST,
                    record_kind=None, reference=body["reference"],
                    requested_by=principal.subject, services=c.services,
                    coordinator=c.service, contacts=contacts_in(body))
                uow.commit()
            with uow_for(principal) as uow:
                found = erasure_handlers.read(uow.session, c.tables, principal.tenant,
                                              erasure_id)
            assert found is not None
            return found

    @blp.route("/erasure-requests/<uuid:erasure_id>")
    class ErasureState(MethodView):
        @blp.response(200, ErasureSchema)
        @requires(DATA_PROTECTION_OFFICER)
        def get(self, erasure_id: uuid.UUID) -> dict[str, Any]:
            """The erasure and each service's state: pending, or completed with the rows it
            deleted and anonymised."""
            principal, c = current_principal(), coordination()
            with uow_for(principal) as uow:
                found = erasure_handlers.read(uow.session, c.tables, principal.tenant,
                                              erasure_id)
                if found is None:
                    raise NotFound("no such erasure in the tenant")
                uow.audit("read", ERASURE, erasure_id, purpose=Purpose.data_subject_request)
                uow.commit()
            return found

    @blp.route("/erasure-requests/<uuid:erasure_id>/contacts")
    class ErasureContacts(MethodView):
        @blp.response(200, ContactsSchema)
        @requires(SERVICE)
        def get(self, erasure_id: uuid.UUID) -> dict[str, Any]:
            """Internal: the phone number and e-mail address the erasure names (a
            participating service's machine client only, to find the person where she is
            known only by them). Empty once every service answered."""
            principal, c = current_principal(), coordination()
            with uow_for(principal) as uow:
                found = contacts_of(uow.session, c.tables.erasure_request, principal.tenant,
                                    erasure_id)
                if found is None:
                    raise NotFound("no such erasure in the tenant")
                uow.audit("read", CONTACTS, erasure_id, purpose=Purpose.data_subject_request)
                uow.commit()
            return {"phone": found.phone, "email": found.email}

    @blp.route("/retention-policy")
    class Policy(MethodView):
        @blp.response(200, PolicySchema)
        @requires(DATA_PROTECTION_OFFICER)
        def get(self) -> dict[str, Any]:
            """The tenant's retention period per retention class with its legal basis (the
            platform's default where the tenant set none)."""
            principal, c = current_principal(), coordination()
            with uow_for(principal) as uow:
                periods = retention.policy(uow.session, c.tables, principal.tenant)
            return {"periods": [_period(p) for p in periods]}

    @blp.route("/retention-policy/<string:record_kind>")
    class PolicyPeriod(MethodView):
        @blp.arguments(PeriodBodySchema)
        @blp.response(200, PeriodSchema)
        @requires(DATA_PROTECTION_OFFICER)
        def put(self, body: dict[str, Any], record_kind: str) -> dict[str, Any]:
            """Set one retention class's period (months after the record's end; null: not
            erased by a period) and the legal basis written next to it."""
            if record_kind not in RETENTION_CLASSES:
                raise NotFound("no such retention class", errors=[
                    {"field": "record_kind", "message": "one of " +
                     ", ".join(sorted(RETENTION_CLASSES))}])
            principal, c = current_principal(), coordination()
            with uow_for(principal) as uow:
                retention.set_period(uow.session, c.tables, principal.tenant,
                                     record_kind=record_kind, months=body["months"],
                                     legal_basis=body["legal_basis"], by=principal.subject)
                uow.audit("update", POLICY, record_kind, purpose=Purpose.data_subject_request)
                uow.commit()
            with uow_for(principal) as uow:
                [period] = [p for p in retention.policy(uow.session, c.tables, principal.tenant)
                            if p.record_kind == record_kind]
            return _period(period)

    return blp


__all__ = ["ERASURE", "PERSON", "ErasureCoordination", "erasure_blueprint"]
