"""Users (*Benutzerinnen und Benutzer*) and delegated administration.

A tenant administrator administers every user of the tenant; an organisation's administrator
(``org_admin``: a municipality's, a provider's) only her own organisation's users, and hands out
no tenant-wide role. Names and e-mail addresses are personal data: every read is audited.
Changes go through the message bus (``handle(command, principal)``); whether the caller
administers the user's organisation the handler checks on the loaded user (ADR 0052).
"""

from __future__ import annotations

import uuid

import marshmallow as ma
from flask.views import MethodView
from lotse_platform.http import Blueprint

from lotse_platform.audit import READ
from lotse_platform.auth import (
    TENANT_ADMIN,
    authorize,
    current_principal,
    requires,
)
from lotse_platform.errors import NotFound
from lotse_platform.http import PROBLEM_MEDIA_TYPE, ProblemSchema
from lotse_platform.http.text import Email, Line
from lotse_platform.service import handle, request_uow

from ...domain import commands as c
from ...domain.model import MAX_FTE, MIN_FTE
from ...domain.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from ...service_layer.access import STAFF_WIDE_ROLES, authorize_staff_read
from .common import (
    ADMINS,
    DIRECTORY_READERS,
    EVERYONE,
    RoleField,
    as_uuid,
)

blp = Blueprint("users", __name__, url_prefix="/users",
                description="Users, their roles, areas and FTE; delegated administration")

USERNAME = ma.validate.Regexp(r"^[a-z0-9][a-z0-9._@-]{1,99}$",
                              error="lower-case letters, digits and . _ @ - (2 to 100)")
FTE = ma.fields.Float(
    allow_none=True, validate=ma.validate.Range(min=float(MIN_FTE), max=float(MAX_FTE)),
    metadata={"description": "share of a full-time post (Stellenanteil): 0.5, 0.75, 1.0 …"})
PASSWORD_RULES = (
    f"{MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters, any printable ones and spaces, "
    "no rules of composition; not a common password, not built from the username, names, "
    "organisation, county or 'Lotse', no repetitions, sequences or keyboard patterns "
    "(docs/identity.md)")
VOTING = ma.fields.Boolean(allow_none=True, metadata={
    "description": "steering members (Lenkungsgruppe): voting (true) or advisory (false)"})


class UserSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    username = ma.fields.String(required=True)
    display_name = ma.fields.String(required=True)
    email = ma.fields.String(allow_none=True)
    organisation_id = ma.fields.UUID(required=True)
    roles = ma.fields.List(ma.fields.String(), required=True)
    area_ids = ma.fields.List(ma.fields.String(), required=True)
    fte = ma.fields.Float(allow_none=True)
    voting = ma.fields.Boolean(allow_none=True)
    active = ma.fields.Boolean(required=True)
    version = ma.fields.Integer(required=True)
    has_password = ma.fields.Function(lambda user: user.password_hash is not None)
    password_change_required = ma.fields.Boolean(required=True, metadata={
        "description": "her password is a temporary one set by an administrator: her next "
                       "login must choose a new one"})
    created_at = ma.fields.AwareDateTime(required=True)
    updated_at = ma.fields.AwareDateTime(required=True)


class CreateUserSchema(ma.Schema):
    username = Line(required=True, validate=USERNAME)
    display_name = Line(required=True, validate=ma.validate.Length(min=1, max=200))
    email = Email(load_default=None, allow_none=True)
    organisation_id = ma.fields.UUID(required=True, metadata={
        "description": "the employer (Dienstaufsicht)"})
    roles = ma.fields.List(RoleField(), load_default=list)
    area_ids = ma.fields.List(ma.fields.UUID(), load_default=list)
    fte = FTE
    voting = VOTING
    password = Line(load_default=None, load_only=True, metadata={
        "description": PASSWORD_RULES})
    password_change_required = ma.fields.Boolean(load_default=False, metadata={
        "description": "the password is a temporary one: her first login must choose her "
                       "own (needs a password)"})


class ChangeUserSchema(ma.Schema):
    display_name = Line(validate=ma.validate.Length(min=1, max=200))
    email = Email(allow_none=True)
    fte = FTE
    voting = VOTING


