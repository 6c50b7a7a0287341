"""Reads of personal data, each audited in the transaction that reads.

Lists that show names write one audit entry per listed intake (action ``read``, reason
``list:<which>``), so "who saw this person, when" is answered by one query on the trail —
the same as for a single read. The handover to casework is an ``export`` with reason
``handover`` by the machine client that fetched it. The current state of consents that casework
asks for at the moment of sharing (:func:`current_consents`, ADR 0053) carries ids, kinds,
partners, topics and dates — what ``intake.consent.*`` events carry — and is not audited here;
casework audits the share it decides.

What the caller may see is decided here, from the unit of work's principal, with the policy of
:mod:`.access` (``None``, the service itself, sees everything): views pass no guard (ADR 0052).
"""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from lotse_platform import clock
from lotse_platform.audit import EXPORT, READ

from ..domain.model import Consent, Intake
from ..domain.vocabulary import EarlierContactPurpose, IntakeStatus
from . import access
from .handlers import RECORD, intake_to_work, load_intake
from .unit_of_work import IntakeUnitOfWork


def _audit_list(uow: IntakeUnitOfWork, intakes: list[Intake], which: str) -> None:
    for intake_id in sorted({i.id for i in intakes}):
        uow.audit(READ, RECORD, intake_id, reason=f"list:{which}")


def _visible(uow: IntakeUnitOfWork, intakes: list[Intake]) -> list[Intake]:
    return [i for i in intakes if access.sees_intake(uow.principal, i)]


def read_intake(intake_id: uuid.UUID, uow: IntakeUnitOfWork) -> Intake:
    """One intake, for a case manager of its area or the office."""
    with uow:
        intake = intake_to_work(uow, intake_id, for_update=False)
        uow.audit(READ, RECORD, intake.id, reason="view")
        uow.commit()
    return intake


def open_intakes(user_id: str, uow: IntakeUnitOfWork) -> list[Intake]:
    """My open intakes: I am responsible, not yet decided, or decided for case management and
    not yet admitted."""
    with uow:
        intakes = _visible(uow, uow.intakes.open_for(user_id))
        _audit_list(uow, intakes, "open")
        uow.commit()
    return intakes


def intakes_awaiting_decision(uow: IntakeUnitOfWork) -> list[Intake]:
    """Screened, and no counselling depth decided yet (the caller's areas; the office: all)."""
    with uow:
        intakes = _visible(uow, uow.intakes.awaiting_decision(access.area_scope(uow.principal)))
        _audit_list(uow, intakes, "awaiting_decision")
        uow.commit()
    return intakes


def consents_expiring(within_days: int, uow: IntakeUnitOfWork) -> list[tuple[Consent, Intake]]:
    """Consents, not withdrawn, whose validity ends from today to ``within_days`` days ahead
    (the caller's areas; the office: all)."""
    first = uow.today()
    with uow:
        rows = [(c, i) for c, i in uow.intakes.consents_expiring(
            first, first + timedelta(days=within_days), access.area_scope(uow.principal))
            if access.sees_intake(uow.principal, i)]
        _audit_list(uow, [i for _, i in rows], "expiring_consents")
        uow.commit()
    return rows


@dataclass(frozen=True)
class Handover:
    """What casework receives for an admitted case, and what its release rests on."""

    intake: Intake
    released_under: str
    #: the household the intake is linked to and the member's relation (001 L562), if any
    household: dict[str, str] | None = None


def release_handover(intake_id: uuid.UUID, uow: IntakeUnitOfWork) -> Handover:
    """The handover package for casework (machine clients only), if the person's consent
    allows it now.

    Raises :class:`~lotse_intake.domain.errors.ConsentMissing` naming what is missing; the
    release is audited as an export with reason ``handover``.
    """
    access.authorize_handover(uow.principal)
    with uow:
        intake = load_intake(uow, intake_id, for_update=False)
        basis = intake.handover_basis(today=uow.today())
        household = uow.households.of_intake(intake.id)
        member = household.member(intake.id) if household else None
        uow.audit(EXPORT, RECORD, intake.id, reason="handover")
        uow.commit()
    return Handover(intake, basis, None if household is None or member is None else {
        "household_id": str(household.id), "kind": household.kind.value,
        "relation": member.relation.value})


@dataclass(frozen=True)
class ConsentState:
    """The committed state of the consents casework asked about (ADR 0053): those the intake
    has, and the ids it does not have (``unknown``); ``as_of`` is when intake read them."""

    intake_id: uuid.UUID
    consents: list[Consent]
    unknown: list[uuid.UUID]
    as_of: datetime


def current_consents(intake_id: uuid.UUID, consent_ids: list[uuid.UUID],
                     uow: IntakeUnitOfWork) -> ConsentState:
    """The consents casework's sharing rests on, as committed now (machine clients only).

    One SELECT of the consent rows in a transaction of its own: under PostgreSQL's read
    committed, a withdrawal whose answer was sent (it had committed) is in what this reads. An
    intake the tenant does not have answers every id as unknown, so the caller refuses."""
    access.authorize_consent_state(uow.principal)
    with uow:
        found = uow.intakes.consents_of(intake_id, sorted(set(consent_ids)))
        as_of = clock.now()
    known = {c.id for c in found}
    return ConsentState(intake_id=intake_id, consents=found,
                        unknown=[i for i in dict.fromkeys(consent_ids) if i not in known],
                        as_of=as_of)


@dataclass(frozen=True)
class EarlierIntake:
    """What a search for an earlier intake answers: ids and dates, nothing else of anyone."""

    intake_id: uuid.UUID
    area_id: str
    contact_date: date
    status: IntakeStatus
    admitted_on: date | None


def _same_name(a: str, b: str) -> bool:
    def norm(name: str) -> str:
        return " ".join(unicodedata.normalize("NFC", name).casefold().split())
    return norm(a) == norm(b)


def find_earlier_intakes(given_name: str, family_name: str, date_of_birth: date,
                         purpose: EarlierContactPurpose,
                         uow: IntakeUnitOfWork) -> list[EarlierIntake]:
    """At a first contact: has this tenant an intake of the same person (the name and date of
    birth the case manager typed; case and spacing ignored)? Tenant-wide, so that parallel care
    in another town is found (000 L170, 002 L335) and a returning person too (001 L211).

    Audited in the same transaction: one ``read`` per match and one for the search itself,
    reason ``search:<purpose>``. Answers ids and dates only.
    """
    access.authorize_search(uow.principal)
    with uow:
        found = [i for i in uow.intakes.born_on(date_of_birth)
                 if _same_name(i.person.given_name, given_name)
                 and _same_name(i.person.family_name, family_name)]
        reason = f"search:{purpose.value}"
        uow.audit(READ, RECORD, None, reason=reason)
        for intake in found:
            uow.audit(READ, RECORD, intake.id, reason=reason)
        uow.commit()
    return [EarlierIntake(intake_id=i.id, area_id=i.area_id, contact_date=i.contact_date,
                          status=i.status,
                          admitted_on=i.admission.admitted_on if i.admission else None)
            for i in found]
