"""Referrals: making one, its steps, the partner's inbox, the case manager's lists, and what
intake's consent events change (ADR 0084).

Consent at the moment of sharing (ADR 0053, as casework does it): a referral is made and sent
only when the copy of the person's consents (kept from ``intake.consent.*`` events) has a valid
release for the partner and every topic area needed, **and** intake confirms those releases
now (:class:`ConsentOwner`, the container's ``consent_owner``): withdrawn or unknown there →
409 naming the missing release; intake not answering → 503, nothing shared. Every read by the
partner confirms again, so a withdrawal is seen at once, not when its event arrives; the event
then cancels every open referral of the person to that partner and erases what was shared.

Authorisation (role checked at the view, the rest here): a case manager works on her own
referrals; the coordinating office reads with a stated purpose (audited with it); the staff of
the receiving organisation (provider staff, the authority's liaison) see the referrals sent to
their organisation, with the released data only, and record its answers. Anyone else: 404.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Protocol

from lotse.kim.v1 import vocabulary_pb2 as kim
from lotse.network.v1 import events_pb2 as ev
from lotse_platform.audit.purposes import StatedPurpose
from lotse_platform.auth import (
    AUTHORITY_LIAISON,
    CASE_MANAGER,
    COORDINATOR,
    PROVIDER_STAFF,
    Principal,
)
from lotse_platform.errors import Unprocessable
from lotse_platform.references import ORGANISATION, Wanted, check

from lotse_platform.audit import EXPORT
from lotse_platform.documents.pdf import render_pdf
from lotse_platform.references import organisation_names
from ..domain import letters
from ..domain.agreements import Agreement
from ..domain.referrals import (
    DATA_CATEGORIES,
    PARTNER_STEPS,
    WITH_PARTNER,
    CaseCopy,
    ConsentCopy,
    MissingRelease,
    Referral,
    ReferralIncomplete,
    ReferralNotVisible,
    ReferralStep,
    StepNotYours,
    missing_releases,
    on_list,
    released_categories,
    releases_for,
    topics_needed,
)
from ..domain.vocabulary import TOPIC_AREAS
from .unit_of_work import NetworkUnitOfWork

PARTNER_ROLES = (PROVIDER_STAFF, AUTHORITY_LIAISON)
RECORD = "referral"


# -- commands -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MakeReferral:
    partner_org_id: str
    mode: str
    topic_area: str
    reason: str
    urgency: str = "normal"
    case_id: uuid.UUID | None = None
    intake_id: uuid.UUID | None = None
    service_id: uuid.UUID | None = None
    shared: tuple[Mapping[str, str], ...] = ()
    send: bool = True


@dataclass(frozen=True)
class TakeReferralStep:
    referral_id: uuid.UUID
    step: str
    text: str | None = None
    appointment_on: date | None = None


# -- what the consent check needs of intake -------------------------------------------------------
class ConsentOwner(Protocol):
    """Intake's committed state of some consents of an intake, by id (the container's
    :class:`~lotse_network.adapters.intake_client.IntakeConsents`); an id intake does not have
    is absent. Raises ``ConsentCheckUnavailable`` (503) when intake cannot be asked."""

    def current_consents(self, operator_org_id: str, intake_id: str,
                         consent_ids: Sequence[str]) -> Mapping[str, ConsentCopy]: ...


def confirmed(consents: list[ConsentCopy], relied: list[ConsentCopy],
              current: Mapping[str, ConsentCopy], today: date) -> list[ConsentCopy]:
    """``consents`` with each of ``relied`` as intake has it now; one intake does not know counts
    as withdrawn today. New objects: the copy itself stays what the events made it."""
    relied_ids = {c.consent_id for c in relied}
    result = []
    for consent in consents:
        if consent.consent_id not in relied_ids:
            result.append(consent)
            continue
        now = current.get(consent.consent_id)
        if now is None:
            result.append(replace(consent, withdrawn_on=today))
        else:
            result.append(replace(consent, kind=now.kind, partner_org_id=now.partner_org_id,
                                  topic_areas=list(now.topic_areas), valid_from=now.valid_from,
                                  valid_until=now.valid_until, withdrawn_on=now.withdrawn_on))
    return result


def _confirm_releases(uow: NetworkUnitOfWork, owner: ConsentOwner, intake_id: str,
                      partner_org_id: str, topics: list[str]) -> list[ConsentCopy]:
    """The releases a sharing rests on, checked on the copy and then confirmed with intake:
    missing on either → :class:`MissingRelease` naming partner and topic area."""
    today = uow.today()
    consents = uow.consents_of(intake_id)
    missing = missing_releases(consents, partner_org_id, topics, today)
    if missing:
        raise MissingRelease(missing, organisation_names(uow.references, [partner_org_id]))
    relied = releases_for(consents, partner_org_id, topics, today)
    current = owner.current_consents(relied[0].operator_org_id, intake_id,
                                     [c.consent_id for c in relied])
    now = confirmed(relied, relied, current, today)
    missing = missing_releases(now, partner_org_id, topics, today)
    if missing:
        raise MissingRelease(missing, organisation_names(uow.references, [partner_org_id]))
    return [c for c in now if c.valid_on(today)]


def check_directory_service(uow: NetworkUnitOfWork, service_id: uuid.UUID | None,
                            partner_org_id: str) -> None:
    """A referral's ``service_id``, when given, names an active service of the directory
    offered by ``partner_org_id`` (its directory organisation is linked to that Lotse
    organisation, ADR 0083); else 422 naming ``service_id``."""
    if service_id is None:
        return
    service = uow.get_service(service_id)
    organization = uow.get_organization(service.organization_id) if service else None
    if service is None or not service.active:
        problem = "no active service of the directory"
    elif organization is None or organization.identity_org_id != partner_org_id:
        problem = "a service of another organisation than partner_org_id"
    else:
        return
    raise Unprocessable("the referral names a service it cannot go to",
                        errors=[{"field": "service_id", "message": problem}])


# -- who the caller is to a referral --------------------------------------------------------------
def _caller(uow: NetworkUnitOfWork) -> Principal:
    if uow.principal is None:
        raise RuntimeError("a referral command runs in a unit of work of a request's caller")
    return uow.principal


def _is_owner(principal: Principal, referral: Referral) -> bool:
    return (principal.has_any_role(CASE_MANAGER)
            and principal.subject == referral.case_manager_id)


def _is_partner(principal: Principal, referral: Referral) -> bool:
    return (principal.has_any_role(*PARTNER_ROLES)
            and principal.organisation == referral.partner_org_id
            and referral.sent_on is not None)


# -- making a referral ----------------------------------------------------------------------------
def referred_intake(uow: NetworkUnitOfWork, principal: Principal, cmd: MakeReferral) -> str:
    """The intake whose releases the referral rests on: a case's own (from casework's events;
    the case must be the caller's — another's is answered as unknown, 404), else the intake
    named. A case casework has not told the network about yet, or an intake id that is not the
    case's: 422 naming the field."""
    if cmd.case_id is None:
        if cmd.intake_id is None:
            raise ReferralIncomplete("a referral names a case or an intake",
                                     {"intake_id": "missing (or name the case_id)"})
        return str(cmd.intake_id)
    case = uow.case_copy(cmd.case_id)
    if case is None:
        raise ReferralIncomplete("the case is not known here", {
            "case_id": "no case of this tenant is known to the network (casework's events)"})
    if case.case_manager_id != principal.subject:
        raise ReferralNotVisible("no such case")
    if cmd.intake_id is not None and str(cmd.intake_id) != case.intake_id:
        raise ReferralIncomplete("the intake is not the case's",
                                 {"intake_id": "not the intake of this case"})
    return case.intake_id


