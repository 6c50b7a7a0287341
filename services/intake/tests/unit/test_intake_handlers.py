"""The intake's handlers against an in-memory unit of work: a first contact, consents given and
withdrawn, and the admission, without a database (the same handlers run on PostgreSQL in
tests/integration); and who may, checked by the handlers against the unit's principal when a
command runs through the service's message bus (ADR 0052)."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import timedelta

import pytest
from intake_fakes import FakeIntakeUnitOfWork

from lotse.intake.v1.events_pb2 import CaseAdmitted, ConsentGiven, ConsentWithdrawn, ContactRecorded
from lotse.kim.v1 import vocabulary_pb2 as kim
from lotse_intake.bootstrap import IntakeService
from lotse_intake.domain import commands
from lotse_intake.domain.commands import (
    AcceptCaseProposal,
    AdmitCase,
    CompleteScreening,
    DecideCounsellingDepth,
    DefineTargetGroup,
    EndTargetGroup,
    GiveConsent,
    RecordContact,
    SubmitCaseProposal,
    WithdrawConsent,
)
from lotse_intake.domain.errors import ConsentMissing, InvalidField, UnknownRecord
from lotse_intake.domain.model import CriterionAnswer, Intake, Person
from lotse_intake.domain.target_groups import Conditions, ScreeningFacts
from lotse_intake.domain.vocabulary import (
    AccessPath,
    DEFAULT_ADMISSION_CRITERIA,
    ConsentKind,
    CounsellingDepth,
    IntakeStatus,
    TopicArea,
)
from lotse_intake.service_layer.handlers import (
    admit_case,
    complete_screening,
    decide_counselling_depth,
    give_consent,
    record_contact,
    withdraw_consent,
)
from lotse_intake.service_layer.case_proposals import proposal_outcome
from lotse_intake.service_layer.queries import (
    consents_expiring,
    intakes_awaiting_decision,
    read_intake,
    release_handover,
)
from lotse_intake.settings import IntakeSettings
from lotse_platform.auth.principal import Principal
from lotse_platform.errors import Forbidden
from lotse_platform.testing import today

TENANT = uuid.uuid4()
AREA = "area-hoexter"
CM = "cm-lea"
JMD = "org-jmd"  # a partner: the youth migration service
COUNTY = ""  # operator_org_id of the county's own intake
PERSON = Person("Amina", "Haddad", languages=("ar",))
BRAKEL = "area-brakel"


def caller(subject: str, *roles: str, areas=(), org: str = "org-kreis",
           kind="user") -> Principal:
    return Principal(subject=subject, tenant=TENANT, organisation=org, areas=frozenset(areas),
                     roles=frozenset(roles), kind=kind)


CM_HOEXTER = caller(CM, "case_manager", areas=(AREA,))
CM_BRAKEL = caller("cm-brakel", "case_manager", areas=(BRAKEL,))
OFFICE = caller("ks-koch", "coordinator")


def county_intake() -> IntakeService:
    """The county's own intake (no operator): its container and message bus, no database."""
    return IntakeService(IntakeSettings(database_url="sqlite://"))


def days_ago(n: int):
    return today(TENANT) - timedelta(days=n)


def contact(**changes) -> RecordContact:
    return dataclasses.replace(
        RecordContact(area_id=AREA, access_path=AccessPath.SELF_REFERRAL,
                      contact_date=days_ago(10), person=PERSON, recorded_by=CM), **changes)


def consent(intake: Intake, kind: ConsentKind, **changes) -> GiveConsent:
    language = "ar" if kind == ConsentKind.DATA_PROTECTION_INFORMATION else None
    return dataclasses.replace(
        GiveConsent(intake.id, kind, given_on=days_ago(2), recorded_by=CM, language=language),
        **changes)


