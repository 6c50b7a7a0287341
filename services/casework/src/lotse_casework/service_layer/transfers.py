"""Handing a case over after the client moved: the sending case manager's commands, whichever
the receiver.

- to a case manager of another area of the same county (tenant): :mod:`.transfer_in_county`;
- to an area of another county (tenant) served by this deployment: :mod:`.transfer_to_tenant`;
- to an area of a county served by another Lotse deployment (a peer, ADR 0051): the same offer
  as to a tenant here, carried across HTTP by :mod:`.transfer_to_peer`.

A case has at most one pending transfer; only its own case manager hands it over, and only she
withdraws her offer while it is pending.
"""

from __future__ import annotations

import uuid

from lotse_platform import clock
from lotse_platform.auth import Principal

from ..domain.errors import NotVisible, Refused
from . import transfer_in_county, transfer_to_tenant
from .access import case_for
from .transfer_steps import announce_cancel
from .unit_of_work import CaseworkService, CaseworkUnitOfWork


def offer_transfer(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID,
                   to_case_manager_id: str | None, to_area_id: str | None, note: str | None,
                   to_tenant_id: str | None = None,
                   service: CaseworkService | None = None) -> uuid.UUID:
    """After a move within the county: the handover package goes to the receiving area's case
    manager, who accepts it. After a move to another county running Lotse
    (``to_tenant_id``): to that tenant's area; ``service`` knows the peer deployments."""
    with uow:
        case, access = case_for(uow, principal, case_id, write=True)
        if access.how != "own":
            raise Refused("only the responsible case manager hands her case over")
        if any(t.status == "pending" for t in uow.transfers(case.id)):
            raise Refused("a transfer of this case is pending already")
        if to_tenant_id:
            transfer = transfer_to_tenant.offer(uow, principal, case, to_tenant_id, to_area_id,
                                                note, service=service)
        else:
            transfer = transfer_in_county.offer(uow, principal, case, to_case_manager_id,
                                                to_area_id, note)
        uow.commit()
        return transfer.id


def cancel_transfer(uow: CaseworkUnitOfWork, principal: Principal,
                    transfer_id: uuid.UUID) -> None:
    """The sender withdraws her offer while it is pending. An offer to another tenant is
    withdrawn there by casework's consumer of the event written here (ADR 0051)."""
    with uow:
        transfer = uow.transfer(transfer_id, lock=True)
        if transfer is None or transfer.from_case_manager_id != principal.subject:
            raise NotVisible("no such transfer")
        transfer.cancel(principal.subject, clock.now())
        if transfer.to_tenant_id:
            announce_cancel(uow, uow.case(transfer.case_id, lock=True), transfer)
        uow.audit("transfer.cancel", "case", transfer.case_id)
        uow.commit()
