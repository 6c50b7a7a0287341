"""Case reconstructions (*Fallrekonstruktion*, DOMAIN.md §8 step 1): the candidates computed from
casework's events, the sessions the coordinating office holds, and the generative themes they
propose.

Steering holds no personal data: a case is its pseudonymous id (the presenting case manager
resolves it in casework), people are user ids, and a session's findings are organisational facts
— actors, process steps, interfaces, synergies, duplicate structures — never names or details of
the people in a case. Nothing here is read from another service's tables.
"""

from __future__ import annotations

import uuid

import marshmallow as ma
from flask.views import MethodView
from lotse_platform.http import Blueprint
from lotse_platform.auth import current_principal, requires
from lotse_platform.errors import NotFound
from lotse_platform.http.text import Line, Text
from lotse_platform.service import handle, request_uow

from ...domain.commands import AttachReportedTopics, HoldReconstruction
from ...domain.evidence import reported_topics
from ...domain.forum import forum_statements
from ...domain.reconstructions import (
    MAX_MINUTES_PER_CASE,
    MIN_CASES,
    ProcessStep,
    ReconstructedCase,
    ThemeProposal,
)
from ...service_layer import queries
from ...service_layer.access import (
    CANDIDATE_ROLES,
    RECONSTRUCTION_READERS,
    RECONSTRUCTION_WRITERS,
    THEME_READERS,
    TOPIC_READERS,
    sees_case_ids,
)

blp = Blueprint("reconstructions", __name__, url_prefix="/",
                description="Case reconstructions: candidates, sessions, proposed themes")

_NO_PERSONAL_DATA = ("Organisational facts only — no names, no details of the people in a case "
                     "(steering holds no personal data; the case is its pseudonymous id).")
_IDS = {"validate": ma.validate.Length(max=50), "load_default": list}


# -- candidates -------------------------------------------------------------------------------

class ReasonSchema(ma.Schema):
    criterion = ma.fields.String(required=True, metadata={
        "description": "with_case_manager | topic_areas | legal_areas | past_linking | "
                       "medium_difficulty | typical"})
    met = ma.fields.Boolean(required=True)
    value = ma.fields.String(required=True, metadata={"description": "the case's value"})
    rule = ma.fields.String(required=True, metadata={"description": "what the rule asks"})
    message = ma.fields.String(required=True)
    message_de = ma.fields.String(required=True)


class CandidateSchema(ma.Schema):
    case_id = ma.fields.String(required=True, metadata={
        "description": "the pseudonymous case id; the case manager resolves it in casework"})
    case_manager_id = ma.fields.String(required=True, metadata={"description": "a user id"})
    area_id = ma.fields.String(required=True)
    topic_areas = ma.fields.List(ma.fields.String(), required=True)
    legal_areas = ma.fields.List(ma.fields.String(), required=True)
    with_case_manager_since = ma.fields.Date(allow_none=True, required=True)
    reasons = ma.fields.List(ma.fields.Nested(ReasonSchema), required=True, metadata={
        "description": "why it qualifies, criterion by criterion"})


@blp.route("/reconstruction-candidates")
class Candidates(MethodView):
    @blp.response(200, CandidateSchema(many=True))
    @requires(*CANDIDATE_ROLES)
    def get(self):
        """Open cases fitting a case reconstruction, computed from casework's events (ADR 0094):
        at least 8 weeks with the current case manager, 2–3 topic areas in parallel, problems
        from at least two legal areas, help planning and linking done, of medium difficulty
        (open goals, contacts and organisations involved each within the county's 25th–75th
        percentile of open cases) and typical for the network (a frequent combination of topic
        areas). Each with its reasons. The coordinating office sees the county's; a case manager
        the candidates among her own cases. Ids and codes only."""
        return queries.reconstruction_candidates(request_uow(current_principal()))


# -- sessions ---------------------------------------------------------------------------------

class ProcessStepSchema(ma.Schema):
    actor = Line(required=True, validate=ma.validate.Length(min=1, max=200), metadata={
        "description": "an organisation or a role (e.g. 'Jobcenter', 'Ausländerbehörde')"})
    step = Text(required=True, validate=ma.validate.Length(min=1, max=2000))


class ReconstructedCaseSchema(ma.Schema):
    case_id = ma.fields.UUID(required=True, metadata={
        "description": "the pseudonymous case id (casework's)"})
    presented_by = Line(required=True, validate=ma.validate.Length(min=1, max=100), metadata={
        "description": "the presenting case manager's user id (a case manager of the tenant, "
                       "422 otherwise)"})
    planned_minutes = ma.fields.Integer(required=True, validate=ma.validate.Range(
        min=1, max=MAX_MINUTES_PER_CASE), metadata={"description": "up to 4 hours per case"})
    actors = ma.fields.List(Line(validate=ma.validate.Length(min=1, max=200)), **_IDS,
                            metadata={"description": "the actors involved (organisations, "
                                                     "roles). " + _NO_PERSONAL_DATA})
    process_steps = ma.fields.List(ma.fields.Nested(ProcessStepSchema), **_IDS, metadata={
        "description": "the actors' process steps, in order. " + _NO_PERSONAL_DATA})
    interfaces = ma.fields.List(Text(validate=ma.validate.Length(min=1, max=2000)), **_IDS,
                                metadata={"description": "interfaces (Schnittstellen) found"})
    synergies = ma.fields.List(Text(validate=ma.validate.Length(min=1, max=2000)), **_IDS,
                               metadata={"description": "synergies found"})
    duplicate_structures = ma.fields.List(
        Text(validate=ma.validate.Length(min=1, max=2000)), **_IDS,
        metadata={"description": "duplicate structures (Doppelstrukturen) found"})


