"""Transfer to another tenant (the client moved to another county running Lotse).

The sending case manager offers the case to an area of the receiving tenant
(``casework.case.transfer_offered.v1``, through the outbox: no offer is lost). Casework's own
consumer records the offer on the receiving side (:class:`InboundTransfer`, ids only) and tells
the case managers of that area. One of them reads the handover package (the
:class:`~lotse_casework.domain.transfer_copy.CaseCopy` with the transfer) and accepts it:

1. the sending side's transfer is locked (pending, for this tenant and area);
2. in the receiving tenant's transaction a new case opens with a copy of what the work needs —
   the person, the participation consents (releases for the sender's partners do not travel),
   the latest assessment, the open goals with their open steps, the latest help plan — in the
   phase the case had; the inbound offer is marked accepted; it commits;
3. the sending side marks the transfer accepted and hands the case over: closed (moved away),
   and nobody there opens its file any more; ``casework.case.transferred.v1`` with
   ``to_tenant_id``.

A crash between 2 and 3 leaves the offer accepted on the receiving side and pending on the
sending side; accepting again finishes step 3 without opening a second case (the new case's
intake reference is the transfer id, unique per tenant).

When the receiving tenant is served by another Lotse deployment (a peer in
``LOTSE_CASEWORK_PEERS``), the same steps run across HTTP (:mod:`.transfer_to_peer`, ADR 0051):
the consumer delivers the offer to the peer's federation endpoint, the peer's case manager reads
the package from here, her acceptance opens the case there with the same copy
(:func:`~.transfer_steps.open_copy`) and is reported back through the peer's outbox; step 3 runs
here (:func:`~.transfer_steps.hand_over`) when that report arrives. This module decides which
way an offer takes; the steps both ways share are in :mod:`.transfer_steps`.

A pending offer that is withdrawn — by its case manager or because the participation consent
was withdrawn — puts ``casework.case.transfer_cancelled.v1`` into the outbox with the cancel
(:func:`~.transfer_steps.announce_cancel`); the same consumer takes the offer out of the
receiving tenant's day (:func:`receive_cancel`), here or at the peer.

The receiving tenant's rows are written in a unit of work of that tenant, opened with the
``units`` the handlers are given (:class:`~.unit_of_work.UnitsOfWork`); the consumers also name
the ``settings`` (which tenants are a peer's) and the client for ``peers``.
"""

from __future__ import annotations

import uuid

from lotse.casework.v1 import events_pb2 as ev
from lotse_platform import clock
from lotse_platform.auth import Principal

from ..adapters.federation_client import FederationClient
from ..domain.errors import Incomplete, NotVisible, Refused
from ..domain.model import HANDED_ON, Case, InboundTransfer, Transfer, require_sharing
from ..domain.transfer_copy import CaseCopy
from ..settings import CaseworkSettings
from . import consent_check, transfer_to_peer
from .consent_check import ConsentOwner
from .events import case_facts, publish, to_iso
from .transfer_steps import hand_over, open_copy, record_offer, withdraw_offer
from .unit_of_work import CaseworkUnitOfWork, UnitsOfWork