class RolesSchema(ma.Schema):
    roles = ma.fields.List(RoleField(), required=True)


class AreasSchema(ma.Schema):
    area_ids = ma.fields.List(ma.fields.UUID(), required=True)


class MembershipSchema(ma.Schema):
    organisation_id = ma.fields.UUID(required=True)


class PasswordSchema(ma.Schema):
    """Her own new password, with her current one; or an administrator's reset of another
    user's, without it: a temporary password that the user's next login must change."""

    new_password = Line(load_only=True, metadata={
        "description": f"required; {PASSWORD_RULES}"})
    current_password = Line(load_default=None, load_only=True, metadata={
        "description": "required to change one's own password; left out by an administrator "
                       "resetting another user's"})
    password = Line(load_only=True, metadata={
        "deprecated": True, "description": "the former name of new_password"})

    @ma.post_load
    def _former_name(self, data, **kwargs):
        # each field is checked under the name it was sent with, then the former one is renamed
        if "password" in data:
            if "new_password" in data:
                raise ma.ValidationError("send new_password only; password is its former name",
                                         "password")
            data["new_password"] = data.pop("password")
        if "new_password" not in data:
            raise ma.ValidationError("Missing data for required field.", "new_password")
        return data


class UserQuerySchema(ma.Schema):
    organisation_id = ma.fields.UUID()


class ExternalIdentitySchema(ma.Schema):
    id = ma.fields.UUID(dump_only=True)
    issuer = Line(required=True, validate=ma.validate.Length(min=1, max=300))
    subject = Line(required=True, validate=ma.validate.Length(min=1, max=300))
    created_at = ma.fields.AwareDateTime(dump_only=True)


def _read_user(user_id: uuid.UUID, reason: str | None = None):
    principal = current_principal()
    with request_uow(current_principal()) as unit:
        user = unit.get_user(user_id)
        if user is None:
            raise NotFound("no such user")
        if principal.subject != str(user.id):
            authorize_staff_read(principal, DIRECTORY_READERS, user.organisation_id)
        unit.audit(READ, "user", user.id, reason=reason)
        unit.commit()
    return user


@blp.route("")
class Users(MethodView):
    @requires(*DIRECTORY_READERS)
    @blp.arguments(UserQuerySchema, location="query")
    @blp.response(200, UserSchema(many=True))
    def get(self, query):
        """Users of the tenant, or of one organisation (an org_admin: hers only). Audited."""
        principal = current_principal()
        organisation_id = query.get("organisation_id")
        if not principal.roles & STAFF_WIDE_ROLES:
            if organisation_id is None:
                organisation_id = as_uuid(principal.organisation, "organisation")
            authorize(principal, DIRECTORY_READERS, organisation=str(organisation_id))
        with request_uow(current_principal()) as unit:
            users = unit.list_users(organisation_id)
            unit.audit(READ, "user_list", organisation_id)
            unit.commit()
        return users

    @requires(*ADMINS)
    @blp.arguments(CreateUserSchema)
    @blp.response(201, UserSchema)
    def post(self, body):
        """Create a user in an organisation (tenant admin: any; org_admin: her own)."""
        body["area_ids"] = tuple(str(a) for a in body["area_ids"])
        body["roles"] = tuple(body["roles"])
        return handle(c.CreateUser(**body), current_principal())


@blp.route("/me")
class Me(MethodView):
    @requires(*EVERYONE)
    @blp.response(200, UserSchema)
    def get(self):
        """The caller's own account."""
        principal = current_principal()
        if principal.is_client:
            raise NotFound("a machine client has no user account")
        return _read_user(as_uuid(principal.subject, "user"), reason="own account")


@blp.route("/<uuid:user_id>")
class UserById(MethodView):
    @requires(*EVERYONE)
    @blp.response(200, UserSchema)
    def get(self, user_id: uuid.UUID):
        """One user (administrators, the coordinating office and its assistant, auditors;
        everyone herself)."""
        return _read_user(user_id)

    @requires(*ADMINS)
    @blp.arguments(ChangeUserSchema)
    @blp.response(200, UserSchema)
    def patch(self, body, user_id: uuid.UUID):
        """Change name, e-mail, FTE share or voting right."""
        return handle(c.ChangeUserProfile(user_id, body), current_principal())


