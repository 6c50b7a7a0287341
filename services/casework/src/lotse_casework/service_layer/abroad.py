"""Transfer to another tenant running Lotse (the client moved to another county).

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
``LOTSE_CASEWORK_PEERS``), the same steps run across HTTP (:mod:`.federation`, ADR 0051): the
consumer delivers the offer to the peer's federation endpoint, the peer's case manager reads
the package from here, her acceptance opens the case there with the same copy
(:func:`open_copy`) and is reported back through the peer's outbox; step 3 runs here
(:func:`hand_over`) when that report arrives.

A pending offer that is withdrawn — by its case manager or because the participation consent
was withdrawn — puts ``casework.case.transfer_cancelled.v1`` into the outbox with the cancel
(:func:`announce_cancel`); the same consumer takes the offer out of the receiving tenant's day
(:func:`receive_cancel`), here or at the peer.
"""

from __future__ import annotations

import uuid

from lotse.casework.v1 import events_pb2 as ev
from lotse_platform import clock
from lotse_platform.auth import Principal

from ..domain.errors import Incomplete, NotVisible, Refused
from ..domain.transfer_copy import CaseCopy
from ..domain.model import Case, Consent, InboundTransfer, Notice, Person, PhaseTransition
from ..domain.planning import Assessment, Goal, HelpPlan, Step
from .events import closure_reason, facts, iso, phase, publish

OPERATOR_PREFIX = "transfer:"


def offer(uow, principal: Principal, case: Case, to_tenant_id: str, to_area_id: str | None,
          note: str | None, service=None):
    """Offer the case to an area of another tenant: one served here, or — when
    ``LOTSE_CASEWORK_PEERS`` names it — by a peer deployment. With peers configured, a tenant
    that is neither a peer's nor one with case managers of that area here is refused (422)."""
    from ..domain.model import Transfer

    try:
        target = uuid.UUID(to_tenant_id)
    except ValueError:
        raise Incomplete("not a tenant id", {"to_tenant_id": "a UUID"}) from None
    if target == principal.tenant:
        raise Incomplete("a transfer within the tenant names the receiving case manager",
                         {"to_tenant_id": "another tenant than the caller's"})
    if not to_area_id:
        raise Incomplete("the receiving area is needed", {"to_area_id": "missing"})
    if service is not None and service.settings.peers \
            and not service.settings.peer_url(target) \
            and not serves_area(service, target, to_area_id):
        raise Incomplete("the receiving tenant is not known here",
                         {"to_tenant_id": "neither a tenant of a peer deployment "
                                          "(LOTSE_CASEWORK_PEERS) nor one with case managers "
                                          "of that area here"})
    transfer = Transfer.offer_abroad(case, str(target), to_area_id, principal.subject, note)
    uow.add(transfer)
    publish(uow, case, ev.CaseTransferOffered(case=facts(case), transfer_id=str(transfer.id),
                                              to_tenant_id=str(target), to_area_id=to_area_id,
                                              offered_on=iso(uow.today())))
    uow.audit("transfer.offer", "case", case.id, reason=f"to tenant {target}")
    return transfer


def serves_area(service, tenant_id, area_id: str) -> bool:
    """Whether an active case manager of ``tenant_id`` here serves ``area_id``."""
    with service.uow(tenant_id) as uow:
        return any(area_id in (m.areas or []) for m in uow.case_managers() if m.active)


def receive_offer(event: ev.CaseTransferOffered, envelope, uow, *, service, **_) -> None:
    """Consumer of ``casework.case.transfer_offered.v1`` (the sending tenant's event): record
    the offer in the receiving tenant and tell that area's case managers. Idempotent. An offer
    to a peer deployment's tenant is delivered there instead (:mod:`.federation`)."""
    peer_url = service.settings.peer_url(event.to_tenant_id)
    if peer_url:
        from . import federation

        federation.deliver_offer(event, envelope, uow, service=service, peer_url=peer_url)
        return
    transfer = uow.transfer(uuid.UUID(event.transfer_id))
    if transfer is not None and transfer.status != "pending":
        return  # withdrawn before it arrived: nothing to offer
    # the receiving tenant's rows are written in a unit of work of that tenant (row-level
    # security keeps the consumer's transaction to the sending tenant)
    with uow.alongside(service.uow(event.to_tenant_id)) as receiving:
        record_offer(receiving, event.transfer_id, str(envelope.tenant), event.case.case_id,
                     event.to_area_id)
        receiving.commit()


