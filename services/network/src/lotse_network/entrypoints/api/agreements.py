"""Cooperation agreements (*Kooperationsvereinbarungen*, ADR 0085): kept by the coordinating
office, read by case managers and provider staff, and by an organisation's administrator for
her organisation's. Organisational data only; every write and every read of one is audited."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date
from typing import Any

import marshmallow as ma
from flask.views import MethodView
from lotse_platform.http import Blueprint
from lotse_platform.audit import READ
from lotse_platform.auth import current_principal, requires
from lotse_platform.errors import NotFound
from lotse_platform.http.text import Line, Text
from lotse_platform.service import handle, request_uow

from ...domain.agreements import AGREEMENT_STATUS_LABELS, AGREEMENT_STATUSES, Agreement
from ...domain.commands import ChangeAgreement, RecordAgreement
from ...domain.vocabulary import TOPIC_AREAS
from ...service_layer.agreements import AGREEMENT_READERS, AGREEMENT_WRITERS, may_read

blp = Blueprint("network-agreements", __name__, url_prefix="/",
                description="Cooperation agreements (Kooperationsvereinbarungen)")

ID = ma.validate.Length(min=1, max=100)
_IDS = {"validate": ma.validate.Length(max=50)}


class ChangeAgreementSchema(ma.Schema):
    title = Line(validate=ma.validate.Length(min=1, max=200))
    other_parties = ma.fields.List(Line(validate=ma.validate.Length(min=1, max=200)), **_IDS,
                                   metadata={"description": "parties without Lotse users, "
                                                            "by name (organisations)"})
    target_group_ids = ma.fields.List(ma.fields.UUID(), **_IDS, metadata={
        "description": "target groups of intake (ids; kept as given, not checked)"})
    cases_taken = Text(validate=ma.validate.Length(max=5000), metadata={
        "description": "who takes which cases (Fallweitergabe)"})
    data_handling = Text(validate=ma.validate.Length(max=5000), metadata={
        "description": "how data is handled (Umgang mit Daten)"})
    valid_from = ma.fields.Date(allow_none=True)
    valid_until = ma.fields.Date(allow_none=True)
    status = Line(validate=ma.validate.OneOf(AGREEMENT_STATUSES), metadata={
        "description": "initiated (initiiert), negotiating (in Abstimmung), signed "
                       "(unterzeichnet), terminated (beendet)"})
    basis = Line(validate=ma.validate.Length(max=300), allow_none=True, metadata={
        "description": "the decision it rests on, e.g. 'Lenkungsgruppe 10.05.2023, TOP 2a'"})
    signed_on = ma.fields.Date(allow_none=True)
    document_ref = Line(validate=ma.validate.Length(max=200), allow_none=True, metadata={
        "description": "where the paper original is filed (Aktenzeichen / DMS reference); "
                       "the scan is a signed copy (/signed-copies)"})


    @ma.post_load
    def _ids_as_text(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        if "target_group_ids" in data:
            data["target_group_ids"] = [str(t) for t in data["target_group_ids"]]
        return data


class CreateAgreementSchema(ChangeAgreementSchema):
    title = Line(required=True, validate=ma.validate.Length(min=1, max=200))
    party_org_ids = ma.fields.List(Line(validate=ID), required=True, **_IDS, metadata={
        "description": "parties: organisations of identity's directory (the county or a "
                       "municipality and its partners)"})
    topic_areas = ma.fields.List(Line(validate=ma.validate.OneOf(TOPIC_AREAS)), **_IDS,
                                 metadata={"description": "empty: every topic"})
    area_ids = ma.fields.List(Line(validate=ID), **_IDS, metadata={
        "description": "municipalities (areas); empty: the whole county"})


class AgreementSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    title = ma.fields.String(required=True)
    party_org_ids = ma.fields.List(ma.fields.String(), required=True)
    other_parties = ma.fields.List(ma.fields.String(), required=True)
    target_group_ids = ma.fields.List(ma.fields.String(), required=True)
    topic_areas = ma.fields.List(ma.fields.String(), required=True)
    area_ids = ma.fields.List(ma.fields.String(), required=True)
    cases_taken = ma.fields.String(required=True)
    data_handling = ma.fields.String(required=True)
    valid_from = ma.fields.Date(allow_none=True)
    valid_until = ma.fields.Date(allow_none=True)
    status = ma.fields.String(required=True)
    status_label = ma.fields.String(required=True, metadata={"description": "German label"})
    basis = ma.fields.String(allow_none=True)
    signed_on = ma.fields.Date(allow_none=True)
    document_ref = ma.fields.String(allow_none=True)
    expired = ma.fields.Boolean(required=True, metadata={
        "description": "its validity ended before the tenant's today (abgelaufen)"})
    updated_at = ma.fields.AwareDateTime(required=True)


class AgreementQuerySchema(ma.Schema):
    partner_org_id = Line(validate=ID, metadata={"description": "a party of the agreement"})
    topic_area = Line(validate=ma.validate.OneOf(TOPIC_AREAS))
    area_id = Line(validate=ID)
    valid_on = ma.fields.Date(metadata={"description": "signed and valid on this day"})


def _shown(agreement: Agreement, today: date) -> dict[str, Any]:
    return {**{f.name: getattr(agreement, f.name) for f in dataclasses.fields(agreement)},
            "status_label": AGREEMENT_STATUS_LABELS[agreement.status],
            "expired": agreement.expired(today)}


def _one(agreement_id: uuid.UUID) -> dict[str, Any]:
    principal = current_principal()
    with request_uow(principal) as uow:
        agreement = uow.get_agreement(agreement_id)
        if agreement is None or not may_read(principal, agreement):
            raise NotFound("no such agreement")
        uow.audit(READ, "agreement", agreement_id)
        uow.commit()
        return _shown(agreement, uow.today())


@blp.route("/agreements")
class Agreements(MethodView):
    @blp.arguments(CreateAgreementSchema)
    @blp.response(201, AgreementSchema)
    @requires(*AGREEMENT_WRITERS)
    def post(self, body):
        """Record a cooperation agreement (coordinating office): its parties, scope, who takes
        which cases, how data is handled, validity and status — also one only decided on
        (``initiated``), like Mettmann's of 2023-05-10."""
        agreement_id = handle(RecordAgreement(**body), current_principal())
        return _one(agreement_id)

    @blp.arguments(AgreementQuerySchema, location="query")
    @blp.response(200, AgreementSchema(many=True))
    @requires(*AGREEMENT_READERS)
    def get(self, query):
        """The agreements the caller may read; with ``partner_org_id``, ``topic_area``,
        ``area_id`` and ``valid_on`` those that cover a referral to that partner on that
        topic in that municipality on that day. Expired ones are flagged."""
        principal = current_principal()
        with request_uow(principal) as uow:
            today = uow.today()
            found = [a for a in uow.list_agreements() if may_read(principal, a) and a.covers(
                partner_org_id=query.get("partner_org_id"), topic_area=query.get("topic_area"),
                area_id=query.get("area_id"), valid_on=query.get("valid_on"))]
            uow.audit(READ, "agreement", None, reason=f"list:{len(found)}")
            uow.commit()
            return [_shown(a, today) for a in found]


@blp.route("/agreements/<uuid:agreement_id>")
class AgreementById(MethodView):
    @blp.response(200, AgreementSchema)
    @requires(*AGREEMENT_READERS)
    def get(self, agreement_id: uuid.UUID):
        """One agreement; the read is audited."""
        return _one(agreement_id)

    @blp.arguments(ChangeAgreementSchema)
    @blp.response(200, AgreementSchema)
    @requires(*AGREEMENT_WRITERS)
    def patch(self, body, agreement_id: uuid.UUID):
        """Change an agreement (coordinating office): status, validity, texts, the signed
        document's reference. Parties and scope make a new agreement."""
        handle(ChangeAgreement(agreement_id, body), current_principal())
        return _one(agreement_id)
