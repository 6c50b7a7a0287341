"""A theme's lifecycle (ADR 0095): its steps so far, and the coordinating office's two own
steps — implemented (the rules have changed), or escalated to the state level with a write-up
that prints as a PDF. The other steps come with the steering group's decisions."""

from __future__ import annotations

import uuid

import marshmallow as ma
from flask.views import MethodView
from lotse_platform.http import Blueprint
from lotse_platform.auth import current_principal, requires
from lotse_platform.documents.api import PDF_RESPONSE, pdf_response
from lotse_platform.http.text import Text
from lotse_platform.service import handle, request_uow

from ...domain.steering_commands import EscalateTheme, MarkThemeImplemented
from ...domain.themes import LABELS_DE, STATUSES
from ...service_layer import themes
from ...service_layer.steering_access import STEERING_GROUP_EDITORS, STEERING_GROUP_READERS

blp = Blueprint("theme_lifecycle", __name__, url_prefix="/",
                description="The lifecycle of generative themes: established, in a project "
                            "group, result adopted, implemented or escalated")


class TransitionSchema(ma.Schema):
    from_status = ma.fields.String(required=True)
    to_status = ma.fields.String(required=True)
    changed_on = ma.fields.Date(required=True)
    decision_id = ma.fields.UUID(allow_none=True, required=True, metadata={
        "description": "the steering group's decision that moved it"})
    changed_by = ma.fields.String(allow_none=True, required=True, metadata={
        "description": "the office's user who moved it (no decision)"})


class LifecycleSchema(ma.Schema):
    theme_id = ma.fields.UUID(required=True)
    status = ma.fields.String(required=True, metadata={"description": " · ".join(STATUSES)})
    status_de = ma.fields.String(required=True)
    transitions = ma.fields.List(ma.fields.Nested(TransitionSchema), required=True, metadata={
        "description": "oldest first"})
    escalation_write_up = ma.fields.String(allow_none=True, required=True, metadata={
        "description": "the write-up for the state level, when escalated"})


def _lifecycle(theme_id: uuid.UUID) -> dict:
    found = themes.history(request_uow(current_principal()), theme_id)
    escalation = [t.write_up for t in found.transitions if t.write_up]
    return {"theme_id": found.theme.id, "status": found.theme.status,
            "status_de": LABELS_DE.get(found.theme.status, found.theme.status),
            "transitions": found.transitions,
            "escalation_write_up": escalation[-1] if escalation else None}


@blp.route("/themes/<uuid:theme_id>/lifecycle")
class Lifecycle(MethodView):
    @blp.response(200, LifecycleSchema)
    @requires(*STEERING_GROUP_READERS)
    def get(self, theme_id: uuid.UUID):
        """Where the theme stands: proposed → established → in_project_group →
        result_adopted → implemented, or escalated; each step with its day and its decision."""
        return _lifecycle(theme_id)


@blp.route("/themes/<uuid:theme_id>/implementation", methods=["POST"])
@blp.response(200, LifecycleSchema)
@requires(*STEERING_GROUP_EDITORS)
def implement(theme_id: uuid.UUID):
    """The adopted result is implemented: the operational rules have changed (the coordinating
    office). Only from result_adopted (409 otherwise)."""
    handle(MarkThemeImplemented(theme_id), current_principal())
    return _lifecycle(theme_id)


class EscalationSchema(ma.Schema):
    write_up = Text(required=True, validate=ma.validate.Length(min=1, max=20000), metadata={
        "description": "why there is no county-wide consensus and what the state level is asked "
                       "for; organisational text only"})


@blp.route("/themes/<uuid:theme_id>/escalation", methods=["POST"])
@blp.arguments(EscalationSchema)
@blp.response(200, LifecycleSchema)
@requires(*STEERING_GROUP_EDITORS)
def escalate(body, theme_id: uuid.UUID):
    """Escalate the theme to the state level for want of a county-wide consensus, with the
    write-up (the coordinating office). Not from implemented or escalated (409)."""
    handle(EscalateTheme(theme_id, body["write_up"]), current_principal())
    return _lifecycle(theme_id)


@blp.route("/themes/<uuid:theme_id>/escalation.pdf", methods=["GET"])
@blp.response(200, **{**PDF_RESPONSE, "description": "the write-up for the state level (PDF)"})
@requires(*STEERING_GROUP_READERS)
def escalation_pdf(theme_id: uuid.UUID):
    """The write-up for the state level as a PDF (German): the theme, its evidence as counts,
    its way through the planning process and the office's write-up. 404 until escalated."""
    uow = request_uow(current_principal())
    return pdf_response(themes.escalation_pdf(uow, theme_id, uow.today()),
                        f"landesebene-thema-{theme_id}.pdf")
