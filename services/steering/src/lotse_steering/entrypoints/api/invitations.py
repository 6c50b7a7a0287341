"""The participation forum's invitation list (*Einladungsliste*, seed 004 L99): the one piece of
personal data in steering (ADR 0098) — the coordinating office only, every entry added, shown,
exported or erased audited, erased at once when the person withdraws consent; never shown to
steering members, never in an event or a log line.
"""

from __future__ import annotations

import uuid

import marshmallow as ma
from flask import Response
from flask.views import MethodView
from lotse_platform.http import Blueprint
from lotse_platform.auth import current_principal, requires
from lotse_platform.http.text import Email, Line, Text
from lotse_platform.service import handle, request_uow

from ...domain.forum_commands import (
    AddInvitee,
    EraseInvitee,
    WithdrawInvitationConsent,
)
from ...domain.invitations import CONSENT_WAYS, Consent
from ...service_layer import forum as forum_service
from ...service_layer.forum_access import INVITATION_KEEPERS

blp = Blueprint("invitations", __name__, url_prefix="/",
                description="The participation forum's invitation list (personal data: the "
                            "coordinating office only, audited, erasable)")


class ConsentSchema(ma.Schema):
    given_on = ma.fields.Date(required=True, metadata={
        "description": "the day the consent was given (not after today)"})
    how = Line(required=True, validate=ma.validate.OneOf(tuple(CONSENT_WAYS)), metadata={
        "description": "how it was given: " + ", ".join(f"{k} ({v})"
                                                        for k, v in CONSENT_WAYS.items())})
    purpose = Text(required=True, validate=ma.validate.Length(min=1, max=1000), metadata={
        "description": "what the person agreed to, e.g. 'Einladungen zu weiteren "
                       "Beteiligungsforen per SMS und E-Mail'"})


class CreateInviteeSchema(ma.Schema):
    name = Line(load_default=None, allow_none=True, validate=ma.validate.Length(max=200),
                metadata={"description": "optional: as the person wants to be addressed"})
    phone = Line(load_default=None, allow_none=True, validate=ma.validate.Length(max=40),
                 metadata={"description": "for SMS; with a country code, or a German number; "
                                          "kept in E.164"})
    email = Email(load_default=None, allow_none=True, validate=ma.validate.Length(max=254))
    consent = ma.fields.Nested(ConsentSchema, required=True)


class ConsentOutSchema(ma.Schema):
    given_on = ma.fields.Date(required=True)
    how = ma.fields.String(required=True)
    how_de = ma.fields.String(required=True)
    purpose = ma.fields.String(required=True)


class InviteeSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    forum_id = ma.fields.UUID(required=True)
    name = ma.fields.String(allow_none=True, required=True)
    phone = ma.fields.String(allow_none=True, required=True)
    email = ma.fields.String(allow_none=True, required=True)
    consent = ma.fields.Nested(ConsentOutSchema, required=True)
    recorded_at = ma.fields.AwareDateTime(required=True)


@blp.route("/forums/<uuid:forum_id>/invitations")
class Invitations(MethodView):
    @blp.arguments(CreateInviteeSchema)
    @blp.response(201, InviteeSchema)
    @requires(*INVITATION_KEEPERS)
    def post(self, body, forum_id: uuid.UUID):
        """Put a person on the forum's invitation list with her consent: a phone number and/or
        an e-mail address (neither: 422 naming ``phone``; each checked), an optional name, the
        consent's day, way and purpose. Personal data: the coordinating office only; audited."""
        consent = body["consent"]
        return handle(AddInvitee(forum_id, body["name"], body["phone"], body["email"],
                                 Consent(consent["given_on"], consent["how"],
                                         consent["purpose"])), current_principal())

    @blp.response(200, InviteeSchema(many=True))
    @requires(*INVITATION_KEEPERS)
    def get(self, forum_id: uuid.UUID):
        """The forum's invitation list (each entry shown leaves an audit entry)."""
        return forum_service.invitees(request_uow(current_principal()), forum_id)


CSV_DESCRIPTION = ("the invitation list for sending invitations: Name;Telefon;E-Mail;"
                   "Einwilligung am;Art der Einwilligung;Zweck der Einwilligung (UTF-8 with BOM, "
                   "';', Excel in Germany)")


@blp.route("/forums/<uuid:forum_id>/invitations.csv", methods=["GET"])
@blp.response(200, schema={"type": "string", "description": CSV_DESCRIPTION},
              content_type="text/csv", description=CSV_DESCRIPTION)
@requires(*INVITATION_KEEPERS)
def invitations_csv(forum_id: uuid.UUID):
    """The invitation list as CSV, for sending SMS and e-mails (each entry exported leaves an
    audit entry). Personal data: the coordinating office only; not to be stored elsewhere."""
    content = forum_service.invitation_csv(request_uow(current_principal()), forum_id)
    response = Response(content, mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="einladungsliste.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


@blp.route("/forums/<uuid:forum_id>/invitations/<uuid:invitee_id>")
class InvitationById(MethodView):
    @blp.response(204)
    @requires(*INVITATION_KEEPERS)
    def delete(self, forum_id: uuid.UUID, invitee_id: uuid.UUID):
        """Erase an entry: the row is deleted; the audit trail keeps its id and ``erasure``,
        nothing of the person."""
        handle(EraseInvitee(forum_id, invitee_id), current_principal())


@blp.route("/forums/<uuid:forum_id>/invitations/<uuid:invitee_id>/consent-withdrawal",
           methods=["POST"])
@blp.response(204)
@requires(*INVITATION_KEEPERS)
def withdraw_consent(forum_id: uuid.UUID, invitee_id: uuid.UUID):
    """The person withdrew her consent (*Widerruf der Einwilligung*): the entry is erased at
    once; the audit trail keeps its id and ``consent_withdrawn``."""
    handle(WithdrawInvitationConsent(forum_id, invitee_id), current_principal())