def record_offer(receiving, transfer_id, from_tenant: str, from_case_id: str, to_area_id: str,
                 source_url: str | None = None) -> bool:
    """The inbound offer and a notice to each active case manager of the area, in the
    receiving tenant's unit of work; False when the offer is recorded already."""
    transfer_id = uuid.UUID(str(transfer_id))
    if receiving.inbound(transfer_id) is not None:
        return False
    now = clock.now()
    receiving.add(InboundTransfer(id=transfer_id, from_tenant_id=from_tenant,
                                  from_case_id=from_case_id, to_area_id=to_area_id,
                                  offered_at=now, status="pending", source_url=source_url))
    for manager in receiving.case_managers():
        if manager.active and to_area_id in (manager.areas or []):
            receiving.add(Notice(recipient_id=manager.user_id, kind="transfer_offered",
                                 reference=str(transfer_id), created_at=now))
    return True


def announce_cancel(uow, case: Case, transfer) -> None:
    """The sending side of a withdrawn offer to another tenant: its event, in the transaction
    that cancels it (the receiving tenant is told by :func:`receive_cancel`)."""
    publish(uow, case, ev.CaseTransferCancelled(case=facts(case), transfer_id=str(transfer.id),
                                                to_tenant_id=transfer.to_tenant_id,
                                                cancelled_on=iso(uow.today())))


def receive_cancel(event: ev.CaseTransferCancelled, envelope, uow, *, service, **_) -> None:
    """Consumer of ``casework.case.transfer_cancelled.v1``: the offer leaves the receiving
    tenant's day (inbound cancelled, its offer notices withdrawn). Idempotent; an offer already
    accepted there stays accepted. A peer deployment's tenant is told through its federation
    endpoint (:func:`.federation.deliver_cancel`)."""
    peer_url = service.settings.peer_url(event.to_tenant_id)
    if peer_url:
        from . import federation

        federation.deliver_cancel(event, envelope, uow, service=service, peer_url=peer_url)
        return
    # as for the offer: the receiving tenant's rows in a unit of work of that tenant
    with uow.alongside(service.uow(event.to_tenant_id)) as receiving:
        withdraw_offer(receiving, event.transfer_id)
        receiving.commit()


def withdraw_offer(receiving, transfer_id) -> str | None:
    """Mark a pending inbound offer cancelled and withdraw the area's unread notices of it (they
    leave the day as read ones do); the inbound's status afterwards, None when there is none."""
    transfer_id = uuid.UUID(str(transfer_id))
    inbound = receiving.inbound(transfer_id, lock=True)
    if inbound is None or inbound.status != "pending":
        return inbound.status if inbound is not None else None
    now = clock.now()
    inbound.status, inbound.decided_at = "cancelled", now
    for notice in receiving.unread_notices("transfer_offered", str(transfer_id)):
        notice.read_at = now
    return "cancelled"


def _inbound_for(receiving, principal: Principal, transfer_id: uuid.UUID,
                 lock: bool = False) -> InboundTransfer:
    inbound = receiving.inbound(transfer_id, lock=lock)
    if inbound is None or inbound.to_area_id not in principal.areas:
        raise NotVisible("no such transfer")
    return inbound


def _sending_transfer(sending, inbound: InboundTransfer, principal: Principal, lock: bool):
    transfer = sending.transfer(inbound.id, lock=lock)
    if transfer is None or transfer.to_tenant_id != str(principal.tenant):
        raise NotVisible("no such transfer")
    return transfer


