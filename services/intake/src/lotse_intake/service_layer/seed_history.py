"""Intake's part of the demo history (ADR 0093): a year of first contacts, screenings,
counselling-depth decisions, consents and admissions of :func:`lotse_demo.history.plan_history`,
each through intake's own command handlers with the platform clock held on its day, so that the
business dates and the events' times fall on that day. A person whose intake exists already is
skipped: seeding again writes nothing twice."""

from __future__ import annotations

from datetime import date, time, timedelta

from lotse_demo.history import History, HistoryPerson
from lotse_platform import clock

from ..domain.commands import (
    AdmitCase,
    CompleteScreening,
    DecideCounsellingDepth,
    GiveConsent,
    RecordAnonymousContact,
    RecordContact,
    WithdrawConsent,
)
from ..domain.model import CriterionAnswer, Person, Referral
from ..domain.target_groups import ScreeningFacts
from ..domain.vocabulary import (
    AccessPath,
    AdmissionCriterion,
    AnonymousContactKind,
    ConsentKind,
    CounsellingDepth,
    RegionOfOrigin,
    ResidenceStatus,
    TopicArea,
)
from . import handlers
from .anonymous import record_anonymous_contact
from .seed import COUNTY_INTAKE, case_manager_of


def seed_history(service, county, history: History) -> int:
    """Intake's records of ``history``; how many commands it ran."""
    tenant = county.tenant_id

    def uow():
        return service.uow(tenant)

    written = 0
    for person in history.people:
        with uow() as check:
            if check.intakes.get(person.intake_id) is not None:
                continue
        written += _seed_person(person, county, uow, service.settings.admission_criteria_of)
    for contact in history.anonymous:
        with uow() as check:
            held = check.anonymous_contacts.held_between(contact.held_on, contact.held_on, None)
            if any(c.id == contact.contact_id for c in held):
                continue
        with clock.held_on(contact.held_on, tenant, at=_hour(contact.k)):
            record_anonymous_contact(RecordAnonymousContact(
                kind=AnonymousContactKind(contact.kind), area_id=str(county.area(contact.town).id),
                held_on=contact.held_on, topic_areas=tuple(TopicArea(t) for t in contact.topics),
                languages=contact.languages, duration_minutes=contact.minutes,
                people=contact.people,
                recorded_by=str(case_manager_of(county, contact.town).id),
                contact_id=contact.contact_id), uow(), operator_org_id=COUNTY_INTAKE)
        written += 1
    return written


def _hour(n: int) -> time:
    """A working hour of the day, different from one person to the next."""
    return time(8 + n % 8, (n * 7) % 60)


def _seed_person(person: HistoryPerson, county, uow, criteria) -> int:
    tenant = county.tenant_id
    manager = case_manager_of(county, person.town)
    manager_id, intake_id = str(manager.id), person.intake_id
    at = _hour(person.n)
    with clock.held_on(person.first_contact, tenant, at=at):
        handlers.record_contact(RecordContact(
            area_id=str(county.area(person.town).id), access_path=AccessPath(person.access),
            contact_date=person.first_contact, recorded_by=manager_id, intake_id=intake_id,
            referring_org_id=str(county.organisation(person.referrer).id)
            if person.referrer else None,
            person=Person(given_name=person.name[0], family_name=person.name[1],
                          date_of_birth=person.born, languages=person.languages,
                          interpreter_needed="de" not in person.languages
                          and "en" not in person.languages)),
            uow(), operator_org_id=COUNTY_INTAKE)
    asked = criteria(tenant)
    met = set(asked) if person.admitted else {AdmissionCriterion.OWN_RESOURCES_INSUFFICIENT}
    with clock.held_on(person.screened_on, tenant, at=at):
        handlers.complete_screening(CompleteScreening(
            intake_id=intake_id, criteria=[CriterionAnswer(c, c in met) for c in asked],
            topic_areas=[TopicArea(t) for t in person.topics],
            crisis=person.decisions[0][0] == "crisis_intervention", screened_by=manager_id,
            screened_on=person.screened_on,
            facts=ScreeningFacts(
                residence_statuses=tuple(ResidenceStatus(s) for s in person.statuses),
                region_of_origin=RegionOfOrigin(person.region))),
            uow(), admission_criteria=criteria)
    written = 2
    for depth, day, *referral in person.decisions:
        with clock.held_on(day, tenant, at=at):
            handlers.decide_counselling_depth(DecideCounsellingDepth(
                intake_id=intake_id, depth=CounsellingDepth(depth), decided_by=manager_id,
                decided_on=day,
                referral=Referral(str(county.organisation(referral[0]).id),
                                  TopicArea(referral[1])) if referral else None), uow())
        written += 1
    if person.admitted_on is not None:
        written += _admit(person, county, uow, manager, person.admitted_on)
    if person.withdrawn_on is not None:  # the client ends her participation (Widerruf)
        with clock.held_on(person.withdrawn_on, tenant, at=at):
            handlers.withdraw_consent(WithdrawConsent(intake_id, person.consent_id(2),
                                                      manager_id), uow())
        written += 1
    return written


def _admit(person: HistoryPerson, county, uow, manager, day: date) -> int:
    manager_id = str(manager.id)
    intake_id = person.intake_id
    consents = [
        GiveConsent(intake_id, ConsentKind.DATA_PROTECTION_INFORMATION, day, manager_id,
                    language=person.languages[0], consent_id=person.consent_id(1)),
        GiveConsent(intake_id, ConsentKind.COUNSELLING_AGREEMENT, day, manager_id,
                    valid_until=day + timedelta(days=730), consent_id=person.consent_id(2)),
        *(GiveConsent(intake_id, ConsentKind.RELEASE_OF_CONFIDENTIALITY, day, manager_id,
                      partner_org_id=str(county.organisation(org).id),
                      topic_areas=[TopicArea(t) for t in topics],
                      valid_until=day + timedelta(days=730), consent_id=person.consent_id(k))
          for k, (org, topics) in enumerate(person.releases, start=3)),
    ]
    with clock.held_on(day, county.tenant_id, at=_hour(person.n)):
        for consent in consents:
            handlers.give_consent(consent, uow())
        handlers.admit_case(AdmitCase(
            intake_id=intake_id, case_manager_id=manager_id,
            case_manager_org_id=str(county.organisation(manager.organisation).id),
            admitted_by=manager_id, admitted_on=day,
            justification="Einzelfallentscheidung der KS"), uow())
    return len(consents) + 1
