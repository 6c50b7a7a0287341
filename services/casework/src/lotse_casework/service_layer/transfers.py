"""Handing a case over after the client moved: the commands on a transfer, whichever the
receiver.

- to a case manager of another area of the same county (tenant): :mod:`.transfer_in_county`;
- to an area of another county (tenant) served by this deployment: :mod:`.transfer_to_tenant`;
- to an area of a county served by another Lotse deployment (a peer, ADR 0051): the same offer
  as to a tenant here, carried across HTTP by :mod:`.transfer_to_peer`.

A case has at most one pending transfer; only its own case manager hands it over, and only she
withdraws her offer while it is pending. The receiving case manager accepts an offer made to
her (in the county) or to her area (from another county).
"""

from __future__ import annotations

import uuid

from lotse_platform import clock

from ..adapters.federation_client import FederationClient
from ..domain.commands import AcceptTransfer, CancelTransfer, OfferTransfer
from ..domain.errors import NotVisible, Refused
from ..settings import CaseworkSettings
from . import transfer_in_county, transfer_to_tenant
from .access import caller, case_for
from .consent_check import ConsentOwner
from .transfer_steps import announce_cancel
from .unit_of_work import CaseworkUnitOfWork, UnitsOfWork


def offer_transfer(cmd: OfferTransfer, uow: CaseworkUnitOfWork, settings: CaseworkSettings,
                   units: UnitsOfWork, consent_owner: ConsentOwner) -> uuid.UUID:
    """After a move within the county: the handover package goes to the receiving area's case
    manager, who accepts it. After a move to another county running Lotse
    (``to_tenant_id``): to that tenant's area; ``settings`` know the peer deployments, and
    ``units`` look up the case managers of a tenant served here. Either way only while intake
    confirms the person's participation consents at this moment (``consent_owner``, ADR 0053)."""
    principal = caller(uow)
    with uow:
        case, access = case_for(uow, principal, cmd.case_id, write=True)
        if access.how != "own":
            raise Refused("only the responsible case manager hands her case over")
        if any(t.status == "pending" for t in uow.transfers(case.id)):
            raise Refused("a transfer of this case is pending already")
        if cmd.to_tenant_id:
            transfer = transfer_to_tenant.offer(uow, principal, case, cmd.to_tenant_id,
                                                cmd.to_area_id, cmd.note, settings, units,
                                                consent_owner)
        else:
            transfer = transfer_in_county.offer(uow, principal, case, cmd.to_case_manager_id,
                                                cmd.to_area_id, cmd.note, consent_owner)
        uow.commit()
        return transfer.id


def accept_transfer(cmd: AcceptTransfer, uow: CaseworkUnitOfWork, units: UnitsOfWork,
                    peers: FederationClient, consent_owner: ConsentOwner) -> uuid.UUID:
    """Take over an offer from another tenant (here or at a peer deployment: a new case here
    with the copy of the file), else one from a colleague of this tenant; the new case's id.
    The sender's participation consents are confirmed with intake at this moment (ADR 0053):
    withdrawn, the offer is refused and the case stays where it is."""
    principal = caller(uow)
    case_id = transfer_to_tenant.accept(units, peers, principal, cmd.transfer_id, consent_owner)
    if case_id is not None:
        return case_id
    return transfer_in_county.accept(uow, principal, cmd.transfer_id, consent_owner)


def cancel_transfer(cmd: CancelTransfer, uow: CaseworkUnitOfWork) -> None:
    """The sender withdraws her offer while it is pending. An offer to another tenant is
    withdrawn there by casework's consumer of the event written here (ADR 0051)."""
    principal = caller(uow)
    with uow:
        transfer = uow.transfer(cmd.transfer_id, lock=True)
        if transfer is None or transfer.from_case_manager_id != principal.subject:
            raise NotVisible("no such transfer")
        transfer.cancel(principal.subject, clock.now())
        if transfer.to_tenant_id:
            announce_cancel(uow, uow.case(transfer.case_id, lock=True), transfer)
        uow.audit("transfer.cancel", "case", transfer.case_id)
        uow.commit()