def package(service, principal: Principal, transfer_id: uuid.UUID) -> dict | None:
    """The handover package of an offer to this tenant, for a case manager of the area; None
    when the id is no inbound offer here. Audited on both sides."""
    with service.uow(principal.tenant, principal=principal) as receiving:
        if receiving.inbound(transfer_id) is None:
            return None
        inbound = _inbound_for(receiving, principal, transfer_id)
        if inbound.status != "pending":
            raise NotVisible("no such transfer")
        from_tenant = inbound.from_tenant_id
        if inbound.source_url:
            from . import federation

            # the peer audits its side; this side's entry commits before the package is shown
            document = federation.fetch_package(service, principal, inbound)
        receiving.audit("read", "transfer_package", transfer_id, reason="transfer from tenant "
                        f"{from_tenant}")
        receiving.commit()
    if inbound.source_url:
        return document
    with service.uow(from_tenant, principal=principal) as sending:
        transfer = _sending_transfer(sending, inbound, principal, lock=False)
        if transfer.status != "pending":  # withdrawn before the consumer told this tenant
            raise Refused("the sending county no longer offers this case")
        case = sending.case(transfer.case_id)
        document = CaseCopy.of(sending, case).document(transfer, from_tenant)
        sending.audit("read", "transfer_package", case.id,
                      reason=f"transfer to tenant {principal.tenant}")
        sending.commit()
    return document


def accept(service, principal: Principal, transfer_id: uuid.UUID) -> uuid.UUID | None:
    """Take over a case offered from another tenant; None when the id is no inbound offer."""
    with service.uow(principal.tenant, principal=principal) as receiving:
        if receiving.inbound(transfer_id) is None:
            return None
        inbound = _inbound_for(receiving, principal, transfer_id)
        from_tenant = inbound.from_tenant_id
    if inbound.source_url:
        from . import federation

        return federation.accept(service, principal, inbound)
    with service.uow(from_tenant, principal=principal) as sending:
        transfer = _sending_transfer(sending, inbound, principal, lock=True)
        if transfer.status not in ("pending", "accepted"):
            raise Refused(f"the transfer is {transfer.status}")
        case = sending.case(transfer.case_id, lock=True)
        with service.uow(principal.tenant, principal=principal) as receiving:
            inbound = _inbound_for(receiving, principal, transfer_id, lock=True)
            if inbound.status == "pending":
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


def open_copy(receiving, principal: Principal, source: CaseCopy,
              inbound: InboundTransfer) -> Case:
    """The receiving tenant's new case, with the copy of the sending tenant's file."""
    copy = Case.open(intake_id=str(inbound.id),
                     operator_org_id=f"{OPERATOR_PREFIX}{inbound.from_tenant_id}",
                     area_id=inbound.to_area_id, organisation_id=principal.organisation,
                     case_manager_id=principal.subject, opened_on=receiving.today(),
                     topic_areas=source.topic_areas, target_group_ids=[])
    copy.legal_areas = list(source.legal_areas)
    copy.motto_goal, copy.risk_flagged = source.motto_goal, source.risk_flagged
    copy.phase, copy.phases_visited = source.phase, [source.phase]
    receiving.add(copy)
    receiving.flush()
    person = source.person
    receiving.add(
        Person(case_id=copy.id, name=person.name, date_of_birth=person.date_of_birth,
               contact=dict(person.contact), languages=list(person.languages),
               interpreter_needed=person.interpreter_needed, screening=dict(person.screening),
               counselling_history=list(person.counselling_history)),
        PhaseTransition(case_id=copy.id, from_phase=None, to_phase=source.phase,
                        changed_by=principal.subject, changed_at=clock.now(),
                        note="taken over from another county"))
    for consent in source.consents:
        receiving.add(Consent(case_id=copy.id, consent_id=consent.consent_id,
                              kind=consent.kind, valid_from=consent.valid_from,
                              valid_until=consent.valid_until))
    if source.assessment is not None:
        latest = source.assessment
        receiving.add(Assessment(case_id=copy.id, version=1, recorded_by=latest.recorded_by,
                                 life_areas=list(latest.life_areas),
                                 resources=list(latest.resources), network=list(latest.network),
                                 recorded_at=latest.recorded_at))
    goal_ids = {}
    for goal in source.goals:
        new = Goal(case_id=copy.id, topic_area=goal.topic_area, statement=goal.statement,
                   indicator=goal.indicator, responsible=goal.responsible,
                   responsible_org_id="" if goal.responsible == "partner_organisation"
                   else goal.responsible_org_id, realism_note=goal.realism_note,
                   due_on=goal.due_on, set_on=goal.set_on, history=list(goal.history),
                   revision=goal.revision)
        goal_ids[goal.id] = new.id
        receiving.add(new)
    if source.help_plan is not None:
        latest = source.help_plan
        receiving.add(HelpPlan(case_id=copy.id, version=1, created_by=principal.subject,
                               monitoring_every_days=latest.monitoring_every_days,
                               monitoring_contact_types=list(latest.monitoring_contact_types),
                               changes="taken over from another county",
                               reason="the client moved"))
    receiving.flush()
    for step in source.steps:
        if step.goal_id in goal_ids:
            receiving.add(Step(case_id=copy.id, goal_id=goal_ids[step.goal_id],
                               description=step.description, responsible=step.responsible,
                               due_on=step.due_on))
    publish(receiving, copy, ev.CaseOpened(case=facts(copy), intake_id=copy.intake_id,
                                           operator_org_id=copy.operator_org_id))
    receiving.audit("create", "case", copy.id, reason=f"transfer {inbound.id}")
    receiving.audit("create", "person", copy.id, reason="handover package of another county")
    return copy


