"""Transfer to a tenant of another Lotse deployment (federation, ADR 0051).

The same transfer as :mod:`.transfer_to_tenant` (and the same steps, :mod:`.transfer_steps`),
with HTTP between the two casework deployments where the same-deployment path opens a unit of
work of the other tenant:

sending deployment                                   receiving deployment (peer)
------------------                                   ---------------------------
offer → outbox → own consumer: :func:`deliver_offer`
    ``POST <peer>/federation/transfers`` ──────────▶ :func:`receive_offer`: InboundTransfer
                                                      (with the sender's URL), notices
:func:`serve_package` ◀── ``GET …/package`` ──────── :func:`fetch_package` (case manager reads,
    (audited here, case manager named)                or accepts: :func:`accept` opens the copy
                                                      and puts ``…transfer_accepted.v1`` in the
                                                      outbox, in one transaction)
:func:`record_acceptance`: hand over ◀── ``POST …/accepted`` ── consumer: :func:`report_acceptance`
    (closed moved away, transferred event)            (redelivered until the sender answers)
cancel → outbox → own consumer: :func:`deliver_cancel`
    ``POST <peer>/federation/transfers/<id>/cancelled`` ▶ :func:`record_cancel`: InboundTransfer
                                                      cancelled, its notices withdrawn (409 when
                                                      accepted already: the acceptance stands)

The receiving deployment decides between a cancel and an acceptance that cross: its
InboundTransfer row, under lock, is either cancelled (the acceptance is refused there) or
accepted (the cancel is answered 409, and the sender hands its case over when the acceptance
report arrives, although it had cancelled — its case manager is told).

Who may call the federation endpoints is decided in :func:`peer_tenant`: a machine client with
the ``service`` role, vouched for by a trusted *external* issuer (``LOTSE_TRUSTED_ISSUERS``,
whose ``tenant`` is fixed per issuer) whose tenant is a configured peer. A peer then acts only
for its own tenant: it offers only from it, reads only packages addressed to it, and reports
only acceptances of offers made to it, and cancels only its own offers. What a peer asks is a
command (``ReceivePeerOffer``, ``RecordPeerAcceptance``, ``RecordPeerCancel``) whose actor, the
unit of work's principal, is the peer's machine client; the tenants' rows are written in units
of work of those tenants (``units``).
"""

from __future__ import annotations

import logging
import uuid

from lotse.casework.v1 import events_pb2 as ev
from lotse_platform import clock
from lotse_platform.auth import SERVICE, Principal
from lotse_platform.errors import Forbidden
from lotse_platform.subject_rights import erasure_handlers

from ..adapters.federation_client import FederationClient, PeerRefused, PeerUnavailable
from ..domain.commands import (
    ReceivePeerOffer,
    RecordPeerAcceptance,
    RecordPeerCancel,
    RecordPeerErasure,
)
from ..domain.errors import Incomplete, NotVisible, Refused
from ..domain.model import HANDED_ON, InboundTransfer, Notice, require_sharing
from ..domain.transfer_copy import CaseCopy
from ..settings import CaseworkSettings
from . import consent_check
from .access import caller
from .consent_check import ConsentOwner
from .erasure_recipients import COORDINATOR
from .events import case_facts, publish, to_iso
from .transfer_steps import hand_over, open_copy, record_offer, withdraw_offer
from .unit_of_work import CaseworkUnitOfWork, UnitsOfWork

log = logging.getLogger("lotse.casework.federation")


class NotAPeer(Forbidden):
    """The caller is no peer deployment's casework (answered 403)."""


def peer_tenant(settings: CaseworkSettings, principal: Principal) -> uuid.UUID:
    """The peer tenant the caller speaks for, or :class:`NotAPeer`."""
    trusted = {issuer.issuer: issuer.tenant for issuer in settings.trusted_issuers}
    if not (principal.is_client and principal.has_any_role(SERVICE)):
        raise NotAPeer("only a peer deployment's machine client calls the federation endpoints")
    if trusted.get(principal.issuer or "") != principal.tenant \
            or not settings.peer_url(principal.tenant):
        raise NotAPeer("the token's issuer is not trusted for a peer tenant")
    return principal.tenant


