"""The daily work on a case: assessment, goals, help plan, steps, contacts."""

from __future__ import annotations

import uuid

from lotse_platform.http import Blueprint

from lotse_platform.audit.api import PurposeArgsSchema, stated_purpose
from lotse_platform.auth import current_principal, requires
from lotse_platform.service import handle, request_uow

from ...domain.commands import (
    CompleteStep,
    DrawUpHelpPlan,
    DropGoal,
    PlanStep,
    ReachGoal,
    RecordAssessment,
    RecordContact,
    ReviseGoal,
    SetGoal,
)
from ...service_layer import planning
from . import case_schemas, schemas
from .common import READERS, WRITERS

blp = Blueprint("casework", __name__, url_prefix="/",
                description="Assessment, goal agreement, help plan, contacts")


@blp.route("/cases/<uuid:case_id>/assessments", methods=["POST"])
@blp.arguments(schemas.CreateAssessmentSchema)
@blp.response(201, schemas.CreatedSchema)
@requires(*WRITERS)
def record_assessment(body, case_id: uuid.UUID):
    """Record the assessment (or a re-assessment: a new version). Both views of each life
    area are kept; where they differ the disagreement must be recorded."""
    assessment_id, version = handle(RecordAssessment(case_id, **body), current_principal())
    return {"id": assessment_id, "version": version}


@blp.route("/cases/<uuid:case_id>/assessments", methods=["GET"])
@blp.arguments(PurposeArgsSchema, location="query")
@blp.response(200, case_schemas.AssessmentSchema(many=True))
@requires(*READERS)
def list_assessments(args, case_id: uuid.UUID):
    """Every version of the assessment, oldest first (audited)."""
    principal = current_principal()
    return planning.assessments(request_uow(principal), principal, case_id,
                                stated_purpose(args))


@blp.route("/cases/<uuid:case_id>/goals", methods=["POST"])
@blp.arguments(schemas.CreateGoalSchema)
@blp.response(201, schemas.CreatedSchema)
@requires(*WRITERS)
def set_goal(body, case_id: uuid.UUID):
    """Agree a SMART goal; a goal missing a part is refused with 422 naming it."""
    return {"id": handle(SetGoal(case_id, **body), current_principal())}


@blp.route("/cases/<uuid:case_id>/goals/<uuid:goal_id>/revise", methods=["POST"])
@blp.arguments(schemas.GoalRevisionSchema)
@blp.response(204)
@requires(*WRITERS)
def revise_goal(body, case_id: uuid.UUID, goal_id: uuid.UUID):
    handle(ReviseGoal(case_id, goal_id, **body), current_principal())


@blp.route("/cases/<uuid:case_id>/goals/<uuid:goal_id>/reach", methods=["POST"])
@blp.arguments(schemas.ReasonSchema)
@blp.response(204)
@requires(*WRITERS)
def reach_goal(body, case_id: uuid.UUID, goal_id: uuid.UUID):
    handle(ReachGoal(case_id, goal_id, body["reason"]), current_principal())


@blp.route("/cases/<uuid:case_id>/goals/<uuid:goal_id>/drop", methods=["POST"])
@blp.arguments(schemas.ReasonSchema)
@blp.response(204)
@requires(*WRITERS)
def drop_goal(body, case_id: uuid.UUID, goal_id: uuid.UUID):
    handle(DropGoal(case_id, goal_id, body["reason"]), current_principal())


@blp.route("/cases/<uuid:case_id>/help-plans", methods=["POST"])
@blp.arguments(schemas.CreateHelpPlanSchema)
@blp.response(201, schemas.CreatedSchema)
@requires(*WRITERS)
def draw_up_help_plan(body, case_id: uuid.UUID):
    """The help plan, or its review (Überprüfung des Hilfeplans: say what changed and why)."""
    plan_id, version = handle(DrawUpHelpPlan(
        case_id, every_days=body["monitoring"]["every_days"],
        contact_types=body["monitoring"]["contact_types"], changes=body["changes"],
        reason=body["reason"]), current_principal())
    return {"id": plan_id, "version": version}


@blp.route("/cases/<uuid:case_id>/help-plans", methods=["GET"])
@blp.arguments(PurposeArgsSchema, location="query")
@blp.response(200, case_schemas.HelpPlanSchema(many=True))
@requires(*READERS)
def list_help_plans(args, case_id: uuid.UUID):
    principal = current_principal()
    return planning.help_plans(request_uow(principal), principal, case_id,
                               stated_purpose(args))


@blp.route("/cases/<uuid:case_id>/steps", methods=["POST"])
@blp.arguments(schemas.CreateStepSchema)
@blp.response(201, schemas.CreatedSchema)
@requires(*WRITERS)
def plan_step(body, case_id: uuid.UUID):
    return {"id": handle(PlanStep(case_id, **body), current_principal())}


@blp.route("/cases/<uuid:case_id>/steps/<uuid:step_id>/done", methods=["POST"])
@blp.response(204)
@requires(*WRITERS)
def complete_step(case_id: uuid.UUID, step_id: uuid.UUID):
    handle(CompleteStep(case_id, step_id), current_principal())


@blp.route("/cases/<uuid:case_id>/contacts", methods=["POST"])
@blp.arguments(schemas.CreateContactSchema)
@blp.response(201, schemas.CreatedSchema)
@requires(*WRITERS)
def record_contact(body, case_id: uuid.UUID):
    """Record a contact: appointment, call, e-mail, accompaniment, home visit."""
    return {"id": handle(RecordContact(case_id, **body), current_principal())}


@blp.route("/cases/<uuid:case_id>/contacts", methods=["GET"])
@blp.arguments(PurposeArgsSchema, location="query")
@blp.response(200, case_schemas.ContactsSchema)
@requires(*READERS)
def list_contacts(args, case_id: uuid.UUID):
    """The contacts with their notes (audited), and the effort against the guidelines."""
    principal = current_principal()
    return planning.contacts(request_uow(principal), principal, case_id,
                             stated_purpose(args))


@blp.route("/cases/<uuid:case_id>/effort", methods=["GET"])
@blp.arguments(PurposeArgsSchema, location="query")
@blp.response(200, case_schemas.EffortSchema(many=True))
@requires(*READERS)
def effort(args, case_id: uuid.UUID):
    """Contacts per phase against the effort guidelines (DOMAIN.md §5), counts only."""
    principal = current_principal()
    return planning.contact_effort(request_uow(principal), principal, case_id,
                                   stated_purpose(args))