def decided_for_case_management(uow: FakeIntakeUnitOfWork) -> Intake:
    """Recorded, screened and decided for KIM case management; no consent yet."""
    intake = record_contact(contact(), uow, operator_org_id=COUNTY)
    complete_screening(CompleteScreening(
        intake.id, [CriterionAnswer(c, True) for c in DEFAULT_ADMISSION_CRITERIA],
        [TopicArea.RESIDENCE, TopicArea.HOUSING], crisis=False, facts=ScreeningFacts(),
        screened_by=CM, screened_on=days_ago(9)), uow)
    decide_counselling_depth(DecideCounsellingDepth(
        intake.id, CounsellingDepth.CASE_MANAGEMENT, CM, decided_on=days_ago(8)), uow)
    return intake


def admission(intake: Intake) -> AdmitCase:
    return AdmitCase(intake.id, case_manager_id=CM, case_manager_org_id="org-county",
                     admitted_by=CM, justification="Einzelfallentscheidung der KS")


def admitted(uow: FakeIntakeUnitOfWork) -> Intake:
    intake = decided_for_case_management(uow)
    give_consent(consent(intake, ConsentKind.DATA_PROTECTION_INFORMATION), uow)
    give_consent(consent(intake, ConsentKind.COUNSELLING_AGREEMENT), uow)
    admit_case(admission(intake), uow)
    return intake


# -- first contact ----------------------------------------------------------------------------------

def test_a_first_contact_is_stored_announced_without_the_persons_data_and_audited():
    uow = FakeIntakeUnitOfWork(TENANT)

    intake = record_contact(contact(), uow, operator_org_id=COUNTY)

    assert uow.commits == 1
    assert uow.intakes.get(intake.id) is intake
    assert (intake.status, intake.responsible_id) == (IntakeStatus.RECORDED, CM)
    (event, aggregate, sequence), = uow.published
    assert isinstance(event, ContactRecorded)
    assert (event.intake_id, event.area_id, event.access_path, event.contact_date, aggregate,
            sequence) == (str(intake.id), AREA, kim.ACCESS_PATH_SELF_REFERRAL,
                          days_ago(10).isoformat(), intake.id, 1)
    assert "Amina" not in str(event) and "Haddad" not in str(event), \
        "events carry ids and facts, never the person's name"
    assert uow.audited == [("create", "intake", intake.id, "first_contact")]


def test_a_first_contact_in_the_future_is_refused_naming_the_date_and_nothing_is_written():
    uow = FakeIntakeUnitOfWork(TENANT)

    with pytest.raises(InvalidField) as refused:
        record_contact(contact(contact_date=today(TENANT) + timedelta(days=1)), uow,
                       operator_org_id=COUNTY)

    assert refused.value.field == "contact_date"
    assert (uow.commits, uow.intakes.every(), uow.published, uow.audited) == (0, [], [], [])


def test_a_providers_instance_records_its_own_organisation_on_every_intake_it_takes_in():
    provider = IntakeService(IntakeSettings(database_url="sqlite://", operator="org-awo",
                                            routing_key_suffix="awo"))
    uow = FakeIntakeUnitOfWork(TENANT)

    intake = provider.bus.handle(contact(), uow)

    (event, _, _), = uow.published
    assert intake.operator_org_id == event.operator_org_id == "org-awo"


# -- consent ----------------------------------------------------------------------------------------

def test_a_consent_given_is_kept_on_the_intake_announced_and_audited():
    uow = FakeIntakeUnitOfWork(TENANT)
    intake = record_contact(contact(), uow, operator_org_id=COUNTY)

    given = give_consent(consent(intake, ConsentKind.RELEASE_OF_CONFIDENTIALITY,
                                 partner_org_id=JMD, topic_areas=[TopicArea.EDUCATION]), uow)

    assert uow.intakes.get(intake.id).consent(given.id) is given
    event, aggregate, sequence = uow.published[-1]
    assert isinstance(event, ConsentGiven)
    assert (event.consent_id, event.kind, event.partner_org_id, list(event.topic_areas),
            aggregate, sequence) == (str(given.id), kim.CONSENT_KIND_RELEASE_OF_CONFIDENTIALITY,
                                     JMD, [kim.TOPIC_AREA_EDUCATION], intake.id, 2)
    assert uow.audited[-1] == ("update", "intake", intake.id, "consent")