# -- sending side ---------------------------------------------------------------------------------
def deliver_offer(event: ev.CaseTransferOffered, envelope, uow: CaseworkUnitOfWork,
                  peers: FederationClient, *, peer_url: str, callback_url: str | None) -> None:
    """Consumer of the sending tenant's ``…transfer_offered.v1`` for a peer's tenant
    (:func:`.transfer_to_tenant.receive_offer` hands it on): deliver the offer (ids and facts
    only) to ``peer_url``, naming this deployment's ``callback_url``. Raises while the peer cannot be reached (redelivery, then the
    dead-letter queue); a peer that cannot receive it (422) declines it for the sender."""
    # no row lock during the call (ADR 0050): a cancel meanwhile makes the peer's fetch a 409
    transfer = uow.transfer(uuid.UUID(event.transfer_id))
    if transfer is None or transfer.status != "pending":
        log.info("federation.offer_not_pending", extra={"transfer_id": event.transfer_id})
        return
    case = uow.case(transfer.case_id)
    offer = {"transfer_id": str(transfer.id), "from_tenant_id": str(envelope.tenant),
             "to_tenant_id": transfer.to_tenant_id, "to_area_id": transfer.to_area_id,
             "from_case_id": str(case.id), "callback_url": callback_url,
             "topic_areas": list(case.topic_areas), "legal_areas": list(case.legal_areas),
             "phase": case.phase, "offered_on": event.offered_on or to_iso(uow.today())}
    try:
        peers.deliver_offer(peer_url, offer)
    except PeerRefused as refusal:
        if refusal.status != 422:
            raise PeerUnavailable(f"peer refused the offer: {refusal.status}") from None
        transfer = uow.transfer(transfer.id, lock=True)
        if transfer.status != "pending":
            return
        transfer.status, transfer.decided_at = "declined", clock.now()
        uow.add(Notice(recipient_id=transfer.from_case_manager_id, kind="transfer_declined",
                       case_id=case.id, reference=str(transfer.id)))
        # the peer's own words stay out of the trail (another deployment's text, unchecked)
        uow.audit("transfer.decline", "case", case.id,
                  reason=f"tenant {transfer.to_tenant_id} cannot receive it (422)")
        log.warning("federation.offer_refused", extra={"transfer_id": str(transfer.id)})
        return
    log.info("federation.offer_delivered", extra={"transfer_id": str(transfer.id)})


def serve_package(settings: CaseworkSettings, units: UnitsOfWork, principal: Principal,
                  transfer_id: uuid.UUID, from_tenant_id: str, case_manager_id: str,
                  consent_owner: ConsentOwner) -> dict:
    """The handover package of a pending offer to the calling peer's tenant, audited in the
    sending tenant with the receiving case manager as the reader — only while intake confirms
    the person's participation at this moment (ADR 0053): the peer opens its copy from it."""
    receiving = peer_tenant(settings, principal)
    reader = Principal(subject=case_manager_id, tenant=receiving,
                       organisation=principal.organisation, issuer=principal.issuer)
    with units(from_tenant_id, principal=reader) as sending:
        transfer = sending.transfer(transfer_id)
        if transfer is None or transfer.to_tenant_id != str(receiving):
            raise NotVisible("no such transfer")
        if transfer.status != "pending":
            raise Refused(f"the transfer is {transfer.status}")
        case = sending.case(transfer.case_id)
        require_sharing(case, consent_check.for_handing_on(sending, consent_owner, case,
                                                           sending.consents(case.id)),
                        "the handover package is not served")
        document = CaseCopy.of(sending, case).document(transfer, str(from_tenant_id))
        sending.audit("read", "transfer_package", case.id,
                      reason=f"transfer to tenant {receiving} (peer client {principal.subject})")
        sending.commit()
    return document


def record_acceptance(cmd: RecordPeerAcceptance, uow: CaseworkUnitOfWork,
                      settings: CaseworkSettings, units: UnitsOfWork,
                      consent_owner: ConsentOwner) -> None:
    """The peer reports that its case manager accepted: hand the case over (idempotent) —
    not once intake has the person's participation withdrawn (checked at this moment, ADR
    0053: 409, the peer tells its case manager; 503 while intake cannot say, the peer's
    consumer asks again)."""
    principal, transfer_id = caller(uow), cmd.transfer_id
    receiving = peer_tenant(settings, principal)
    with units(str(cmd.from_tenant_id), principal=principal) as sending:
        transfer = sending.transfer(transfer_id, lock=True)
        if transfer is None or transfer.to_tenant_id != str(receiving):
            raise NotVisible("no such transfer")
        if transfer.status == "accepted":
            return
        case = sending.case(transfer.case_id, lock=True)
        # a cancel by the case manager that crossed the acceptance: the receiver accepted before
        # it arrived there (it answers that cancel 409), so the acceptance stands. A withdrawn
        # participation consent still stops the handover.
        overtaken = transfer.status == "cancelled" and not case.sharing_stopped
        if transfer.status != "pending" and not overtaken:
            raise Refused(f"the transfer is {transfer.status}")
        require_sharing(case, consent_check.for_handing_on(sending, consent_owner, case,
                                                           sending.consents(case.id)), HANDED_ON)
        hand_over(sending, principal, transfer, case, accepted_by=cmd.accepted_by)
        sending.commit()
    log.info("federation.handed_over", extra={"transfer_id": str(transfer_id),
                                              "after_cancel": overtaken})


