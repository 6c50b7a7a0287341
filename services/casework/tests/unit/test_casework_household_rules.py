"""Working with a household as a unit while each person's consent stays her own (001 L562
"Fachkräfte müssen mit einer größeren Bedarfsgemeinschaft arbeiten können"; 002 L217
"Alleinerziehende … sowie Familien"), on casework's message bus with the in-memory unit of work."""

from __future__ import annotations

import uuid
from datetime import time, timedelta

import pytest

from lotse.casework.v1 import events_pb2 as ev
from lotse.intake.v1 import events_pb2 as intake_ev
from lotse.kim.v1 import vocabulary_pb2 as kim
from lotse_platform import clock
from lotse_platform.auth import CASE_MANAGER, COORDINATOR, Principal

from casework_fakes import FakeCasework
from lotse_casework.domain.commands import (
    PlanAppointment,
    PlanConference,
    RecordHouseholdContact,
)
from lotse_casework.domain.errors import Incomplete, MemberRefused, NotVisible, Refused
from lotse_casework.domain.household import HouseholdContactMember
from lotse_casework.domain.model import Case, Consent, Person
from lotse_casework.service_layer.households import read_case_household
from lotse_platform.audit.purposes import Purpose, StatedPurpose

TENANT = uuid.uuid4()
OWN_ORG = "org-stadt-hoexter"
LEA = Principal(subject="cm-lea", tenant=TENANT, organisation=OWN_ORG,
                areas=frozenset({"area-hoexter"}), roles=frozenset({CASE_MANAGER}))
OFFICE = Principal(subject="ks-koch", tenant=TENANT, organisation="org-kreis",
                   areas=frozenset(), roles=frozenset({COORDINATOR}))
HOUSEHOLD = str(uuid.uuid4())
SOON = clock.today() + timedelta(days=7)


def a_member(service: FakeCasework, name: str, relation: str, case_manager: str = "cm-lea",
             household: str | None = HOUSEHOLD) -> Case:
    with service.uow(TENANT) as uow:
        start = uow.today() - timedelta(days=30)
        case = Case.open(intake_id=str(uuid.uuid4()), operator_org_id="", area_id="area-hoexter",
                         organisation_id=OWN_ORG, case_manager_id=case_manager, opened_on=start,
                         topic_areas=["housing", "family_childcare"], target_group_ids=[])
        case.phase, case.phases_visited = "linking", ["intake", "linking"]
        if household:
            case.join_household(household, "family", relation)
        uow.add(case, Person(case_id=case.id, name=name, date_of_birth=None, contact={},
                             languages=["ar"], interpreter_needed=False, screening={},
                             counselling_history=[]),
                *(Consent(case_id=case.id, consent_id=f"{case.id}:{kind}", kind=kind,
                          valid_from=start) for kind in ("data_protection_information",
                                                         "counselling_agreement")),
                Consent(case_id=case.id, consent_id=f"{case.id}:caritas",
                        kind="release_of_confidentiality", partner_org_id="org-caritas",
                        topic_areas=["housing"], valid_from=start))
        uow.commit()
    return case


def family(service: FakeCasework) -> tuple[Case, Case, Case]:
    return (a_member(service, "Amina Haddad", "applicant"),
            a_member(service, "Omar Haddad", "partner"),
            a_member(service, "Lina Haddad", "child", case_manager="cm-tom"))


def withdraw_agreement(service: FakeCasework, case: Case) -> None:
    service.consume(intake_ev.ConsentWithdrawn(
        consent_id=f"{case.id}:counselling_agreement", intake_id=case.intake_id,
        kind=kim.CONSENT_KIND_COUNSELLING_AGREEMENT, withdrawn_on=clock.today().isoformat()),
        TENANT)


def joint_contact(*cases: Case, **extra) -> RecordHouseholdContact:
    return RecordHouseholdContact(
        tuple(HouseholdContactMember(c.id) for c in cases), type="appointment",
        occurred_on=clock.today(), duration_minutes=90, topics=["housing"],
        purpose="counselling", notes="Gespräch mit der Familie", **extra)


def contacts_of(service: FakeCasework, case: Case) -> list:
    with service.uow(TENANT) as uow:
        return uow.contacts(case.id)


def test_a_case_shows_the_members_she_may_open_and_the_others_only_as_a_count():
    """001 L562: the family as a unit; a colleague's case stays hers (no id, no name)."""
    service = FakeCasework()
    mother, father, child = family(service)

    household = read_case_household(mother.id, None, service.uow(TENANT, principal=LEA))

    assert (household.household_id, household.kind, household.relation) == (
        HOUSEHOLD, "family", "applicant")
    assert [(m.case_id, m.relation, m.name) for m in household.members] == [
        (father.id, "partner", "Omar Haddad")]
    assert household.other_members == 1
    assert str(child.id) not in repr(household) and "Lina" not in repr(household)
    audited = [(a.record_type, a.record_id) for a in service.database.audit_log]
    assert audited == [("household", str(mother.id)), ("household", str(father.id))]


def test_the_office_reads_a_household_for_supervision_with_its_purpose():
    """001 L562, read by the coordinating office (Fachaufsicht) with a stated purpose."""
    service = FakeCasework()
    mother, father, child = family(service)

    household = read_case_household(mother.id, StatedPurpose(Purpose.supervision, None),
                                    service.uow(TENANT, principal=OFFICE))

    assert {m.case_id for m in household.members} == {father.id, child.id}
    assert household.other_members == 0
    assert sorted((a.actor, a.record_id, a.reason) for a in service.database.audit_log) == sorted(
        ("ks-koch", str(c.id), Purpose.supervision.reason) for c in (mother, father, child))


