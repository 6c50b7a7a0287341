"""An intake (*Erstberatung*, DOMAIN.md §4): a person's first contact, the screening form, the
counselling-depth decision and its revisions, consents, and the admission to KIM case
management. The :class:`Intake` is the aggregate; every rule about it lives here.

No Flask, SQLAlchemy or kombu: the mapping onto tables is in ``adapters/orm.py``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from .errors import ConsentMissing, InvalidField, RuleConflict, UnknownRecord
from .records import (
    Admission,
    Consent,
    CriterionAnswer,
    DepthDecision,
    LanguageLevel,
    OtherService,
    Person,
    Referral,
    Screening,
    _now,
)
from .target_groups import ScreeningFacts, TargetGroup, age_on, matching_groups
from .vocabulary import (
    AccessPath,
    DEFAULT_ADMISSION_CRITERIA,
    AdmissionCriterion,
    ConsentKind,
    CounsellingDepth,
    IntakeStatus,
    TopicArea,
    in_order,
)

__all__ = ["Admission", "Consent", "CriterionAnswer", "DepthDecision", "Intake", "LanguageLevel",
           "OtherService", "Person", "Referral", "Screening"]

#: ways in that name the organisation that referred the person
REFERRED_BY_AN_ORGANISATION = frozenset({
    AccessPath.PARTNER_REFERRAL, AccessPath.ADMINISTRATION_REFERRAL, AccessPath.CASE_PROPOSAL,
})


MISSING_AGREEMENT = ("consents.counselling_agreement",
                     "no valid counselling agreement (Beratungsvereinbarung)")
MISSING_DATA_PROTECTION = ("consents.data_protection_information",
                           "data-protection information (Datenschutzinformation) not handed over")


@dataclass
class Intake:
    """A person's intake: the aggregate every intake rule is checked on."""

    area_id: str
    access_path: AccessPath
    contact_date: date
    person: Person
    recorded_by: str
    responsible_id: str
    operator_org_id: str = ""  # the welfare provider running this instance; "" = the county
    referring_org_id: str | None = None
    note: str | None = None
    status: IntakeStatus = IntakeStatus.RECORDED
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    recorded_at: datetime = field(default_factory=_now)
    screening: Screening | None = None
    decisions: list[DepthDecision] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    admission: Admission | None = None
    #: other services already counselling the person (Parallelbetreuung, 000 L170)
    other_services: list[OtherService] = field(default_factory=list)
    version: int = 0  # events published about this intake: their per-aggregate sequence
    tenant_id: uuid.UUID | None = None

    def next_sequence(self) -> int:
        self.version += 1
        return self.version

    # -- first contact ---------------------------------------------------------------------------
    @classmethod
    def record(cls, *, area_id: str, access_path: AccessPath, contact_date: date, person: Person,
               recorded_by: str, today: date, operator_org_id: str = "",
               referring_org_id: str | None = None, note: str | None = None,
               id: uuid.UUID | None = None,
               other_services: list[OtherService] | None = None) -> Intake:
        if contact_date > today:
            raise InvalidField("contact_date", "a first contact cannot lie in the future")
        if person.date_of_birth is not None and person.date_of_birth > today:
            raise InvalidField("person.date_of_birth", "cannot lie in the future")
        seen: set[str] = set()
        for i, level in enumerate(person.language_levels):
            where = f"person.language_levels.{i}"
            if level.language not in person.languages:
                raise InvalidField(f"{where}.language", "one of the person's languages")
            if level.language in seen:
                raise InvalidField(f"{where}.language", "one level per language")
            seen.add(level.language)
            if level.assessed_on > today:
                raise InvalidField(f"{where}.assessed_on", "cannot lie in the future")
        if access_path in REFERRED_BY_AN_ORGANISATION and not referring_org_id:
            raise InvalidField("referring_org_id",
                               f"required for the access path {access_path.value}")
        return cls(area_id=area_id, access_path=access_path, contact_date=contact_date,
                   person=person, recorded_by=recorded_by, responsible_id=recorded_by,
                   operator_org_id=operator_org_id or "", referring_org_id=referring_org_id,
                   note=note, id=id or uuid.uuid4(), other_services=list(other_services or []))

    def age_on(self, day: date) -> int | None:
        if self.person.date_of_birth is not None:
            return age_on(self.person.date_of_birth, day)
        return self.screening.facts.stated_age if self.screening else None

    @property
    def is_admitted(self) -> bool:
        return self.admission is not None

    def _not_admitted(self, action: str) -> None:
        if self.is_admitted:
            raise RuleConflict(f"cannot {action}: the person is already in case management")

    # -- screening -------------------------------------------------------------------------------
    def complete_screening(self, *, criteria: list[CriterionAnswer], topic_areas: list[TopicArea],
                           crisis: bool, facts: ScreeningFacts, screened_by: str,
                           screened_on: date, target_groups: list[TargetGroup],
                           confirmed_target_group_ids: list[str] | None = None,
                           target_group_note: str | None = None,
                           required_criteria: Sequence[AdmissionCriterion] = (
                               DEFAULT_ADMISSION_CRITERIA)) -> Screening:
        """Fill in the screening form; the target-group check runs against the tenant's groups.

        ``required_criteria``: the tenant's admission criteria, each answered exactly once.
        ``confirmed_target_group_ids`` overrides the computed groups; an override needs a note.
        """
        self._not_admitted("screen again")
        if facts.multiple_support_need_established and not facts.multiple_support_need_established_by:
            raise InvalidField("facts.multiple_support_need_established_by",
                               "name the specialised counselling service that established the "
                               "multiple support need")
        if facts.multiple_support_need_established_by and facts.multiple_support_need_established is None:
            facts = replace(facts, multiple_support_need_established=True)
        if facts.arrived_in_county_on is not None and facts.arrived_in_county_on > screened_on:
            raise InvalidField("facts.arrived_in_county_on", "cannot lie after the screening")
        answered = [answer.criterion for answer in criteria]
        if sorted(answered) != sorted(required_criteria):
            raise InvalidField("criteria", "answer each of this county's admission criteria "
                                           "exactly once: " + ", ".join(required_criteria))
        if screened_on < self.contact_date:
            raise InvalidField("screened_on", "cannot lie before the first contact")
        if facts.stated_age is not None and self.person.date_of_birth is not None:
            raise InvalidField("facts.stated_age", "only when the date of birth is not known")
        age = (age_on(self.person.date_of_birth, screened_on) if self.person.date_of_birth
               else facts.stated_age)
        matching = matching_groups(target_groups, facts, age, self.area_id, screened_on)
        confirmed = matching
        if confirmed_target_group_ids is not None:
            known = {str(g.id): g for g in target_groups}
            for group_id in confirmed_target_group_ids:
                group = known.get(group_id)
                if group is None or not group.admits(self.area_id, screened_on):
                    raise InvalidField("target_group_ids",
                                       "not a target group valid for this area on this day")
            confirmed = sorted(set(confirmed_target_group_ids))
            if confirmed != matching and not (target_group_note or "").strip():
                raise InvalidField("target_group_note",
                                   "say why the target groups differ from the computed ones")
        self.screening = Screening(
            criteria=list(criteria), topic_areas=in_order(topic_areas, TopicArea), crisis=crisis,
            facts=facts, screened_on=screened_on, screened_by=screened_by,
            matching_target_group_ids=matching, target_group_ids=confirmed,
            target_group_note=target_group_note if confirmed != matching else None,
        )
        if self.status == IntakeStatus.RECORDED:
            self.status = IntakeStatus.SCREENED
        return self.screening

    # -- counselling depth -----------------------------------------------------------------------
    @property
    def current_decision(self) -> DepthDecision | None:
        return max(self.decisions, key=lambda d: d.revision) if self.decisions else None

    def decide_counselling_depth(self, *, depth: CounsellingDepth, decided_by: str,
                                 decided_on: date, referral: Referral | None = None,
                                 note: str | None = None) -> DepthDecision:
        """Decide the depth, or revise it: a new revision, the earlier ones stay."""
        self._not_admitted("revise the counselling depth")
        if depth == CounsellingDepth.REFERRAL and referral is None:
            raise InvalidField("referral", "referral counselling names the organisation and topic")
        if depth != CounsellingDepth.REFERRAL and referral is not None:
            raise InvalidField("referral", "only referral counselling names a referral")
        if decided_on < self.contact_date:
            raise InvalidField("decided_on", "cannot lie before the first contact")
        decision = DepthDecision(
            revision=len(self.decisions) + 1, depth=depth, decided_by=decided_by,
            decided_on=decided_on, note=note,
            referral_org_id=referral.org_id if referral else None,
            referral_service_id=referral.service_id if referral else None,
            referral_topic=referral.topic if referral else None,
        )
        self.decisions.append(decision)
        self.status = IntakeStatus.DECIDED
        return decision

    # -- consent ---------------------------------------------------------------------------------
    def give_consent(self, *, kind: ConsentKind, given_on: date, recorded_by: str, today: date,
                     valid_from: date | None = None, valid_until: date | None = None,
                     language: str | None = None, partner_org_id: str | None = None,
                     topic_areas: list[TopicArea] | None = None,
                     id: uuid.UUID | None = None) -> Consent:
        if given_on > today:
            raise InvalidField("given_on", "cannot lie in the future")
        release = kind == ConsentKind.RELEASE_OF_CONFIDENTIALITY
        if kind == ConsentKind.DATA_PROTECTION_INFORMATION and not language:
            raise InvalidField("language", "say in which language the information was handed over")
        if release and not partner_org_id:
            raise InvalidField("partner_org_id", "a release of confidentiality names the partner")
        if release and not topic_areas:
            raise InvalidField("topic_areas", "a release of confidentiality names problem areas")
        if not release and (partner_org_id or topic_areas):
            field_name = "partner_org_id" if partner_org_id else "topic_areas"
            raise InvalidField(field_name, "only a release of confidentiality names a partner "
                                           "and problem areas")
        start = valid_from or given_on
        if valid_until is not None and valid_until < start:
            raise InvalidField("valid_until", "must not be before valid_from")
        consent = Consent(kind=kind, given_on=given_on, valid_from=start, valid_until=valid_until,
                          recorded_by=recorded_by, language=language,
                          partner_org_id=partner_org_id,
                          topic_areas=in_order(topic_areas or [], TopicArea), id=id or uuid.uuid4())
        self.consents.append(consent)
        return consent

    def consent(self, consent_id: uuid.UUID) -> Consent:
        for consent in self.consents:
            if consent.id == consent_id:
                return consent
        raise UnknownRecord("no such consent for this intake")

    def withdraw_consent(self, consent_id: uuid.UUID, *, withdrawn_by: str, at: datetime,
                         on: date) -> Consent:
        """Withdrawal (*Widerruf*) takes effect at once. Every consent can be withdrawn at any
        time, the data-protection consent too (participation is voluntary, 001 L240): without
        it nothing is handed over any more, and casework stops all sharing on the event."""
        consent = self.consent(consent_id)
        if consent.withdrawn:
            raise RuleConflict("this consent has already been withdrawn")
        consent.withdrawn_at = at
        consent.withdrawn_on = on
        consent.withdrawn_by = withdrawn_by
        return consent

    def _valid(self, kind: ConsentKind, day: date) -> list[Consent]:
        return [c for c in self.consents if c.kind == kind and c.is_valid_on(day)]

    def missing_for_case_management(self, day: date) -> list[tuple[str, str]]:
        """What admission (and the county's handover) needs and is not there."""
        missing = []
        if not self._valid(ConsentKind.COUNSELLING_AGREEMENT, day):
            missing.append(MISSING_AGREEMENT)
        if not any(c.kind == ConsentKind.DATA_PROTECTION_INFORMATION and not c.withdrawn
                   for c in self.consents):
            missing.append(MISSING_DATA_PROTECTION)
        return missing

    # -- admission -------------------------------------------------------------------------------
    def admit(self, *, case_manager_id: str, case_manager_org_id: str, admitted_by: str,
              admitted_on: date, today: date, target_groups: list[TargetGroup],
              target_group_ids: list[str] | None = None,
              justification: str | None = None) -> Admission:
        """Admit to KIM case management. Refused (409) without a screening, without a decision
        for case management, and without the counselling agreement and the data-protection
        information; outside every valid target group only with a justification (422)."""
        self._not_admitted("admit again")
        if admitted_on > today:
            raise InvalidField("admitted_on", "cannot lie in the future")
        decision = self.current_decision
        if decision is None or decision.depth != CounsellingDepth.CASE_MANAGEMENT:
            raise RuleConflict("admission needs the counselling depth 'case_management' decided",
                               [("decisions", "the current decision is not KIM case management")])
        missing = []
        if self.screening is None:
            missing.append(("screening", "the screening form (Screeningbogen) is not completed"))
        missing += self.missing_for_case_management(admitted_on)
        if missing:
            raise ConsentMissing("admission refused: " + "; ".join(m for _, m in missing), missing)
        groups = {str(g.id): g for g in target_groups}
        chosen = target_group_ids
        if chosen is None:  # the screening's groups (a missing screening was refused above)
            chosen = self.screening.target_group_ids if self.screening else []
        valid = []
        for group_id in chosen:
            group = groups.get(group_id)
            if group is not None and group.admits(self.area_id, admitted_on):
                valid.append(group_id)
            elif target_group_ids is not None:
                raise InvalidField("target_group_ids",
                                   "not a target group valid for this area on this day")
        valid = sorted(set(valid))
        outside = not valid
        if outside and not (justification or "").strip():
            raise InvalidField("justification", "the person falls into no valid target group: "
                                                "admission needs an explicit justification")
        self.admission = Admission(
            case_manager_id=case_manager_id, case_manager_org_id=case_manager_org_id,
            admitted_on=admitted_on, admitted_by=admitted_by, target_group_ids=valid,
            outside_target_groups=outside, justification=justification if outside else None,
        )
        self.responsible_id = case_manager_id
        self.status = IntakeStatus.ADMITTED
        return self.admission

    # -- handover to casework --------------------------------------------------------------------
    def handover_basis(self, *, today: date) -> str:
        """May the admitted case be handed over to the case manager's casework now?

        The county's own intake: the counselling agreement and the data-protection information
        suffice. A provider's own intake (``operator_org_id`` set): valid, non-withdrawn releases
        of confidentiality naming the receiving case manager's organisation must together cover
        every topic area of the screening. Returns what the release rests on; raises
        :class:`ConsentMissing` naming what is missing.
        """
        if self.admission is None:
            raise RuleConflict("not admitted to case management: nothing to hand over",
                               [("admission", "the person has not been admitted")])
        missing = self.missing_for_case_management(today)
        if self.operator_org_id:
            receiver = self.admission.case_manager_org_id
            releases = [c for c in self._valid(ConsentKind.RELEASE_OF_CONFIDENTIALITY, today)
                        if c.partner_org_id == receiver]
            covered = {topic for c in releases for topic in c.topic_areas}
            needed = set(self.screening.topic_areas if self.screening else [])
            if not releases:
                missing.append(("consents.release_of_confidentiality",
                                "no valid release of confidentiality for the receiving case "
                                "manager's organisation"))
            elif needed - covered:
                uncovered = ", ".join(sorted(str(t) for t in needed - covered))
                missing.append(("consents.release_of_confidentiality.topic_areas",
                                f"the release for the receiving organisation does not cover: "
                                f"{uncovered}"))
            basis = "release_of_confidentiality"
        else:
            basis = "counselling_agreement"
        if missing:
            raise ConsentMissing("handover refused: " + "; ".join(m for _, m in missing), missing)
        return basis
