"""Integration events of intake (``lotse.intake.v1``): identifiers and facts, never a name, a
birth date, contact details, a note, or a screening fact (residence status, origin, age).

The domain's enumerations map one to one onto the published language ``lotse.kim.v1``.
"""

from __future__ import annotations

from lotse.intake.v1 import events_pb2 as ev
from lotse.kim.v1 import vocabulary_pb2 as kim

from ..domain.anonymous import AnonymousContact
from ..domain.household import Household, HouseholdMember
from ..domain.model import Admission, Consent, DepthDecision, Intake
from ..domain.proposals import CaseProposal
from ..domain.vocabulary import (
    AccessPath,
    AdmissionCriterion,
    ConsentKind,
    CounsellingDepth,
    ProposalStatus,
    TopicArea,
)


def _proto_value(enum_name: str, prefix: str, member) -> int:
    return getattr(kim, enum_name).Value(f"{prefix}_{member.value.upper()}")


def access_path(value: AccessPath) -> int:
    return _proto_value("AccessPath", "ACCESS_PATH", AccessPath(value))


def topic(value: TopicArea) -> int:
    return _proto_value("TopicArea", "TOPIC_AREA", TopicArea(value))


def topics(values) -> list[int]:
    return [topic(v) for v in values]


def depth(value: CounsellingDepth) -> int:
    return _proto_value("CounsellingDepth", "COUNSELLING_DEPTH", CounsellingDepth(value))


def criterion(value: AdmissionCriterion) -> int:
    return _proto_value("AdmissionCriterion", "ADMISSION_CRITERION", AdmissionCriterion(value))


def consent_kind(value: ConsentKind) -> int:
    return _proto_value("ConsentKind", "CONSENT_KIND", ConsentKind(value))


def contact_recorded(intake: Intake) -> ev.ContactRecorded:
    return ev.ContactRecorded(
        intake_id=str(intake.id), area_id=intake.area_id,
        access_path=access_path(intake.access_path),
        referring_org_id=intake.referring_org_id or "", recorded_by=intake.recorded_by,
        contact_date=intake.contact_date.isoformat(),
        interpreter_needed=intake.person.interpreter_needed,
        operator_org_id=intake.operator_org_id,
        language_levels=[ev.LanguageLevel(
            language=level.language,
            level=ev.LanguageLevel.Level.Value(f"LEVEL_{level.level.value}"),
            evidence=ev.LanguageLevel.Evidence.Value(f"EVIDENCE_{level.evidence.value.upper()}"))
            for level in intake.person.language_levels],
    )


def screening_completed(intake: Intake) -> ev.ScreeningCompleted:
    screening = intake.screening
    return ev.ScreeningCompleted(
        intake_id=str(intake.id), area_id=intake.area_id,
        criteria_met=[criterion(c) for c in screening.criteria_met],
        topic_areas=topics(screening.topic_areas), crisis=screening.crisis,
        target_group_ids=list(screening.target_group_ids), screened_by=screening.screened_by,
        operator_org_id=intake.operator_org_id,
    )


def counselling_depth_decided(intake: Intake, decision: DepthDecision) -> ev.CounsellingDepthDecided:
    screening = intake.screening
    return ev.CounsellingDepthDecided(
        intake_id=str(intake.id), area_id=intake.area_id, depth=depth(decision.depth),
        revision=decision.revision, referral_org_id=decision.referral_org_id or "",
        referral_service_id=decision.referral_service_id or "",
        referral_topic=topic(decision.referral_topic) if decision.referral_topic else 0,
        topic_areas=topics(screening.topic_areas) if screening else [],
        target_group_ids=list(screening.target_group_ids) if screening else [],
        decided_by=decision.decided_by, decided_on=decision.decided_on.isoformat(),
        operator_org_id=intake.operator_org_id,
    )


