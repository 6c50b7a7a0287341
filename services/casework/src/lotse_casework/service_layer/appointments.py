"""Appointments of a case and open consultation hours (*Terminabsprachen*, *offene
Sprechstunde*, seed 001 L134; domain/appointments.py).

An appointment's contact is recorded through ``RecordContact`` with its ``appointment_id``
(planning.py); a no-show and a cancellation end it here. Place and company of an appointment
are case content: reading them is audited, the day's list shows times and ids only.
"""

from __future__ import annotations

import uuid

from lotse_platform import clock
from lotse_platform.audit.purposes import StatedPurpose
from lotse_platform.auth import Principal

from ..domain.appointments import Appointment, ConsultationHours
from ..domain.commands import (
    CancelAppointment,
    EndConsultationHours,
    OfferConsultationHours,
    PlanAppointment,
    RecordNoShow,
)
from ..domain.errors import NotVisible
from ..domain.model import Case
from .access import caller, case_for, read_audited
from .events import appointment_missed, publish
from .unit_of_work import CaseworkUnitOfWork


def plan_appointment(cmd: PlanAppointment, uow: CaseworkUnitOfWork) -> uuid.UUID:
    principal = caller(uow)
    with uow:
        case, _ = case_for(uow, principal, cmd.case_id, write=True)
        appointment = Appointment.plan(
            case, principal.subject, uow.today(), kind=cmd.kind, on=cmd.on, at=cmd.at,
            duration_minutes=cmd.duration_minutes, place=cmd.place, with_whom=cmd.with_whom,
            interpreter_needed=cmd.interpreter_needed, client_agreement=cmd.client_agreement)
        uow.add(appointment)
        uow.audit("create", "appointment", appointment.id,
                  reason="home visit agreed with the client" if appointment.client_agreement
                  else None)
        uow.commit()
        return appointment.id


def _appointment(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID,
                 appointment_id: uuid.UUID) -> tuple[Case, Appointment]:
    case, _ = case_for(uow, principal, case_id, write=True)
    case.require_open()
    appointment = uow.appointment(case.id, appointment_id)
    if appointment is None:
        raise NotVisible("no such appointment")
    return case, appointment


def record_no_show(cmd: RecordNoShow, uow: CaseworkUnitOfWork) -> None:
    """The client did not come (*nicht erschienen*)."""
    principal = caller(uow)
    with uow:
        case, appointment = _appointment(uow, principal, cmd.case_id, cmd.appointment_id)
        appointment.no_show(uow.today(), clock.now())
        publish(uow, case, appointment_missed(case, appointment))
        uow.audit("update", "appointment", appointment.id, reason="no-show")
        uow.commit()


def cancel_appointment(cmd: CancelAppointment, uow: CaseworkUnitOfWork) -> None:
    principal = caller(uow)
    with uow:
        _, appointment = _appointment(uow, principal, cmd.case_id, cmd.appointment_id)
        appointment.cancel(clock.now())
        uow.audit("update", "appointment", appointment.id, reason="cancelled")
        uow.commit()


def appointments(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID,
                 purpose: StatedPurpose | None) -> list[Appointment]:
    return read_audited(uow, principal, case_id, purpose, "appointment",
                        lambda case: uow.appointments(case.id))


# -- open consultation hours ----------------------------------------------------------------------
def offer_consultation_hours(cmd: OfferConsultationHours, uow: CaseworkUnitOfWork) -> uuid.UUID:
    """A case manager's own open consultation hour (*offene Sprechstunde*) at a place."""
    principal = caller(uow)
    with uow:
        hours = ConsultationHours.offer(principal.subject, principal.subject, place=cmd.place,
                                        weekday=cmd.weekday, starts=cmd.starts, ends=cmd.ends)
        uow.add(hours)
        uow.audit("create", "consultation_hours", hours.id)
        uow.commit()
        return hours.id


def end_consultation_hours(cmd: EndConsultationHours, uow: CaseworkUnitOfWork) -> None:
    principal = caller(uow)
    with uow:
        hours = uow.consultation_hour(cmd.consultation_hours_id)
        if hours is None or hours.case_manager_id != principal.subject:
            raise NotVisible("no such consultation hours of yours")
        hours.end(clock.now())
        uow.audit("update", "consultation_hours", hours.id, reason="ended")
        uow.commit()


def consultation_hours(uow: CaseworkUnitOfWork) -> list[ConsultationHours]:
    """The tenant's open consultation hours, publicly announced: no personal data."""
    with uow:
        return uow.consultation_hours()