def hand_over(sending, principal: Principal, transfer, case: Case,
              accepted_by: str | None = None) -> None:
    """The sending side's step 3: the transfer accepted, the case closed (moved away) and no
    longer opened here. ``accepted_by`` names the receiving case manager when ``principal`` is
    a peer deployment's machine client."""
    at, on = clock.now(), sending.today()
    transfer.status, transfer.decided_at = "accepted", at
    before = case.phase
    transition = case.hand_over(accepted_by or principal.subject, on, at)
    sending.add(transition)
    for share in sending.shares(case.id):
        share.end(at)
    publish(sending, case, ev.CaseTransferred(
        case=facts(case), from_area_id=transfer.from_area_id,
        from_case_manager_id=transfer.from_case_manager_id,
        to_tenant_id=transfer.to_tenant_id, transferred_on=iso(on)))
    publish(sending, case, ev.PhaseChanged(case=facts(case), from_phase=phase(before),
                                           to_phase=phase("closed"),
                                           changed_by=transition.changed_by,
                                           changed_at=iso(transition.changed_at)))
    publish(sending, case, ev.CaseClosed(
        case=facts(case), reason=closure_reason("moved_away"), closed_on=iso(on),
        duration_days=case.duration_days(on), phases=[phase(p) for p in case.phases_visited],
        goals_reached=sum(1 for g in sending.goals(case.id) if g.status == "reached"),
        goals_total=len(sending.goals(case.id))))
    sending.add(Notice(recipient_id=transfer.from_case_manager_id, kind="transfer_accepted",
                       case_id=case.id))
    sending.audit("transfer.accept", "case", case.id, reason=f"to tenant {principal.tenant}"
                  + (f", accepted by {accepted_by}" if accepted_by else ""))


def incoming(service, principal: Principal) -> list[dict]:
    with service.uow(principal.tenant) as receiving:
        return [{"transfer_id": t.id, "from_tenant_id": t.from_tenant_id,
                 "to_area_id": t.to_area_id, "requested_at": t.offered_at}
                for t in receiving.inbound_for_areas(principal.areas)]


def mark_cancelled(service, to_tenant_id: str, transfer_id: uuid.UUID) -> None:
    """The sender answered that it no longer offers the case (a cancel not yet delivered)."""
    with service.uow(to_tenant_id) as receiving:
        withdraw_offer(receiving, transfer_id)
        receiving.commit()