def case_admitted(intake: Intake, admission: Admission,
                  household_id: str = "") -> ev.CaseAdmitted:
    return ev.CaseAdmitted(
        intake_id=str(intake.id), case_manager_id=admission.case_manager_id,
        area_id=intake.area_id, target_group_ids=list(admission.target_group_ids),
        topic_areas=topics(intake.screening.topic_areas),
        admitted_on=admission.admitted_on.isoformat(),
        outside_target_groups=admission.outside_target_groups,
        operator_org_id=intake.operator_org_id,
        case_manager_org_id=admission.case_manager_org_id,
        household_id=household_id,
    )


def consent_given(intake: Intake, consent: Consent) -> ev.ConsentGiven:
    return ev.ConsentGiven(
        consent_id=str(consent.id), intake_id=str(intake.id), kind=consent_kind(consent.kind),
        partner_org_id=consent.partner_org_id or "", topic_areas=topics(consent.topic_areas),
        valid_from=consent.valid_from.isoformat(),
        valid_until=consent.valid_until.isoformat() if consent.valid_until else "",
        operator_org_id=intake.operator_org_id,
    )


def consent_withdrawn(intake: Intake, consent: Consent) -> ev.ConsentWithdrawn:
    return ev.ConsentWithdrawn(
        consent_id=str(consent.id), intake_id=str(intake.id), kind=consent_kind(consent.kind),
        partner_org_id=consent.partner_org_id or "", topic_areas=topics(consent.topic_areas),
        withdrawn_on=consent.withdrawn_on.isoformat(), operator_org_id=intake.operator_org_id,
    )


def case_proposal_submitted(proposal: CaseProposal) -> ev.CaseProposalSubmitted:
    return ev.CaseProposalSubmitted(
        proposal_id=str(proposal.id), intake_id=str(proposal.intake_id),
        proposing_org_id=proposal.proposing_org_id, area_id=proposal.area_id,
        topic_areas=topics(proposal.topic_areas),
    )


_OUTCOME = {
    ProposalStatus.ACCEPTED: ev.CaseProposalDecided.OUTCOME_ACCEPTED,
    ProposalStatus.REFERRED: ev.CaseProposalDecided.OUTCOME_REFERRED,
}


def case_proposal_decided(proposal: CaseProposal) -> ev.CaseProposalDecided:
    return ev.CaseProposalDecided(
        proposal_id=str(proposal.id), intake_id=str(proposal.intake_id),
        proposing_org_id=proposal.proposing_org_id, outcome=_OUTCOME[proposal.status],
        case_manager_id=proposal.case_manager_id or "",
        referral_org_id=proposal.referral_org_id or "",
        case_conference_on=(proposal.case_conference_on.isoformat()
                            if proposal.case_conference_on else ""),
        decided_by_case_manager=proposal.decided_by_case_manager,
    )


def anonymous_contact_recorded(contact: AnonymousContact,
                               operator_org_id: str) -> ev.AnonymousContactRecorded:
    kind = ev.AnonymousContactRecorded.Kind.Value(f"KIND_{contact.kind.value.upper()}")
    return ev.AnonymousContactRecorded(
        contact_id=str(contact.id), kind=kind, area_id=contact.area_id,
        held_on=contact.held_on.isoformat(), topic_areas=topics(contact.topic_areas),
        languages=list(contact.languages), duration_minutes=contact.duration_minutes,
        people=contact.people, operator_org_id=operator_org_id,
        recorded_by=contact.recorded_by,
    )


def household_membership_changed(household: Household, member: HouseholdMember, *,
                                 linked: bool, on, operator_org_id: str
                                 ) -> ev.HouseholdMembershipChanged:
    """Ids and codes only: the household's note never leaves intake."""
    message = ev.HouseholdMembershipChanged
    return message(
        household_id=str(household.id), intake_id=str(member.intake_id), linked=linked,
        kind=message.Kind.Value(f"KIND_{household.kind.value.upper()}"),
        relation=(message.Relation.Value(f"RELATION_{member.relation.value.upper()}")
                  if linked else message.RELATION_UNSPECIFIED),
        changed_on=on.isoformat(), operator_org_id=operator_org_id,
    )