def deliver_cancel(event: ev.CaseTransferCancelled, envelope, uow: CaseworkUnitOfWork,
                   peers: FederationClient, *, peer_url: str) -> None:
    """Consumer of the sending tenant's ``…transfer_cancelled.v1`` for a peer's tenant
    (:func:`.transfer_to_tenant.receive_cancel` hands it on): tell the peer, which takes the offer out of its case managers' day. Raises while the peer cannot be
    reached (redelivery, dead letter, replay). Handled without retrying when the peer never
    recorded the offer (404: it was withdrawn before its delivery) or had accepted it already
    (409: the acceptance report hands the case over; the sending case manager is told)."""
    try:
        peers.report_cancelled(
            peer_url, uuid.UUID(event.transfer_id),
            {"from_tenant_id": str(envelope.tenant), "to_tenant_id": event.to_tenant_id})
    except PeerRefused as refusal:
        if refusal.status == 404:
            log.info("federation.cancel_unknown", extra={"transfer_id": event.transfer_id})
            return
        if refusal.status != 409:
            raise PeerUnavailable(f"peer refused the cancel: {refusal.status}") from None
        transfer = uow.transfer(uuid.UUID(event.transfer_id))
        uow.add(Notice(recipient_id=transfer.from_case_manager_id,
                       kind="transfer_cancel_too_late", case_id=transfer.case_id,
                       reference=str(transfer.id)))
        uow.audit("transfer.cancel_refused", "case", transfer.case_id,
                  reason=f"tenant {event.to_tenant_id} had accepted the transfer already")
        log.warning("federation.cancel_too_late", extra={"transfer_id": event.transfer_id})
        return
    log.info("federation.cancel_delivered", extra={"transfer_id": event.transfer_id})


def deliver_erasure(event: ev.CaseTransferErasureRequested, envelope, uow: CaseworkUnitOfWork,
                    settings: CaseworkSettings, peers: FederationClient) -> None:
    """Consumer of the sending tenant's ``…transfer_erasure_requested.v1`` (its erasure of a
    person whose case a peer's tenant took over, ADR 0109): tell the peer, which forwards the
    erasure to that tenant. Raises while the peer cannot be reached or is no longer configured
    (redelivery, dead letter, replay). Done without retrying when the peer answers that it never
    took the case over (404, 409): nothing there to erase."""
    peer_url = settings.peer_url(event.to_tenant_id)
    if not peer_url:
        raise PeerUnavailable(f"tenant {event.to_tenant_id} is no longer a configured peer "
                              "(LOTSE_CASEWORK_PEERS): the erasure waits in the dead letters")
    try:
        peers.report_erasure(peer_url, uuid.UUID(event.transfer_id), {
            "from_tenant_id": str(envelope.tenant), "to_tenant_id": event.to_tenant_id,
            "erasure_id": event.erasure_id})
    except PeerRefused as refusal:
        if refusal.status not in (404, 409):
            raise PeerUnavailable(f"peer refused the erasure: {refusal.status}") from None
        log.warning("federation.erasure_not_taken", extra={
            "transfer_id": event.transfer_id, "status": refusal.status})
        return
    log.info("federation.erasure_delivered", extra={"transfer_id": event.transfer_id})