class ThemeProposalSchema(ma.Schema):
    title = Line(required=True, validate=ma.validate.Length(min=1, max=200))
    description = Text(load_default="", validate=ma.validate.Length(max=4000), metadata={
        "description": "the structural problem the cases show. " + _NO_PERSONAL_DATA})
    case_ids = ma.fields.List(ma.fields.UUID(), required=True, validate=ma.validate.Length(min=1, max=50),
                              metadata={"description": "the session's cases that show it"})


class CreateReconstructionSchema(ma.Schema):
    held_on = ma.fields.Date(required=True)
    cases = ma.fields.List(ma.fields.Nested(ReconstructedCaseSchema), required=True,
                           validate=ma.validate.Length(max=20), metadata={
                               "description": f"at least {MIN_CASES} (fewer: 409 naming the "
                                              "count)"})
    themes = ma.fields.List(ma.fields.Nested(ThemeProposalSchema), **_IDS, metadata={
        "description": "the outcome: proposed generative themes with the cases that show them"})


class ReconstructedCaseOutSchema(ma.Schema):
    case_id = ma.fields.String(required=True)
    presented_by = ma.fields.String(required=True)
    planned_minutes = ma.fields.Integer(required=True)
    actors = ma.fields.List(ma.fields.String(), required=True)
    process_steps = ma.fields.List(ma.fields.Nested(ProcessStepSchema), required=True)
    interfaces = ma.fields.List(ma.fields.String(), required=True)
    synergies = ma.fields.List(ma.fields.String(), required=True)
    duplicate_structures = ma.fields.List(ma.fields.String(), required=True)


class ReconstructionSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    held_on = ma.fields.Date(required=True)
    moderator_id = ma.fields.String(required=True, metadata={
        "description": "the coordinating office's user who moderated"})
    cases = ma.fields.List(ma.fields.Nested(ReconstructedCaseOutSchema), required=True)
    planned_minutes = ma.fields.Integer(required=True)
    theme_ids = ma.fields.List(ma.fields.UUID(), required=True)
    recorded_at = ma.fields.AwareDateTime(required=True)


def _case(body: dict) -> ReconstructedCase:
    return ReconstructedCase(
        case_id=str(body["case_id"]), presented_by=body["presented_by"],
        planned_minutes=body["planned_minutes"], actors=tuple(body["actors"]),
        process_steps=tuple(ProcessStep(s["actor"], s["step"]) for s in body["process_steps"]),
        interfaces=tuple(body["interfaces"]), synergies=tuple(body["synergies"]),
        duplicate_structures=tuple(body["duplicate_structures"]))


@blp.route("/reconstructions")
class Reconstructions(MethodView):
    @blp.arguments(CreateReconstructionSchema)
    @blp.response(201, ReconstructionSchema)
    @requires(*RECONSTRUCTION_WRITERS)
    def post(self, body):
        """Record a case reconstruction held by the coordinating office (its moderator: the
        caller): the date, at least four cases (fewer: 409 naming the count), each with its
        presenting case manager and up to 240 planned minutes, what was found per case, and the
        generative themes it proposes with the cases that show them. Publishes
        ``steering.reconstruction.held.v1`` and ``steering.theme.proposed.v1``. Organisational
        facts only — no names, no details of the people in a case (steering holds no personal
        data; the case is its pseudonymous id)."""
        principal = current_principal()
        session_id = handle(HoldReconstruction(
            held_on=body["held_on"], moderator_id=principal.subject,
            cases=tuple(_case(c) for c in body["cases"]),
            themes=tuple(ThemeProposal(t["title"], t["description"], tuple(str(c) for c in t["case_ids"]))
                         for t in body["themes"])), principal)
        with request_uow(principal) as uow:
            return uow.get_reconstruction(session_id)

    @blp.response(200, ReconstructionSchema(many=True))
    @requires(*RECONSTRUCTION_READERS)
    def get(self):
        """The county's reconstruction sessions, newest first (the office and the case
        managers who present)."""
        with request_uow(current_principal()) as uow:
            return uow.list_reconstructions()


