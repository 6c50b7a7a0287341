"""The participation forum (*Beteiligungsforum*) with its sessions, anonymous statements and
invitation list, the information events (*Informationsveranstaltungen*), the links from themes
to county-level case conferences, and the cycle view (*Planungskreislauf*, steps 1–6).

The invitation list is the one piece of personal data in steering (ADR 0098): the coordinating
office only, every entry shown, exported, added or erased audited, erased at once when the
person withdraws consent. Steering members read the forums, sessions, statements, information
events and the cycle — nothing of the invitation list.
"""

from __future__ import annotations

import uuid

import marshmallow as ma
from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint
from lotse_platform.auth import current_principal, requires
from lotse_platform.http.text import Email, Line, Text
from lotse_platform.service import handle, request_uow

from ...domain.conference_links import MAX_LINKS
from ...domain.cycle import STATUS_STEPS, STEPS
from ...domain.forum import TOPIC_AREAS
from ...domain.forum_commands import (
    AddInvitee,
    AttachForumStatements,
    ChangeInformationEvent,
    EraseInvitee,
    LinkConferences,
    PlanInformationEvent,
    RecordForumSession,
    RecordStatement,
    SetUpForum,
    WithdrawInvitationConsent,
)
from ...domain.information_events import STATUSES
from ...domain.invitations import CONSENT_WAYS, Consent
from ...service_layer import forum as forum_service
from ...service_layer.access import sees_case_ids
from ...service_layer.forum_access import (
    CYCLE_READERS,
    FORUM_READERS,
    FORUM_WRITERS,
    INVITATION_KEEPERS,
)
from .reconstructions import ThemeSchema, _theme

blp = Blueprint("forum", __name__, url_prefix="/",
                description="Participation forum, its invitation list, information events, "
                            "conference links and the cycle view")

_ANONYMOUS = ("Anonymous: no names, no details by which a person could be recognised "
              "(steering members read it).")


# -- forums -------------------------------------------------------------------------------------

class CreateForumSchema(ma.Schema):
    name = Line(required=True, validate=ma.validate.Length(min=1, max=200), metadata={
        "description": "e.g. 'Beteiligungsforum Nordkreis'"})
    description = Text(load_default="", validate=ma.validate.Length(max=4000))


class ForumSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    name = ma.fields.String(required=True)
    description = ma.fields.String(required=True)
    created_on = ma.fields.Date(required=True)


@blp.route("/forums")
class Forums(MethodView):
    @blp.arguments(CreateForumSchema)
    @blp.response(201, ForumSchema)
    @requires(*FORUM_WRITERS)
    def post(self, body):
        """Set up a participation forum of the county (*Beteiligungsforum*; the coordinating
        office)."""
        return handle(SetUpForum(body["name"], body["description"]), current_principal())

    @blp.response(200, ForumSchema(many=True))
    @requires(*FORUM_READERS)
    def get(self):
        """The county's participation forums (the office and the steering group)."""
        return forum_service.forums(request_uow(current_principal()))


@blp.route("/forums/<uuid:forum_id>")
class ForumById(MethodView):
    @blp.response(200, ForumSchema)
    @requires(*FORUM_READERS)
    def get(self, forum_id: uuid.UUID):
        """One forum."""
        return forum_service.forum(request_uow(current_principal()), forum_id)


# -- sessions and statements ----------------------------------------------------------------------

class CreateForumSessionSchema(ma.Schema):
    held_on = ma.fields.Date(required=True)
    place = Line(required=True, validate=ma.validate.Length(min=1, max=200), metadata={
        "description": "the place as an institution's name, e.g. 'Bürgerhaus Hilden' "
                       "(Veranstaltungsort)"})
    topic = Line(load_default="", validate=ma.validate.Length(max=500))
    participants = ma.fields.Integer(load_default=None, allow_none=True,
                                     validate=ma.validate.Range(min=0, max=10000), metadata={
                                         "description": "how many took part (a count; empty "
                                                        "for a session still to come)"})


class ForumSessionSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    forum_id = ma.fields.UUID(required=True)
    held_on = ma.fields.Date(required=True)
    place = ma.fields.String(required=True)
    topic = ma.fields.String(required=True)
    participants = ma.fields.Integer(allow_none=True, required=True)


@blp.route("/forums/<uuid:forum_id>/sessions")
class ForumSessions(MethodView):
    @blp.arguments(CreateForumSessionSchema)
    @blp.response(201, ForumSessionSchema)
    @requires(*FORUM_WRITERS)
    def post(self, body, forum_id: uuid.UUID):
        """Record a session of the forum (*Termin*): date, place, topic, the number of
        participants (none yet for a session to come: 422 naming ``participants``)."""
        return handle(RecordForumSession(forum_id, body["held_on"], body["place"], body["topic"],
                                         body["participants"]), current_principal())

    @blp.response(200, ForumSessionSchema(many=True))
    @requires(*FORUM_READERS)
    def get(self, forum_id: uuid.UUID):
        """The forum's sessions, newest first."""
        return forum_service.forum_sessions(request_uow(current_principal()), forum_id)


class CreateStatementSchema(ma.Schema):
    text = Text(required=True, validate=ma.validate.Length(min=1, max=4000), metadata={
        "description": "what was said (*Aussage*). " + _ANONYMOUS})
    topic_area = Line(required=True, validate=ma.validate.OneOf(tuple(TOPIC_AREAS)), metadata={
        "description": "the KIM topic area: " + ", ".join(f"{k} ({v})"
                                                          for k, v in TOPIC_AREAS.items())})


class StatementSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    session_id = ma.fields.UUID(required=True)
    forum_id = ma.fields.UUID(required=True)
    text = ma.fields.String(required=True)
    topic_area = ma.fields.String(required=True)
    recorded_on = ma.fields.Date(required=True)
    theme_id = ma.fields.String(allow_none=True, required=True, metadata={
        "description": "the theme it is evidence of, null while unattached"})


@blp.route("/forum-sessions/<uuid:session_id>/statements")
class Statements(MethodView):
    @blp.arguments(CreateStatementSchema)
    @blp.response(201, StatementSchema)
    @requires(*FORUM_WRITERS)
    def post(self, body, session_id: uuid.UUID):
        """Record an anonymous statement of a session held (409 before the session's day):
        the words and a topic area, no author."""
        return handle(RecordStatement(session_id, body["text"], body["topic_area"]),
                      current_principal())

    @blp.response(200, StatementSchema(many=True))
    @requires(*FORUM_READERS)
    def get(self, session_id: uuid.UUID):
        """The session's anonymous statements."""
        return forum_service.statements(request_uow(current_principal()), session_id)


class AttachStatementsSchema(ma.Schema):
    statement_ids = ma.fields.List(ma.fields.UUID(), required=True,
                                   validate=ma.validate.Length(min=1, max=50), metadata={
                                       "description": "ids of forum statements"})


@blp.route("/themes/<uuid:theme_id>/forum-statements")
class ThemeStatements(MethodView):
    @blp.arguments(AttachStatementsSchema)
    @blp.response(200, ThemeSchema)
    @requires(*FORUM_WRITERS)
    def post(self, body, theme_id: uuid.UUID):
        """Attach anonymous forum statements to a theme as its evidence (the coordinating
        office). An unknown statement: 422 naming ``statement_ids.<i>``; one that is evidence of
        another theme: 409; nothing attached either way. One attached already counts once."""
        principal = current_principal()
        theme = handle(AttachForumStatements(theme_id, tuple(body["statement_ids"])), principal)
        return _theme(theme, sees_case_ids(principal))


# -- the invitation list (personal data, ADR 0098) ----------------------------------------------

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


# -- information events -------------------------------------------------------------------------

