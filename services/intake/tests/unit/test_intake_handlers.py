"""The intake's handlers against an in-memory unit of work: a first contact, consents given and
withdrawn, and the admission, without a database (the same handlers run on PostgreSQL in
tests/integration)."""

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
    AdmitCase,
    CompleteScreening,
    DecideCounsellingDepth,
    GiveConsent,
    RecordContact,
    WithdrawConsent,
)
from lotse_intake.domain.errors import ConsentMissing, InvalidField
from lotse_intake.domain.model import CriterionAnswer, Intake, Person
from lotse_intake.domain.target_groups import ScreeningFacts
from lotse_intake.domain.vocabulary import (
    AccessPath,
    AdmissionCriterion,
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
from lotse_intake.service_layer.queries import release_handover
from lotse_intake.settings import IntakeSettings
from lotse_platform.testing import today

TENANT = uuid.uuid4()
AREA = "area-hoexter"
CM = "cm-lea"
JMD = "org-jmd"  # a partner: the youth migration service
COUNTY = ""  # operator_org_id of the county's own intake
PERSON = Person("Amina", "Haddad", languages=("ar",))


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
        intake.id, [CriterionAnswer(c, True) for c in AdmissionCriterion],
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


def test_the_callers_guard_is_checked_before_anything_changes():
    uow = FakeIntakeUnitOfWork(TENANT)
    intake = record_contact(contact(), uow, operator_org_id=COUNTY)
    commits = uow.commits

    def another_area(_: Intake) -> None:
        raise PermissionError("not your area")

    with pytest.raises(PermissionError):
        give_consent(consent(intake, ConsentKind.COUNSELLING_AGREEMENT), uow, another_area)

    assert intake.consents == [] and uow.commits == commits


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
