"""API clients (*Schnittstellen-Zugänge*): machines with their own service account — a
provider's own intake, an integration — and the web console. A client's secret is shown once,
at creation, and stored only as a hash. Registering and revoking go through the message bus;
the handler checks that the caller administers the client's organisation (ADR 0052)."""

from __future__ import annotations

import uuid

import marshmallow as ma
from flask.views import MethodView
from lotse_platform.http import Blueprint

from lotse_platform.auth import TENANT_WIDE_ROLES, current_principal, requires
from lotse_platform.errors import NotFound
from lotse_platform.http.text import Line, Url
from lotse_platform.service import handle, request_uow

from ...domain import commands as c
from ...domain.model import GRANT_TYPES, ClientKind
from ...service_layer.access import authorize_administration
from .common import ADMINS, RoleField, as_uuid

blp = Blueprint("clients", __name__, url_prefix="/clients", description="API clients")


class ClientSchema(ma.Schema):
    id = ma.fields.UUID(required=True, metadata={
        "description": "the client's service account: the sub of its access tokens"})
    client_id = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    kind = ma.fields.Enum(ClientKind, by_value=True, required=True)
    organisation_id = ma.fields.UUID(required=True)
    grant_types = ma.fields.List(ma.fields.String(), required=True)
    roles = ma.fields.List(ma.fields.String(), required=True)
    area_ids = ma.fields.List(ma.fields.String(), required=True)
    redirect_uris = ma.fields.List(ma.fields.String(), required=True)
    active = ma.fields.Boolean(required=True)
    created_at = ma.fields.AwareDateTime(required=True)
    revoked_at = ma.fields.AwareDateTime(allow_none=True)


class CreatedClientSchema(ClientSchema):
    client_secret = ma.fields.String(allow_none=True, metadata={
        "description": "shown only now; store it in the client's secret store"})


class CreateClientSchema(ma.Schema):
    client_id = Line(required=True, validate=ma.validate.Regexp(
        r"^[a-z0-9][a-z0-9._-]{2,99}$", error="lower-case letters, digits and . _ - (3 to 100)"))
    name = Line(required=True, validate=ma.validate.Length(min=1, max=200))
    kind = ma.fields.Enum(ClientKind, by_value=True, load_default=ClientKind.confidential)
    organisation_id = ma.fields.UUID(required=True)
    grant_types = ma.fields.List(
        Line(validate=ma.validate.OneOf(sorted(GRANT_TYPES))),
        load_default=lambda: ["client_credentials"])
    roles = ma.fields.List(RoleField(), load_default=list)
    area_ids = ma.fields.List(ma.fields.UUID(), load_default=list)
    redirect_uris = ma.fields.List(Url(require_tld=False), load_default=list)


class ClientQuerySchema(ma.Schema):
    organisation_id = ma.fields.UUID()


@blp.route("")
class Clients(MethodView):
    @requires(*ADMINS)
    @blp.arguments(ClientQuerySchema, location="query")
    @blp.response(200, ClientSchema(many=True))
    def get(self, query):
        """The tenant's clients (an org_admin: her organisation's)."""
        principal = current_principal()
        organisation_id = query.get("organisation_id")
        if not principal.roles & TENANT_WIDE_ROLES:
            organisation_id = organisation_id or as_uuid(principal.organisation, "organisation")
            authorize_administration(principal, organisation_id)
        with request_uow(current_principal()) as unit:
            return unit.list_clients(organisation_id)

    @requires(*ADMINS)
    @blp.arguments(CreateClientSchema)
    @blp.response(201, CreatedClientSchema)
    def post(self, body):
        """Register a client; the answer holds its secret, once."""
        command = c.CreateClient(
            client_id=body["client_id"], name=body["name"], kind=body["kind"],
            organisation_id=body["organisation_id"], grant_types=tuple(body["grant_types"]),
            roles=tuple(body["roles"]), area_ids=tuple(str(a) for a in body["area_ids"]),
            redirect_uris=tuple(body["redirect_uris"]))
        client, secret = handle(command, current_principal())
        return {**{name: getattr(client, name) for name in ClientSchema().fields},
                "client_secret": secret}


@blp.route("/<uuid:client_uuid>")
class ClientById(MethodView):
    @requires(*ADMINS)
    @blp.response(200, ClientSchema)
    def get(self, client_uuid: uuid.UUID):
        with request_uow(current_principal()) as unit:
            client = unit.get_client(client_uuid)
        if client is None:
            raise NotFound("no such client")
        authorize_administration(current_principal(), client.organisation_id)
        return client


@blp.route("/<uuid:client_uuid>/revoke")
class RevokeClient(MethodView):
    @requires(*ADMINS)
    @blp.response(200, ClientSchema)
    def post(self, client_uuid: uuid.UUID):
        """Revoke a client: no new tokens; its tokens run out within minutes."""
        return handle(c.RevokeClient(client_uuid), current_principal())
