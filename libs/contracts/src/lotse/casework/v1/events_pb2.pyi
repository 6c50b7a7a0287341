from lotse import options_pb2 as _options_pb2
from lotse.kim.v1 import vocabulary_pb2 as _vocabulary_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Phase(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PHASE_UNSPECIFIED: _ClassVar[Phase]
    PHASE_INTAKE: _ClassVar[Phase]
    PHASE_ASSESSMENT: _ClassVar[Phase]
    PHASE_GOAL_AGREEMENT: _ClassVar[Phase]
    PHASE_LINKING: _ClassVar[Phase]
    PHASE_MONITORING: _ClassVar[Phase]
    PHASE_REASSESSMENT: _ClassVar[Phase]
    PHASE_EVALUATION: _ClassVar[Phase]
    PHASE_CLOSED: _ClassVar[Phase]

class ContactType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONTACT_TYPE_UNSPECIFIED: _ClassVar[ContactType]
    CONTACT_TYPE_APPOINTMENT: _ClassVar[ContactType]
    CONTACT_TYPE_PHONE_CALL: _ClassVar[ContactType]
    CONTACT_TYPE_EMAIL: _ClassVar[ContactType]
    CONTACT_TYPE_ACCOMPANIMENT: _ClassVar[ContactType]
    CONTACT_TYPE_HOME_VISIT: _ClassVar[ContactType]
    CONTACT_TYPE_VIDEO_CALL: _ClassVar[ContactType]

class ClosureReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CLOSURE_REASON_UNSPECIFIED: _ClassVar[ClosureReason]
    CLOSURE_REASON_GOALS_REACHED: _ClassVar[ClosureReason]
    CLOSURE_REASON_CLIENT_STEERS_NETWORK: _ClassVar[ClosureReason]
    CLOSURE_REASON_MOVED_AWAY: _ClassVar[ClosureReason]
    CLOSURE_REASON_CONSENT_WITHDRAWN: _ClassVar[ClosureReason]
    CLOSURE_REASON_NOT_REACHABLE: _ClassVar[ClosureReason]
    CLOSURE_REASON_REFERRED_ON: _ClassVar[ClosureReason]

class Responsible(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RESPONSIBLE_UNSPECIFIED: _ClassVar[Responsible]
    RESPONSIBLE_CLIENT: _ClassVar[Responsible]
    RESPONSIBLE_CASE_MANAGER: _ClassVar[Responsible]
    RESPONSIBLE_PARTNER_ORGANISATION: _ClassVar[Responsible]

class ConferenceLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONFERENCE_LEVEL_UNSPECIFIED: _ClassVar[ConferenceLevel]
    CONFERENCE_LEVEL_TOWN: _ClassVar[ConferenceLevel]
    CONFERENCE_LEVEL_COUNTY: _ClassVar[ConferenceLevel]

class TeamDiscussionKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TEAM_DISCUSSION_KIND_UNSPECIFIED: _ClassVar[TeamDiscussionKind]
    TEAM_DISCUSSION_KIND_CASE_DISCUSSION: _ClassVar[TeamDiscussionKind]
    TEAM_DISCUSSION_KIND_PEER_CONSULTATION: _ClassVar[TeamDiscussionKind]
    TEAM_DISCUSSION_KIND_SUPERVISION: _ClassVar[TeamDiscussionKind]
PHASE_UNSPECIFIED: Phase
PHASE_INTAKE: Phase
PHASE_ASSESSMENT: Phase
PHASE_GOAL_AGREEMENT: Phase
PHASE_LINKING: Phase
PHASE_MONITORING: Phase
PHASE_REASSESSMENT: Phase
PHASE_EVALUATION: Phase
PHASE_CLOSED: Phase
CONTACT_TYPE_UNSPECIFIED: ContactType
CONTACT_TYPE_APPOINTMENT: ContactType
CONTACT_TYPE_PHONE_CALL: ContactType
CONTACT_TYPE_EMAIL: ContactType
CONTACT_TYPE_ACCOMPANIMENT: ContactType
CONTACT_TYPE_HOME_VISIT: ContactType
CONTACT_TYPE_VIDEO_CALL: ContactType
CLOSURE_REASON_UNSPECIFIED: ClosureReason
CLOSURE_REASON_GOALS_REACHED: ClosureReason
CLOSURE_REASON_CLIENT_STEERS_NETWORK: ClosureReason
CLOSURE_REASON_MOVED_AWAY: ClosureReason
CLOSURE_REASON_CONSENT_WITHDRAWN: ClosureReason
CLOSURE_REASON_NOT_REACHABLE: ClosureReason
CLOSURE_REASON_REFERRED_ON: ClosureReason
RESPONSIBLE_UNSPECIFIED: Responsible
RESPONSIBLE_CLIENT: Responsible
RESPONSIBLE_CASE_MANAGER: Responsible
RESPONSIBLE_PARTNER_ORGANISATION: Responsible
CONFERENCE_LEVEL_UNSPECIFIED: ConferenceLevel
CONFERENCE_LEVEL_TOWN: ConferenceLevel
CONFERENCE_LEVEL_COUNTY: ConferenceLevel
TEAM_DISCUSSION_KIND_UNSPECIFIED: TeamDiscussionKind
TEAM_DISCUSSION_KIND_CASE_DISCUSSION: TeamDiscussionKind
TEAM_DISCUSSION_KIND_PEER_CONSULTATION: TeamDiscussionKind
TEAM_DISCUSSION_KIND_SUPERVISION: TeamDiscussionKind

class CaseFacts(_message.Message):
    __slots__ = ("case_id", "area_id", "case_manager_id", "topic_areas", "legal_areas", "opened_on", "target_group_ids", "primary_topic_area")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    AREA_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_MANAGER_ID_FIELD_NUMBER: _ClassVar[int]
    TOPIC_AREAS_FIELD_NUMBER: _ClassVar[int]
    LEGAL_AREAS_FIELD_NUMBER: _ClassVar[int]
    OPENED_ON_FIELD_NUMBER: _ClassVar[int]
    TARGET_GROUP_IDS_FIELD_NUMBER: _ClassVar[int]
    PRIMARY_TOPIC_AREA_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    area_id: str
    case_manager_id: str
    topic_areas: _containers.RepeatedScalarFieldContainer[_vocabulary_pb2.TopicArea]
    legal_areas: _containers.RepeatedScalarFieldContainer[_vocabulary_pb2.LegalArea]
    opened_on: str
    target_group_ids: _containers.RepeatedScalarFieldContainer[str]
    primary_topic_area: _vocabulary_pb2.TopicArea
    def __init__(self, case_id: _Optional[str] = ..., area_id: _Optional[str] = ..., case_manager_id: _Optional[str] = ..., topic_areas: _Optional[_Iterable[_Union[_vocabulary_pb2.TopicArea, str]]] = ..., legal_areas: _Optional[_Iterable[_Union[_vocabulary_pb2.LegalArea, str]]] = ..., opened_on: _Optional[str] = ..., target_group_ids: _Optional[_Iterable[str]] = ..., primary_topic_area: _Optional[_Union[_vocabulary_pb2.TopicArea, str]] = ...) -> None: ...

class CaseOpened(_message.Message):
    __slots__ = ("case", "intake_id", "operator_org_id")
    CASE_FIELD_NUMBER: _ClassVar[int]
    INTAKE_ID_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_ORG_ID_FIELD_NUMBER: _ClassVar[int]
    case: CaseFacts
    intake_id: str
    operator_org_id: str
    def __init__(self, case: _Optional[_Union[CaseFacts, _Mapping]] = ..., intake_id: _Optional[str] = ..., operator_org_id: _Optional[str] = ...) -> None: ...

class PhaseChanged(_message.Message):
    __slots__ = ("case", "from_phase", "to_phase", "changed_by", "changed_at")
    CASE_FIELD_NUMBER: _ClassVar[int]
    FROM_PHASE_FIELD_NUMBER: _ClassVar[int]
    TO_PHASE_FIELD_NUMBER: _ClassVar[int]
    CHANGED_BY_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    case: CaseFacts
    from_phase: Phase
    to_phase: Phase
    changed_by: str
    changed_at: str
    def __init__(self, case: _Optional[_Union[CaseFacts, _Mapping]] = ..., from_phase: _Optional[_Union[Phase, str]] = ..., to_phase: _Optional[_Union[Phase, str]] = ..., changed_by: _Optional[str] = ..., changed_at: _Optional[str] = ...) -> None: ...

class GoalSet(_message.Message):
    __slots__ = ("case", "goal_id", "topic_area", "responsible", "responsible_org_id", "due_on", "primary")
    CASE_FIELD_NUMBER: _ClassVar[int]
    GOAL_ID_FIELD_NUMBER: _ClassVar[int]
    TOPIC_AREA_FIELD_NUMBER: _ClassVar[int]
    RESPONSIBLE_FIELD_NUMBER: _ClassVar[int]
    RESPONSIBLE_ORG_ID_FIELD_NUMBER: _ClassVar[int]
    DUE_ON_FIELD_NUMBER: _ClassVar[int]
    PRIMARY_FIELD_NUMBER: _ClassVar[int]
    case: CaseFacts
    goal_id: str
    topic_area: _vocabulary_pb2.TopicArea
    responsible: Responsible
    responsible_org_id: str
    due_on: str
    primary: bool
    def __init__(self, case: _Optional[_Union[CaseFacts, _Mapping]] = ..., goal_id: _Optional[str] = ..., topic_area: _Optional[_Union[_vocabulary_pb2.TopicArea, str]] = ..., responsible: _Optional[_Union[Responsible, str]] = ..., responsible_org_id: _Optional[str] = ..., due_on: _Optional[str] = ..., primary: _Optional[bool] = ...) -> None: ...

class GoalReached(_message.Message):
    __slots__ = ("case", "goal_id", "topic_area", "reached_on")
    CASE_FIELD_NUMBER: _ClassVar[int]
    GOAL_ID_FIELD_NUMBER: _ClassVar[int]
    TOPIC_AREA_FIELD_NUMBER: _ClassVar[int]
    REACHED_ON_FIELD_NUMBER: _ClassVar[int]
    case: CaseFacts
    goal_id: str
    topic_area: _vocabulary_pb2.TopicArea
    reached_on: str
    def __init__(self, case: _Optional[_Union[CaseFacts, _Mapping]] = ..., goal_id: _Optional[str] = ..., topic_area: _Optional[_Union[_vocabulary_pb2.TopicArea, str]] = ..., reached_on: _Optional[str] = ...) -> None: ...

class GoalRevised(_message.Message):
    __slots__ = ("case", "goal_id", "topic_area", "due_on", "revision", "primary")
    CASE_FIELD_NUMBER: _ClassVar[int]
    GOAL_ID_FIELD_NUMBER: _ClassVar[int]
    TOPIC_AREA_FIELD_NUMBER: _ClassVar[int]
    DUE_ON_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    PRIMARY_FIELD_NUMBER: _ClassVar[int]
    case: CaseFacts
    goal_id: str
    topic_area: _vocabulary_pb2.TopicArea
    due_on: str
    revision: int
    primary: bool
    def __init__(self, case: _Optional[_Union[CaseFacts, _Mapping]] = ..., goal_id: _Optional[str] = ..., topic_area: _Optional[_Union[_vocabulary_pb2.TopicArea, str]] = ..., due_on: _Optional[str] = ..., revision: _Optional[int] = ..., primary: _Optional[bool] = ...) -> None: ...

class GoalDropped(_message.Message):
    __slots__ = ("case", "goal_id", "topic_area", "dropped_on")
    CASE_FIELD_NUMBER: _ClassVar[int]
    GOAL_ID_FIELD_NUMBER: _ClassVar[int]
    TOPIC_AREA_FIELD_NUMBER: _ClassVar[int]
    DROPPED_ON_FIELD_NUMBER: _ClassVar[int]
    case: CaseFacts
    goal_id: str
    topic_area: _vocabulary_pb2.TopicArea
    dropped_on: str
    def __init__(self, case: _Optional[_Union[CaseFacts, _Mapping]] = ..., goal_id: _Optional[str] = ..., topic_area: _Optional[_Union[_vocabulary_pb2.TopicArea, str]] = ..., dropped_on: _Optional[str] = ...) -> None: ...

class StepDone(_message.Message):
    __slots__ = ("case", "goal_id", "step_id", "responsible", "responsible_org_id", "done_on", "overdue")
    CASE_FIELD_NUMBER: _ClassVar[int]
    GOAL_ID_FIELD_NUMBER: _ClassVar[int]
    STEP_ID_FIELD_NUMBER: _ClassVar[int]
    RESPONSIBLE_FIELD_NUMBER: _ClassVar[int]
    RESPONSIBLE_ORG_ID_FIELD_NUMBER: _ClassVar[int]
    DONE_ON_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    case: CaseFacts
    goal_id: str
    step_id: str
    responsible: Responsible
    responsible_org_id: str
    done_on: str
    overdue: bool
    def __init__(self, case: _Optional[_Union[CaseFacts, _Mapping]] = ..., goal_id: _Optional[str] = ..., step_id: _Optional[str] = ..., responsible: _Optional[_Union[Responsible, str]] = ..., responsible_org_id: _Optional[str] = ..., done_on: _Optional[str] = ..., overdue: _Optional[bool] = ...) -> None: ...

class ContactRecorded(_message.Message):
    __slots__ = ("case", "contact_id", "type", "duration_minutes", "topics", "phase", "contact_on", "appointment_id", "children_present", "child_protection_concern")
    CASE_FIELD_NUMBER: _ClassVar[int]
    CONTACT_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    DURATION_MINUTES_FIELD_NUMBER: _ClassVar[int]
    TOPICS_FIELD_NUMBER: _ClassVar[int]
    PHASE_FIELD_NUMBER: _ClassVar[int]
    CONTACT_ON_FIELD_NUMBER: _ClassVar[int]
    APPOINTMENT_ID_FIELD_NUMBER: _ClassVar[int]
    CHILDREN_PRESENT_FIELD_NUMBER: _ClassVar[int]
    CHILD_PROTECTION_CONCERN_FIELD_NUMBER: _ClassVar[int]
    case: CaseFacts
    contact_id: str
    type: ContactType
    duration_minutes: int
    topics: _containers.RepeatedScalarFieldContainer[_vocabulary_pb2.TopicArea]
    phase: Phase
    contact_on: str
    appointment_id: str
    children_present: bool
    child_protection_concern: bool
    def __init__(self, case: _Optional[_Union[CaseFacts, _Mapping]] = ..., contact_id: _Optional[str] = ..., type: _Optional[_Union[ContactType, str]] = ..., duration_minutes: _Optional[int] = ..., topics: _Optional[_Iterable[_Union[_vocabulary_pb2.TopicArea, str]]] = ..., phase: _Optional[_Union[Phase, str]] = ..., contact_on: _Optional[str] = ..., appointment_id: _Optional[str] = ..., children_present: _Optional[bool] = ..., child_protection_concern: _Optional[bool] = ...) -> None: ...

class LanguageLevelAssessed(_message.Message):
    __slots__ = ("case", "assessment_id", "assessment_version", "language", "level", "evidence", "previous_level", "certified")
    CASE_FIELD_NUMBER: _ClassVar[int]
    ASSESSMENT_ID_FIELD_NUMBER: _ClassVar[int]
    ASSESSMENT_VERSION_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_LEVEL_FIELD_NUMBER: _ClassVar[int]
    CERTIFIED_FIELD_NUMBER: _ClassVar[int]
    case: CaseFacts
    assessment_id: str
    assessment_version: int
    language: str
    level: _vocabulary_pb2.CefrLevel
    evidence: _vocabulary_pb2.LanguageEvidence
    previous_level: _vocabulary_pb2.CefrLevel
    certified: bool
    def __init__(self, case: _Optional[_Union[CaseFacts, _Mapping]] = ..., assessment_id: _Optional[str] = ..., assessment_version: _Optional[int] = ..., language: _Optional[str] = ..., level: _Optional[_Union[_vocabulary_pb2.CefrLevel, str]] = ..., evidence: _Optional[_Union[_vocabulary_pb2.LanguageEvidence, str]] = ..., previous_level: _Optional[_Union[_vocabulary_pb2.CefrLevel, str]] = ..., certified: _Optional[bool] = ...) -> None: ...

class AppointmentMissed(_message.Message):
    __slots__ = ("case", "appointment_id", "kind", "appointment_on")
    CASE_FIELD_NUMBER: _ClassVar[int]
    APPOINTMENT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    APPOINTMENT_ON_FIELD_NUMBER: _ClassVar[int]
    case: CaseFacts
    appointment_id: str
    kind: ContactType
    appointment_on: str
    def __init__(self, case: _Optional[_Union[CaseFacts, _Mapping]] = ..., appointment_id: _Optional[str] = ..., kind: _Optional[_Union[ContactType, str]] = ..., appointment_on: _Optional[str] = ...) -> None: ...

class ChildProtectionConcernRaised(_message.Message):
    __slots__ = ("case", "concern_id", "contact_id", "youth_office_org_id", "raised_on")
    CASE_FIELD_NUMBER: _ClassVar[int]
    CONCERN_ID_FIELD_NUMBER: _ClassVar[int]
    CONTACT_ID_FIELD_NUMBER: _ClassVar[int]
    YOUTH_OFFICE_ORG_ID_FIELD_NUMBER: _ClassVar[int]
    RAISED_ON_FIELD_NUMBER: _ClassVar[int]
    case: CaseFacts
    concern_id: str
    contact_id: str
    youth_office_org_id: str
    raised_on: str
    def __init__(self, case: _Optional[_Union[CaseFacts, _Mapping]] = ..., concern_id: _Optional[str] = ..., contact_id: _Optional[str] = ..., youth_office_org_id: _Optional[str] = ..., raised_on: _Optional[str] = ...) -> None: ...

class TeamDiscussionHeld(_message.Message):
    __slots__ = ("discussion_id", "kind", "held_on", "participants", "cases_discussed", "topics", "structural_issues_seen", "recorded_by")
    DISCUSSION_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    HELD_ON_FIELD_NUMBER: _ClassVar[int]
    PARTICIPANTS_FIELD_NUMBER: _ClassVar[int]
    CASES_DISCUSSED_FIELD_NUMBER: _ClassVar[int]
    TOPICS_FIELD_NUMBER: _ClassVar[int]
    STRUCTURAL_ISSUES_SEEN_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    discussion_id: str
    kind: TeamDiscussionKind
    held_on: str
    participants: int
    cases_discussed: int
    topics: _containers.RepeatedScalarFieldContainer[_vocabulary_pb2.TopicArea]
    structural_issues_seen: bool
    recorded_by: str
    def __init__(self, discussion_id: _Optional[str] = ..., kind: _Optional[_Union[TeamDiscussionKind, str]] = ..., held_on: _Optional[str] = ..., participants: _Optional[int] = ..., cases_discussed: _Optional[int] = ..., topics: _Optional[_Iterable[_Union[_vocabulary_pb2.TopicArea, str]]] = ..., structural_issues_seen: _Optional[bool] = ..., recorded_by: _Optional[str] = ...) -> None: ...

class CaseConferenceHeld(_message.Message):
    __slots__ = ("case", "conference_id", "participant_org_ids", "topics", "agreed_actions", "held_on", "level", "persons_without_organisation", "round_id")
    CASE_FIELD_NUMBER: _ClassVar[int]
    CONFERENCE_ID_FIELD_NUMBER: _ClassVar[int]
    PARTICIPANT_ORG_IDS_FIELD_NUMBER: _ClassVar[int]
    TOPICS_FIELD_NUMBER: _ClassVar[int]
    AGREED_ACTIONS_FIELD_NUMBER: _ClassVar[int]
    HELD_ON_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    PERSONS_WITHOUT_ORGANISATION_FIELD_NUMBER: _ClassVar[int]
    ROUND_ID_FIELD_NUMBER: _ClassVar[int]
    case: CaseFacts
    conference_id: str
    participant_org_ids: _containers.RepeatedScalarFieldContainer[str]
    topics: _containers.RepeatedScalarFieldContainer[_vocabulary_pb2.TopicArea]
    agreed_actions: int
    held_on: str
    level: ConferenceLevel
    persons_without_organisation: int
    round_id: str
    def __init__(self, case: _Optional[_Union[CaseFacts, _Mapping]] = ..., conference_id: _Optional[str] = ..., participant_org_ids: _Optional[_Iterable[str]] = ..., topics: _Optional[_Iterable[_Union[_vocabulary_pb2.TopicArea, str]]] = ..., agreed_actions: _Optional[int] = ..., held_on: _Optional[str] = ..., level: _Optional[_Union[ConferenceLevel, str]] = ..., persons_without_organisation: _Optional[int] = ..., round_id: _Optional[str] = ...) -> None: ...

class CaseClosed(_message.Message):
    __slots__ = ("case", "reason", "closed_on", "duration_days", "phases", "goals_reached", "goals_total")
    CASE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    CLOSED_ON_FIELD_NUMBER: _ClassVar[int]
    DURATION_DAYS_FIELD_NUMBER: _ClassVar[int]
    PHASES_FIELD_NUMBER: _ClassVar[int]
    GOALS_REACHED_FIELD_NUMBER: _ClassVar[int]
    GOALS_TOTAL_FIELD_NUMBER: _ClassVar[int]
    case: CaseFacts
    reason: ClosureReason
    closed_on: str
    duration_days: int
    phases: _containers.RepeatedScalarFieldContainer[Phase]
    goals_reached: int
    goals_total: int
    def __init__(self, case: _Optional[_Union[CaseFacts, _Mapping]] = ..., reason: _Optional[_Union[ClosureReason, str]] = ..., closed_on: _Optional[str] = ..., duration_days: _Optional[int] = ..., phases: _Optional[_Iterable[_Union[Phase, str]]] = ..., goals_reached: _Optional[int] = ..., goals_total: _Optional[int] = ...) -> None: ...

class CaseTransferred(_message.Message):
    __slots__ = ("case", "from_area_id", "from_case_manager_id", "to_tenant_id", "transferred_on")
    CASE_FIELD_NUMBER: _ClassVar[int]
    FROM_AREA_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_CASE_MANAGER_ID_FIELD_NUMBER: _ClassVar[int]
    TO_TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    TRANSFERRED_ON_FIELD_NUMBER: _ClassVar[int]
    case: CaseFacts
    from_area_id: str
    from_case_manager_id: str
    to_tenant_id: str
    transferred_on: str
    def __init__(self, case: _Optional[_Union[CaseFacts, _Mapping]] = ..., from_area_id: _Optional[str] = ..., from_case_manager_id: _Optional[str] = ..., to_tenant_id: _Optional[str] = ..., transferred_on: _Optional[str] = ...) -> None: ...

class CaseTransferOffered(_message.Message):
    __slots__ = ("case", "transfer_id", "to_tenant_id", "to_area_id", "offered_on")
    CASE_FIELD_NUMBER: _ClassVar[int]
    TRANSFER_ID_FIELD_NUMBER: _ClassVar[int]
    TO_TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    TO_AREA_ID_FIELD_NUMBER: _ClassVar[int]
    OFFERED_ON_FIELD_NUMBER: _ClassVar[int]
    case: CaseFacts
    transfer_id: str
    to_tenant_id: str
    to_area_id: str
    offered_on: str
    def __init__(self, case: _Optional[_Union[CaseFacts, _Mapping]] = ..., transfer_id: _Optional[str] = ..., to_tenant_id: _Optional[str] = ..., to_area_id: _Optional[str] = ..., offered_on: _Optional[str] = ...) -> None: ...

class CaseTransferAccepted(_message.Message):
    __slots__ = ("case", "transfer_id", "from_tenant_id", "accepted_by", "accepted_on")
    CASE_FIELD_NUMBER: _ClassVar[int]
    TRANSFER_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_BY_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_ON_FIELD_NUMBER: _ClassVar[int]
    case: CaseFacts
    transfer_id: str
    from_tenant_id: str
    accepted_by: str
    accepted_on: str
    def __init__(self, case: _Optional[_Union[CaseFacts, _Mapping]] = ..., transfer_id: _Optional[str] = ..., from_tenant_id: _Optional[str] = ..., accepted_by: _Optional[str] = ..., accepted_on: _Optional[str] = ...) -> None: ...

class CaseTransferCancelled(_message.Message):
    __slots__ = ("case", "transfer_id", "to_tenant_id", "cancelled_on")
    CASE_FIELD_NUMBER: _ClassVar[int]
    TRANSFER_ID_FIELD_NUMBER: _ClassVar[int]
    TO_TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    CANCELLED_ON_FIELD_NUMBER: _ClassVar[int]
    case: CaseFacts
    transfer_id: str
    to_tenant_id: str
    cancelled_on: str
    def __init__(self, case: _Optional[_Union[CaseFacts, _Mapping]] = ..., transfer_id: _Optional[str] = ..., to_tenant_id: _Optional[str] = ..., cancelled_on: _Optional[str] = ...) -> None: ...

class CaseTransferErasureRequested(_message.Message):
    __slots__ = ("transfer_id", "to_tenant_id", "erasure_id")
    TRANSFER_ID_FIELD_NUMBER: _ClassVar[int]
    TO_TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ERASURE_ID_FIELD_NUMBER: _ClassVar[int]
    transfer_id: str
    to_tenant_id: str
    erasure_id: str
    def __init__(self, transfer_id: _Optional[str] = ..., to_tenant_id: _Optional[str] = ..., erasure_id: _Optional[str] = ...) -> None: ...