# -- receiving side -------------------------------------------------------------------------------
def receive_offer(cmd: ReceivePeerOffer, uow: CaseworkUnitOfWork, settings: CaseworkSettings,
                  units: UnitsOfWork) -> uuid.UUID:
    """Record an offer a peer delivered (once: delivered again, it is recorded already);
    answers the transfer id."""
    principal = caller(uow)
    sender = peer_tenant(settings, principal)
    if cmd.from_tenant_id != sender:
        raise NotAPeer("a peer offers only its own tenant's cases")
    to_tenant = cmd.to_tenant_id
    if to_tenant == sender or settings.peer_url(to_tenant):
        raise Incomplete("the receiving tenant is not served here",
                         {"to_tenant_id": "a tenant of this deployment"})
    expected = settings.peer_url(sender)
    if cmd.callback_url.rstrip("/") != expected:
        # the package is fetched with this deployment's token: never from where a body says
        raise Incomplete("the callback URL is not the one configured for the sending tenant",
                         {"callback_url": "the sending deployment's configured casework URL"})
    with units(to_tenant, principal=principal) as receiving:
        existing = receiving.inbound(cmd.transfer_id)
        if existing is not None:
            if existing.from_tenant_id != str(sender):
                raise Refused("the transfer id is taken")
            return cmd.transfer_id
        managers = [m for m in receiving.case_managers() if m.active]
        if not managers:
            raise Incomplete("the receiving tenant is not served here",
                             {"to_tenant_id": "a tenant of this deployment"})
        if not any(cmd.to_area_id in (m.areas or []) for m in managers):
            raise Incomplete("no case manager here serves the receiving area",
                             {"to_area_id": "an area of the receiving tenant's case managers"})
        record_offer(receiving, cmd.transfer_id, str(sender), str(cmd.from_case_id),
                     cmd.to_area_id, source_url=expected)
        receiving.audit("transfer.receive", "transfer", cmd.transfer_id,
                        reason=f"from tenant {sender}")
        receiving.commit()
    log.info("federation.offer_received", extra={"transfer_id": str(cmd.transfer_id)})
    return cmd.transfer_id


def _sent_here(settings: CaseworkSettings, principal: Principal, from_tenant_id: uuid.UUID,
               to_tenant_id: uuid.UUID, not_its_own: str) -> tuple[uuid.UUID, str]:
    """The calling peer's tenant and the receiving tenant of a transfer the peer speaks of:
    :class:`NotAPeer` when it speaks for another tenant than its own, :class:`NotVisible` when
    the receiving tenant is not one served here."""
    sender = peer_tenant(settings, principal)
    if str(from_tenant_id) != str(sender):
        raise NotAPeer(not_its_own)
    receiving = str(to_tenant_id)
    if receiving == str(sender) or settings.peer_url(receiving):
        raise NotVisible("no such transfer")
    return sender, receiving


def record_cancel(cmd: RecordPeerCancel, uow: CaseworkUnitOfWork, settings: CaseworkSettings,
                  units: UnitsOfWork) -> None:
    """A peer withdraws its offer: it leaves the receiving case managers' day (idempotent);
    :class:`Refused` (409) when it was accepted here already."""
    principal, transfer_id = caller(uow), cmd.transfer_id
    sender, to_tenant_id = _sent_here(settings, principal, cmd.from_tenant_id, cmd.to_tenant_id,
                                      "a peer cancels only its own tenant's offers")
    with units(to_tenant_id, principal=principal) as receiving:
        inbound = receiving.inbound(transfer_id, lock=True)
        if inbound is None or inbound.from_tenant_id != str(sender):
            raise NotVisible("no such transfer")
        if inbound.status == "cancelled":
            return
        if inbound.status != "pending":
            raise Refused(f"the transfer is {inbound.status}")
        withdraw_offer(receiving, transfer_id)
        receiving.audit("transfer.cancel", "transfer", transfer_id,
                        reason=f"withdrawn by tenant {sender}")
        receiving.commit()
    log.info("federation.offer_withdrawn", extra={"transfer_id": str(transfer_id)})


