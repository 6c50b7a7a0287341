"""One function per command, each reading like the rule it implements.

Every handler runs in one transaction: the change, its integration events (outbox) and the
audit entry of the personal data it wrote commit together or not at all. Who may do it is
checked inside the same transaction, before anything changes, against the unit of work's
principal (:mod:`.access`; ``None``, the service itself, may do everything): views send
commands through the message bus (``handle(command, principal)``) and pass no guard (ADR 0052).
``operator_org_id``, the organisation running this instance (``LOTSE_INTAKE_OPERATOR``; "" for
the county's own intake), is a dependency the bus injects from the container
(:meth:`IntakeService.dependencies`).

Every command and its handler: :data:`lotse_intake.service_layer.command_handlers.COMMAND_HANDLERS`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from lotse_platform import clock
from lotse_platform.audit import CREATE, UPDATE
from lotse_platform.references import AREA, ORGANISATION, USER, Wanted, check

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
from . import access, events
from ..domain.vocabulary import DEFAULT_ADMISSION_CRITERIA, AdmissionCriterion
from .unit_of_work import IntakeUnitOfWork

RECORD = "intake"  # the audit trail's record type for everything about one person's intake


def load_intake(uow: IntakeUnitOfWork, intake_id: uuid.UUID, *,
                for_update: bool = True) -> Intake:
    """The intake (404 when the tenant has none of this id), without checking the caller."""
    intake = uow.intakes.get(intake_id, for_update=for_update)
    if intake is None:
        raise UnknownRecord("no such intake")
    return intake


def intake_to_work(uow: IntakeUnitOfWork, intake_id: uuid.UUID, *,
                   for_update: bool = True) -> Intake:
    """The intake, if the unit's principal may work it (404 before 403, as the views did)."""
    intake = load_intake(uow, intake_id, for_update=for_update)
    access.authorize_intake(uow.principal, intake)
    return intake


def case_manager_references(case_manager_id: str | None,
                            case_manager_org_id: str | None) -> list[Wanted]:
    """Who takes a case: a known, enabled case manager of the organisation named with her."""
    return [Wanted("case_manager_org_id", ORGANISATION, case_manager_org_id),
            Wanted("case_manager_id", USER, case_manager_id, role="case_manager",
                   organisation=case_manager_org_id, organisation_field="case_manager_org_id")]


def publish(uow: IntakeUnitOfWork, intake: Intake, event) -> None:
    uow.publish(event, aggregate_id=intake.id, sequence=intake.next_sequence())


def record_contact(cmd: RecordContact, uow: IntakeUnitOfWork, *,
                   operator_org_id: str) -> Intake:
    access.authorize_contact(uow.principal, cmd.area_id)
    with uow:
        intake = Intake.record(
            area_id=cmd.area_id, access_path=cmd.access_path, contact_date=cmd.contact_date,
            person=cmd.person, recorded_by=cmd.recorded_by, today=uow.today(),
            operator_org_id=operator_org_id, referring_org_id=cmd.referring_org_id,
            note=cmd.note, id=cmd.intake_id, other_services=list(cmd.other_services),
        )
        check(uow.references, [Wanted("area_id", AREA, cmd.area_id),
                               Wanted("referring_org_id", ORGANISATION, cmd.referring_org_id),
                               *(Wanted(f"other_services.{i}.org_id", ORGANISATION, s.org_id)
                                 for i, s in enumerate(cmd.other_services))])
        uow.intakes.add(intake)
        publish(uow, intake, events.contact_recorded(intake))
        uow.audit(CREATE, RECORD, intake.id, reason="first_contact")
        uow.commit()
    return intake


def _default_criteria(tenant: uuid.UUID | None) -> Sequence[AdmissionCriterion]:
    return DEFAULT_ADMISSION_CRITERIA


def complete_screening(cmd: CompleteScreening, uow: IntakeUnitOfWork, *,
                       admission_criteria: Callable[[uuid.UUID | None],
                                                    Sequence[AdmissionCriterion]] = (
                           _default_criteria)) -> Screening:
    """``admission_criteria``: the tenant's list of criteria (001 L128 adds two to the five;
    ``LOTSE_INTAKE_ADMISSION_CRITERIA``)."""
    with uow:
        intake = intake_to_work(uow, cmd.intake_id)
        screening = intake.complete_screening(
            criteria=cmd.criteria, topic_areas=cmd.topic_areas, crisis=cmd.crisis,
            facts=cmd.facts, screened_by=cmd.screened_by,
            screened_on=cmd.screened_on or uow.today(), target_groups=uow.target_groups.all(),
            confirmed_target_group_ids=cmd.target_group_ids,
            target_group_note=cmd.target_group_note,
            required_criteria=admission_criteria(uow.tenant_id),
        )
        check(uow.references, [Wanted("facts.multiple_support_need_established_by", ORGANISATION,
                                      cmd.facts.multiple_support_need_established_by)])
        publish(uow, intake, events.screening_completed(intake))
        uow.audit(UPDATE, RECORD, intake.id, reason="screening")
        uow.commit()
    return screening