def test_a_withdrawal_takes_effect_at_once_and_is_published_in_the_same_commit():
    uow = FakeIntakeUnitOfWork(TENANT)
    intake = record_contact(contact(), uow, operator_org_id=COUNTY)
    release = give_consent(consent(intake, ConsentKind.RELEASE_OF_CONFIDENTIALITY,
                                   partner_org_id=JMD, topic_areas=[TopicArea.EDUCATION]), uow)
    commits, published = uow.commits, len(uow.published)

    withdrawn = withdraw_consent(WithdrawConsent(intake.id, release.id, withdrawn_by=CM), uow)

    assert withdrawn.withdrawn and withdrawn.withdrawn_on == today(TENANT)
    assert (uow.commits, len(uow.published)) == (commits + 1, published + 1), \
        "the withdrawal and the event telling casework and the partner commit together"
    event, _, _ = uow.published[-1]
    assert isinstance(event, ConsentWithdrawn)
    assert (event.consent_id, event.partner_org_id, event.withdrawn_on) == (
        str(release.id), JMD, today(TENANT).isoformat())
    assert uow.audited[-1] == ("update", "intake", intake.id, "consent_withdrawal")


def test_after_the_counselling_agreement_is_withdrawn_casework_gets_no_handover():
    uow = FakeIntakeUnitOfWork(TENANT)
    intake = admitted(uow)
    assert release_handover(intake.id, uow).released_under == "counselling_agreement"
    agreement = next(c for c in intake.consents if c.kind == ConsentKind.COUNSELLING_AGREEMENT)

    withdraw_consent(WithdrawConsent(intake.id, agreement.id, withdrawn_by=CM), uow)

    with pytest.raises(ConsentMissing) as refused:
        release_handover(intake.id, uow)
    assert [field for field, _ in refused.value.missing] == ["consents.counselling_agreement"]


# -- who may: the handlers check the unit's principal ----------------------------------------------

def intake_commands(intake: Intake, consent_id: uuid.UUID) -> list[object]:
    """Every command that changes this intake, as a case manager would send it."""
    return [
        CompleteScreening(intake.id, [CriterionAnswer(c, True) for c in DEFAULT_ADMISSION_CRITERIA],
                          [TopicArea.HOUSING], crisis=False, facts=ScreeningFacts(),
                          screened_by="cm-brakel"),
        DecideCounsellingDepth(intake.id, CounsellingDepth.INFORMATION, "cm-brakel"),
        consent(intake, ConsentKind.COUNSELLING_AGREEMENT, recorded_by="cm-brakel"),
        WithdrawConsent(intake.id, consent_id, withdrawn_by="cm-brakel"),
        dataclasses.replace(admission(intake), admitted_by="cm-brakel"),
    ]


@pytest.mark.parametrize("which", range(5), ids=[
    "screening", "decision", "consent", "withdrawal", "admission"])
def test_a_command_on_an_intake_of_another_area_is_refused_before_anything_changes(which):
    uow = FakeIntakeUnitOfWork(TENANT)
    intake = decided_for_case_management(uow)
    given = give_consent(consent(intake, ConsentKind.DATA_PROTECTION_INFORMATION), uow)
    command = intake_commands(intake, given.id)[which]
    before = (uow.commits, len(uow.published), len(uow.audited), intake.status,
              len(intake.decisions), len(intake.consents), given.withdrawn)

    with pytest.raises(Forbidden) as refused:
        county_intake().bus.handle(command, uow.as_caller(CM_BRAKEL))

    assert refused.value.status == 403
    assert refused.value.detail == "the target's area is not among the caller's areas"
    assert (uow.commits, len(uow.published), len(uow.audited), intake.status,
            len(intake.decisions), len(intake.consents), given.withdrawn) == before


