from lotse import options_pb2 as _options_pb2
from lotse.kim.v1 import vocabulary_pb2 as _vocabulary_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ContactRecorded(_message.Message):
    __slots__ = ("intake_id", "area_id", "access_path", "referring_org_id", "recorded_by", "contact_date", "interpreter_needed", "operator_org_id", "language_levels")
    INTAKE_ID_FIELD_NUMBER: _ClassVar[int]
    AREA_ID_FIELD_NUMBER: _ClassVar[int]
    ACCESS_PATH_FIELD_NUMBER: _ClassVar[int]
    REFERRING_ORG_ID_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    CONTACT_DATE_FIELD_NUMBER: _ClassVar[int]
    INTERPRETER_NEEDED_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_ORG_ID_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_LEVELS_FIELD_NUMBER: _ClassVar[int]
    intake_id: str
    area_id: str
    access_path: _vocabulary_pb2.AccessPath
    referring_org_id: str
    recorded_by: str
    contact_date: str
    interpreter_needed: bool
    operator_org_id: str
    language_levels: _containers.RepeatedCompositeFieldContainer[LanguageLevel]
    def __init__(self, intake_id: _Optional[str] = ..., area_id: _Optional[str] = ..., access_path: _Optional[_Union[_vocabulary_pb2.AccessPath, str]] = ..., referring_org_id: _Optional[str] = ..., recorded_by: _Optional[str] = ..., contact_date: _Optional[str] = ..., interpreter_needed: _Optional[bool] = ..., operator_org_id: _Optional[str] = ..., language_levels: _Optional[_Iterable[_Union[LanguageLevel, _Mapping]]] = ...) -> None: ...

