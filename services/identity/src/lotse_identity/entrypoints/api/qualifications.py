"""Trainings (*Schulungen*) and the staff's qualification records (seed 001 L361 "CM-Schulungen
des MKJFGFI"; ADR 0081).

The tenant's catalogue is read by everybody and kept by the tenant administrator and the
coordinating office (``coordinator``, ``coordination_assistant``). The office records who
completed which training; a user reads her own records, an organisation's administrator those
of her organisation's staff. ``GET /qualifications/missing`` lists every active case manager
lacking a mandatory training (001 L384 "Organisation der Schulungen"). Records name a person:
every read is audited; changes go through the message bus (ADR 0052).
"""

from __future__ import annotations

import uuid

import marshmallow as ma
from flask.views import MethodView
from lotse_platform.http import Blueprint

from lotse_platform.audit import READ
from lotse_platform.auth import authorize, current_principal, requires
from lotse_platform.errors import NotFound
from lotse_platform.http.text import Line
from lotse_platform.service import handle, request_uow

from ...domain import commands as c
from ...domain.qualifications import TRAINING_KEY, missing_mandatory
from ...service_layer import access
from .common import EVERYONE, as_uuid

blp = Blueprint("qualifications", __name__, url_prefix="",
                description="Training catalogue and qualification records of the staff "
                            "(Schulungen, Qualifizierungsnachweise)")

LABEL = ma.validate.Length(min=1, max=200)


class TrainingSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    key = ma.fields.String(required=True)
    label_de = ma.fields.String(required=True)
    label_en = ma.fields.String(required=True)
    mandatory = ma.fields.Boolean(required=True)
    active = ma.fields.Boolean(required=True)
    version = ma.fields.Integer(required=True)
    created_at = ma.fields.AwareDateTime(required=True)
    updated_at = ma.fields.AwareDateTime(required=True)


class CreateTrainingSchema(ma.Schema):
    key = Line(required=True, validate=ma.validate.Regexp(
        TRAINING_KEY, error="lower-case letters, digits and - (2 to 60)"),
        metadata={"description": "a stable short name, e.g. cm-mkjfgfi, asylrecht"})
    label_de = Line(required=True, validate=LABEL, metadata={
        "description": "German label, e.g. CM-Schulung des MKJFGFI"})
    label_en = Line(required=True, validate=LABEL, metadata={"description": "English label"})
    mandatory = ma.fields.Boolean(load_default=False, metadata={
        "description": "every active case manager must have completed it"})


class ChangeTrainingSchema(ma.Schema):
    label_de = Line(validate=LABEL)
    label_en = Line(validate=LABEL)
    mandatory = ma.fields.Boolean()
    active = ma.fields.Boolean(metadata={
        "description": "false retires it: its records stay, nobody is asked for it"})


class QualificationSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    user_id = ma.fields.UUID(required=True)
    training_id = ma.fields.UUID(required=True)
    completed_on = ma.fields.Date(required=True)
    reference = ma.fields.String(allow_none=True)
    recorded_by = ma.fields.String(required=True)
    recorded_at = ma.fields.AwareDateTime(required=True)


class RecordQualificationSchema(ma.Schema):
    training_id = ma.fields.UUID(required=True)
    completed_on = ma.fields.Date(required=True, metadata={
        "description": "the day it was completed: today or earlier (the tenant's day)"})
    reference = Line(load_default=None, allow_none=True,
                     validate=ma.validate.Length(max=200), metadata={
                         "description": "certificate number or where it is filed (no upload)"})


class MissingTrainingSchema(ma.Schema):
    training_id = ma.fields.UUID(required=True, attribute="id")
    key = ma.fields.String(required=True)
    label_de = ma.fields.String(required=True)
    label_en = ma.fields.String(required=True)


class MissingSchema(ma.Schema):
    user_id = ma.fields.Function(lambda m: str(m.user.id), required=True)
    display_name = ma.fields.Function(lambda m: m.user.display_name, required=True)
    organisation_id = ma.fields.Function(lambda m: str(m.user.organisation_id), required=True)
    missing = ma.fields.List(ma.fields.Nested(MissingTrainingSchema), required=True,
                             attribute="trainings")