def decide_counselling_depth(cmd: DecideCounsellingDepth, uow: IntakeUnitOfWork) -> DepthDecision:
    with uow:
        intake = intake_to_work(uow, cmd.intake_id)
        decision = intake.decide_counselling_depth(
            depth=cmd.depth, decided_by=cmd.decided_by, decided_on=cmd.decided_on or uow.today(),
            referral=cmd.referral, note=cmd.note,
        )
        if cmd.referral is not None:
            check(uow.references, [Wanted("referral.org_id", ORGANISATION, cmd.referral.org_id)])
        publish(uow, intake, events.counselling_depth_decided(intake, decision))
        uow.audit(UPDATE, RECORD, intake.id, reason="counselling_depth")
        uow.commit()
    return decision


def give_consent(cmd: GiveConsent, uow: IntakeUnitOfWork) -> Consent:
    with uow:
        intake = intake_to_work(uow, cmd.intake_id)
        consent = intake.give_consent(
            kind=cmd.kind, given_on=cmd.given_on, recorded_by=cmd.recorded_by, today=uow.today(),
            valid_from=cmd.valid_from, valid_until=cmd.valid_until, language=cmd.language,
            partner_org_id=cmd.partner_org_id, topic_areas=list(cmd.topic_areas),
            id=cmd.consent_id,
        )
        check(uow.references, [Wanted("partner_org_id", ORGANISATION, cmd.partner_org_id)])
        publish(uow, intake, events.consent_given(intake, consent))
        uow.audit(UPDATE, RECORD, intake.id, reason="consent")
        uow.commit()
    return consent


def withdraw_consent(cmd: WithdrawConsent, uow: IntakeUnitOfWork) -> Consent:
    """Withdrawal takes effect at once: the handover stops in this transaction, and the event
    that tells casework and the referral network is in the outbox with it."""
    with uow:
        intake = intake_to_work(uow, cmd.intake_id)
        consent = intake.withdraw_consent(cmd.consent_id, withdrawn_by=cmd.withdrawn_by,
                                          at=clock.now(), on=uow.today())
        publish(uow, intake, events.consent_withdrawn(intake, consent))
        uow.audit(UPDATE, RECORD, intake.id, reason="consent_withdrawal")
        uow.commit()
    return consent


class Caseloads(Protocol):
    """Casework's answer to "her caseload once she takes this case" (counts only), or None
    when casework cannot say (:mod:`lotse_intake.adapters.casework_client`)."""

    def caseload_after(self, case_manager_id: str, taking: int = 1) -> dict[str, Any] | None: ...


@dataclass(frozen=True)
class Admitted:
    """The admission, and the responsible case manager's caseload with this case as casework
    counts it (None: unknown), with its warning above the guideline (never a refusal: the
    coordinating office decides)."""

    admission: Admission
    caseload: dict[str, Any] | None


def admit_case(cmd: AdmitCase, uow: IntakeUnitOfWork,
               caseloads: Caseloads | None = None) -> Admitted:
    # asked before this admission commits: casework cannot have counted it yet
    caseload = caseloads.caseload_after(cmd.case_manager_id) if caseloads else None
    with uow:
        intake = intake_to_work(uow, cmd.intake_id)
        admission = intake.admit(
            case_manager_id=cmd.case_manager_id, case_manager_org_id=cmd.case_manager_org_id,
            admitted_by=cmd.admitted_by, admitted_on=cmd.admitted_on or uow.today(), today=uow.today(),
            target_groups=uow.target_groups.all(), target_group_ids=cmd.target_group_ids,
            justification=cmd.justification,
        )
        check(uow.references, case_manager_references(cmd.case_manager_id,
                                                      cmd.case_manager_org_id))
        household = uow.households.of_intake(intake.id)
        publish(uow, intake, events.case_admitted(
            intake, admission, household_id=str(household.id) if household else ""))
        uow.audit(UPDATE, RECORD, intake.id, reason="admission")
        uow.commit()
    return Admitted(admission, caseload)
