"""One function per command, each reading like the rule it implements.

Every handler runs in one transaction: the change, its integration events (outbox) and the
audit entry of the personal data it wrote commit together or not at all. ``guard`` is the
caller's authorisation for the loaded intake (area, organisation), checked inside the same
transaction before anything changes; a view calling a handler directly passes it (the message
bus passes only the command and the unit of work). ``operator_org_id``, the organisation running
this instance (``LOTSE_INTAKE_OPERATOR``; "" for the county's own intake), is a dependency the
bus injects from the container (:meth:`IntakeService.dependencies`).

Every command and its handler: :data:`lotse_intake.service_layer.command_handlers.COMMAND_HANDLERS`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from lotse_platform import clock
from lotse_platform.audit import CREATE, UPDATE

from ..domain.commands import (
    AdmitCase,
    CompleteScreening,
    DecideCounsellingDepth,
    GiveConsent,
    RecordContact,
    WithdrawConsent,
)
from ..domain.errors import UnknownRecord
from ..domain.model import Admission, Consent, DepthDecision, Intake, Screening
from . import events
from .unit_of_work import IntakeUnitOfWork

Guard = Callable[[Intake], None]
RECORD = "intake"  # the audit trail's record type for everything about one person's intake


def _allow(_intake: Intake) -> None:
    return None


def load_intake(uow: IntakeUnitOfWork, intake_id: uuid.UUID, guard: Guard | None,
                *, for_update: bool = True) -> Intake:
    intake = uow.intakes.get(intake_id, for_update=for_update)
    if intake is None:
        raise UnknownRecord("no such intake")
    (guard or _allow)(intake)
    return intake


def publish(uow: IntakeUnitOfWork, intake: Intake, event) -> None:
    uow.publish(event, aggregate_id=intake.id, sequence=intake.next_sequence())


def record_contact(cmd: RecordContact, uow: IntakeUnitOfWork, *,
                   operator_org_id: str) -> Intake:
    with uow:
        intake = Intake.record(
            area_id=cmd.area_id, access_path=cmd.access_path, contact_date=cmd.contact_date,
            person=cmd.person, recorded_by=cmd.recorded_by, today=uow.today(),
            operator_org_id=operator_org_id, referring_org_id=cmd.referring_org_id,
            note=cmd.note, id=cmd.intake_id,
        )
        uow.intakes.add(intake)
        publish(uow, intake, events.contact_recorded(intake))
        uow.audit(CREATE, RECORD, intake.id, reason="first_contact")
        uow.commit()
    return intake


def complete_screening(cmd: CompleteScreening, uow: IntakeUnitOfWork,
                       guard: Guard | None = None) -> Screening:
    with uow:
        intake = load_intake(uow, cmd.intake_id, guard)
        screening = intake.complete_screening(
            criteria=cmd.criteria, topic_areas=cmd.topic_areas, crisis=cmd.crisis,
            facts=cmd.facts, screened_by=cmd.screened_by,
            screened_on=cmd.screened_on or uow.today(), target_groups=uow.target_groups.all(),
            confirmed_target_group_ids=cmd.target_group_ids,
            target_group_note=cmd.target_group_note,
        )
        publish(uow, intake, events.screening_completed(intake))
        uow.audit(UPDATE, RECORD, intake.id, reason="screening")
        uow.commit()
    return screening


def decide_counselling_depth(cmd: DecideCounsellingDepth, uow: IntakeUnitOfWork,
                             guard: Guard | None = None) -> DepthDecision:
    with uow:
        intake = load_intake(uow, cmd.intake_id, guard)
        decision = intake.decide_counselling_depth(
            depth=cmd.depth, decided_by=cmd.decided_by, decided_on=cmd.decided_on or uow.today(),
            referral=cmd.referral, note=cmd.note,
        )
        publish(uow, intake, events.counselling_depth_decided(intake, decision))
        uow.audit(UPDATE, RECORD, intake.id, reason="counselling_depth")
        uow.commit()
    return decision


def give_consent(cmd: GiveConsent, uow: IntakeUnitOfWork, guard: Guard | None = None) -> Consent:
    with uow:
        intake = load_intake(uow, cmd.intake_id, guard)
        consent = intake.give_consent(
            kind=cmd.kind, given_on=cmd.given_on, recorded_by=cmd.recorded_by, today=uow.today(),
            valid_from=cmd.valid_from, valid_until=cmd.valid_until, language=cmd.language,
            partner_org_id=cmd.partner_org_id, topic_areas=list(cmd.topic_areas),
            id=cmd.consent_id,
        )
        publish(uow, intake, events.consent_given(intake, consent))
        uow.audit(UPDATE, RECORD, intake.id, reason="consent")
        uow.commit()
    return consent


def withdraw_consent(cmd: WithdrawConsent, uow: IntakeUnitOfWork,
                     guard: Guard | None = None) -> Consent:
    """Withdrawal takes effect at once: the handover stops in this transaction, and the event
    that tells casework and the referral network is in the outbox with it."""
    with uow:
        intake = load_intake(uow, cmd.intake_id, guard)
        consent = intake.withdraw_consent(cmd.consent_id, withdrawn_by=cmd.withdrawn_by,
                                          at=clock.now(), on=uow.today())
        publish(uow, intake, events.consent_withdrawn(intake, consent))
        uow.audit(UPDATE, RECORD, intake.id, reason="consent_withdrawal")
        uow.commit()
    return consent


def admit_case(cmd: AdmitCase, uow: IntakeUnitOfWork, guard: Guard | None = None) -> Admission:
    with uow:
        intake = load_intake(uow, cmd.intake_id, guard)
        admission = intake.admit(
            case_manager_id=cmd.case_manager_id, case_manager_org_id=cmd.case_manager_org_id,
            admitted_by=cmd.admitted_by, admitted_on=cmd.admitted_on or uow.today(), today=uow.today(),
            target_groups=uow.target_groups.all(), target_group_ids=cmd.target_group_ids,
            justification=cmd.justification,
        )
        publish(uow, intake, events.case_admitted(intake, admission))
        uow.audit(UPDATE, RECORD, intake.id, reason="admission")
        uow.commit()
    return admission
