"""The tenant (*Kreis* or *kreisfreie Stadt*) the caller belongs to."""

from __future__ import annotations

import uuid

import marshmallow as ma
from flask.views import MethodView
from lotse_platform.http import Blueprint

from lotse_platform.auth import TENANT_ADMIN, current_principal, requires
from lotse_platform.errors import NotFound
from lotse_platform.http.text import Line
from lotse_platform.service import handle, request_uow

from ...domain import commands as c
from ...domain.model import TenantKind
from .common import EVERYONE

blp = Blueprint("tenants", __name__, url_prefix="/tenants",
                description="Tenants: a county or a city with its own deployment")


class TenantSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    key = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    kind = ma.fields.Enum(TenantKind, by_value=True, required=True)
    created_at = ma.fields.AwareDateTime(required=True)


class ChangeTenantSchema(ma.Schema):
    name = Line(required=True, validate=ma.validate.Length(min=1, max=200))


@blp.route("")
class Tenants(MethodView):
    @requires(*EVERYONE)
    @blp.response(200, TenantSchema(many=True))
    def get(self):
        """The caller's own tenant (nobody sees another)."""
        with request_uow(current_principal()) as unit:
            tenant = unit.tenant()
        return [tenant] if tenant else []


@blp.route("/<uuid:tenant_id>")
class TenantById(MethodView):
    @requires(*EVERYONE)
    @blp.response(200, TenantSchema)
    def get(self, tenant_id: uuid.UUID):
        with request_uow(current_principal()) as unit:
            tenant = unit.tenant()
        if tenant is None or tenant.id != tenant_id:
            raise NotFound("no such tenant")
        return tenant

    @requires(TENANT_ADMIN)
    @blp.arguments(ChangeTenantSchema)
    @blp.response(200, TenantSchema)
    def patch(self, body, tenant_id: uuid.UUID):
        """Rename the tenant (tenant administrators)."""
        return handle(c.RenameTenant(tenant_id, body["name"]), current_principal())