class CreateInformationEventSchema(ma.Schema):
    held_on = ma.fields.Date(required=True)
    topic = Line(required=True, validate=ma.validate.Length(min=1, max=500))
    audience = Line(load_default="", validate=ma.validate.Length(max=500), metadata={
        "description": "who it is for (*Zielgruppe der Veranstaltung*), e.g. "
                       "'Beratungsakteure'"})
    speaker_organisation = Line(load_default="", validate=ma.validate.Length(max=200), metadata={
        "description": "the organisation giving the professional input (an institution's name)"})
    status = Line(load_default="planned", validate=ma.validate.OneOf(tuple(STATUSES)), metadata={
        "description": "planned (geplant) | held (durchgeführt)"})
    attendance = ma.fields.Integer(load_default=None, allow_none=True,
                                   validate=ma.validate.Range(min=0, max=100000), metadata={
                                       "description": "how many attended (a count), once held"})
    theme_id = ma.fields.UUID(load_default=None, allow_none=True, metadata={
        "description": "the generative theme it serves (a theme of this tenant)"})
    decision_id = ma.fields.UUID(load_default=None, allow_none=True, metadata={
        "description": "the steering group's decision that asked for it"})


class ChangeInformationEventSchema(ma.Schema):
    held_on = ma.fields.Date()
    topic = Line(validate=ma.validate.Length(min=1, max=500))
    audience = Line(validate=ma.validate.Length(max=500))
    speaker_organisation = Line(validate=ma.validate.Length(max=200))
    status = Line(validate=ma.validate.OneOf(tuple(STATUSES)))
    attendance = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(min=0, max=100000))
    theme_id = ma.fields.UUID(allow_none=True)
    decision_id = ma.fields.UUID(allow_none=True)


class InformationEventSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    held_on = ma.fields.Date(required=True)
    topic = ma.fields.String(required=True)
    audience = ma.fields.String(required=True)
    speaker_organisation = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    status_de = ma.fields.String(required=True)
    attendance = ma.fields.Integer(allow_none=True, required=True)
    theme_id = ma.fields.UUID(allow_none=True, required=True)
    decision_id = ma.fields.UUID(allow_none=True, required=True)


@blp.route("/information-events")
class InformationEvents(MethodView):
    @blp.arguments(CreateInformationEventSchema)
    @blp.response(201, InformationEventSchema)
    @requires(*FORUM_WRITERS)
    def post(self, body):
        """Plan (or record) an information event with a professional input: date, topic,
        audience, the organisation giving the input; held with its attendance (a held event
        lies today or before, 422 naming ``held_on``; without attendance 422 naming
        ``attendance``). ``theme_id`` names a theme of this tenant (422 otherwise)."""
        return handle(PlanInformationEvent(**body), current_principal())

    @blp.response(200, InformationEventSchema(many=True))
    @requires(*FORUM_READERS)
    def get(self):
        """The county's information events, newest first."""
        return forum_service.information_events(request_uow(current_principal()))


@blp.route("/information-events/<uuid:event_id>")
class InformationEventById(MethodView):
    @blp.response(200, InformationEventSchema)
    @requires(*FORUM_READERS)
    def get(self, event_id: uuid.UUID):
        """One information event."""
        return forum_service.information_event(request_uow(current_principal()), event_id)

    @blp.arguments(ChangeInformationEventSchema)
    @blp.response(200, InformationEventSchema)
    @requires(*FORUM_WRITERS)
    def patch(self, body, event_id: uuid.UUID):
        """Change an information event, e.g. ``{"status": "held", "attendance": 23}`` after it
        took place; a held event goes back to planned no more (409)."""
        return handle(ChangeInformationEvent(event_id, body), current_principal())


# -- links to county-level case conferences ------------------------------------------------------

