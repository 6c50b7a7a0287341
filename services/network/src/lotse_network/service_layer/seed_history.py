"""The network's part of the demo history (ADR 0093): the referrals the cases of
:func:`lotse_demo.history.plan_history` make to partners in their linking phase, and each step
of their lifecycle to its outcome (accepted, declined, arrived, no-show, completed, cancelled, or
still open), through the network's own command handlers — the case manager's steps as her, the
partner's answers as its staff (or, for a partner without Lotse users, recorded by the case
manager) — with the platform clock held on each step's day.

The copies of the cases and releases that casework's and intake's events bring are written first,
as those events will bring them (the same path as the regular demo seed); the consent check at
sending asks intake, and while seeding, before anything is served, those copies are intake's
state. A case with referrals here already is skipped: seeding again writes nothing twice."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import time, timedelta
from typing import Any

from lotse_demo.county import DemoCounty, User
from lotse_demo.history import PARTNER_STAFF, History, HistoryPerson, case_manager
from lotse_platform import clock
from lotse_platform.auth import Principal
from lotse_platform.messagebus import MessageBus

from ..domain.referrals import CaseCopy, ConsentCopy
from .referrals import MakeReferral, TakeReferralStep
from .unit_of_work import NetworkUnitOfWork

PARTNER_STEPS = ("accepted", "declined", "arrived", "not_arrived")
_TEXTS = {"declined": "Derzeit keine freien Kapazitäten"}


class _Copies:
    """Intake's state of some consents while the history is seeded: the network's copies."""

    def __init__(self, units: Callable[..., NetworkUnitOfWork], tenant: uuid.UUID) -> None:
        self._units, self._tenant = units, tenant

    def current_consents(self, operator_org_id: str, intake_id: str,
                         consent_ids: Sequence[str]) -> Mapping[str, ConsentCopy]:
        with self._units(self._tenant) as uow:
            return {c.consent_id: replace(c) for c in uow.consents_of(intake_id)
                    if c.consent_id in consent_ids}


def seed_history(service: Any, county: DemoCounty, history: History) -> int:
    """The network's referrals of ``history``; how many commands it ran (``service``: the
    network's container: its units of work, command handlers and dependencies)."""
    owner = _Copies(service.uow, county.tenant_id)
    bus = MessageBus(service.command_handlers, {}, {
        **service.platform_dependencies(), **service.dependencies(),
        "consent_owner": lambda: owner})
    written = 0
    for person in history.admitted():
        if not person.referrals:
            continue
        with service.uow(county.tenant_id) as uow:
            if uow.referrals_of_case(person.case_id):
                continue
            _copies(uow, county, person)
            uow.commit()
        written += _referrals(service, bus, county, person)
    return written


def _copies(uow: NetworkUnitOfWork, county: DemoCounty, person: HistoryPerson) -> None:
    """What casework's ``case.opened`` and intake's ``consent.given`` events bring of the case."""
    day = person.admitted_on
    assert day is not None
    if uow.case_copy(person.case_id) is None:
        uow.add(CaseCopy(case_id=person.case_id, intake_id=str(person.intake_id),
                         operator_org_id="",
                         case_manager_id=str(case_manager(county, person.town).id)))
    for k, (org, topics) in enumerate(person.releases, start=3):
        if uow.consent(str(person.consent_id(k))) is None:
            uow.add(ConsentCopy(
                consent_id=str(person.consent_id(k)), intake_id=str(person.intake_id),
                operator_org_id="", kind="release_of_confidentiality",
                partner_org_id=str(county.organisation(org).id), topic_areas=list(topics),
                valid_from=day, valid_until=day + timedelta(days=730)))


def _principal(county: DemoCounty, user: User) -> Principal:
    return Principal(subject=str(user.id), tenant=county.tenant_id,
                     organisation=str(county.organisation(user.organisation).id),
                     areas=frozenset(str(county.area(a).id) for a in user.areas),
                     roles=frozenset(user.roles))


def _referrals(service: Any, bus: MessageBus, county: DemoCounty, person: HistoryPerson) -> int:
    manager = _principal(county, case_manager(county, person.town))
    written = 0
    for number, referral in enumerate(person.referrals):
        staff = PARTNER_STAFF.get(referral.partner)
        partner = _principal(county, county.user(staff)) if staff else manager
        referral_id: uuid.UUID | None = None
        for k, (day, step) in enumerate(referral.steps):
            at = time(9 + (number + k) % 8, (person.n * 13 + k) % 60)
            with clock.held_on(day, county.tenant_id, at=at):
                if step == "sent":
                    referral_id = bus.handle(MakeReferral(
                        partner_org_id=str(county.organisation(referral.partner).id),
                        mode=referral.mode, topic_area=referral.topic,
                        reason="Unterstützung im Themenbereich vereinbart",
                        case_id=person.case_id,
                        shared=({"category": "contact",
                                 "content": "erreichbar über die Fallmanagerin"},)),
                        service.uow(county.tenant_id, principal=manager))
                elif referral_id is not None:
                    by = partner if step in PARTNER_STEPS else manager
                    bus.handle(TakeReferralStep(
                        referral_id, step,
                        text=_TEXTS.get(step)), service.uow(county.tenant_id, principal=by))
            written += 1
    return written