class LanguageLevel(_message.Message):
    __slots__ = ("language", "level", "evidence")
    class Level(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        LEVEL_UNSPECIFIED: _ClassVar[LanguageLevel.Level]
        LEVEL_A1: _ClassVar[LanguageLevel.Level]
        LEVEL_A2: _ClassVar[LanguageLevel.Level]
        LEVEL_B1: _ClassVar[LanguageLevel.Level]
        LEVEL_B2: _ClassVar[LanguageLevel.Level]
        LEVEL_C1: _ClassVar[LanguageLevel.Level]
        LEVEL_C2: _ClassVar[LanguageLevel.Level]
    LEVEL_UNSPECIFIED: LanguageLevel.Level
    LEVEL_A1: LanguageLevel.Level
    LEVEL_A2: LanguageLevel.Level
    LEVEL_B1: LanguageLevel.Level
    LEVEL_B2: LanguageLevel.Level
    LEVEL_C1: LanguageLevel.Level
    LEVEL_C2: LanguageLevel.Level
    class Evidence(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        EVIDENCE_UNSPECIFIED: _ClassVar[LanguageLevel.Evidence]
        EVIDENCE_SELF_ASSESSMENT: _ClassVar[LanguageLevel.Evidence]
        EVIDENCE_CASE_MANAGER_ASSESSMENT: _ClassVar[LanguageLevel.Evidence]
        EVIDENCE_PLACEMENT_TEST: _ClassVar[LanguageLevel.Evidence]
        EVIDENCE_DTZ: _ClassVar[LanguageLevel.Evidence]
        EVIDENCE_TELC: _ClassVar[LanguageLevel.Evidence]
        EVIDENCE_GOETHE: _ClassVar[LanguageLevel.Evidence]
        EVIDENCE_TESTDAF: _ClassVar[LanguageLevel.Evidence]
        EVIDENCE_OESD: _ClassVar[LanguageLevel.Evidence]
        EVIDENCE_SCHOOL_CERTIFICATE: _ClassVar[LanguageLevel.Evidence]
        EVIDENCE_OTHER_CERTIFICATE: _ClassVar[LanguageLevel.Evidence]
    EVIDENCE_UNSPECIFIED: LanguageLevel.Evidence
    EVIDENCE_SELF_ASSESSMENT: LanguageLevel.Evidence
    EVIDENCE_CASE_MANAGER_ASSESSMENT: LanguageLevel.Evidence
    EVIDENCE_PLACEMENT_TEST: LanguageLevel.Evidence
    EVIDENCE_DTZ: LanguageLevel.Evidence
    EVIDENCE_TELC: LanguageLevel.Evidence
    EVIDENCE_GOETHE: LanguageLevel.Evidence
    EVIDENCE_TESTDAF: LanguageLevel.Evidence
    EVIDENCE_OESD: LanguageLevel.Evidence
    EVIDENCE_SCHOOL_CERTIFICATE: LanguageLevel.Evidence
    EVIDENCE_OTHER_CERTIFICATE: LanguageLevel.Evidence
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    language: str
    level: LanguageLevel.Level
    evidence: LanguageLevel.Evidence
    def __init__(self, language: _Optional[str] = ..., level: _Optional[_Union[LanguageLevel.Level, str]] = ..., evidence: _Optional[_Union[LanguageLevel.Evidence, str]] = ...) -> None: ...

class ScreeningCompleted(_message.Message):
    __slots__ = ("intake_id", "area_id", "criteria_met", "topic_areas", "crisis", "target_group_ids", "screened_by", "operator_org_id")
    INTAKE_ID_FIELD_NUMBER: _ClassVar[int]
    AREA_ID_FIELD_NUMBER: _ClassVar[int]
    CRITERIA_MET_FIELD_NUMBER: _ClassVar[int]
    TOPIC_AREAS_FIELD_NUMBER: _ClassVar[int]
    CRISIS_FIELD_NUMBER: _ClassVar[int]
    TARGET_GROUP_IDS_FIELD_NUMBER: _ClassVar[int]
    SCREENED_BY_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_ORG_ID_FIELD_NUMBER: _ClassVar[int]
    intake_id: str
    area_id: str
    criteria_met: _containers.RepeatedScalarFieldContainer[_vocabulary_pb2.AdmissionCriterion]
    topic_areas: _containers.RepeatedScalarFieldContainer[_vocabulary_pb2.TopicArea]
    crisis: bool
    target_group_ids: _containers.RepeatedScalarFieldContainer[str]
    screened_by: str
    operator_org_id: str
    def __init__(self, intake_id: _Optional[str] = ..., area_id: _Optional[str] = ..., criteria_met: _Optional[_Iterable[_Union[_vocabulary_pb2.AdmissionCriterion, str]]] = ..., topic_areas: _Optional[_Iterable[_Union[_vocabulary_pb2.TopicArea, str]]] = ..., crisis: _Optional[bool] = ..., target_group_ids: _Optional[_Iterable[str]] = ..., screened_by: _Optional[str] = ..., operator_org_id: _Optional[str] = ...) -> None: ...

class CounsellingDepthDecided(_message.Message):
    __slots__ = ("intake_id", "area_id", "depth", "revision", "referral_org_id", "referral_service_id", "referral_topic", "topic_areas", "target_group_ids", "decided_by", "decided_on", "operator_org_id")
    INTAKE_ID_FIELD_NUMBER: _ClassVar[int]
    AREA_ID_FIELD_NUMBER: _ClassVar[int]
    DEPTH_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    REFERRAL_ORG_ID_FIELD_NUMBER: _ClassVar[int]
    REFERRAL_SERVICE_ID_FIELD_NUMBER: _ClassVar[int]
    REFERRAL_TOPIC_FIELD_NUMBER: _ClassVar[int]
    TOPIC_AREAS_FIELD_NUMBER: _ClassVar[int]
    TARGET_GROUP_IDS_FIELD_NUMBER: _ClassVar[int]
    DECIDED_BY_FIELD_NUMBER: _ClassVar[int]
    DECIDED_ON_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_ORG_ID_FIELD_NUMBER: _ClassVar[int]
    intake_id: str
    area_id: str
    depth: _vocabulary_pb2.CounsellingDepth
    revision: int
    referral_org_id: str
    referral_service_id: str
    referral_topic: _vocabulary_pb2.TopicArea
    topic_areas: _containers.RepeatedScalarFieldContainer[_vocabulary_pb2.TopicArea]
    target_group_ids: _containers.RepeatedScalarFieldContainer[str]
    decided_by: str
    decided_on: str
    operator_org_id: str
    def __init__(self, intake_id: _Optional[str] = ..., area_id: _Optional[str] = ..., depth: _Optional[_Union[_vocabulary_pb2.CounsellingDepth, str]] = ..., revision: _Optional[int] = ..., referral_org_id: _Optional[str] = ..., referral_service_id: _Optional[str] = ..., referral_topic: _Optional[_Union[_vocabulary_pb2.TopicArea, str]] = ..., topic_areas: _Optional[_Iterable[_Union[_vocabulary_pb2.TopicArea, str]]] = ..., target_group_ids: _Optional[_Iterable[str]] = ..., decided_by: _Optional[str] = ..., decided_on: _Optional[str] = ..., operator_org_id: _Optional[str] = ...) -> None: ...

class CaseAdmitted(_message.Message):
    __slots__ = ("intake_id", "case_manager_id", "area_id", "target_group_ids", "topic_areas", "admitted_on", "outside_target_groups", "operator_org_id", "case_manager_org_id", "household_id")
    INTAKE_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_MANAGER_ID_FIELD_NUMBER: _ClassVar[int]
    AREA_ID_FIELD_NUMBER: _ClassVar[int]
    TARGET_GROUP_IDS_FIELD_NUMBER: _ClassVar[int]
    TOPIC_AREAS_FIELD_NUMBER: _ClassVar[int]
    ADMITTED_ON_FIELD_NUMBER: _ClassVar[int]
    OUTSIDE_TARGET_GROUPS_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_ORG_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_MANAGER_ORG_ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    intake_id: str
    case_manager_id: str
    area_id: str
    target_group_ids: _containers.RepeatedScalarFieldContainer[str]
    topic_areas: _containers.RepeatedScalarFieldContainer[_vocabulary_pb2.TopicArea]
    admitted_on: str
    outside_target_groups: bool
    operator_org_id: str
    case_manager_org_id: str
    household_id: str
    def __init__(self, intake_id: _Optional[str] = ..., case_manager_id: _Optional[str] = ..., area_id: _Optional[str] = ..., target_group_ids: _Optional[_Iterable[str]] = ..., topic_areas: _Optional[_Iterable[_Union[_vocabulary_pb2.TopicArea, str]]] = ..., admitted_on: _Optional[str] = ..., outside_target_groups: _Optional[bool] = ..., operator_org_id: _Optional[str] = ..., case_manager_org_id: _Optional[str] = ..., household_id: _Optional[str] = ...) -> None: ...

class ConsentGiven(_message.Message):
    __slots__ = ("consent_id", "intake_id", "kind", "partner_org_id", "topic_areas", "valid_from", "valid_until", "operator_org_id")
    CONSENT_ID_FIELD_NUMBER: _ClassVar[int]
    INTAKE_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PARTNER_ORG_ID_FIELD_NUMBER: _ClassVar[int]
    TOPIC_AREAS_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_FIELD_NUMBER: _ClassVar[int]
    VALID_UNTIL_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_ORG_ID_FIELD_NUMBER: _ClassVar[int]
    consent_id: str
    intake_id: str
    kind: _vocabulary_pb2.ConsentKind
    partner_org_id: str
    topic_areas: _containers.RepeatedScalarFieldContainer[_vocabulary_pb2.TopicArea]
    valid_from: str
    valid_until: str
    operator_org_id: str
    def __init__(self, consent_id: _Optional[str] = ..., intake_id: _Optional[str] = ..., kind: _Optional[_Union[_vocabulary_pb2.ConsentKind, str]] = ..., partner_org_id: _Optional[str] = ..., topic_areas: _Optional[_Iterable[_Union[_vocabulary_pb2.TopicArea, str]]] = ..., valid_from: _Optional[str] = ..., valid_until: _Optional[str] = ..., operator_org_id: _Optional[str] = ...) -> None: ...

class ConsentWithdrawn(_message.Message):
    __slots__ = ("consent_id", "intake_id", "kind", "partner_org_id", "topic_areas", "withdrawn_on", "operator_org_id")
    CONSENT_ID_FIELD_NUMBER: _ClassVar[int]
    INTAKE_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PARTNER_ORG_ID_FIELD_NUMBER: _ClassVar[int]
    TOPIC_AREAS_FIELD_NUMBER: _ClassVar[int]
    WITHDRAWN_ON_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_ORG_ID_FIELD_NUMBER: _ClassVar[int]
    consent_id: str
    intake_id: str
    kind: _vocabulary_pb2.ConsentKind
    partner_org_id: str
    topic_areas: _containers.RepeatedScalarFieldContainer[_vocabulary_pb2.TopicArea]
    withdrawn_on: str
    operator_org_id: str
    def __init__(self, consent_id: _Optional[str] = ..., intake_id: _Optional[str] = ..., kind: _Optional[_Union[_vocabulary_pb2.ConsentKind, str]] = ..., partner_org_id: _Optional[str] = ..., topic_areas: _Optional[_Iterable[_Union[_vocabulary_pb2.TopicArea, str]]] = ..., withdrawn_on: _Optional[str] = ..., operator_org_id: _Optional[str] = ...) -> None: ...

class CaseProposalSubmitted(_message.Message):
    __slots__ = ("proposal_id", "intake_id", "proposing_org_id", "area_id", "topic_areas")
    PROPOSAL_ID_FIELD_NUMBER: _ClassVar[int]
    INTAKE_ID_FIELD_NUMBER: _ClassVar[int]
    PROPOSING_ORG_ID_FIELD_NUMBER: _ClassVar[int]
    AREA_ID_FIELD_NUMBER: _ClassVar[int]
    TOPIC_AREAS_FIELD_NUMBER: _ClassVar[int]
    proposal_id: str
    intake_id: str
    proposing_org_id: str
    area_id: str
    topic_areas: _containers.RepeatedScalarFieldContainer[_vocabulary_pb2.TopicArea]
    def __init__(self, proposal_id: _Optional[str] = ..., intake_id: _Optional[str] = ..., proposing_org_id: _Optional[str] = ..., area_id: _Optional[str] = ..., topic_areas: _Optional[_Iterable[_Union[_vocabulary_pb2.TopicArea, str]]] = ...) -> None: ...

class CaseProposalDecided(_message.Message):
    __slots__ = ("proposal_id", "intake_id", "proposing_org_id", "outcome", "case_manager_id", "referral_org_id", "case_conference_on", "decided_by_case_manager")
    class Outcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        OUTCOME_UNSPECIFIED: _ClassVar[CaseProposalDecided.Outcome]
        OUTCOME_ACCEPTED: _ClassVar[CaseProposalDecided.Outcome]
        OUTCOME_REFERRED: _ClassVar[CaseProposalDecided.Outcome]
    OUTCOME_UNSPECIFIED: CaseProposalDecided.Outcome
    OUTCOME_ACCEPTED: CaseProposalDecided.Outcome
    OUTCOME_REFERRED: CaseProposalDecided.Outcome
    PROPOSAL_ID_FIELD_NUMBER: _ClassVar[int]
    INTAKE_ID_FIELD_NUMBER: _ClassVar[int]
    PROPOSING_ORG_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    CASE_MANAGER_ID_FIELD_NUMBER: _ClassVar[int]
    REFERRAL_ORG_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_CONFERENCE_ON_FIELD_NUMBER: _ClassVar[int]
    DECIDED_BY_CASE_MANAGER_FIELD_NUMBER: _ClassVar[int]
    proposal_id: str
    intake_id: str
    proposing_org_id: str
    outcome: CaseProposalDecided.Outcome
    case_manager_id: str
    referral_org_id: str
    case_conference_on: str
    decided_by_case_manager: bool
    def __init__(self, proposal_id: _Optional[str] = ..., intake_id: _Optional[str] = ..., proposing_org_id: _Optional[str] = ..., outcome: _Optional[_Union[CaseProposalDecided.Outcome, str]] = ..., case_manager_id: _Optional[str] = ..., referral_org_id: _Optional[str] = ..., case_conference_on: _Optional[str] = ..., decided_by_case_manager: _Optional[bool] = ...) -> None: ...

class AnonymousContactRecorded(_message.Message):
    __slots__ = ("contact_id", "kind", "area_id", "held_on", "topic_areas", "languages", "duration_minutes", "people", "operator_org_id", "recorded_by")
    class Kind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        KIND_UNSPECIFIED: _ClassVar[AnonymousContactRecorded.Kind]
        KIND_SHORT_QUERY: _ClassVar[AnonymousContactRecorded.Kind]
        KIND_INFORMATION_EVENT: _ClassVar[AnonymousContactRecorded.Kind]
    KIND_UNSPECIFIED: AnonymousContactRecorded.Kind
    KIND_SHORT_QUERY: AnonymousContactRecorded.Kind
    KIND_INFORMATION_EVENT: AnonymousContactRecorded.Kind
    CONTACT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    AREA_ID_FIELD_NUMBER: _ClassVar[int]
    HELD_ON_FIELD_NUMBER: _ClassVar[int]
    TOPIC_AREAS_FIELD_NUMBER: _ClassVar[int]
    LANGUAGES_FIELD_NUMBER: _ClassVar[int]
    DURATION_MINUTES_FIELD_NUMBER: _ClassVar[int]
    PEOPLE_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_ORG_ID_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    contact_id: str
    kind: AnonymousContactRecorded.Kind
    area_id: str
    held_on: str
    topic_areas: _containers.RepeatedScalarFieldContainer[_vocabulary_pb2.TopicArea]
    languages: _containers.RepeatedScalarFieldContainer[str]
    duration_minutes: int
    people: int
    operator_org_id: str
    recorded_by: str
    def __init__(self, contact_id: _Optional[str] = ..., kind: _Optional[_Union[AnonymousContactRecorded.Kind, str]] = ..., area_id: _Optional[str] = ..., held_on: _Optional[str] = ..., topic_areas: _Optional[_Iterable[_Union[_vocabulary_pb2.TopicArea, str]]] = ..., languages: _Optional[_Iterable[str]] = ..., duration_minutes: _Optional[int] = ..., people: _Optional[int] = ..., operator_org_id: _Optional[str] = ..., recorded_by: _Optional[str] = ...) -> None: ...

class HouseholdMembershipChanged(_message.Message):
    __slots__ = ("household_id", "intake_id", "linked", "kind", "relation", "changed_on", "operator_org_id")
    class Kind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        KIND_UNSPECIFIED: _ClassVar[HouseholdMembershipChanged.Kind]
        KIND_FAMILY: _ClassVar[HouseholdMembershipChanged.Kind]
        KIND_SINGLE_PARENT: _ClassVar[HouseholdMembershipChanged.Kind]
        KIND_PARTNERS: _ClassVar[HouseholdMembershipChanged.Kind]
        KIND_SHARED_HOUSEHOLD: _ClassVar[HouseholdMembershipChanged.Kind]
    KIND_UNSPECIFIED: HouseholdMembershipChanged.Kind
    KIND_FAMILY: HouseholdMembershipChanged.Kind
    KIND_SINGLE_PARENT: HouseholdMembershipChanged.Kind
    KIND_PARTNERS: HouseholdMembershipChanged.Kind
    KIND_SHARED_HOUSEHOLD: HouseholdMembershipChanged.Kind
    class Relation(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        RELATION_UNSPECIFIED: _ClassVar[HouseholdMembershipChanged.Relation]
        RELATION_APPLICANT: _ClassVar[HouseholdMembershipChanged.Relation]
        RELATION_PARTNER: _ClassVar[HouseholdMembershipChanged.Relation]
        RELATION_CHILD: _ClassVar[HouseholdMembershipChanged.Relation]
        RELATION_OTHER_ADULT: _ClassVar[HouseholdMembershipChanged.Relation]
    RELATION_UNSPECIFIED: HouseholdMembershipChanged.Relation
    RELATION_APPLICANT: HouseholdMembershipChanged.Relation
    RELATION_PARTNER: HouseholdMembershipChanged.Relation
    RELATION_CHILD: HouseholdMembershipChanged.Relation
    RELATION_OTHER_ADULT: HouseholdMembershipChanged.Relation
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    INTAKE_ID_FIELD_NUMBER: _ClassVar[int]
    LINKED_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    RELATION_FIELD_NUMBER: _ClassVar[int]
    CHANGED_ON_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_ORG_ID_FIELD_NUMBER: _ClassVar[int]
    household_id: str
    intake_id: str
    linked: bool
    kind: HouseholdMembershipChanged.Kind
    relation: HouseholdMembershipChanged.Relation
    changed_on: str
    operator_org_id: str
    def __init__(self, household_id: _Optional[str] = ..., intake_id: _Optional[str] = ..., linked: _Optional[bool] = ..., kind: _Optional[_Union[HouseholdMembershipChanged.Kind, str]] = ..., relation: _Optional[_Union[HouseholdMembershipChanged.Relation, str]] = ..., changed_on: _Optional[str] = ..., operator_org_id: _Optional[str] = ...) -> None: ...
