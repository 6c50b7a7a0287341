"""The intake's rules on the aggregate itself — no database, no HTTP."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from lotse_platform.testing import today

from lotse_intake.domain.errors import ConsentMissing, InvalidField, RuleConflict
from lotse_intake.domain.model import CriterionAnswer, Intake, Person, Referral
from lotse_intake.domain.proposals import CaseProposal
from lotse_intake.domain.target_groups import ScreeningFacts
from lotse_intake.domain.vocabulary import (
    AccessPath,
    DEFAULT_ADMISSION_CRITERIA,
    AdmissionCriterion,
    ConsentKind,
    CounsellingDepth,
    ProposalStatus,
    TopicArea,
)

TODAY = date(2026, 3, 2)


def intake(**kw) -> Intake:
    return Intake.record(area_id="hoexter", access_path=AccessPath.SELF_REFERRAL,
                         contact_date=date(2026, 3, 1), person=Person("Amina", "Haddad"),
                         recorded_by="cm", today=TODAY, **kw)


def screened(case: Intake, topics=(TopicArea.RESIDENCE, TopicArea.HOUSING)) -> Intake:
    case.complete_screening(
        criteria=[CriterionAnswer(c, True) for c in DEFAULT_ADMISSION_CRITERIA], topic_areas=list(topics),
        crisis=False, facts=ScreeningFacts(), screened_by="cm", screened_on=TODAY,
        target_groups=[])
    return case


def consents(case: Intake, *kinds: ConsentKind) -> Intake:
    for kind in kinds:
        case.give_consent(kind=kind, given_on=TODAY, recorded_by="cm", today=TODAY,
                          language="ar" if kind == ConsentKind.DATA_PROTECTION_INFORMATION else None)
    return case


def admit(case: Intake, **kw):
    return case.admit(case_manager_id="cm", case_manager_org_id="org", admitted_by="cm",
                      admitted_on=TODAY, today=TODAY, target_groups=[], **kw)


def test_the_screening_form_needs_each_of_the_five_criteria_once():
    with pytest.raises(InvalidField) as refused:
        intake().complete_screening(
            criteria=[CriterionAnswer(AdmissionCriterion.LONG_TERM_NEED, True)],
            topic_areas=[], crisis=False, facts=ScreeningFacts(), screened_by="cm",
            screened_on=TODAY, target_groups=[])

    assert refused.value.field == "criteria"


def test_not_all_criteria_must_hold_for_admission():
    case = intake()
    case.complete_screening(
        criteria=[CriterionAnswer(c, c == AdmissionCriterion.LONG_TERM_NEED)
                  for c in DEFAULT_ADMISSION_CRITERIA], topic_areas=[TopicArea.HEALTH], crisis=True,
        facts=ScreeningFacts(), screened_by="cm", screened_on=TODAY, target_groups=[])
    case.decide_counselling_depth(depth=CounsellingDepth.CASE_MANAGEMENT, decided_by="cm",
                                  decided_on=TODAY)
    consents(case, ConsentKind.DATA_PROTECTION_INFORMATION, ConsentKind.COUNSELLING_AGREEMENT)

    assert admit(case, justification="Einzelfall").outside_target_groups


def test_admission_names_everything_missing_at_once():
    case = intake()
    case.decide_counselling_depth(depth=CounsellingDepth.CASE_MANAGEMENT, decided_by="cm",
                                  decided_on=TODAY)

    with pytest.raises(ConsentMissing) as refused:
        admit(case, justification="x")

    assert [field for field, _ in refused.value.missing] == [
        "screening", "consents.counselling_agreement", "consents.data_protection_information"]


def test_revisions_count_up_and_the_current_decision_is_the_latest():
    case = intake()
    for depth in (CounsellingDepth.INFORMATION, CounsellingDepth.NO_NEED,
                  CounsellingDepth.CASE_MANAGEMENT):
        case.decide_counselling_depth(depth=depth, decided_by="cm", decided_on=TODAY)

    assert [d.revision for d in case.decisions] == [1, 2, 3]
    assert case.current_decision.depth == CounsellingDepth.CASE_MANAGEMENT


def test_only_referral_counselling_carries_a_referral():
    case = intake()

    with pytest.raises(InvalidField):
        case.decide_counselling_depth(depth=CounsellingDepth.GUIDANCE, decided_by="cm",
                                      decided_on=TODAY,
                                      referral=Referral("org-mbe", TopicArea.LANGUAGE))


def test_a_withdrawn_consent_is_no_longer_valid_from_the_moment_of_withdrawal():
    case = consents(intake(), ConsentKind.COUNSELLING_AGREEMENT)
    agreement = case.consents[0]

    case.withdraw_consent(agreement.id, withdrawn_by="cm", at=datetime.now(UTC), on=TODAY)

    assert not agreement.is_valid_on(TODAY)
    assert case.missing_for_case_management(TODAY)[0][0] == "consents.counselling_agreement"


def test_an_unknown_consent_is_not_found():
    from lotse_intake.domain.errors import UnknownRecord

    with pytest.raises(UnknownRecord):
        intake().withdraw_consent(uuid.uuid4(), withdrawn_by="cm", at=datetime.now(UTC), on=TODAY)


def test_the_county_hands_over_on_the_agreement_a_provider_only_on_a_covering_release():
    county = screened(intake())
    county.decide_counselling_depth(depth=CounsellingDepth.CASE_MANAGEMENT, decided_by="cm",
                                    decided_on=TODAY)
    consents(county, ConsentKind.DATA_PROTECTION_INFORMATION, ConsentKind.COUNSELLING_AGREEMENT)
    admit(county, justification="x")
    provider = screened(intake(operator_org_id="org-awo"))
    provider.decide_counselling_depth(depth=CounsellingDepth.CASE_MANAGEMENT, decided_by="cm",
                                      decided_on=TODAY)
    consents(provider, ConsentKind.DATA_PROTECTION_INFORMATION, ConsentKind.COUNSELLING_AGREEMENT)
    admit(provider, justification="x")

    assert county.handover_basis(today=TODAY) == "counselling_agreement"
    with pytest.raises(ConsentMissing):
        provider.handover_basis(today=TODAY)
    provider.give_consent(kind=ConsentKind.RELEASE_OF_CONFIDENTIALITY, given_on=TODAY,
                          recorded_by="cm", today=TODAY, partner_org_id="org",
                          topic_areas=[TopicArea.RESIDENCE, TopicArea.HOUSING])
    assert provider.handover_basis(today=TODAY) == "release_of_confidentiality"


def test_a_case_proposal_is_decided_once_and_accepting_makes_the_case_manager_responsible():
    case = intake()
    proposal = CaseProposal.submit(case, proposing_org_id="org-awo", proposed_by="p",
                                   topic_areas=[TopicArea.RESIDENCE])

    proposal.accept(case, case_manager_id="cm-2", case_manager_org_id="org", decided_by="ks",
                    decided_on=today())

    assert (proposal.status, proposal.case_manager_assigned) == (ProposalStatus.ACCEPTED, True)
    assert case.responsible_id == "cm-2"
    assert case.current_decision.depth == CounsellingDepth.CASE_MANAGEMENT
    with pytest.raises(RuleConflict):
        proposal.refer(case, referral=Referral("org-mbe", TopicArea.RESIDENCE), decided_by="ks",
                       decided_on=today())