class ConferenceLinksSchema(ma.Schema):
    conference_ids = ma.fields.List(ma.fields.UUID(), required=True,
                                    validate=ma.validate.Length(max=MAX_LINKS), metadata={
                                        "description": "ids of county-level case conferences "
                                                       "(casework's); the theme links exactly "
                                                       "these afterwards"})


class ConferenceLinkSchema(ma.Schema):
    conference_id = ma.fields.UUID(required=True)
    linked_on = ma.fields.Date(required=True)


@blp.route("/themes/<uuid:theme_id>/conference-links")
class ThemeConferenceLinks(MethodView):
    @blp.arguments(ConferenceLinksSchema)
    @blp.response(200, ConferenceLinkSchema(many=True))
    @requires(*FORUM_WRITERS)
    def put(self, body, theme_id: uuid.UUID):
        """Set the county-level case conferences (*Fallkonferenzen*) a theme came up in, as ids:
        the conferences stay in casework, nothing of them is copied here."""
        return handle(LinkConferences(theme_id, tuple(body["conference_ids"])),
                      current_principal())

    @blp.response(200, ConferenceLinkSchema(many=True))
    @requires(*FORUM_WRITERS)
    def get(self, theme_id: uuid.UUID):
        """The conferences a theme links to (ids; open them in casework)."""
        return forum_service.conference_links(request_uow(current_principal()), theme_id)


# -- the cycle view -----------------------------------------------------------------------------

class StepSchema(ma.Schema):
    number = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    label_de = ma.fields.String(required=True)


class StepStateSchema(ma.Schema):
    number = ma.fields.Integer(required=True)
    label_de = ma.fields.String(required=True)
    state = ma.fields.String(required=True, metadata={
        "description": "done | current | open | skipped (step 1 without reconstructed cases)"})


class EvidenceCountsSchema(ma.Schema):
    reconstruction = ma.fields.Integer(required=True, metadata={
        "description": "reconstructed cases that show it"})
    reported_topic = ma.fields.Integer(required=True, metadata={
        "description": "topics of 2-week reports"})
    forum_statement = ma.fields.Integer(required=True, metadata={
        "description": "anonymous statements of the participation forum"})


class ThemeInCycleSchema(ma.Schema):
    theme_id = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    status = ma.fields.String(required=True, metadata={
        "description": ", ".join(STATUS_STEPS)})
    step = ma.fields.Integer(allow_none=True, required=True, metadata={
        "description": "1–6 (DOMAIN.md §8); null for a status this view does not know"})
    label_de = ma.fields.String(required=True)
    evidence = ma.fields.Nested(EvidenceCountsSchema, required=True)
    conference_links = ma.fields.Integer(required=True)
    changed_on = ma.fields.Date(allow_none=True, required=True, metadata={
        "description": "the latest day known to have changed it"})
    steps = ma.fields.List(ma.fields.Nested(StepStateSchema), required=True)


class CycleSchema(ma.Schema):
    steps = ma.fields.List(ma.fields.Nested(StepSchema), required=True)
    themes = ma.fields.List(ma.fields.Nested(ThemeInCycleSchema), required=True)
    themes_per_step = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer(),
                                     required=True, metadata={"description": "step number → "
                                                                             "themes there"})


@blp.route("/cycle", methods=["GET"])
@blp.response(200, CycleSchema)
@requires(*CYCLE_READERS)
def planning_cycle():
    """Where every generative theme stands in the planning cycle (steps 1–6 of the Höxter
    planning process: Fallrekonstruktion, Generatives Thema, Beschluss der Lenkungsgruppe,
    Projektarbeitsgruppe, Ergebnis beschlossen, Umgesetzt / an die Landesebene gegeben), derived
    from its status, with its evidence counted per kind. Counts, no case ids."""
    placed = forum_service.planning_cycle(request_uow(current_principal()))
    per_step = {str(s.number): sum(1 for t in placed if t.step == s.number) for s in STEPS}
    return {"steps": STEPS, "themes": placed, "themes_per_step": per_step}