def record_erasure(cmd: RecordPeerErasure, uow: CaseworkUnitOfWork, settings: CaseworkSettings,
                   units: UnitsOfWork) -> None:
    """A peer erased, on her request, a person whose case a tenant here took over: forward the
    erasure to that tenant (``erasure.requested.v1``, trigger ``recipient``, the person known
    there by the transfer's id), as for a tenant of the same deployment (ADR 0109). Delivered
    again, the same erasure is forwarded again under the same id, and every service erases
    once. :class:`NotVisible` for a transfer not the caller's; :class:`Refused` (409) for one
    never accepted here."""
    principal, transfer_id = caller(uow), cmd.transfer_id
    sender, to_tenant_id = _sent_here(settings, principal, cmd.from_tenant_id, cmd.to_tenant_id,
                                      "a peer forwards only its own tenant's erasures")
    with units(to_tenant_id, principal=principal) as receiving:
        inbound = receiving.inbound(transfer_id)
        if inbound is None or inbound.from_tenant_id != str(sender):
            raise NotVisible("no such transfer")
        if inbound.status != "accepted":
            raise Refused(f"the transfer is {inbound.status}: no case was taken over")
        erasure_handlers.forward(receiving, erasure_id=cmd.erasure_id,
                                 person_id=str(transfer_id), coordinator=COORDINATOR)
        receiving.commit()
    log.info("federation.erasure_forwarded", extra={"transfer_id": str(transfer_id)})


def fetch_package(units: UnitsOfWork, peers: FederationClient, principal: Principal,
                  inbound: InboundTransfer) -> dict:
    """The package from the sending deployment, for this case manager. An offer the sender no
    longer has pending is refused (409) and, when the sender says so, marked cancelled here."""
    try:
        return peers.fetch_package(
            inbound.source_url, inbound.id, from_tenant_id=inbound.from_tenant_id,
            case_manager_id=principal.subject)
    except PeerRefused as refusal:
        if refusal.status == 409:
            _mark_cancelled(units, str(principal.tenant), inbound.id)
        raise Refused("the sending county no longer offers this case") from None


def _mark_cancelled(units: UnitsOfWork, to_tenant_id: str, transfer_id: uuid.UUID) -> None:
    """The sender answered that it no longer offers the case (a cancel not yet delivered)."""
    with units(to_tenant_id) as receiving:
        withdraw_offer(receiving, transfer_id)
        receiving.commit()


def accept(units: UnitsOfWork, peers: FederationClient, principal: Principal,
           inbound: InboundTransfer) -> uuid.UUID:
    """Accept an offer from a peer: fetch the package, open the copy here and put the
    acceptance into the outbox, in one transaction; accepting again opens nothing twice."""
    if inbound.status == "accepted":
        return inbound.accepted_case_id
    if inbound.status != "pending":
        raise Refused(f"the transfer is {inbound.status}")
    try:
        copy = CaseCopy.from_document(fetch_package(units, peers, principal, inbound))
    except ValueError as error:
        raise PeerUnavailable(f"unreadable handover package: {error}") from None
    with units(principal.tenant, principal=principal) as receiving:
        inbound = receiving.inbound(inbound.id, lock=True)
        if inbound.status == "pending":
            case = open_copy(receiving, principal, copy, inbound)
            inbound.status, inbound.accepted_by = "accepted", principal.subject
            inbound.accepted_case_id, inbound.decided_at = case.id, clock.now()
            publish(receiving, case, ev.CaseTransferAccepted(
                case=case_facts(case), transfer_id=str(inbound.id),
                from_tenant_id=inbound.from_tenant_id, accepted_by=principal.subject,
                accepted_on=to_iso(receiving.today())))
            receiving.commit()
        elif inbound.status != "accepted":
            raise Refused(f"the transfer is {inbound.status}")
        return inbound.accepted_case_id


def report_acceptance(event: ev.CaseTransferAccepted, envelope, uow: CaseworkUnitOfWork,
                      peers: FederationClient) -> None:
    """Consumer of the receiving tenant's ``…transfer_accepted.v1``: tell the sending
    deployment, which hands its case over. Raises while it cannot be told (redelivery, dead
    letter, replay). A sender that withdrew the offer meanwhile (409) leaves the new case here
    and a notice for the case manager who accepted it."""
    inbound = uow.inbound(uuid.UUID(event.transfer_id))
    if inbound is None or not inbound.source_url:
        return
    try:
        peers.report_accepted(
            inbound.source_url, inbound.id,
            {"from_tenant_id": inbound.from_tenant_id, "accepted_by": event.accepted_by})
    except PeerRefused as refusal:
        if refusal.status != 409:
            raise PeerUnavailable(f"sender refused the acceptance: {refusal.status}") from None
        uow.add(Notice(recipient_id=event.accepted_by, kind="transfer_withdrawn_by_sender",
                       case_id=inbound.accepted_case_id, reference=str(inbound.id)))
        log.warning("federation.acceptance_refused", extra={"transfer_id": str(inbound.id)})
        return
    log.info("federation.acceptance_reported", extra={"transfer_id": str(inbound.id)})