@blp.route("/<uuid:user_id>/roles")
class UserRoles(MethodView):
    @requires(*ADMINS)
    @blp.arguments(RolesSchema)
    @blp.response(200, UserSchema)
    def put(self, body, user_id: uuid.UUID):
        """Replace the user's roles (an org_admin grants no tenant-wide role)."""
        return handle(c.AssignRoles(user_id, tuple(body["roles"])), current_principal())


@blp.route("/<uuid:user_id>/areas")
class UserAreas(MethodView):
    @requires(*ADMINS)
    @blp.arguments(AreasSchema)
    @blp.response(200, UserSchema)
    def put(self, body, user_id: uuid.UUID):
        """Replace the areas the user serves."""
        area_ids = tuple(str(a) for a in body["area_ids"])
        return handle(c.AssignAreas(user_id, area_ids), current_principal())


@blp.route("/<uuid:user_id>/disable")
class DisableUser(MethodView):
    @requires(*ADMINS)
    @blp.response(200, UserSchema)
    def post(self, user_id: uuid.UUID):
        """Disable (*sperren*): no more logins, refresh tokens void; access tokens expire."""
        return handle(c.DisableUser(user_id), current_principal())


@blp.route("/<uuid:user_id>/enable")
class EnableUser(MethodView):
    @requires(*ADMINS)
    @blp.response(200, UserSchema)
    def post(self, user_id: uuid.UUID):
        return handle(c.EnableUser(user_id), current_principal())


@blp.route("/<uuid:user_id>/organisation")
class UserMembership(MethodView):
    @requires(TENANT_ADMIN)
    @blp.arguments(MembershipSchema)
    @blp.response(200, UserSchema)
    def put(self, body, user_id: uuid.UUID):
        """Move the user to another employer organisation (tenant administrators)."""
        return handle(c.MoveUser(user_id, body["organisation_id"]), current_principal())


@blp.route("/<uuid:user_id>/password")
class UserPassword(MethodView):
    @requires(*EVERYONE)
    @blp.arguments(PasswordSchema)
    @blp.response(204)
    @blp.alt_response(403, schema=ProblemSchema, content_type=PROBLEM_MEDIA_TYPE,
                      description="her current password is wrong (counted like a failed "
                                  "login), or the caller administers no such user")
    @blp.alt_response(429, schema=ProblemSchema, content_type=PROBLEM_MEDIA_TYPE,
                      description="too many wrong passwords: the account is locked for a "
                                  "while (Retry-After, Kontosperre)",
                      headers={"Retry-After": {"description": "seconds until it opens again",
                                               "schema": {"type": "integer"}}})
    def put(self, body, user_id: uuid.UUID):
        """A new password: the user herself with her current one, or her administrator
        without it (a temporary one, changed at the next login). Ends all her sessions."""
        handle(c.SetPassword(user_id, body["new_password"], body["current_password"]),
               current_principal())


@blp.route("/<uuid:user_id>/external-identities")
class ExternalIdentities(MethodView):
    @requires(TENANT_ADMIN)
    @blp.response(200, ExternalIdentitySchema(many=True))
    def get(self, user_id: uuid.UUID):
        """The user's links to the county's own identity provider (Keycloak, ADFS)."""
        with request_uow(current_principal()) as unit:
            if unit.get_user(user_id) is None:
                raise NotFound("no such user")
            links = unit.external_identities_of(user_id)
            unit.audit(READ, "user", user_id, reason="external identities")
            unit.commit()
        return links

    @requires(TENANT_ADMIN)
    @blp.arguments(ExternalIdentitySchema)
    @blp.response(201, ExternalIdentitySchema)
    def post(self, body, user_id: uuid.UUID):
        """Link an (issuer, subject) of an external identity provider to this user."""
        return handle(c.LinkExternalIdentity(user_id, body["issuer"], body["subject"]),
                      current_principal())