def test_a_case_of_no_household_answers_404():
    service = FakeCasework()
    single = a_member(service, "Amina Haddad", "applicant", household=None)

    with pytest.raises(NotVisible):
        read_case_household(single.id, None, service.uow(TENANT, principal=LEA))


def test_the_household_follows_intake_linking_and_unlinking_after_admission():
    """002 L217: a family linked at intake after the admission still reaches casework."""
    service = FakeCasework()
    case = a_member(service, "Amina Haddad", "applicant", household=None)
    other = str(uuid.uuid4())
    message = intake_ev.HouseholdMembershipChanged

    service.consume(message(household_id=other, intake_id=case.intake_id, linked=True,
                            kind=message.KIND_SINGLE_PARENT,
                            relation=message.RELATION_APPLICANT), TENANT)
    with service.uow(TENANT) as uow:
        linked = uow.case(case.id)
        assert (linked.household_id, linked.household_kind, linked.household_relation) == (
            other, "single_parent", "applicant")
    service.consume(message(household_id=other, intake_id=case.intake_id, linked=False,
                            kind=message.KIND_SINGLE_PARENT), TENANT)
    with service.uow(TENANT) as uow:
        assert uow.case(case.id).household_id is None


def test_one_contact_with_the_family_is_recorded_in_each_members_case():
    """001 L562: one appointment with the Bedarfsgemeinschaft, a contact in each case."""
    service = FakeCasework()
    mother, father, _ = family(service)

    recorded = service.handle(joint_contact(mother, father), LEA)

    assert [case_id for case_id, _ in recorded] == [mother.id, father.id]
    for case in (mother, father):
        (contact,) = contacts_of(service, case)
        assert (contact.type, contact.occurred_on, contact.duration_minutes) == (
            "appointment", clock.today(), 90)
    published = [p.event for p in service.database.outbox
                 if isinstance(p.event, ev.ContactRecorded)]
    assert sorted(e.case.case_id for e in published) == sorted([str(mother.id), str(father.id)])
    assert "Gespräch" not in repr(published)


def test_a_member_whose_consent_is_withdrawn_refuses_the_whole_contact_naming_her_place():
    """Each person's consent stays her own (001 L562 with 001 L240): nothing half-written."""
    service = FakeCasework()
    mother, father, _ = family(service)
    withdraw_agreement(service, father)

    with pytest.raises(MemberRefused) as refused:
        service.handle(joint_contact(mother, father), LEA)

    assert refused.value.status == 409
    assert refused.value.errors[0]["field"] == "members.1.case_id"
    assert contacts_of(service, mother) == [] and contacts_of(service, father) == []


def test_a_member_case_she_may_not_write_refuses_the_whole_contact_with_422():
    """002 L217: the child's case is a colleague's; the id tells nothing."""
    service = FakeCasework()
    mother, _, child = family(service)

    with pytest.raises(Incomplete) as refused:
        service.handle(joint_contact(mother, child), LEA)

    assert refused.value.status == 422
    assert refused.value.fields == {"members.1.case_id": "not a case of yours or shared with you"}
    assert contacts_of(service, mother) == []


def test_cases_of_another_household_are_not_one_contact():
    service = FakeCasework()
    mother, _, _ = family(service)
    stranger = a_member(service, "Eva Schmidt", "applicant", household=str(uuid.uuid4()))

    with pytest.raises(Incomplete) as refused:
        service.handle(joint_contact(mother, stranger), LEA)

    assert list(refused.value.fields) == ["members.1.case_id"]


def test_a_withdrawn_consent_of_one_member_stops_sharing_her_data_but_not_the_others():
    """001 L562 with each person's consent her own: the father withdraws his counselling
    agreement; Caritas may no longer join his case conference, but still the mother's."""
    service = FakeCasework()
    mother, father, _ = family(service)
    withdraw_agreement(service, father)

    def conference_with_caritas(case: Case):
        return service.handle(PlanConference(
            case.id, planned_on=SOON, topics=["housing"], agenda="Wohnungssuche der Familie",
            participants=[{"organisation_id": "org-caritas"}]), LEA)

    with pytest.raises(Refused):
        conference_with_caritas(father)
    assert conference_with_caritas(mother) is not None
    asked = {intake_id for _, intake_id, _ in service.consent_client.calls}
    assert asked == {mother.intake_id}, "only the mother's own consents decide her sharing"


def test_a_home_visit_to_the_family_takes_place_as_each_members_agreed_appointment():
    """001 L562 (home visits with the Bedarfsgemeinschaft), agreed in advance (001 L546)."""
    def planned(service: FakeCasework, cases) -> dict:
        return {case.id: service.handle(PlanAppointment(
            case.id, kind="home_visit", on=clock.today(), at=time(10), duration_minutes=90,
            place="Wohnung der Familie", client_agreement=True), LEA) for case in cases}

    def visit(cases, visits: dict) -> RecordHouseholdContact:
        return RecordHouseholdContact(
            tuple(HouseholdContactMember(c.id, visits.get(c.id)) for c in cases),
            type="home_visit", occurred_on=clock.today(), duration_minutes=90,
            children_present=True)

    refusing = FakeCasework()
    mother, father, _ = family(refusing)
    visits = planned(refusing, (mother,))
    with pytest.raises(Incomplete) as refused:
        refusing.handle(visit((mother, father), visits), LEA)
    assert list(refused.value.fields) == ["members.1.appointment_id"]
    assert contacts_of(refusing, mother) == []

    service = FakeCasework()
    mother, father, _ = family(service)
    visits = planned(service, (mother, father))
    service.handle(visit((mother, father), visits), LEA)

    for case in (mother, father):
        (contact,) = contacts_of(service, case)
        assert (contact.appointment_id, contact.client_agreement, contact.children_present) == (
            visits[case.id], True, True)
