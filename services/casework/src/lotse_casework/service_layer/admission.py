"""Opening cases from intake's events, and keeping their consents current.

Consumers of ``intake.case.admitted.v1``, ``intake.consent.given.v1`` and
``intake.consent.withdrawn.v1``. Each runs inside the consumer's transaction, after the event id
was written to the inbox; the consumer commits (or, when the handler raises, rolls back and the
broker redelivers).

Opening a case (docs/casework.md, "Opening a case"):

1. A case for this intake exists already (the same event again under another id, a seeded demo
   case, a second admission of the same intake): nothing happens. The unique
   ``(tenant, operator, intake)`` of ``cases`` is the last line behind this check.
2. The handover package is fetched from the owning intake — the only write so far is the
   uncommitted inbox row, no lock of any case or of the audit chain is held during the call.
   The GET is idempotent; if intake cannot be reached the handler raises: nothing commits, the
   event is redelivered and, at the delivery limit, dead-lettered (replayable).
3. Intake refuses (missing consent for the handover): no case is opened and no personal data is
   kept; the admission is recorded as *waiting for handover consent* and the case manager is
   told. When intake reports a new consent for that intake, the fetch is tried again.
4. Otherwise the case opens with its own copy of the person's data, consents and history, in
   one transaction with the inbox row, its audit entries and ``casework.case.opened.v1``.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Protocol

from lotse.casework.v1 import events_pb2 as ev
from lotse_platform import clock
from lotse.intake.v1 import events_pb2 as intake_ev
from lotse.kim.v1 import vocabulary_pb2 as kim

from ..adapters.intake_client import HandoverRefused
from ..domain.handover import HandoverPackage
from ..domain.model import (
    AwaitingHandover,
    Case,
    Consent,
    Notice,
    PhaseTransition,
    topics_without_release,
)
from ..domain.vocabulary import TOPIC_AREAS
from .events import case_facts, publish
from .transfer_steps import announce_cancel
from .unit_of_work import CaseworkUnitOfWork

log = logging.getLogger("lotse.casework.admission")


class IntakeSource(Protocol):
    """What opening a case needs of intake (injected as ``intake``: the container's
    :class:`~lotse_casework.adapters.intake_client.IntakeClient`): the handover package of an
    admitted intake. Raises :class:`HandoverRefused` when intake will not hand it over, and
    ``HandoverUnavailable`` when intake cannot be asked (the event is redelivered)."""

    def fetch_handover(self, operator_org_id: str, intake_id: str) -> HandoverPackage: ...


def to_topic_names(values) -> list[str]:
    names = [kim.TopicArea.Name(v).removeprefix("TOPIC_AREA_").lower() for v in values if v]
    return [n for n in names if n in TOPIC_AREAS]


def to_consent_kind(value: int) -> str:
    return kim.ConsentKind.Name(value).removeprefix("CONSENT_KIND_").lower()


def _to_date(text: str, default: date | None = None) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else default
    except ValueError:
        return default


def open_admitted_case(event: intake_ev.CaseAdmitted, envelope, uow: CaseworkUnitOfWork,
                       intake: IntakeSource) -> None:
    operator, intake_id = event.operator_org_id, event.intake_id
    if uow.case_by_intake(operator, intake_id) is not None:
        log.info("admission.case_exists", extra={"intake_id": intake_id})
        return
    admission = AwaitingHandover(
        intake_id=intake_id, operator_org_id=operator, case_manager_id=event.case_manager_id,
        case_manager_org_id=event.case_manager_org_id, area_id=event.area_id,
        admitted_on=_to_date(event.admitted_on, uow.today()),
        topic_areas=to_topic_names(event.topic_areas),
        target_group_ids=list(event.target_group_ids))
    _fetch_and_open(uow, admission, intake)


def _fetch_and_open(uow: CaseworkUnitOfWork, admission: AwaitingHandover,
                    intake: IntakeSource) -> Case | None:
    waiting = uow.awaiting(admission.operator_org_id, admission.intake_id)
    try:
        package = intake.fetch_handover(admission.operator_org_id, admission.intake_id)
    except HandoverRefused as refusal:
        if waiting is None:
            admission.refusal = refusal.detail[:500]
            uow.add(admission,
                    Notice(recipient_id=admission.case_manager_id,
                           kind="handover_waiting_for_consent", reference=admission.intake_id))
            uow.audit("create", "awaiting_handover", admission.intake_id,
                      reason="handover refused by intake")
        else:
            waiting.refusal = refusal.detail[:500]
        log.info("admission.waiting_for_consent", extra={"intake_id": admission.intake_id,
                                                         "status": refusal.status})
        return None
    if waiting is not None:
        uow.delete(waiting)
    return open_case(uow, admission, package)


def open_case(uow: CaseworkUnitOfWork, admission: AwaitingHandover, package: HandoverPackage,
              *, case_id=None, opened_by: str = "intake",
              opened_at: datetime | None = None) -> Case:
    topics = admission.topic_areas or topic_names_from_screening(package)
    case = Case.open(intake_id=admission.intake_id, operator_org_id=admission.operator_org_id,
                     area_id=admission.area_id, organisation_id=admission.case_manager_org_id,
                     case_manager_id=admission.case_manager_id, opened_on=admission.admitted_on,
                     topic_areas=topics, target_group_ids=admission.target_group_ids,
                     case_id=case_id)
    if opened_at is not None:
        case.opened_at = opened_at
    if package.household is not None:
        case.join_household(package.household["household_id"], package.household["kind"],
                            package.household["relation"])
    uow.add(case)
    uow.flush()  # the case row first: the others refer to it
    person = package.person_for(case.id)
    consents = package.consents_for(case.id, uow.today())
    uow.add(person, *consents,
            PhaseTransition(case_id=case.id, from_phase=None, to_phase="intake",
                            changed_by=opened_by, changed_at=case.opened_at,
                            note="opened from admission"))
    if any(c.withdrawn_on and c.kind in ("counselling_agreement",
                                         "data_protection_information") for c in consents):
        case.sharing_stopped = True
    publish(uow, case, ev.CaseOpened(case=case_facts(case), intake_id=case.intake_id,
                                     operator_org_id=case.operator_org_id))
    uow.audit("create", "case", case.id, reason="opened from admission")
    uow.audit("create", "person", case.id, reason="handover package")
    log.info("admission.case_opened", extra={"case_id": str(case.id)})
    return case


def topic_names_from_screening(package: HandoverPackage) -> list[str]:
    raw = package.screening.get("topic_areas") or []
    names = [str(t).lower().removeprefix("topic_area_") for t in raw]
    return [n for n in names if n in TOPIC_AREAS]


def record_consent_given(event: intake_ev.ConsentGiven, envelope, uow: CaseworkUnitOfWork,
                         intake: IntakeSource) -> None:
    """A new consent at intake: kept on the case; an admission waiting for it is retried."""
    case = uow.case_by_intake(event.operator_org_id, event.intake_id)
    if case is None:
        waiting = uow.awaiting(event.operator_org_id, event.intake_id)
        if waiting is not None:
            _fetch_and_open(uow, waiting, intake)
        return  # before admission the handover package brings the consents along
    kept = {c.consent_id: c for c in uow.consents(case.id)}
    consent = kept.get(event.consent_id)
    if consent is None:
        consent = Consent(case_id=case.id, consent_id=event.consent_id,
                          kind=to_consent_kind(event.kind))
        uow.add(consent)
    consent.partner_org_id = event.partner_org_id
    consent.topic_areas = to_topic_names(event.topic_areas)
    consent.valid_from = _to_date(event.valid_from)
    consent.valid_until = _to_date(event.valid_until)
    uow.audit("update", "consent", case.id, reason="consent given at intake")


def record_consent_withdrawn(event: intake_ev.ConsentWithdrawn, envelope,
                             uow: CaseworkUnitOfWork) -> None:
    """Sharing stops at once: the consent is marked withdrawn, partners lose what it allowed
    (planned conferences, a pending transfer once participation is withdrawn), the case is
    marked and its case manager told."""
    case = uow.case_by_intake(event.operator_org_id, event.intake_id)
    if case is None:
        return
    case = uow.case(case.id, lock=True)
    withdrawn_on = _to_date(event.withdrawn_on, uow.today())
    kind = to_consent_kind(event.kind)
    consents = uow.consents(case.id)
    consent = next((c for c in consents if c.consent_id == event.consent_id), None)
    if consent is None:
        consent = Consent(case_id=case.id, consent_id=event.consent_id, kind=kind,
                          partner_org_id=event.partner_org_id,
                          topic_areas=to_topic_names(event.topic_areas))
        uow.add(consent)
        consents.append(consent)
    consent.withdrawn_on = withdrawn_on
    case.withdraw_consent(kind, clock.now())
    _stop_sharing(uow, case, consents)
    uow.add(Notice(recipient_id=case.case_manager_id, kind="consent_withdrawn", case_id=case.id,
                   reference=kind))
    uow.audit("update", "case", case.id, reason="consent withdrawn at intake")


def _stop_sharing(uow: CaseworkUnitOfWork, case: Case, consents: list[Consent]) -> None:
    today = uow.today()
    for share in uow.shares(case.id):  # a partner's tandem ends with its release
        if share.partner_org_id and topics_without_release(case, consents, share.partner_org_id,
                                                           share.topics or [], today):
            share.end(clock.now())
    for conference in uow.conferences(case.id):
        if conference.status != "planned":
            continue
        conference.participants = [
            p for p in conference.participants
            if not topics_without_release(case, consents, p["organisation_id"], conference.topics,
                                          today)]
        if case.sharing_stopped:  # persons joined on the client's agreement, now withdrawn
            conference.persons = []
    if case.sharing_stopped:
        for transfer in uow.transfers(case.id):
            if transfer.status == "pending":
                transfer.status, transfer.decided_at = "cancelled", clock.now()
                if transfer.to_tenant_id:
                    announce_cancel(uow, case, transfer)

