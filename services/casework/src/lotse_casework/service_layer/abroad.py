"""Transfer to another tenant running Lotse (the client moved to another county).

The sending case manager offers the case to an area of the receiving tenant
(``casework.case.transfer_offered.v1``, through the outbox: no offer is lost). Casework's own
consumer records the offer on the receiving side (:class:`InboundTransfer`, ids only) and tells
the case managers of that area. One of them reads the handover package and accepts it:

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
intake reference is the transfer id, unique per tenant). This works for tenants served by the
same casework deployment; separate deployments need a federation endpoint (ADR 0050).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa

from lotse.casework.v1 import events_pb2 as ev
from lotse_platform.auth import Principal
from lotse_platform.db import is_postgres

from ..adapters import orm

from ..domain.errors import Incomplete, NotVisible, Refused
from ..domain.model import Case, Consent, InboundTransfer, Notice, Person, PhaseTransition
from ..domain.planning import Assessment, Goal, HelpPlan, Step
from ..domain.vocabulary import PARTICIPATION_CONSENTS
from .access import today
from .events import closure_reason, facts, iso, phase, publish

OPERATOR_PREFIX = "transfer:"


def offer(uow, principal: Principal, case: Case, to_tenant_id: str, to_area_id: str | None,
          note: str | None):
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
    transfer = Transfer.offer_abroad(case, str(target), to_area_id, principal.subject, note)
    uow.add(transfer)
    publish(uow, case, ev.CaseTransferOffered(case=facts(case), transfer_id=str(transfer.id),
                                              to_tenant_id=str(target), to_area_id=to_area_id,
                                              offered_on=iso(today())))
    uow.audit("transfer.offer", "case", case.id, reason=f"to tenant {target}")
    return transfer


def receive_offer(event: ev.CaseTransferOffered, envelope, uow, *, service, **_) -> None:
    """Consumer of ``casework.case.transfer_offered.v1`` (the sending tenant's event): record
    the offer in the receiving tenant and tell that area's case managers. Idempotent."""
    if is_postgres(uow.session.get_bind()):
        # row-level security keeps the consumer's transaction to the sending tenant: the
        # receiving tenant's rows are written in a transaction of that tenant
        with service.uow(event.to_tenant_id) as receiving:
            _record_offer(receiving.session, event, str(envelope.tenant))
            receiving.commit()
    else:
        # SQLite (embedded): one writer at a time, so a second connection would wait for this
        # very transaction; without row-level security the consumer's session writes them
        _record_offer(uow.session, event, str(envelope.tenant))


def _record_offer(session, event: ev.CaseTransferOffered, from_tenant: str) -> None:
    tenant, transfer_id = uuid.UUID(event.to_tenant_id), uuid.UUID(event.transfer_id)
    inbound = orm.inbound_transfers
    if session.execute(sa.select(inbound.c.id).where(inbound.c.id == transfer_id)).first():
        return
    now = datetime.now(UTC)
    session.execute(inbound.insert().values(
        id=transfer_id, tenant_id=tenant, from_tenant_id=from_tenant,
        from_case_id=event.case.case_id, to_area_id=event.to_area_id, offered_at=now,
        status="pending"))
    managers = orm.case_managers
    for user_id, areas in session.execute(
            sa.select(managers.c.user_id, managers.c.areas)
            .where(managers.c.tenant_id == tenant, managers.c.active.is_(True))):
        if event.to_area_id in (areas or []):
            session.execute(orm.notices.insert().values(
                id=uuid.uuid4(), tenant_id=tenant, recipient_id=user_id,
                kind="transfer_offered", reference=str(transfer_id), created_at=now))


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
        receiving.audit("read", "transfer_package", transfer_id, reason="transfer from tenant "
                        f"{from_tenant}")
        receiving.commit()
    with service.uow(from_tenant, principal=principal) as sending:
        transfer = _sending_transfer(sending, inbound, principal, lock=False)
        case = sending.case(transfer.case_id)
        assessments, plans = sending.assessments(case.id), sending.help_plans(case.id)
        document = {
            "transfer": transfer, "from_tenant_id": from_tenant,
            "case": {"phase": case.phase, "opened_on": case.opened_on,
                     "topic_areas": case.topic_areas, "legal_areas": case.legal_areas},
            "person": sending.person(case.id), "motto_goal": case.motto_goal,
            "goals": [g for g in sending.goals(case.id) if g.status == "open"],
            "help_plan": plans[-1] if plans else None,
            "assessment": assessments[-1] if assessments else None,
            "steps": [s for s in sending.steps(case.id) if s.status == "open"],
        }
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
    with service.uow(from_tenant, principal=principal) as sending:
        transfer = _sending_transfer(sending, inbound, principal, lock=True)
        if transfer.status not in ("pending", "accepted"):
            raise Refused(f"the transfer is {transfer.status}")
        case = sending.case(transfer.case_id, lock=True)
        with service.uow(principal.tenant, principal=principal) as receiving:
            inbound = _inbound_for(receiving, principal, transfer_id, lock=True)
            if inbound.status == "pending":
                new_case = _open_copy(receiving, sending, principal, case, inbound)
                inbound.status, inbound.accepted_by = "accepted", principal.subject
                inbound.accepted_case_id, inbound.decided_at = new_case.id, datetime.now(UTC)
                receiving.commit()
            elif inbound.status != "accepted":
                raise Refused(f"the transfer is {inbound.status}")
            new_case_id = inbound.accepted_case_id
        if transfer.status == "pending":
            _hand_over(sending, principal, transfer, case)
            sending.commit()
    return new_case_id


def _open_copy(receiving, sending, principal: Principal, case: Case,
               inbound: InboundTransfer) -> Case:
    copy = Case.open(intake_id=str(inbound.id),
                     operator_org_id=f"{OPERATOR_PREFIX}{inbound.from_tenant_id}",
                     area_id=inbound.to_area_id, organisation_id=principal.organisation,
                     case_manager_id=principal.subject, opened_on=today(),
                     topic_areas=case.topic_areas, target_group_ids=[])
    copy.legal_areas = list(case.legal_areas)
    copy.motto_goal, copy.risk_flagged = case.motto_goal, case.risk_flagged
    copy.phase, copy.phases_visited = case.phase, [case.phase]
    receiving.add(copy)
    receiving.flush()
    person = sending.person(case.id)
    receiving.add(
        Person(case_id=copy.id, name=person.name, date_of_birth=person.date_of_birth,
               contact=dict(person.contact), languages=list(person.languages),
               interpreter_needed=person.interpreter_needed, screening=dict(person.screening),
               counselling_history=list(person.counselling_history)),
        PhaseTransition(case_id=copy.id, from_phase=None, to_phase=case.phase,
                        changed_by=principal.subject, changed_at=datetime.now(UTC),
                        note="taken over from another county"))
    for consent in sending.consents(case.id):
        if consent.kind in PARTICIPATION_CONSENTS and consent.withdrawn_on is None:
            receiving.add(Consent(case_id=copy.id, consent_id=consent.consent_id,
                                  kind=consent.kind, valid_from=consent.valid_from,
                                  valid_until=consent.valid_until))
    assessments = sending.assessments(case.id)
    if assessments:
        latest = assessments[-1]
        receiving.add(Assessment(case_id=copy.id, version=1, recorded_by=latest.recorded_by,
                                 life_areas=list(latest.life_areas),
                                 resources=list(latest.resources), network=list(latest.network),
                                 recorded_at=latest.recorded_at))
    goal_ids = {}
    for goal in sending.goals(case.id):
        if goal.status != "open":
            continue
        new = Goal(case_id=copy.id, topic_area=goal.topic_area, statement=goal.statement,
                   indicator=goal.indicator, responsible=goal.responsible,
                   responsible_org_id="" if goal.responsible == "partner_organisation"
                   else goal.responsible_org_id, realism_note=goal.realism_note,
                   due_on=goal.due_on, set_on=goal.set_on, history=list(goal.history),
                   revision=goal.revision)
        goal_ids[goal.id] = new.id
        receiving.add(new)
    plans = sending.help_plans(case.id)
    if plans:
        latest = plans[-1]
        receiving.add(HelpPlan(case_id=copy.id, version=1, created_by=principal.subject,
                               monitoring_every_days=latest.monitoring_every_days,
                               monitoring_contact_types=list(latest.monitoring_contact_types),
                               changes="taken over from another county",
                               reason="the client moved"))
    receiving.flush()
    for step in sending.steps(case.id):
        if step.status == "open" and step.goal_id in goal_ids:
            receiving.add(Step(case_id=copy.id, goal_id=goal_ids[step.goal_id],
                               description=step.description, responsible=step.responsible,
                               due_on=step.due_on))
    publish(receiving, copy, ev.CaseOpened(case=facts(copy), intake_id=copy.intake_id,
                                           operator_org_id=copy.operator_org_id))
    receiving.audit("create", "case", copy.id, reason=f"transfer {inbound.id}")
    receiving.audit("create", "person", copy.id, reason="handover package of another county")
    return copy


def _hand_over(sending, principal: Principal, transfer, case: Case) -> None:
    at, on = datetime.now(UTC), today()
    transfer.status, transfer.decided_at = "accepted", at
    before = case.phase
    transition = case.hand_over(principal.subject, on, at)
    sending.add(transition)
    for share in sending.shares(case.id):
        share.end(at)
    publish(sending, case, ev.CaseTransferred(
        case=facts(case), from_area_id=transfer.from_area_id,
        from_case_manager_id=transfer.from_case_manager_id,
        to_tenant_id=transfer.to_tenant_id, transferred_on=iso(on)))
    publish(sending, case, ev.PhaseChanged(case=facts(case), from_phase=phase(before),
                                           to_phase=phase("closed"),
                                           changed_by=principal.subject,
                                           changed_at=iso(transition.changed_at)))
    publish(sending, case, ev.CaseClosed(
        case=facts(case), reason=closure_reason("moved_away"), closed_on=iso(on),
        duration_days=case.duration_days(on), phases=[phase(p) for p in case.phases_visited],
        goals_reached=sum(1 for g in sending.goals(case.id) if g.status == "reached"),
        goals_total=len(sending.goals(case.id))))
    sending.add(Notice(recipient_id=transfer.from_case_manager_id, kind="transfer_accepted",
                       case_id=case.id))
    sending.audit("transfer.accept", "case", case.id, reason=f"to tenant {principal.tenant}")


def incoming(service, principal: Principal) -> list[dict]:
    with service.uow(principal.tenant) as receiving:
        return [{"transfer_id": t.id, "from_tenant_id": t.from_tenant_id,
                 "to_area_id": t.to_area_id, "requested_at": t.offered_at}
                for t in receiving.inbound_for_areas(principal.areas)]


def mark_cancelled(service, to_tenant_id: str, transfer_id: uuid.UUID) -> None:
    with service.uow(to_tenant_id) as receiving:
        inbound = receiving.inbound(transfer_id, lock=True)
        if inbound is not None and inbound.status == "pending":
            inbound.status, inbound.decided_at = "cancelled", datetime.now(UTC)
            receiving.commit()
