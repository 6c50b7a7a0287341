"""Organisations (*Organisationen*): the county administration, municipalities, welfare
providers (*Träger*), authorities (*Ausländerbehörde*, Jobcenter, *Sozial-, Jugend-,
Gesundheitsamt*) and others. Their names are not personal data: every user may read them."""

from __future__ import annotations

import uuid

import marshmallow as ma
from flask.views import MethodView
from lotse_platform.http import Blueprint

from lotse_platform.auth import ORG_ADMIN, TENANT_ADMIN, current_principal, requires
from lotse_platform.errors import NotFound
from lotse_platform.http.text import Line
from lotse_platform.service import handle, request_uow

from ...domain import commands as c
from ...domain.model import OrganisationKind
from .common import EVERYONE

blp = Blueprint("organisations", __name__, url_prefix="/organisations",
                description="Organisations of the tenant")

KIND = ma.fields.Enum(OrganisationKind, by_value=True, metadata={
    "description": "county_administration (Kreisverwaltung), municipality (Stadt/Gemeinde), "
                   "welfare_provider (Träger), immigration_office (Ausländerbehörde), jobcenter, "
                   "social_office (Sozialamt), youth_office (Jugendamt), health_office "
                   "(Gesundheitsamt), employment_agency (Agentur für Arbeit), bamf (Bundesamt "
                   "für Migration und Flüchtlinge), migrant_organisation "
                   "(Migrantenorganisation), school (Schule, Schulamt), language_course_provider "
                   "(Sprachkursträger), other"})


class OrganisationSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    name = ma.fields.String(required=True)
    kind = ma.fields.Enum(OrganisationKind, by_value=True, required=True)
    parent_id = ma.fields.UUID(allow_none=True)
    area_id = ma.fields.UUID(allow_none=True)
    active = ma.fields.Boolean(required=True)
    version = ma.fields.Integer(required=True)
    created_at = ma.fields.AwareDateTime(required=True)
    updated_at = ma.fields.AwareDateTime(required=True)


class CreateOrganisationSchema(ma.Schema):
    name = Line(required=True, validate=ma.validate.Length(min=1, max=200))
    kind = ma.fields.Enum(OrganisationKind, by_value=True, required=True,
                          metadata=KIND.metadata)
    parent_id = ma.fields.UUID(load_default=None, allow_none=True)
    area_id = ma.fields.UUID(load_default=None, allow_none=True,
                             metadata={"description": "a municipality's own area"})


class ChangeOrganisationSchema(ma.Schema):
    name = Line(validate=ma.validate.Length(min=1, max=200))
    kind = ma.fields.Enum(OrganisationKind, by_value=True, metadata=KIND.metadata)
    parent_id = ma.fields.UUID(allow_none=True)
    area_id = ma.fields.UUID(allow_none=True)
    active = ma.fields.Boolean()


@blp.route("")
class Organisations(MethodView):
    @requires(*EVERYONE)
    @blp.response(200, OrganisationSchema(many=True))
    def get(self):
        """All organisations of the tenant."""
        with request_uow(current_principal()) as unit:
            return unit.list_organisations()

    @requires(TENANT_ADMIN)
    @blp.arguments(CreateOrganisationSchema)
    @blp.response(201, OrganisationSchema)
    def post(self, body):
        """Create an organisation (tenant administrators)."""
        return handle(c.CreateOrganisation(**body), current_principal())


@blp.route("/<uuid:organisation_id>")
class OrganisationById(MethodView):
    @requires(*EVERYONE)
    @blp.response(200, OrganisationSchema)
    def get(self, organisation_id: uuid.UUID):
        with request_uow(current_principal()) as unit:
            organisation = unit.get_organisation(organisation_id)
        if organisation is None:
            raise NotFound("no such organisation")
        return organisation

    @requires(TENANT_ADMIN, ORG_ADMIN, organisation=lambda v: str(v["organisation_id"]))
    @blp.arguments(ChangeOrganisationSchema)
    @blp.response(200, OrganisationSchema)
    def patch(self, body, organisation_id: uuid.UUID):
        """Change an organisation: tenant administrators anything, an organisation's
        administrator only its name (the handler checks the fields, ADR 0052)."""
        return handle(c.ChangeOrganisation(organisation_id, body), current_principal())
