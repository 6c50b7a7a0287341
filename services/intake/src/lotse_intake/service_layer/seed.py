"""Demo data of the intake service: Kreis Höxter's target groups and the demo county's invented
people (:mod:`lotse_demo.people`) who came in by every access path, screened, decided at every
counselling depth, 14 of them admitted to KIM case management with their consents, and two case
proposals, and one family household (two adults and their son, 001 L562). The ids are :mod:`lotse_demo.people`'s, so casework seeds matching cases; target group
``key`` is ``demo_id(f"target-group:{key}")``. Seeding again writes nothing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from lotse_demo.county import demo_id
from lotse_demo.documents import SIGNED_COPIES, signed_form_pdf
from lotse_platform.references import from_directory
from lotse_demo.people import ANONYMOUS_CONTACTS, HOUSEHOLDS, PEOPLE, PROPOSALS, admitted
from lotse_demo.people import Person as Demo

from ..domain.commands import (
    AcceptCaseProposal,
    AdmitCase,
    AttachSignedCopy,
    CompleteScreening,
    DecideCounsellingDepth,
    FoundHousehold,
    GiveConsent,
    RecordAnonymousContact,
    RecordContact,
    SubmitCaseProposal,
    WithdrawConsent,
)
from ..domain.household import HouseholdKind, HouseholdLink, HouseholdRelation
from ..domain.model import CriterionAnswer, LanguageLevel, OtherService, Person, Referral
from ..domain.signed_copies import SignedForm
from ..domain.target_groups import ScreeningFacts
from ..domain.vocabulary import (
    AccessPath,
    AdmissionCriterion,
    AnonymousContactKind,
    CefrLevel,
    ConsentKind,
    CounsellingDepth,
    LanguageEvidence,
    OtherServiceKind,
    RegionOfOrigin,
    ResidenceStatus,
    TopicArea,
)
from . import case_proposals, handlers
from .anonymous import record_anonymous_contact
from .households import found_household
from .seed_target_groups import hoexter_target_groups
from .signed_copies import attach_signed_copy
from .target_groups import define_target_group

CM = CounsellingDepth.CASE_MANAGEMENT
#: the demo people came in through the county's own intake (no operator), on any instance
COUNTY_INTAKE = ""


ADMITTED = tuple(p.n for p in admitted())


def case_manager_of(county, town: str):
    return next(u for u in county.users_with_role("case_manager") if town in u.areas)


def seed_demo(service, county) -> int:
    tenant = county.tenant_id

    def uow():
        return service.uow(tenant)

    with uow() as check:
        if check.target_groups.get(demo_id("target-group:recognised-refugees")) is not None:
            return 0
    # what identity publishes of the county, so that the seed's references are known before
    # its events arrive (they replace these: ADR 0054)
    with uow() as directory:
        directory.references.put_all(from_directory(county.directory(), county.reference_names()))
        directory.commit()
    written = 0
    for command in hoexter_target_groups(lambda town: str(county.area(town).id), "seed",
                                         lambda key: demo_id(f"target-group:{key}")):
        define_target_group(command, uow(), operator_org_id=COUNTY_INTAKE)
        written += 1
    today = uow().today()
    for demo in PEOPLE:
        written += _seed_person(demo, county, uow, today, service.settings.admission_criteria_of)
    written += _seed_signed_copies(service, county, uow)
    for p, n, town, username, name, topics, accepted in PROPOSALS:
        written += _seed_proposal(county, uow, p, n, town, username, name, topics, accepted)
    for k, kind, town, ago, topics, languages, minutes, people in ANONYMOUS_CONTACTS:
        record_anonymous_contact(RecordAnonymousContact(
            kind=AnonymousContactKind(kind), area_id=str(county.area(town).id),
            held_on=today - timedelta(days=ago), topic_areas=tuple(TopicArea(t) for t in topics),
            languages=languages, duration_minutes=minutes, people=people,
            recorded_by=str(case_manager_of(county, town).id),
            contact_id=demo_id(f"anonymous-contact:{k}")), uow(), operator_org_id=COUNTY_INTAKE)
        written += 1
    for h, kind, note, members in HOUSEHOLDS:  # after the admissions: the events tell casework
        found_household(FoundHousehold(
            kind=HouseholdKind(kind), note=note, household_id=demo_id(f"household:{h}"),
            linked_by=str(case_manager_of(county, PEOPLE_BY_N[members[0][0]].town).id),
            members=tuple(HouseholdLink(demo_id(f"intake:{n}"), HouseholdRelation(relation))
                          for n, relation in members)), uow(), operator_org_id=COUNTY_INTAKE)
        written += 1
    return written


PEOPLE_BY_N = {p.n: p for p in PEOPLE}
def _seed_signed_copies(service, county, uow) -> int:
    """Rania Khalil's signed consent and release, scanned (000 L98); none without a key
    directory (ADR 0082)."""
    if service.envelopes is None:
        return 0
    manager = case_manager_of(county, "hoexter")
    written = 0
    for n, (key, form, title) in enumerate(SIGNED_COPIES, start=1):
        if not key.startswith("intake:"):
            continue
        attach_signed_copy(AttachSignedCopy(
            intake_id=demo_id(key), form=SignedForm(form), content=signed_form_pdf(title),
            content_type="application/pdf", uploaded_by=str(manager.id),
            copy_id=demo_id(f"{key}:signed-copy:{n}")), uow(), envelopes=service.envelopes,
            signed_copy_max_bytes=service.settings.signed_copy_max_bytes)
        written += 1
    return written


def _seed_person(demo: Demo, county, uow, today: date, criteria) -> int:
    contact_day = today - timedelta(days=demo.first_contact_days_ago)
    manager = case_manager_of(county, demo.town)
    manager_id = str(manager.id)
    intake_id = demo.intake_id
    handlers.record_contact(RecordContact(
        area_id=str(county.area(demo.town).id), access_path=AccessPath(demo.access),
        contact_date=contact_day, recorded_by=manager_id, intake_id=intake_id,
        referring_org_id=str(county.organisation(demo.referrer).id) if demo.referrer else None,
        person=Person(given_name=demo.name[0], family_name=demo.name[1],
                      date_of_birth=date.fromisoformat(demo.born) if demo.born else None,
                      phone=f"+49 5271 {400000 + demo.n * 137}", languages=demo.languages,
                      interpreter_needed="de" not in demo.languages and "en" not in demo.languages,
                      language_levels=tuple(
                          LanguageLevel(language, CefrLevel(level), LanguageEvidence(evidence),
                                        contact_day - timedelta(days=ago))
                          for language, level, evidence, ago in
                          demo.extra.get("language_levels", ()))),
        other_services=tuple(OtherService(str(county.organisation(org).id), OtherServiceKind(kind))
                             for org, kind in demo.extra.get("other_services", ())),
    ), uow(), operator_org_id=COUNTY_INTAKE)
    written = 1
    if not demo.screen:
        return written
    asked = criteria(county.tenant_id)  # the demo county's list (LOTSE_INTAKE_ADMISSION_CRITERIA)
    met = set(asked) if demo.admit or CM in demo.decisions else {
        AdmissionCriterion.OWN_RESOURCES_INSUFFICIENT}
    handlers.complete_screening(CompleteScreening(
        intake_id=intake_id, criteria=[CriterionAnswer(c, c in met) for c in asked],
        topic_areas=[TopicArea(t) for t in demo.topics], crisis=demo.crisis,
        screened_by=manager_id,
        screened_on=contact_day + timedelta(days=1),
        facts=ScreeningFacts(
            residence_statuses=tuple(ResidenceStatus(s) for s in demo.statuses),
            region_of_origin=RegionOfOrigin(demo.region) if demo.region else None,
            disadvantaged=demo.disadvantaged,
            unaccompanied_minor_at_entry=demo.extra.get("unaccompanied_minor_at_entry")),
    ), uow(), admission_criteria=criteria)
    for k, decision in enumerate(demo.decisions):
        referral = None
        if isinstance(decision, tuple):
            org, topic = decision
            referral = Referral(str(county.organisation(org).id), TopicArea(topic))
        handlers.decide_counselling_depth(DecideCounsellingDepth(
            intake_id=intake_id,
            depth=CounsellingDepth.REFERRAL if referral else CounsellingDepth(decision),
            decided_by=manager_id, decided_on=contact_day + timedelta(days=5 + k),
            referral=referral), uow())
    written += 1 + len(demo.decisions)
    if demo.admit:
        written += _seed_admission(demo, county, uow, intake_id, manager, contact_day, today)
    return written


def _seed_admission(demo: Demo, county, uow, intake_id, manager, contact_day: date,
                    today: date) -> int:
    signed = contact_day + timedelta(days=8)
    manager_id = str(manager.id)
    consents = [
        GiveConsent(intake_id, ConsentKind.DATA_PROTECTION_INFORMATION, signed, manager_id,
                    language=demo.languages[0]),
        GiveConsent(intake_id, ConsentKind.COUNSELLING_AGREEMENT, signed, manager_id,
                    valid_until=today + timedelta(days=demo.agreement_days)),
        *(GiveConsent(intake_id, ConsentKind.RELEASE_OF_CONFIDENTIALITY, signed, manager_id,
                      partner_org_id=str(county.organisation(org).id),
                      topic_areas=[TopicArea(t) for t in topics],
                      valid_until=today + timedelta(days=days) if days else None)
          for org, topics, days in demo.releases),
    ]
    for k, consent in enumerate(consents, start=1):
        handlers.give_consent(replace(consent, consent_id=demo.consent_id(k)), uow())
    handlers.admit_case(AdmitCase(
        intake_id=intake_id, case_manager_id=manager_id,
        case_manager_org_id=str(county.organisation(manager.organisation).id),
        admitted_by=manager_id, admitted_on=contact_day + timedelta(days=9),
        justification=demo.extra.get("justification", "Einzelfallentscheidung der KS")),
        uow())
    if demo.extra.get("withdraw_release"):
        handlers.withdraw_consent(WithdrawConsent(
            intake_id, demo.consent_id(3), manager_id), uow())
    return len(consents) + 1


def _seed_proposal(county, uow, p, n, town, username, name, topics, accepted) -> int:
    proposer = county.user(username)
    org_id = str(county.organisation(proposer.organisation).id)
    proposal = case_proposals.submit_case_proposal(SubmitCaseProposal(
        contact=RecordContact(area_id=str(county.area(town).id),
                              access_path=AccessPath.CASE_PROPOSAL,
                              contact_date=uow().today() - timedelta(days=10 + p),
                              person=Person(name[0], name[1], languages=("ar", "en")),
                              recorded_by=str(proposer.id), intake_id=demo_id(f"intake:{n}")),
        proposing_org_id=org_id, topic_areas=[TopicArea(t) for t in topics],
        reason="komplexe Lage über mehrere Rechtskreise", proposal_id=demo_id(f"case-proposal:{p}"),
    ), uow(), operator_org_id=COUNTY_INTAKE)
    if accepted:
        manager = case_manager_of(county, town)
        coordinator = county.users_with_role("coordinator")[0]
        case_proposals.accept_case_proposal(AcceptCaseProposal(
            proposal_id=proposal.id, case_manager_id=str(manager.id),
            case_manager_org_id=str(county.organisation(manager.organisation).id),
            decided_by=str(coordinator.id)), uow())
    return 1
