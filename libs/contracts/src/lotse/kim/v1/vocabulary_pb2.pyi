from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from typing import ClassVar as _ClassVar

DESCRIPTOR: _descriptor.FileDescriptor

class TopicArea(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TOPIC_AREA_UNSPECIFIED: _ClassVar[TopicArea]
    TOPIC_AREA_RESIDENCE: _ClassVar[TopicArea]
    TOPIC_AREA_LANGUAGE: _ClassVar[TopicArea]
    TOPIC_AREA_EDUCATION: _ClassVar[TopicArea]
    TOPIC_AREA_WORK_TRAINING: _ClassVar[TopicArea]
    TOPIC_AREA_HOUSING: _ClassVar[TopicArea]
    TOPIC_AREA_HEALTH: _ClassVar[TopicArea]
    TOPIC_AREA_LIVELIHOOD: _ClassVar[TopicArea]
    TOPIC_AREA_FAMILY_CHILDCARE: _ClassVar[TopicArea]
    TOPIC_AREA_DEBTS: _ClassVar[TopicArea]
    TOPIC_AREA_SOCIAL_ENVIRONMENT: _ClassVar[TopicArea]
    TOPIC_AREA_OTHER: _ClassVar[TopicArea]

class LegalArea(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LEGAL_AREA_UNSPECIFIED: _ClassVar[LegalArea]
    LEGAL_AREA_RESIDENCE_LAW: _ClassVar[LegalArea]
    LEGAL_AREA_SGB_II: _ClassVar[LegalArea]
    LEGAL_AREA_SGB_III: _ClassVar[LegalArea]
    LEGAL_AREA_SGB_V: _ClassVar[LegalArea]
    LEGAL_AREA_SGB_VIII: _ClassVar[LegalArea]
    LEGAL_AREA_SGB_IX: _ClassVar[LegalArea]
    LEGAL_AREA_SGB_XII: _ClassVar[LegalArea]
    LEGAL_AREA_ASYLBLG: _ClassVar[LegalArea]
    LEGAL_AREA_SCHOOL_LAW: _ClassVar[LegalArea]
    LEGAL_AREA_TENANCY_LAW: _ClassVar[LegalArea]
    LEGAL_AREA_CIVIL_LAW: _ClassVar[LegalArea]
    LEGAL_AREA_OTHER: _ClassVar[LegalArea]

class AccessPath(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ACCESS_PATH_UNSPECIFIED: _ClassVar[AccessPath]
    ACCESS_PATH_PARTNER_REFERRAL: _ClassVar[AccessPath]
    ACCESS_PATH_ADMINISTRATION_REFERRAL: _ClassVar[AccessPath]
    ACCESS_PATH_OUTREACH: _ClassVar[AccessPath]
    ACCESS_PATH_SELF_REFERRAL: _ClassVar[AccessPath]
    ACCESS_PATH_WORD_OF_MOUTH: _ClassVar[AccessPath]
    ACCESS_PATH_TOWN_ASSIGNMENT: _ClassVar[AccessPath]
    ACCESS_PATH_IMMIGRATION_OFFICE_SCREENING: _ClassVar[AccessPath]
    ACCESS_PATH_CASE_PROPOSAL: _ClassVar[AccessPath]
    ACCESS_PATH_HANDOVER_AFTER_MOVE: _ClassVar[AccessPath]

class CounsellingDepth(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    COUNSELLING_DEPTH_UNSPECIFIED: _ClassVar[CounsellingDepth]
    COUNSELLING_DEPTH_INFORMATION: _ClassVar[CounsellingDepth]
    COUNSELLING_DEPTH_GUIDANCE: _ClassVar[CounsellingDepth]
    COUNSELLING_DEPTH_ACCOMPANIMENT: _ClassVar[CounsellingDepth]
    COUNSELLING_DEPTH_REFERRAL: _ClassVar[CounsellingDepth]
    COUNSELLING_DEPTH_CRISIS_INTERVENTION: _ClassVar[CounsellingDepth]
    COUNSELLING_DEPTH_CASE_MANAGEMENT: _ClassVar[CounsellingDepth]
    COUNSELLING_DEPTH_NO_NEED: _ClassVar[CounsellingDepth]

class AdmissionCriterion(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ADMISSION_CRITERION_UNSPECIFIED: _ClassVar[AdmissionCriterion]
    ADMISSION_CRITERION_MULTIPLE_DIMENSIONS: _ClassVar[AdmissionCriterion]
    ADMISSION_CRITERION_SEVERAL_ACTORS: _ClassVar[AdmissionCriterion]
    ADMISSION_CRITERION_LONG_TERM_NEED: _ClassVar[AdmissionCriterion]
    ADMISSION_CRITERION_STANDARD_CARE_INSUFFICIENT: _ClassVar[AdmissionCriterion]
    ADMISSION_CRITERION_OWN_RESOURCES_INSUFFICIENT: _ClassVar[AdmissionCriterion]
    ADMISSION_CRITERION_COMPLEX_TIME_CONSUMING_NEEDS: _ClassVar[AdmissionCriterion]
    ADMISSION_CRITERION_STRUCTURAL_THEMES: _ClassVar[AdmissionCriterion]

class ConsentKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONSENT_KIND_UNSPECIFIED: _ClassVar[ConsentKind]
    CONSENT_KIND_DATA_PROTECTION_INFORMATION: _ClassVar[ConsentKind]
    CONSENT_KIND_RELEASE_OF_CONFIDENTIALITY: _ClassVar[ConsentKind]
    CONSENT_KIND_COUNSELLING_AGREEMENT: _ClassVar[ConsentKind]

class CefrLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CEFR_LEVEL_UNSPECIFIED: _ClassVar[CefrLevel]
    CEFR_LEVEL_A1: _ClassVar[CefrLevel]
    CEFR_LEVEL_A2: _ClassVar[CefrLevel]
    CEFR_LEVEL_B1: _ClassVar[CefrLevel]
    CEFR_LEVEL_B2: _ClassVar[CefrLevel]
    CEFR_LEVEL_C1: _ClassVar[CefrLevel]
    CEFR_LEVEL_C2: _ClassVar[CefrLevel]

class LanguageEvidence(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LANGUAGE_EVIDENCE_UNSPECIFIED: _ClassVar[LanguageEvidence]
    LANGUAGE_EVIDENCE_SELF_ASSESSMENT: _ClassVar[LanguageEvidence]
    LANGUAGE_EVIDENCE_CASE_MANAGER_ASSESSMENT: _ClassVar[LanguageEvidence]
    LANGUAGE_EVIDENCE_PLACEMENT_TEST: _ClassVar[LanguageEvidence]
    LANGUAGE_EVIDENCE_DTZ: _ClassVar[LanguageEvidence]
    LANGUAGE_EVIDENCE_TELC: _ClassVar[LanguageEvidence]
    LANGUAGE_EVIDENCE_GOETHE: _ClassVar[LanguageEvidence]
    LANGUAGE_EVIDENCE_TESTDAF: _ClassVar[LanguageEvidence]
    LANGUAGE_EVIDENCE_OESD: _ClassVar[LanguageEvidence]
    LANGUAGE_EVIDENCE_SCHOOL_CERTIFICATE: _ClassVar[LanguageEvidence]
    LANGUAGE_EVIDENCE_OTHER_CERTIFICATE: _ClassVar[LanguageEvidence]
TOPIC_AREA_UNSPECIFIED: TopicArea
TOPIC_AREA_RESIDENCE: TopicArea
TOPIC_AREA_LANGUAGE: TopicArea
TOPIC_AREA_EDUCATION: TopicArea
TOPIC_AREA_WORK_TRAINING: TopicArea
TOPIC_AREA_HOUSING: TopicArea
TOPIC_AREA_HEALTH: TopicArea
TOPIC_AREA_LIVELIHOOD: TopicArea
TOPIC_AREA_FAMILY_CHILDCARE: TopicArea
TOPIC_AREA_DEBTS: TopicArea
TOPIC_AREA_SOCIAL_ENVIRONMENT: TopicArea
TOPIC_AREA_OTHER: TopicArea
LEGAL_AREA_UNSPECIFIED: LegalArea
LEGAL_AREA_RESIDENCE_LAW: LegalArea
LEGAL_AREA_SGB_II: LegalArea
LEGAL_AREA_SGB_III: LegalArea
LEGAL_AREA_SGB_V: LegalArea
LEGAL_AREA_SGB_VIII: LegalArea
LEGAL_AREA_SGB_IX: LegalArea
LEGAL_AREA_SGB_XII: LegalArea
LEGAL_AREA_ASYLBLG: LegalArea
LEGAL_AREA_SCHOOL_LAW: LegalArea
LEGAL_AREA_TENANCY_LAW: LegalArea
LEGAL_AREA_CIVIL_LAW: LegalArea
LEGAL_AREA_OTHER: LegalArea
ACCESS_PATH_UNSPECIFIED: AccessPath
ACCESS_PATH_PARTNER_REFERRAL: AccessPath
ACCESS_PATH_ADMINISTRATION_REFERRAL: AccessPath
ACCESS_PATH_OUTREACH: AccessPath
ACCESS_PATH_SELF_REFERRAL: AccessPath
ACCESS_PATH_WORD_OF_MOUTH: AccessPath
ACCESS_PATH_TOWN_ASSIGNMENT: AccessPath
ACCESS_PATH_IMMIGRATION_OFFICE_SCREENING: AccessPath
ACCESS_PATH_CASE_PROPOSAL: AccessPath
ACCESS_PATH_HANDOVER_AFTER_MOVE: AccessPath
COUNSELLING_DEPTH_UNSPECIFIED: CounsellingDepth
COUNSELLING_DEPTH_INFORMATION: CounsellingDepth
COUNSELLING_DEPTH_GUIDANCE: CounsellingDepth
COUNSELLING_DEPTH_ACCOMPANIMENT: CounsellingDepth
COUNSELLING_DEPTH_REFERRAL: CounsellingDepth
COUNSELLING_DEPTH_CRISIS_INTERVENTION: CounsellingDepth
COUNSELLING_DEPTH_CASE_MANAGEMENT: CounsellingDepth
COUNSELLING_DEPTH_NO_NEED: CounsellingDepth
ADMISSION_CRITERION_UNSPECIFIED: AdmissionCriterion
ADMISSION_CRITERION_MULTIPLE_DIMENSIONS: AdmissionCriterion
ADMISSION_CRITERION_SEVERAL_ACTORS: AdmissionCriterion
ADMISSION_CRITERION_LONG_TERM_NEED: AdmissionCriterion
ADMISSION_CRITERION_STANDARD_CARE_INSUFFICIENT: AdmissionCriterion
ADMISSION_CRITERION_OWN_RESOURCES_INSUFFICIENT: AdmissionCriterion
ADMISSION_CRITERION_COMPLEX_TIME_CONSUMING_NEEDS: AdmissionCriterion
ADMISSION_CRITERION_STRUCTURAL_THEMES: AdmissionCriterion
CONSENT_KIND_UNSPECIFIED: ConsentKind
CONSENT_KIND_DATA_PROTECTION_INFORMATION: ConsentKind
CONSENT_KIND_RELEASE_OF_CONFIDENTIALITY: ConsentKind
CONSENT_KIND_COUNSELLING_AGREEMENT: ConsentKind
CEFR_LEVEL_UNSPECIFIED: CefrLevel
CEFR_LEVEL_A1: CefrLevel
CEFR_LEVEL_A2: CefrLevel
CEFR_LEVEL_B1: CefrLevel
CEFR_LEVEL_B2: CefrLevel
CEFR_LEVEL_C1: CefrLevel
CEFR_LEVEL_C2: CefrLevel
LANGUAGE_EVIDENCE_UNSPECIFIED: LanguageEvidence
LANGUAGE_EVIDENCE_SELF_ASSESSMENT: LanguageEvidence
LANGUAGE_EVIDENCE_CASE_MANAGER_ASSESSMENT: LanguageEvidence
LANGUAGE_EVIDENCE_PLACEMENT_TEST: LanguageEvidence
LANGUAGE_EVIDENCE_DTZ: LanguageEvidence
LANGUAGE_EVIDENCE_TELC: LanguageEvidence
LANGUAGE_EVIDENCE_GOETHE: LanguageEvidence
LANGUAGE_EVIDENCE_TESTDAF: LanguageEvidence
LANGUAGE_EVIDENCE_OESD: LanguageEvidence
LANGUAGE_EVIDENCE_SCHOOL_CERTIFICATE: LanguageEvidence
LANGUAGE_EVIDENCE_OTHER_CERTIFICATE: LanguageEvidence