def make_referral(cmd: MakeReferral, uow: NetworkUnitOfWork,
                  consent_owner: ConsentOwner) -> uuid.UUID:
    """A case manager refers a case or an intake to a partner organisation; sent at once unless
    ``send`` is false (then proposed, sent later). The releases are confirmed with intake now."""
    principal = _caller(uow)
    with uow:
        check(uow.references, [Wanted("partner_org_id", ORGANISATION, cmd.partner_org_id)])
        check_directory_service(uow, cmd.service_id, cmd.partner_org_id)
        intake_id = referred_intake(uow, principal, cmd)
        today = uow.today()
        shared = [dict(item) for item in cmd.shared]
        # the domain refuses an unknown mode, topic, category first (422, naming the field)
        referral = Referral.propose(
            by=principal.subject, by_org=principal.organisation, today=today,
            intake_id=intake_id, operator_org_id="",
            partner_org_id=cmd.partner_org_id, mode=cmd.mode, topic_area=cmd.topic_area,
            reason=cmd.reason, urgency=cmd.urgency, shared=shared, case_id=cmd.case_id,
            service_id=cmd.service_id)
        releases = _confirm_releases(uow, consent_owner, referral.intake_id,
                                     referral.partner_org_id,
                                     topics_needed(referral.topic_area, referral.categories))
        referral.operator_org_id = releases[0].operator_org_id
        referral.consent_ids = [c.consent_id for c in releases]
        uow.add(referral)
        uow.add(ReferralStep(referral_id=referral.id, step="proposed", by=principal.subject,
                             by_org=principal.organisation, on=today))
        if cmd.send:
            step = referral.take("sent", by=principal.subject, by_org=principal.organisation,
                                 today=today)
            uow.add(step)
            publish_step(uow, referral, step)
        uow.audit("create", RECORD, referral.id)
        uow.commit()
        return referral.id


