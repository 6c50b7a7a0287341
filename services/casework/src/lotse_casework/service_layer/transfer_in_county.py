"""Transfer inside the county: the client moved to another area of the same tenant.

The sending case manager offers the case to a named case manager of the receiving area
(:func:`offer`, through :func:`.transfers.offer_transfer`); she reads the handover package
(:func:`transfer_package`, audited) and accepts (:func:`accept`, through
:func:`.transfers.accept_transfer`) or declines (:func:`decline_transfer`); the sender may cancel
while it is pending (:func:`.transfers.cancel_transfer`). On acceptance the case is hers: area, case
manager and organisation change, the sender's shares end, and the sender reads nothing of it
any more. ``casework.case.transferred.v1``. One tenant, one unit of work throughout.
"""

from __future__ import annotations

import uuid

from lotse.casework.v1 import events_pb2 as ev
from lotse_platform import clock
from lotse_platform.auth import Principal

from ..domain.commands import DeclineTransfer
from ..domain.errors import Incomplete, NotVisible
from ..domain.model import Case, Notice, Transfer, require_sharing
from . import consent_check
from .access import caller
from .case_file import summary
from .consent_check import ConsentOwner
from .events import case_facts, publish, to_iso
from .unit_of_work import CaseworkUnitOfWork


def offer(uow: CaseworkUnitOfWork, principal: Principal, case: Case,
          to_case_manager_id: str | None, to_area_id: str | None, note: str | None,
          consent_owner: ConsentOwner) -> Transfer:
    """Offer the case to an active case manager of this tenant, for one of her areas (her
    first when none is named); she is told. Only while intake confirms participation."""
    if not to_case_manager_id:
        raise Incomplete("a transfer names the receiving case manager or tenant",
                         {"to_case_manager_id": "missing"})
    receiver = uow.case_manager(to_case_manager_id)
    if receiver is None or not receiver.active:
        raise Incomplete("the receiving case manager is not known",
                         {"to_case_manager_id": "not an active case manager of this tenant"})
    area = to_area_id or (receiver.areas[0] if receiver.areas else "")
    if not area or (receiver.areas and area not in receiver.areas):
        raise Incomplete("the receiving area is not the receiving case manager's",
                         {"to_area_id": "one of the receiving case manager's areas"})
    transfer = Transfer.offer(case, consent_check.for_handing_on(uow, consent_owner, case,
                                                                 uow.consents(case.id)),
                              area, receiver.user_id, receiver.organisation_id,
                              principal.subject, note)
    uow.add(transfer, Notice(recipient_id=receiver.user_id, kind="transfer_offered",
                             case_id=case.id, reference=str(transfer.id)))
    uow.audit("transfer.offer", "case", case.id, reason=f"to {receiver.user_id}")
    return transfer


def transfer_package(uow: CaseworkUnitOfWork, principal: Principal, transfer_id: uuid.UUID,
                     consent_owner: ConsentOwner) -> dict:
    """What the receiving case manager sees before she accepts: the handover package — only
    while intake confirms participation at this moment (ADR 0053)."""
    with uow:
        transfer = uow.transfer(transfer_id)
        if transfer is None or transfer.to_case_manager_id != principal.subject \
                or transfer.status != "pending":
            raise NotVisible("no such transfer")
        case = uow.case(transfer.case_id)
        require_sharing(case, consent_check.for_handing_on(uow, consent_owner, case,
                                                           uow.consents(case.id)),
                        "the handover package is not shown")
        goals = uow.goals(case.id)
        plans = uow.help_plans(case.id)
        assessments = uow.assessments(case.id)
        package = {
            "transfer": transfer, "case": summary(case), "person": uow.person(case.id),
            "motto_goal": case.motto_goal, "goals": goals,
            "help_plan": plans[-1] if plans else None,
            "assessment": assessments[-1] if assessments else None,
            "steps": uow.steps(case.id),
        }
        uow.audit("read", "transfer_package", case.id, reason=f"transfer {transfer.id}")
        uow.commit()
        return package


def accept(uow: CaseworkUnitOfWork, principal: Principal, transfer_id: uuid.UUID,
           consent_owner: ConsentOwner) -> uuid.UUID:
    """The receiving case manager takes the case over; answers its id. Refused (409) when
    intake has the person's participation withdrawn at this moment: the case stays."""
    with uow:
        transfer = uow.transfer(transfer_id, lock=True)
        if transfer is None or transfer.to_case_manager_id != principal.subject:
            raise NotVisible("no such transfer")
        case = uow.case(transfer.case_id, lock=True)
        transfer.check_acceptance(case, principal.subject)
        consents = consent_check.for_handing_on(uow, consent_owner, case, uow.consents(case.id))
        at = clock.now()
        transfer.accept(case, consents, principal.subject, at, uow.shares(case.id), uow.today())
        publish(uow, case, ev.CaseTransferred(
            case=case_facts(case), from_area_id=transfer.from_area_id,
            from_case_manager_id=transfer.from_case_manager_id,
            transferred_on=to_iso(at.date())))
        uow.add(Notice(recipient_id=transfer.from_case_manager_id, kind="transfer_accepted",
                       case_id=case.id))
        uow.audit("transfer.accept", "case", case.id,
                  reason=f"from {transfer.from_case_manager_id}")
        uow.commit()
        return case.id


def decline_transfer(cmd: DeclineTransfer, uow: CaseworkUnitOfWork) -> None:
    principal = caller(uow)
    with uow:
        transfer = uow.transfer(cmd.transfer_id, lock=True)
        if transfer is None or transfer.to_case_manager_id != principal.subject:
            raise NotVisible("no such transfer")
        transfer.decline(principal.subject, clock.now())
        uow.add(Notice(recipient_id=transfer.from_case_manager_id, kind="transfer_declined",
                       case_id=transfer.case_id))
        uow.audit("transfer.decline", "case", transfer.case_id)
        uow.commit()