@blp.route("/reconstructions/<uuid:reconstruction_id>")
class ReconstructionById(MethodView):
    @blp.response(200, ReconstructionSchema)
    @requires(*RECONSTRUCTION_READERS)
    def get(self, reconstruction_id: uuid.UUID):
        """One session with its cases and findings."""
        with request_uow(current_principal()) as uow:
            session = uow.get_reconstruction(reconstruction_id)
        if session is None:
            raise NotFound("no such reconstruction")
        return session


# -- themes -----------------------------------------------------------------------------------

class ReportedTopicRefSchema(ma.Schema):
    candidate_id = ma.fields.String(required=True)
    period = ma.fields.String(required=True)
    topic_area = ma.fields.String(required=True)


class ForumStatementRefSchema(ma.Schema):
    statement_id = ma.fields.String(required=True)
    session_id = ma.fields.String(required=True)
    topic_area = ma.fields.String(required=True)


class ThemeSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    title = ma.fields.String(required=True)
    description = ma.fields.String(required=True)
    status = ma.fields.String(required=True, metadata={
        "description": "proposed · established · in_project_group · result_adopted · "
                       "implemented · escalated (GET /themes/{id}/lifecycle, ADR 0095)"})
    proposed_on = ma.fields.Date(required=True)
    reconstruction_ids = ma.fields.List(ma.fields.String(), required=True)
    evidence_cases = ma.fields.Integer(required=True, metadata={
        "description": "how many reconstructed cases show it"})
    case_ids = ma.fields.List(ma.fields.String(), required=True, metadata={
        "description": "the cases that show it; empty for steering members, who see themes, "
                       "not cases"})
    reported_topics = ma.fields.List(ma.fields.Nested(ReportedTopicRefSchema), required=True,
                                     metadata={"description": "topics of 2-week reports "
                                                              "attached as evidence"})
    forum_statements = ma.fields.List(ma.fields.Nested(ForumStatementRefSchema), required=True,
                                      metadata={"description": "anonymous statements of the "
                                                               "participation forum attached "
                                                               "as evidence"})


def _theme(theme, show_cases: bool) -> dict:
    return {"id": theme.id, "title": theme.title, "description": theme.description,
            "status": theme.status, "proposed_on": theme.proposed_on,
            "reconstruction_ids": theme.reconstruction_ids,
            "evidence_cases": len(theme.case_ids),
            "case_ids": theme.case_ids if show_cases else [],
            "reported_topics": reported_topics(theme),
            "forum_statements": forum_statements(theme)}


@blp.route("/themes")
class Themes(MethodView):
    @blp.response(200, ThemeSchema(many=True))
    @requires(*THEME_READERS)
    def get(self):
        """Generative themes proposed by case reconstructions, newest first, with their
        evidence (for steering members as counts only) and the 2-week reports' topics attached."""
        principal = current_principal()
        show_cases = sees_case_ids(principal)
        return [_theme(t, show_cases) for t in queries.themes(request_uow(principal))]


class AttachTopicsSchema(ma.Schema):
    candidate_ids = ma.fields.List(Line(validate=ma.validate.Length(min=1, max=100)),
                                   required=True, validate=ma.validate.Length(min=1, max=50),
                                   metadata={"description": "ids of topics flagged in 2-week "
                                                            "reports (GET /reported-topics)"})


@blp.route("/themes/<uuid:theme_id>/reported-topics")
class ThemeTopics(MethodView):
    @blp.arguments(AttachTopicsSchema)
    @blp.response(200, ThemeSchema)
    @requires(*RECONSTRUCTION_WRITERS)
    def post(self, body, theme_id: uuid.UUID):
        """Attach topics flagged in the case managers' 2-week reports to a theme as its
        evidence (the coordinating office). An unknown topic: 422 naming
        ``candidate_ids.<i>``, nothing attached; one attached already counts once."""
        principal = current_principal()
        handle(AttachReportedTopics(theme_id, tuple(body["candidate_ids"])), principal)
        return _theme(queries.theme(request_uow(principal), theme_id), sees_case_ids(principal))


class ReportedTopicSchema(ReportedTopicRefSchema):
    flagged_on = ma.fields.Date(required=True)
    theme_id = ma.fields.String(allow_none=True, required=True, metadata={
        "description": "the theme it is evidence of, null while unattached"})


class ReportedTopicsQuerySchema(ma.Schema):
    unattached = ma.fields.Boolean(load_default=False, metadata={
        "description": "only those not yet evidence of a theme"})


@blp.route("/reported-topics")
class ReportedTopics(MethodView):
    @blp.arguments(ReportedTopicsQuerySchema, location="query")
    @blp.response(200, ReportedTopicSchema(many=True))
    @requires(*TOPIC_READERS)
    def get(self, query):
        """Topics the case managers flagged in their submitted 2-week reports as candidates for
        generative themes, as reporting published them: period, topic area, day — not the text
        (read it at reporting's ``GET /theme-candidates?period=``) and not who reported it."""
        return queries.reported_topics(request_uow(current_principal()),
                                       unattached=query["unattached"])