def take_step(cmd: TakeReferralStep, uow: NetworkUnitOfWork,
              consent_owner: ConsentOwner) -> dict[str, Any]:
    """One step of the lifecycle, by the case manager (every step, also the answers of a partner
    without Lotse users) or the receiving organisation's staff (accept, decline, appointment,
    arrival, feedback, tandem exchange). Sending confirms the releases with intake again."""
    principal = _caller(uow)
    with uow:
        referral = uow.referral(cmd.referral_id, lock=True)
        if referral is None:
            raise ReferralNotVisible("no such referral")
        owner, partner = _is_owner(principal, referral), _is_partner(principal, referral)
        if not owner and not partner:
            raise ReferralNotVisible("no such referral")
        if not owner and cmd.step not in PARTNER_STEPS:
            raise StepNotYours(f"the step {cmd.step} is the referring case manager's")
        today = uow.today()
        if cmd.step == "sent":
            releases = _confirm_releases(uow, consent_owner, referral.intake_id,
                                         referral.partner_org_id,
                                         topics_needed(referral.topic_area, referral.categories))
            referral.consent_ids = [c.consent_id for c in releases]
        before = referral.status
        step = referral.take(cmd.step, by=principal.subject, by_org=principal.organisation,
                             today=today, text=cmd.text, appointment_on=cmd.appointment_on)
        uow.add(step)
        publish_step(uow, referral, step, from_status=before)
        uow.audit("update", RECORD, referral.id, reason=f"step {cmd.step}")
        uow.commit()
        return {"id": referral.id, "status": referral.status, "fhir_status": referral.fhir_status}


# -- reads ----------------------------------------------------------------------------------------
def read_referral(uow: NetworkUnitOfWork, principal: Principal, referral_id: uuid.UUID,
                  purpose: StatedPurpose | None, owner: ConsentOwner) -> dict[str, Any]:
    """One referral as the caller may see it (audited): the case manager's own in full, the
    coordinating office's with a stated purpose, the partner's with the released data only,
    confirmed with intake at this read."""
    with uow:
        referral = uow.referral(referral_id)
        if referral is None:
            raise ReferralNotVisible("no such referral")
        steps = uow.referral_steps(referral.id)
        if _is_owner(principal, referral):
            view = case_manager_view(referral, steps, uow.list_agreements(), uow.today())
            uow.audit("read", RECORD, referral.id)
        elif _is_partner(principal, referral):
            view = partner_view(referral, steps, _confirmed_now(uow, owner, [referral]),
                                uow.today())
            uow.audit("read", RECORD, referral.id, reason="partner")
        elif principal.has_any_role(COORDINATOR):
            if purpose is None:
                raise PurposeRequired()
            view = case_manager_view(referral, steps, uow.list_agreements(), uow.today())
            uow.audit("read", RECORD, referral.id, purpose=purpose.purpose, note=purpose.note)
        else:
            raise ReferralNotVisible("no such referral")
        uow.commit()
        return view


