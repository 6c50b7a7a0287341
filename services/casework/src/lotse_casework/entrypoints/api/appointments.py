"""Appointments of a case and open consultation hours (Terminabsprachen, offene Sprechstunde);
the team's case discussions and supervision (Fallbesprechung, Supervision)."""

from __future__ import annotations

import uuid

from lotse_platform.http import Blueprint

from lotse_platform.audit.api import PurposeArgsSchema, stated_purpose
from lotse_platform.auth import CASE_MANAGER, COORDINATOR, current_principal, requires
from lotse_platform.service import handle, request_uow

from ...domain.commands import (
    CancelAppointment,
    EndConsultationHours,
    OfferConsultationHours,
    PlanAppointment,
    RecordNoShow,
    RecordTeamDiscussion,
)
from ...service_layer import appointments, team
from . import case_schemas, schemas
from .common import READERS, WRITERS

blp = Blueprint("casework-appointments", __name__, url_prefix="/",
                description="Appointments of a case, open consultation hours, and the team's "
                            "case discussions and supervision")


@blp.route("/cases/<uuid:case_id>/appointments", methods=["POST"])
@blp.arguments(schemas.CreateAppointmentSchema)
@blp.response(201, schemas.CreatedSchema)
@requires(*WRITERS)
def plan_appointment(body, case_id: uuid.UUID):
    """Plan an appointment with the client (day, time, place, with whom, interpreter). A home
    visit is agreed with the client in advance: ``client_agreement`` is required. When it took
    place, record its contact with ``appointment_id``."""
    return {"id": handle(PlanAppointment(case_id, **body), current_principal())}


@blp.route("/cases/<uuid:case_id>/appointments", methods=["GET"])
@blp.arguments(PurposeArgsSchema, location="query")
@blp.response(200, case_schemas.AppointmentSchema(many=True))
@requires(*READERS)
def list_appointments(args, case_id: uuid.UUID):
    """The case's appointments, by day and time (audited)."""
    principal = current_principal()
    return appointments.appointments(request_uow(principal), principal, case_id,
                                     stated_purpose(args))


@blp.route("/cases/<uuid:case_id>/appointments/<uuid:appointment_id>/no-show",
           methods=["POST"])
@blp.response(204)
@requires(*WRITERS)
def record_no_show(case_id: uuid.UUID, appointment_id: uuid.UUID):
    """The client did not come (nicht erschienen): on the appointment's day or later."""
    handle(RecordNoShow(case_id, appointment_id), current_principal())


@blp.route("/cases/<uuid:case_id>/appointments/<uuid:appointment_id>/cancel",
           methods=["POST"])
@blp.response(204)
@requires(*WRITERS)
def cancel_appointment(case_id: uuid.UUID, appointment_id: uuid.UUID):
    """Cancel a planned appointment."""
    handle(CancelAppointment(case_id, appointment_id), current_principal())


@blp.route("/consultation-hours", methods=["POST"])
@blp.arguments(schemas.CreateConsultationHoursSchema)
@blp.response(201, schemas.CreatedSchema)
@requires(*WRITERS)
def offer_consultation_hours(body):
    """The caller's own open consultation hour at a place, weekly on a weekday."""
    return {"id": handle(OfferConsultationHours(**body), current_principal())}


@blp.route("/consultation-hours", methods=["GET"])
@blp.response(200, case_schemas.ConsultationHoursSchema(many=True))
@requires(*READERS)
def list_consultation_hours():
    """The tenant's open consultation hours (publicly announced; no personal data)."""
    return appointments.consultation_hours(request_uow(current_principal()))


@blp.route("/consultation-hours/<uuid:hours_id>/end", methods=["POST"])
@blp.response(204)
@requires(*WRITERS)
def end_consultation_hours(hours_id: uuid.UUID):
    """End one's own consultation hours."""
    handle(EndConsultationHours(hours_id), current_principal())


@blp.route("/team-discussions", methods=["POST"])
@blp.arguments(schemas.CreateTeamDiscussionSchema)
@blp.response(201, schemas.CreatedSchema)
@requires(COORDINATOR, CASE_MANAGER)
def record_team_discussion(body):
    """Record a case discussion, peer consultation or supervision inside the case-management
    team (Fallbesprechung, Supervision): case managers of the team only — partners meet in a
    case conference, with their release."""
    return {"id": handle(RecordTeamDiscussion(**body), current_principal())}


@blp.route("/team-discussions", methods=["GET"])
@blp.response(200, case_schemas.TeamDiscussionSchema(many=True))
@requires(*READERS)
def list_team_discussions():
    """Newest first: the coordinating office's all, a case manager's those she took part in
    (audited)."""
    principal = current_principal()
    return team.team_discussions(request_uow(principal), principal)
