"""Casework's part of the demo history (ADR 0093): the cases of the people
:func:`lotse_demo.history.plan_history` admits, worked through the year by casework's own command
handlers — phase changes, assessments, goals, help plans, contacts, goals reached, transfers to
another town's case manager, closures — each as its case manager, with the platform clock held
on its day (the business dates and the events' times fall on it).

A case opens as intake's admission event would open it (:func:`.admission.open_case`, with the
handover package intake gives for that admission), before the event arrives: the event then
finds it open (the same path as the regular demo seed). A case that exists is skipped, so seeding
again writes nothing twice. The consent check at a transfer asks intake for the state of the
consents; while seeding, before anything is served, the case's own copies are that state (they
were given in the same plan and none was withdrawn before the transfer)."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import time, timedelta

from lotse_demo.history import CASE_PARTNERS, History, HistoryPerson, case_manager
from lotse_platform import clock
from lotse_platform.auth import Principal
from lotse_platform.messagebus import MessageBus

from ..domain.commands import (
    AcceptTransfer,
    ChangePhase,
    CloseCase,
    DrawUpHelpPlan,
    OfferTransfer,
    PlanAppointment,
    ReachGoal,
    RecordAssessment,
    RecordContact,
    SetGoal,
)
from ..domain.consent_check import CurrentConsent
from ..domain.handover import HandoverPackage
from ..domain.model import AwaitingHandover
from .admission import open_case
from .seed import GOALS

log = logging.getLogger("lotse.casework.seed")

#: intake admits during the working day (seed_history there): the case opens after it
OPENED_AT = time(16)

EVALUATION = {"plan": "Der Hilfeplan war tragfähig",
              "methods": "Ressourcen- und Netzwerkkarte haben die Klientin gestärkt",
              "cooperation": "Absprachen mit den Partnern verlässlich",
              "client_satisfaction": 4, "service_planning_hints": "Wartezeiten bei Sprachkursen",
              "write_up_minutes": 60}
LIFE_AREAS = [{"area": "residence_status", "client_view": "unsicher",
               "case_manager_view": "Perspektive klären",
               "disagreement": "Klientin sieht noch keine Perspektive"},
              {"area": "languages", "client_view": "A1", "case_manager_view": "A1"}]


class _CaseCopies:
    """Intake's state of a case's consents while the history is seeded: the case's own copies
    (see the module's docstring)."""

    def __init__(self, units, tenant) -> None:
        self._units, self._tenant = units, tenant

    def current_consents(self, operator_org_id: str, intake_id: str,
                         consent_ids: Sequence[str]) -> Mapping[str, CurrentConsent]:
        with self._units(self._tenant) as uow:
            case = uow.case_by_intake(operator_org_id, intake_id)
            return {c.consent_id: CurrentConsent(
                consent_id=c.consent_id, kind=c.kind, partner_org_id=c.partner_org_id or "",
                topic_areas=tuple(c.topic_areas or ()), valid_from=c.valid_from,
                valid_until=c.valid_until, withdrawn=c.withdrawn_on is not None,
                withdrawn_on=c.withdrawn_on)
                for c in uow.consents(case.id) if c.consent_id in consent_ids}


def seed_history(service, county, history: History) -> int:
    """Casework's cases of ``history``; how many commands it ran."""
    owner = _CaseCopies(service.uow, county.tenant_id)
    bus = MessageBus(service.command_handlers, {}, {
        **service.platform_dependencies(), **service.dependencies(),
        "consent_owner": lambda: owner})
    written = 0
    for person in history.admitted():
        with service.uow(county.tenant_id) as uow:
            if uow.case(person.case_id) is not None:
                continue
        written += _seed_case(service, bus, county, person)
    log.info("casework.history_seeded", extra={"records": written})
    return written


def _principal(county, user) -> Principal:
    return Principal(subject=str(user.id), tenant=county.tenant_id,
                     organisation=str(county.organisation(user.organisation).id),
                     areas=frozenset(str(county.area(a).id) for a in user.areas),
                     roles=frozenset(user.roles))


def _open(service, county, person: HistoryPerson, manager) -> None:
    """The case as intake's admission opens it, with the handover package of that admission."""
    day = person.admitted_on
    assert day is not None
    intake_id = str(person.intake_id)
    consents = [
        {"id": str(person.consent_id(1)), "kind": "data_protection_information",
         "valid_from": day.isoformat()},
        {"id": str(person.consent_id(2)), "kind": "counselling_agreement",
         "valid_from": day.isoformat(), "valid_until": (day + timedelta(days=730)).isoformat()},
        *({"id": str(person.consent_id(k)), "kind": "release_of_confidentiality",
           "partner_org_id": str(county.organisation(org).id), "topic_areas": list(topics),
           "valid_from": day.isoformat(), "valid_until": (day + timedelta(days=730)).isoformat()}
          for k, (org, topics) in enumerate(person.releases, start=3)),
    ]
    package = HandoverPackage.parse({
        "intake_id": intake_id,
        "person": {"given_name": person.name[0], "family_name": person.name[1],
                   "date_of_birth": person.born.isoformat(),
                   "contact": {"phone": "+49 5271 0000", "address": "Kreis Höxter"},
                   "languages": list(person.languages),
                   "interpreter_needed": "de" not in person.languages
                   and "en" not in person.languages, "language_levels": []},
        "screening": {"criteria_met": ["multiple_dimensions", "several_actors",
                                       "long_term_need"],
                      "topic_areas": list(person.topics), "crisis": False},
        "consents": consents,
        "counselling_history": [{"revision": 1, "depth": "case_management",
                                 "decided_on": person.decisions[0][1].isoformat()}],
        "household": None,
    }, intake_id)
    organisation = str(county.organisation(manager.organisation).id)
    admission = AwaitingHandover(
        intake_id=intake_id, operator_org_id="", case_manager_id=str(manager.id),
        case_manager_org_id=organisation, area_id=str(county.area(person.town).id),
        admitted_on=day, topic_areas=list(person.topics))
    with clock.held_on(day, county.tenant_id, at=OPENED_AT), \
            service.uow(county.tenant_id) as uow:
        open_case(uow, admission, package, case_id=person.case_id)
        uow.commit()


def _seed_case(service, bus: MessageBus, county, person: HistoryPerson) -> int:
    manager = case_manager(county, person.town)
    _open(service, county, person, manager)
    goals: dict = {}
    written = 1
    hours = _Hours(person.admitted_on)
    for step in person.case_steps:
        principal = _principal(county, manager)
        command = _command(county, person, step, goals)
        if command is None:
            continue
        with clock.held_on(step.on, county.tenant_id, at=hours.next(step.on)):
            uow = service.uow(county.tenant_id, principal=principal)
            if step.kind == "transfer":
                receiver = case_manager(county, step.what)
                if receiver.username == manager.username:
                    continue
                transfer_id = bus.handle(command(receiver), uow)
                bus.handle(AcceptTransfer(transfer_id),
                           service.uow(county.tenant_id, principal=_principal(county, receiver)))
                manager = receiver
                written += 2
                continue
            if step.kind == "contact" and step.what == "home_visit":
                command = replace(command, appointment_id=_home_visit_agreed(
                    service, bus, county, principal, person.case_id, step))
                uow = service.uow(county.tenant_id, principal=principal)
                written += 1
            result = bus.handle(command, uow)
        if step.kind == "goal":
            goals[step.what] = result
        written += 1
    return written


class _Hours:
    """The hours of a case's steps: one after another on the same day, from the morning (on the
    day of admission from after intake's admission and the opening)."""

    def __init__(self, admitted_on) -> None:
        self._admitted_on, self._day, self._minutes = admitted_on, None, 0

    def next(self, day) -> time:
        if day != self._day:
            self._day = day
            start = OPENED_AT if day == self._admitted_on else time(9)
            self._minutes = start.hour * 60 + start.minute
        self._minutes = min(self._minutes + 25, 23 * 60)
        return time(self._minutes // 60, self._minutes % 60)


def _home_visit_agreed(service, bus: MessageBus, county, principal: Principal, case_id,
                       step):
    """A home visit is agreed in advance, with the client's agreement (001 L546): planned early
    on its day, recorded from that appointment."""
    with clock.held_on(step.on, county.tenant_id, at=time(7, 30)):
        return bus.handle(PlanAppointment(
            case_id, "home_visit", step.on, time(8),
            step.minutes, "Wohnung der Klientin", "Klientin", client_agreement=True),
            service.uow(county.tenant_id, principal=principal))


def _command(county, person: HistoryPerson, step, goals: dict):
    case_id = person.case_id
    if step.kind == "phase":
        return ChangePhase(case_id, step.what)
    if step.kind == "assessment":
        return RecordAssessment(case_id, LIFE_AREAS, language_levels=[
            {"language": "de", "level": "A1", "evidence": "case_manager_assessment",
             "assessed_on": step.on}])
    if step.kind == "goal":
        statement, indicator, responsible = GOALS.get(step.what, (
            "Kontakte im Wohnort sind geknüpft", "zwei regelmäßige Kontakte", "client"))
        partner = CASE_PARTNERS.get(step.what)
        if responsible == "partner_organisation" and partner is None:
            responsible = "client"
        return SetGoal(case_id, step.what, statement, indicator, responsible,
                       str(county.organisation(partner).id)
                       if responsible == "partner_organisation" else None,
                       "mit der vorhandenen Unterstützung erreichbar",
                       step.on + timedelta(days=120), primary=not goals)
    if step.kind == "help_plan":
        return DrawUpHelpPlan(case_id, 21, ["appointment", "phone_call"])
    if step.kind == "contact":
        return RecordContact(case_id, step.what, step.on, step.minutes, [step.topic],
                             step.purpose, "Gespräch geführt, nächste Schritte besprochen",
                             client_agreement=step.what == "home_visit")
    if step.kind == "reach":
        return ReachGoal(case_id, goals[step.what], "erreicht") if step.what in goals else None
    if step.kind == "close":
        regular = step.what in ("goals_reached", "client_steers_network")
        return CloseCase(case_id, step.what, dict(EVALUATION) if regular else None)
    if step.kind == "transfer":
        def offer(receiver):
            return OfferTransfer(case_id, to_case_manager_id=str(receiver.id),
                                 to_area_id=str(county.area(step.what).id),
                                 note="Umzug innerhalb des Kreises")
        return offer
    raise ValueError(f"unknown step {step.kind}")