def inbox(uow: NetworkUnitOfWork, principal: Principal, owner: ConsentOwner) -> list[dict[str, Any]]:
    """The referrals sent to the caller's organisation that are still open, urgent first, with
    the released data only — each person's releases confirmed with intake now (audited)."""
    with uow:
        referrals = [r for r in uow.referrals_to(principal.organisation)
                     if r.status in WITH_PARTNER]
        current = _confirmed_now(uow, owner, referrals)
        today = uow.today()
        views = []
        for referral in sorted(referrals, key=lambda r: (r.urgency != "urgent",
                                                         r.sent_on or today)):
            views.append(partner_view(referral, uow.referral_steps(referral.id), current,
                                      today))
            uow.audit("read", RECORD, referral.id, reason="partner inbox")
        uow.commit()
        return views


def case_manager_lists(uow: NetworkUnitOfWork, principal: Principal, list_name: str | None,
                       days: int, purpose: StatedPurpose | None) -> list[dict[str, Any]]:
    """A case manager's own referrals (optionally one of her lists: ``waiting`` for an answer,
    ``without_arrival`` after ``days``, ``feedback_due``); the coordinating office reads all
    of the tenant's with a stated purpose."""
    with uow:
        if principal.has_any_role(CASE_MANAGER):
            referrals = uow.referrals_of(principal.subject)
        elif purpose is not None:
            referrals = uow.all_referrals()
        else:
            raise PurposeRequired()
        today = uow.today()
        if list_name:
            referrals = [r for r in referrals if on_list(r, list_name, today, days)]
        agreements = uow.list_agreements()
        views = [case_manager_view(r, uow.referral_steps(r.id), agreements, today)
                 for r in referrals]
        for referral in referrals:
            if purpose is not None and not principal.has_any_role(CASE_MANAGER):
                uow.audit("read", RECORD, referral.id, purpose=purpose.purpose,
                          note=purpose.note)
            else:
                uow.audit("read", RECORD, referral.id)
        uow.commit()
        return views


def releases_of_case(uow: NetworkUnitOfWork, principal: Principal,
                     case_id: uuid.UUID) -> list[dict[str, Any]]:
    """The releases of the person of the caller's own case, as intake's events brought them:
    to whom a referral can go, for which topic areas, until when (audited). Another's case or a
    case not known here: 404."""
    with uow:
        case = uow.case_copy(case_id)
        if case is None or case.case_manager_id != principal.subject:
            raise ReferralNotVisible("no such case")
        today = uow.today()
        found = [{"consent_id": c.consent_id, "partner_org_id": c.partner_org_id,
                  "topic_areas": c.topic_areas, "valid_from": c.valid_from,
                  "valid_until": c.valid_until, "withdrawn_on": c.withdrawn_on,
                  "valid_today": c.valid_on(today)}
                 for c in uow.consents_of(case.intake_id) if c.is_release()]
        uow.audit("read", "referral_releases", case.case_id)
        uow.commit()
        return sorted(found, key=lambda r: (not r["valid_today"], r["partner_org_id"]))


def _confirmed_now(uow: NetworkUnitOfWork, owner: ConsentOwner,
                   referrals: list[Referral]) -> dict[uuid.UUID, list[ConsentCopy]]:
    """Per referral: the releases it rests on as intake has them now (one call per person)."""
    today = uow.today()
    by_intake: dict[tuple[str, str], list[Referral]] = {}
    for referral in referrals:
        by_intake.setdefault((referral.operator_org_id, referral.intake_id), []).append(referral)
    result: dict[uuid.UUID, list[ConsentCopy]] = {}
    for (operator, intake_id), group in by_intake.items():
        copies = {c.consent_id: c for c in uow.consents_of(intake_id)}
        relied = [copies[i] for r in group for i in r.consent_ids if i in copies]
        current = owner.current_consents(operator, intake_id,
                                         [c.consent_id for c in relied]) if relied else {}
        now = {c.consent_id: c for c in confirmed(relied, relied, current, today)}
        for referral in group:
            result[referral.id] = [now[i] for i in referral.consent_ids if i in now]
    return result