def test_a_first_contact_in_another_area_is_refused_and_nothing_is_written():
    uow = FakeIntakeUnitOfWork(TENANT, principal=CM_BRAKEL)

    with pytest.raises(Forbidden):
        county_intake().bus.handle(contact(recorded_by="cm-brakel"), uow)

    assert (uow.commits, uow.intakes.every(), uow.published, uow.audited) == (0, [], [], [])


def test_the_case_manager_of_the_area_and_the_office_work_the_intake_through_the_bus():
    uow = FakeIntakeUnitOfWork(TENANT)
    bus = county_intake().bus
    intake = bus.handle(contact(), uow.as_caller(CM_HOEXTER))

    bus.handle(consent(intake, ConsentKind.DATA_PROTECTION_INFORMATION), uow)
    bus.handle(consent(intake, ConsentKind.COUNSELLING_AGREEMENT, recorded_by="ks-koch"),
               uow.as_caller(OFFICE))

    assert [c.kind for c in intake.consents] == [ConsentKind.DATA_PROTECTION_INFORMATION,
                                                 ConsentKind.COUNSELLING_AGREEMENT]
    assert read_intake(intake.id, uow.as_caller(CM_HOEXTER)) is intake
    with pytest.raises(Forbidden):
        read_intake(intake.id, uow.as_caller(CM_BRAKEL))


def test_an_unknown_intake_is_not_found_before_the_caller_is_checked():
    uow = FakeIntakeUnitOfWork(TENANT, principal=CM_BRAKEL)

    with pytest.raises(UnknownRecord):
        county_intake().bus.handle(
            DecideCounsellingDepth(uuid.uuid4(), CounsellingDepth.INFORMATION, "cm-brakel"), uow)


def test_a_partner_proposes_only_for_her_areas_and_only_her_organisation_sees_the_outcome():
    uow = FakeIntakeUnitOfWork(TENANT)
    bus = county_intake().bus
    awo = caller("awo-beratung", "provider_staff", areas=(AREA,), org="org-awo")
    proposal = SubmitCaseProposal(
        contact(access_path=AccessPath.CASE_PROPOSAL, recorded_by="awo-beratung",
                referring_org_id="org-awo"),
        proposing_org_id="org-awo", topic_areas=[TopicArea.HEALTH])

    with pytest.raises(Forbidden):
        bus.handle(proposal, uow.as_caller(dataclasses.replace(awo, areas=frozenset({BRAKEL}))))
    assert (uow.commits, uow.proposals.every()) == (0, [])

    submitted = bus.handle(proposal, uow.as_caller(awo))
    assert proposal_outcome(submitted.id, uow.as_caller(awo)) is submitted
    assert proposal_outcome(submitted.id, uow.as_caller(OFFICE)) is submitted
    with pytest.raises(UnknownRecord):
        proposal_outcome(submitted.id, uow.as_caller(
            caller("caritas-beratung", "provider_staff", areas=(AREA,), org="org-caritas")))

    bus.handle(AcceptCaseProposal(submitted.id, CM, "org-county", decided_by="ks-koch"),
               uow.as_caller(OFFICE))
    assert proposal_outcome(submitted.id, uow.as_caller(awo)).case_manager_assigned