def offer(uow: CaseworkUnitOfWork, principal: Principal, case: Case, to_tenant_id: str,
          to_area_id: str | None, note: str | None, settings: CaseworkSettings,
          units: UnitsOfWork, consent_owner: ConsentOwner) -> Transfer:
    """Offer the case to an area of another tenant: one served here, or — when
    ``LOTSE_CASEWORK_PEERS`` names it — by a peer deployment. With peers configured, a tenant
    that is neither a peer's nor one with case managers of that area here is refused (422)."""
    try:
        target = uuid.UUID(to_tenant_id)
    except ValueError:
        raise Incomplete("not a tenant id", {"to_tenant_id": "a UUID"}) from None
    if target == principal.tenant:
        raise Incomplete("a transfer within the tenant names the receiving case manager",
                         {"to_tenant_id": "another tenant than the caller's"})
    if not to_area_id:
        raise Incomplete("the receiving area is needed", {"to_area_id": "missing"})
    if settings.peers and not settings.peer_url(target) \
            and not serves_area(units, target, to_area_id):
        raise Incomplete("the receiving tenant is not known here",
                         {"to_tenant_id": "neither a tenant of a peer deployment "
                                          "(LOTSE_CASEWORK_PEERS) nor one with case managers "
                                          "of that area here"})
    consents = consent_check.for_handing_on(uow, consent_owner, case, uow.consents(case.id))
    transfer = Transfer.offer_to_tenant(case, consents, str(target), to_area_id,
                                        principal.subject, note)
    uow.add(transfer)
    publish(uow, case, ev.CaseTransferOffered(case=case_facts(case), transfer_id=str(transfer.id),
                                              to_tenant_id=str(target), to_area_id=to_area_id,
                                              offered_on=to_iso(uow.today())))
    uow.audit("transfer.offer", "case", case.id, reason=f"to tenant {target}")
    return transfer


def serves_area(units: UnitsOfWork, tenant_id, area_id: str) -> bool:
    """Whether an active case manager of ``tenant_id`` here serves ``area_id``."""
    with units(tenant_id) as uow:
        return any(area_id in (m.areas or []) for m in uow.case_managers() if m.active)


def receive_offer(event: ev.CaseTransferOffered, envelope, uow: CaseworkUnitOfWork,
                  settings: CaseworkSettings, units: UnitsOfWork,
                  peers: FederationClient) -> None:
    """Consumer of ``casework.case.transfer_offered.v1`` (the sending tenant's event): record
    the offer in the receiving tenant and tell that area's case managers. Idempotent. An offer
    to a peer deployment's tenant is delivered there instead (:mod:`.transfer_to_peer`)."""
    peer_url = settings.peer_url(event.to_tenant_id)
    if peer_url:
        transfer_to_peer.deliver_offer(event, envelope, uow, peers, peer_url=peer_url,
                                       callback_url=settings.federation_url)
        return
    transfer = uow.transfer(uuid.UUID(event.transfer_id))
    if transfer is not None and transfer.status != "pending":
        return  # withdrawn before it arrived: nothing to offer
    # the receiving tenant's rows are written in a unit of work of that tenant (row-level
    # security keeps the consumer's transaction to the sending tenant)
    with uow.alongside(units(event.to_tenant_id)) as receiving:
        record_offer(receiving, event.transfer_id, str(envelope.tenant), event.case.case_id,
                     event.to_area_id)
        receiving.commit()


def receive_cancel(event: ev.CaseTransferCancelled, envelope, uow: CaseworkUnitOfWork,
                   settings: CaseworkSettings, units: UnitsOfWork,
                   peers: FederationClient) -> None:
    """Consumer of ``casework.case.transfer_cancelled.v1``: the offer leaves the receiving
    tenant's day (inbound cancelled, its offer notices withdrawn). Idempotent; an offer already
    accepted there stays accepted. A peer deployment's tenant is told through its federation
    endpoint (:func:`.transfer_to_peer.deliver_cancel`)."""
    peer_url = settings.peer_url(event.to_tenant_id)
    if peer_url:
        transfer_to_peer.deliver_cancel(event, envelope, uow, peers, peer_url=peer_url)
        return
    # as for the offer: the receiving tenant's rows in a unit of work of that tenant
    with uow.alongside(units(event.to_tenant_id)) as receiving:
        withdraw_offer(receiving, event.transfer_id)
        receiving.commit()


def _inbound_for(receiving: CaseworkUnitOfWork, principal: Principal, transfer_id: uuid.UUID,
                 lock: bool = False) -> InboundTransfer:
    inbound = receiving.inbound(transfer_id, lock=lock)
    if inbound is None or inbound.to_area_id not in principal.areas:
        raise NotVisible("no such transfer")
    return inbound