class MissingQuerySchema(ma.Schema):
    organisation_id = ma.fields.UUID(metadata={"description": "only this employer's staff"})


@blp.route("/trainings")
class Trainings(MethodView):
    @requires(*EVERYONE)
    @blp.response(200, TrainingSchema(many=True))
    def get(self):
        """The tenant's training catalogue (Schulungskatalog)."""
        with request_uow(current_principal()) as unit:
            return unit.list_trainings()

    @requires(*access.CATALOGUE_KEEPERS)
    @blp.arguments(CreateTrainingSchema)
    @blp.response(201, TrainingSchema)
    def post(self, body):
        """Add a training (tenant administrators, the coordinating office and its assistant)."""
        return handle(c.CreateTraining(**body), current_principal())


@blp.route("/trainings/<uuid:training_id>")
class TrainingById(MethodView):
    @requires(*EVERYONE)
    @blp.response(200, TrainingSchema)
    def get(self, training_id: uuid.UUID):
        with request_uow(current_principal()) as unit:
            training = unit.get_training(training_id)
        if training is None:
            raise NotFound("no such training")
        return training

    @requires(*access.CATALOGUE_KEEPERS)
    @blp.arguments(ChangeTrainingSchema)
    @blp.response(200, TrainingSchema)
    def patch(self, body, training_id: uuid.UUID):
        """Relabel it, make it mandatory or optional, retire it (``active: false``)."""
        return handle(c.ChangeTraining(training_id, body), current_principal())


@blp.route("/users/<uuid:user_id>/qualifications")
class Qualifications(MethodView):
    @requires(*EVERYONE)
    @blp.response(200, QualificationSchema(many=True))
    def get(self, user_id: uuid.UUID):
        """Her trainings: the user herself, the office, the tenant administrator, the
        administrator of her organisation. Audited."""
        principal = current_principal()
        with request_uow(principal) as unit:
            user = unit.get_user(user_id)
            if user is None:
                raise NotFound("no such user")
            access.authorize_qualification_read(principal, user.id, user.organisation_id)
            records = unit.qualifications_of(user.id)
            unit.audit(READ, "qualification", user.id)
            unit.commit()
        return records

    @requires(*access.OFFICE)
    @blp.arguments(RecordQualificationSchema)
    @blp.response(201, QualificationSchema)
    def post(self, body, user_id: uuid.UUID):
        """Record a completed training (the coordinating office and its assistant)."""
        return handle(c.RecordQualification(user_id, body["training_id"], body["completed_on"],
                                            body["reference"]), current_principal())


@blp.route("/users/<uuid:user_id>/qualifications/<uuid:qualification_id>")
class QualificationById(MethodView):
    @requires(*access.OFFICE)
    @blp.response(204)
    def delete(self, user_id: uuid.UUID, qualification_id: uuid.UUID):
        """Take back a record made in error."""
        handle(c.RemoveQualification(user_id, qualification_id), current_principal())


@blp.route("/qualifications/missing")
class MissingQualifications(MethodView):
    @requires(*access.QUALIFICATION_READERS)
    @blp.arguments(MissingQuerySchema, location="query")
    @blp.response(200, MissingSchema(many=True))
    def get(self, query):
        """Every active case manager lacking a mandatory training, with the ones she lacks
        (001 L361); of one organisation with ``organisation_id`` (an org_admin: hers only).
        Audited."""
        principal = current_principal()
        organisation_id = query.get("organisation_id")
        if not principal.roles & access.STAFF_WIDE_ROLES:
            if organisation_id is None:
                organisation_id = as_uuid(principal.organisation, "organisation")
            authorize(principal, access.QUALIFICATION_READERS,
                      organisation=str(organisation_id))
        with request_uow(principal) as unit:
            missing = missing_mandatory(unit.list_users(organisation_id), unit.list_trainings(),
                                        unit.list_qualifications())
            unit.audit(READ, "qualification_list", organisation_id)
            unit.commit()
        return missing