class PurposeRequired(ReferralNotVisible):
    """The coordinating office states the purpose of its read (``?purpose=``); without it the
    referral is not shown (404 like any referral the caller may not see)."""

    def __init__(self) -> None:
        super().__init__("the coordinating office reads referrals with a stated purpose "
                         "(?purpose=)")


# -- views ----------------------------------------------------------------------------------------
def _steps(steps: list[ReferralStep]) -> list[dict[str, Any]]:
    return [{"step": s.step, "by": s.by, "by_org": s.by_org, "on": s.on, "at": s.at,
             "text": s.text, "appointment_on": s.appointment_on} for s in steps]


def covering_agreements(agreements: Sequence[Agreement], referral: Referral,
                        today: date) -> list[dict[str, Any]]:
    """The cooperation agreements with the partner that cover the referral's topic area
    (issue 11: "a referral to a partner shows the agreement that covers it; an expired agreement
    is flagged"), those in force first."""
    found = [a for a in agreements
             if a.covers(partner_org_id=referral.partner_org_id, topic_area=referral.topic_area)]
    return [{"id": a.id, "title": a.title, "status": a.status, "valid_until": a.valid_until,
             "in_force": a.in_force(today), "expired": a.expired(today)}
            for a in sorted(found, key=lambda a: (not a.in_force(today), a.title))]


def case_manager_view(referral: Referral, steps: list[ReferralStep],
                      agreements: Sequence[Agreement] = (),
                      today: date | None = None) -> dict[str, Any]:
    return {
        "agreements": covering_agreements(agreements, referral, today) if today else [],
        "id": referral.id, "source": referral.source, "case_id": referral.case_id,
        "intake_id": referral.intake_id, "partner_org_id": referral.partner_org_id,
        "service_id": referral.service_id, "case_manager_id": referral.case_manager_id,
        "mode": referral.mode, "topic_area": referral.topic_area, "reason": referral.reason,
        "urgency": referral.urgency, "shared": referral.shared, "status": referral.status,
        "fhir_status": referral.fhir_status, "allowed_steps": referral.allowed_steps(),
        "created_on": referral.created_on, "sent_on": referral.sent_on,
        "appointment_on": referral.appointment_on, "arrived_on": referral.arrived_on,
        "closed_on": referral.closed_on, "shared_hidden_on": referral.shared_hidden_on,
        "consent_ids": referral.consent_ids, "steps": _steps(steps),
    }


def partner_view(referral: Referral, steps: list[ReferralStep],
                 current: Mapping[uuid.UUID, list[ConsentCopy]], today: date) -> dict[str, Any]:
    """What the receiving organisation reads: no case or intake id, no consent ids; the shared
    data only as far as the releases confirmed now cover them, nothing once withdrawn."""
    releases = current.get(referral.id, [])
    released = any(c.covers(referral.partner_org_id, referral.topic_area, today)
                   for c in releases)
    shared = released_categories(referral.shared, releases, referral.partner_org_id,
                                 referral.topic_area, today) if released else []
    return {
        "person": next((item["content"] for item in shared if item["category"] == "person"),
                       None),
        "id": referral.id, "partner_org_id": referral.partner_org_id,
        "service_id": referral.service_id, "case_manager_id": referral.case_manager_id,
        "mode": referral.mode, "topic_area": referral.topic_area,
        "reason": referral.reason if released else None, "urgency": referral.urgency,
        "shared": shared, "released": released, "status": referral.status, "fhir_status": referral.fhir_status,
        "allowed_steps": [s for s in referral.allowed_steps() if s in PARTNER_STEPS],
        "sent_on": referral.sent_on, "appointment_on": referral.appointment_on,
        "arrived_on": referral.arrived_on, "closed_on": referral.closed_on,
        "steps": _steps(steps) if released else [],
    }