def test_an_organisation_admin_defines_target_groups_only_in_her_providers_own_instance():
    group = DefineTargetGroup("Geflüchtete", Conditions(), valid_from=days_ago(30),
                              defined_by="admin.awo")
    admin_awo = caller("admin.awo", "org_admin", org="org-awo")
    provider = IntakeService(IntakeSettings(database_url="sqlite://", operator="org-awo",
                                            routing_key_suffix="awo"))
    uow = FakeIntakeUnitOfWork(TENANT, principal=admin_awo)

    with pytest.raises(Forbidden) as refused:
        county_intake().bus.handle(group, uow)
    assert refused.value.detail == "this action requires one of the roles: coordinator, tenant_admin"
    assert uow.target_groups.every() == []

    defined = provider.bus.handle(group, uow)
    with pytest.raises(Forbidden):
        county_intake().bus.handle(EndTargetGroup(defined.id, today(TENANT)), uow)
    assert provider.bus.handle(EndTargetGroup(defined.id, today(TENANT)), uow).valid_until \
        == today(TENANT)


def test_lists_show_a_case_manager_her_areas_and_the_office_all():
    uow = FakeIntakeUnitOfWork(TENANT)
    hoexter = decided_for_case_management(uow)
    brakel = record_contact(contact(area_id=BRAKEL), uow, operator_org_id=COUNTY)
    for intake in (hoexter, brakel):
        give_consent(consent(intake, ConsentKind.RELEASE_OF_CONFIDENTIALITY, partner_org_id=JMD,
                             topic_areas=[TopicArea.EDUCATION],
                             valid_until=today(TENANT) + timedelta(days=5)), uow)
    complete_screening(CompleteScreening(
        brakel.id, [CriterionAnswer(c, True) for c in DEFAULT_ADMISSION_CRITERIA], [TopicArea.HOUSING],
        crisis=False, facts=ScreeningFacts(), screened_by=CM), uow)

    assert intakes_awaiting_decision(uow.as_caller(CM_BRAKEL)) == [brakel]
    assert intakes_awaiting_decision(uow.as_caller(OFFICE)) == [brakel]
    assert [i for _, i in consents_expiring(30, uow.as_caller(CM_HOEXTER))] == [hoexter]
    assert {i.id for _, i in consents_expiring(30, uow.as_caller(OFFICE))} == {
        hoexter.id, brakel.id}


def test_only_a_machine_client_receives_the_handover():
    uow = FakeIntakeUnitOfWork(TENANT)
    intake = admitted(uow)
    audited = len(uow.audited)

    with pytest.raises(Forbidden):
        release_handover(intake.id, uow.as_caller(OFFICE))
    assert len(uow.audited) == audited, "no export without a release"

    casework = caller("client-casework", "service", kind="client")
    assert release_handover(intake.id, uow.as_caller(casework)).intake is intake


# -- admission --------------------------------------------------------------------------------------

def test_admission_without_the_counselling_agreement_is_refused_naming_it():
    uow = FakeIntakeUnitOfWork(TENANT)
    intake = decided_for_case_management(uow)
    give_consent(consent(intake, ConsentKind.DATA_PROTECTION_INFORMATION), uow)
    published = len(uow.published)

    with pytest.raises(ConsentMissing) as refused:
        admit_case(admission(intake), uow)

    assert [field for field, _ in refused.value.missing] == ["consents.counselling_agreement"]
    assert not intake.is_admitted and len(uow.published) == published, "casework hears nothing"


def test_an_admission_with_agreement_and_data_protection_information_is_announced_to_casework():
    uow = FakeIntakeUnitOfWork(TENANT)

    intake = admitted(uow)

    assert intake.status == IntakeStatus.ADMITTED
    event, aggregate, _ = uow.published[-1]
    assert isinstance(event, CaseAdmitted)
    assert (event.intake_id, event.case_manager_id, event.outside_target_groups, aggregate) == (
        str(intake.id), CM, True, intake.id)
    assert uow.audited[-1] == ("update", "intake", intake.id, "admission")


# -- the service's bus -------------------------------------------------------------------------------

def test_every_command_of_the_intake_has_its_handler_on_the_bus():
    declared = {value for value in vars(commands).values()
                if dataclasses.is_dataclass(value) and value.__module__ == commands.__name__}

    assert set(IntakeService.command_handlers) == declared
