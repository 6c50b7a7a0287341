"""Areas (*Gebiete*): cluster regions (*Clusterregionen*), towns, districts (*Stadtbezirke*),
nested through ``parent_id``. Case managers serve areas; tokens carry their area ids."""

from __future__ import annotations

import uuid

import marshmallow as ma
from flask.views import MethodView
from lotse_platform.http import Blueprint

from lotse_platform.auth import TENANT_ADMIN, requires
from lotse_platform.auth import current_principal
from lotse_platform.errors import NotFound
from lotse_platform.http.text import Line
from lotse_platform.service import handle, request_uow

from ...domain import commands as c
from ...domain.model import AreaKind
from .common import EVERYONE

blp = Blueprint("areas", __name__, url_prefix="/areas", description="Areas of the tenant")


class AreaSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    name = ma.fields.String(required=True)
    kind = ma.fields.Enum(AreaKind, by_value=True, required=True)
    parent_id = ma.fields.UUID(allow_none=True)
    active = ma.fields.Boolean(required=True)


class CreateAreaSchema(ma.Schema):
    name = Line(required=True, validate=ma.validate.Length(min=1, max=200))
    kind = ma.fields.Enum(AreaKind, by_value=True, required=True, metadata={
        "description": "county, cluster (Clusterregion), town (Stadt), district (Stadtbezirk)"})
    parent_id = ma.fields.UUID(load_default=None, allow_none=True)


class ChangeAreaSchema(ma.Schema):
    name = Line(validate=ma.validate.Length(min=1, max=200))
    kind = ma.fields.Enum(AreaKind, by_value=True)
    parent_id = ma.fields.UUID(allow_none=True)
    active = ma.fields.Boolean()


@blp.route("")
class Areas(MethodView):
    @requires(*EVERYONE)
    @blp.response(200, AreaSchema(many=True))
    def get(self):
        """All areas of the tenant (a tree through ``parent_id``)."""
        with request_uow(current_principal()) as unit:
            return unit.list_areas()

    @requires(TENANT_ADMIN)
    @blp.arguments(CreateAreaSchema)
    @blp.response(201, AreaSchema)
    def post(self, body):
        return handle(c.CreateArea(**body), current_principal())


@blp.route("/<uuid:area_id>")
class AreaById(MethodView):
    @requires(*EVERYONE)
    @blp.response(200, AreaSchema)
    def get(self, area_id: uuid.UUID):
        with request_uow(current_principal()) as unit:
            area = unit.get_area(area_id)
        if area is None:
            raise NotFound("no such area")
        return area

    @requires(TENANT_ADMIN)
    @blp.arguments(ChangeAreaSchema)
    @blp.response(200, AreaSchema)
    def patch(self, body, area_id: uuid.UUID):
        return handle(c.ChangeArea(area_id, body), current_principal())