# -- intake's consent events ----------------------------------------------------------------------
def _topic_names(values: Sequence[int]) -> list[str]:
    names = [kim.TopicArea.Name(v).removeprefix("TOPIC_AREA_").lower() for v in values if v]
    return [n for n in names if n in TOPIC_AREAS]


def _kind(value: int) -> str:
    return kim.ConsentKind.Name(value).removeprefix("CONSENT_KIND_").lower()


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def consent_given(event: Any, envelope: object, uow: NetworkUnitOfWork) -> None:
    """``intake.consent.given.v1``: kept in the copy (what a referral's check starts from)."""
    kept = uow.consent(event.consent_id)
    if kept is None:
        kept = ConsentCopy(consent_id=event.consent_id, intake_id=event.intake_id,
                           operator_org_id=event.operator_org_id, kind=_kind(event.kind))
        uow.add(kept)
    kept.kind = _kind(event.kind)
    kept.partner_org_id = event.partner_org_id
    kept.topic_areas = _topic_names(event.topic_areas)
    kept.valid_from = _day(event.valid_from)
    kept.valid_until = _day(event.valid_until)


def consent_withdrawn(event: Any, envelope: object, uow: NetworkUnitOfWork) -> None:
    """``intake.consent.withdrawn.v1``: the copy marked; a withdrawn release cancels every open
    referral of the person to that partner at once and erases what was shared with it."""
    today = uow.today()
    kept = uow.consent(event.consent_id)
    if kept is None:
        kept = ConsentCopy(consent_id=event.consent_id, intake_id=event.intake_id,
                           operator_org_id=event.operator_org_id, kind=_kind(event.kind),
                           partner_org_id=event.partner_org_id,
                           topic_areas=_topic_names(event.topic_areas))
        uow.add(kept)
    kept.withdrawn_on = _day(event.withdrawn_on) or today
    if not kept.is_release() or not kept.partner_org_id:
        return
    for referral in uow.referrals_of_intake(kept.intake_id, kept.partner_org_id, lock=True):
        if referral.is_open:
            from_status = referral.status
            step = referral.take("cancelled", by="system:consent-withdrawn",
                                 by_org="", today=today)
            uow.add(step)
            publish_step(uow, referral, step, from_status=from_status, consent_withdrawn=True)
        if referral.shared_hidden_on is None:
            referral.hide_shared(today)
        uow.audit("update", RECORD, referral.id, reason="release withdrawn at intake")


# -- casework's case events -----------------------------------------------------------------------
def case_opened(event: Any, envelope: object, uow: NetworkUnitOfWork) -> None:
    """``casework.case.opened.v1``: the case's intake and case manager kept (ids only)."""
    case_id = uuid.UUID(event.case.case_id)
    kept = uow.case_copy(case_id)
    if kept is None:
        uow.add(CaseCopy(case_id=case_id, intake_id=event.intake_id,
                         operator_org_id=event.operator_org_id,
                         case_manager_id=event.case.case_manager_id))
    else:
        kept.case_manager_id = event.case.case_manager_id


def case_transferred(event: Any, envelope: object, uow: NetworkUnitOfWork) -> None:
    """``casework.case.transferred.v1`` in the county: the receiving case manager takes over the
    case's referrals with the case (she keeps case responsibility, DOMAIN.md §5); to another
    tenant the referrals stay with the case manager who made them."""
    if event.to_tenant_id:
        return
    case_id = uuid.UUID(event.case.case_id)
    kept = uow.case_copy(case_id)
    if kept is None:
        return
    kept.case_manager_id = event.case.case_manager_id
    for referral in uow.referrals_of_case(case_id):
        if referral.case_manager_id != kept.case_manager_id:
            referral.case_manager_id = kept.case_manager_id
            uow.audit("update", RECORD, referral.id, reason="case transferred")