def _sending_transfer(sending: CaseworkUnitOfWork, inbound: InboundTransfer,
                      principal: Principal, lock: bool) -> Transfer:
    transfer = sending.transfer(inbound.id, lock=lock)
    if transfer is None or transfer.to_tenant_id != str(principal.tenant):
        raise NotVisible("no such transfer")
    return transfer


def package(units: UnitsOfWork, peers: FederationClient, principal: Principal,
            transfer_id: uuid.UUID, consent_owner: ConsentOwner) -> dict | None:
    """The handover package of an offer to this tenant, for a case manager of the area; None
    when the id is no inbound offer here. Audited on both sides. Shown only while the sender's
    intake confirms participation (a peer deployment checks its own, ADR 0053)."""
    with units(principal.tenant, principal=principal) as receiving:
        if receiving.inbound(transfer_id) is None:
            return None
        inbound = _inbound_for(receiving, principal, transfer_id)
        if inbound.status != "pending":
            raise NotVisible("no such transfer")
        from_tenant = inbound.from_tenant_id
        if inbound.source_url:
            # the peer audits its side; this side's entry commits before the package is shown
            document = transfer_to_peer.fetch_package(units, peers, principal, inbound)
        receiving.audit("read", "transfer_package", transfer_id, reason="transfer from tenant "
                        f"{from_tenant}")
        receiving.commit()
    if inbound.source_url:
        return document
    with units(from_tenant, principal=principal) as sending:
        transfer = _sending_transfer(sending, inbound, principal, lock=False)
        if transfer.status != "pending":  # withdrawn before the consumer told this tenant
            raise Refused("the sending county no longer offers this case")
        case = sending.case(transfer.case_id)
        require_sharing(case, consent_check.for_handing_on(sending, consent_owner, case,
                                                           sending.consents(case.id)),
                        "the handover package is not shown")
        document = CaseCopy.of(sending, case).document(transfer, from_tenant)
        sending.audit("read", "transfer_package", case.id,
                      reason=f"transfer to tenant {principal.tenant}")
        sending.commit()
    return document


def accept(units: UnitsOfWork, peers: FederationClient, principal: Principal,
           transfer_id: uuid.UUID, consent_owner: ConsentOwner) -> uuid.UUID | None:
    """Take over a case offered from another tenant; None when the id is no inbound offer.
    The copy opens only while the sender's intake confirms participation at this moment
    (ADR 0053); an acceptance whose copy opened already (a crash before step 3) is finished."""
    with units(principal.tenant, principal=principal) as receiving:
        if receiving.inbound(transfer_id) is None:
            return None
        inbound = _inbound_for(receiving, principal, transfer_id)
        from_tenant = inbound.from_tenant_id
    if inbound.source_url:
        return transfer_to_peer.accept(units, peers, principal, inbound)
    with units(from_tenant, principal=principal) as sending:
        transfer = _sending_transfer(sending, inbound, principal, lock=True)
        if transfer.status not in ("pending", "accepted"):
            raise Refused(f"the transfer is {transfer.status}")
        case = sending.case(transfer.case_id, lock=True)
        with units(principal.tenant, principal=principal) as receiving:
            inbound = _inbound_for(receiving, principal, transfer_id, lock=True)
            if inbound.status == "pending":
                require_sharing(case, consent_check.for_handing_on(
                    sending, consent_owner, case, sending.consents(case.id)), HANDED_ON)
                new_case = open_copy(receiving, principal, CaseCopy.of(sending, case), inbound)
                inbound.status, inbound.accepted_by = "accepted", principal.subject
                inbound.accepted_case_id, inbound.decided_at = new_case.id, clock.now()
                receiving.commit()
            elif inbound.status != "accepted":
                raise Refused(f"the transfer is {inbound.status}")
            new_case_id = inbound.accepted_case_id
        if transfer.status == "pending":
            hand_over(sending, principal, transfer, case)
            sending.commit()
    return new_case_id