# -- events ---------------------------------------------------------------------------------------
_MODES = {"referral_counselling": ev.REFERRAL_MODE_REFERRAL_COUNSELLING,
          "warm_handover": ev.REFERRAL_MODE_WARM_HANDOVER, "tandem": ev.REFERRAL_MODE_TANDEM}
_URGENCIES = {"normal": ev.REFERRAL_URGENCY_NORMAL, "urgent": ev.REFERRAL_URGENCY_URGENT}


def facts(referral: Referral) -> ev.ReferralFacts:
    return ev.ReferralFacts(
        referral_id=str(referral.id), partner_org_id=referral.partner_org_id,
        service_id=str(referral.service_id or ""), mode=_MODES[referral.mode],
        topic_area=f"TOPIC_AREA_{referral.topic_area.upper()}",
        urgency=_URGENCIES[referral.urgency],
        source=ev.REFERRAL_SOURCE_CASE if referral.case_id else ev.REFERRAL_SOURCE_INTAKE,
        case_id=str(referral.case_id or ""), intake_id=referral.intake_id,
        operator_org_id=referral.operator_org_id, case_manager_id=referral.case_manager_id,
        sent_on=referral.sent_on.isoformat() if referral.sent_on else "")


def publish_step(uow: NetworkUnitOfWork, referral: Referral, step: ReferralStep, *,
             from_status: str = "", consent_withdrawn: bool = False) -> None:
    """The step's event (ids and facts only; no reason, shared content or feedback text)."""
    on = step.on.isoformat()
    event: Any
    if step.step == "sent":
        event = ev.ReferralSent(referral=facts(referral),
                                shared_categories=[c for c in referral.categories
                                                   if c in DATA_CATEGORIES])
    elif step.step == "accepted":
        event = ev.ReferralAccepted(referral=facts(referral), accepted_on=on,
                                    accepted_by=step.by)
    elif step.step == "declined":
        event = ev.ReferralDeclined(referral=facts(referral), declined_on=on,
                                    declined_by=step.by)
    elif step.step == "arrived":
        days = (step.on - referral.sent_on).days if referral.sent_on else 0
        event = ev.ReferralArrived(referral=facts(referral), arrived_on=on, days_since_sent=days)
    elif step.step == "not_arrived":
        event = ev.ReferralNotArrived(referral=facts(referral), recorded_on=on)
    elif step.step == "completed":
        event = ev.ReferralCompleted(referral=facts(referral), completed_on=on,
                                     feedback_count=len([
                                         s for s in uow.referral_steps(referral.id)
                                         if s.step == "feedback"]))
    elif step.step == "cancelled":
        event = ev.ReferralCancelled(
            referral=facts(referral), cancelled_on=on,
            reason=(ev.REFERRAL_CANCEL_REASON_CONSENT_WITHDRAWN if consent_withdrawn
                    else ev.REFERRAL_CANCEL_REASON_BY_CASE_MANAGER),
            from_status=from_status)
    else:
        return  # appointment, feedback, exchange: no event (texts stay here)
    uow.publish(event, aggregate_id=referral.id)


def referral_letter(uow: NetworkUnitOfWork, principal: Principal, referral_id: uuid.UUID,
                    owner: ConsentOwner) -> bytes:
    """The referral letter for a partner without Lotse users (domain/letters.py), printed by
    the referring case manager: the partner's view, confirmed with intake now; audited as an
    export."""
    with uow:
        referral = uow.referral(referral_id)
        if referral is None or not _is_owner(principal, referral):
            raise ReferralNotVisible("no such referral")
        today = uow.today()
        view = partner_view(referral, uow.referral_steps(referral.id),
                            _confirmed_now(uow, owner, [referral]), today)
        names = organisation_names(uow.references, [referral.partner_org_id])
        content = render_pdf([letters.referral_letter(view, names.get(referral.partner_org_id),
                                                      today)], issued_on=today)
        uow.audit(EXPORT, RECORD, referral.id, reason="print:referral_letter")
        uow.commit()
        return content
