from lotse import options_pb2 as _options_pb2
from lotse.kim.v1 import vocabulary_pb2 as _vocabulary_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ReferralMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REFERRAL_MODE_UNSPECIFIED: _ClassVar[ReferralMode]
    REFERRAL_MODE_REFERRAL_COUNSELLING: _ClassVar[ReferralMode]
    REFERRAL_MODE_WARM_HANDOVER: _ClassVar[ReferralMode]
    REFERRAL_MODE_TANDEM: _ClassVar[ReferralMode]

class ReferralUrgency(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REFERRAL_URGENCY_UNSPECIFIED: _ClassVar[ReferralUrgency]
    REFERRAL_URGENCY_NORMAL: _ClassVar[ReferralUrgency]
    REFERRAL_URGENCY_URGENT: _ClassVar[ReferralUrgency]

class ReferralSource(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REFERRAL_SOURCE_UNSPECIFIED: _ClassVar[ReferralSource]
    REFERRAL_SOURCE_CASE: _ClassVar[ReferralSource]
    REFERRAL_SOURCE_INTAKE: _ClassVar[ReferralSource]

class ReferralCancelReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REFERRAL_CANCEL_REASON_UNSPECIFIED: _ClassVar[ReferralCancelReason]
    REFERRAL_CANCEL_REASON_BY_CASE_MANAGER: _ClassVar[ReferralCancelReason]
    REFERRAL_CANCEL_REASON_CONSENT_WITHDRAWN: _ClassVar[ReferralCancelReason]

class DirectoryChange(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DIRECTORY_CHANGE_UNSPECIFIED: _ClassVar[DirectoryChange]
    DIRECTORY_CHANGE_CREATED: _ClassVar[DirectoryChange]
    DIRECTORY_CHANGE_UPDATED: _ClassVar[DirectoryChange]
    DIRECTORY_CHANGE_DEACTIVATED: _ClassVar[DirectoryChange]
    DIRECTORY_CHANGE_REACTIVATED: _ClassVar[DirectoryChange]
REFERRAL_MODE_UNSPECIFIED: ReferralMode
REFERRAL_MODE_REFERRAL_COUNSELLING: ReferralMode
REFERRAL_MODE_WARM_HANDOVER: ReferralMode
REFERRAL_MODE_TANDEM: ReferralMode
REFERRAL_URGENCY_UNSPECIFIED: ReferralUrgency
REFERRAL_URGENCY_NORMAL: ReferralUrgency
REFERRAL_URGENCY_URGENT: ReferralUrgency
REFERRAL_SOURCE_UNSPECIFIED: ReferralSource
REFERRAL_SOURCE_CASE: ReferralSource
REFERRAL_SOURCE_INTAKE: ReferralSource
REFERRAL_CANCEL_REASON_UNSPECIFIED: ReferralCancelReason
REFERRAL_CANCEL_REASON_BY_CASE_MANAGER: ReferralCancelReason
REFERRAL_CANCEL_REASON_CONSENT_WITHDRAWN: ReferralCancelReason
DIRECTORY_CHANGE_UNSPECIFIED: DirectoryChange
DIRECTORY_CHANGE_CREATED: DirectoryChange
DIRECTORY_CHANGE_UPDATED: DirectoryChange
DIRECTORY_CHANGE_DEACTIVATED: DirectoryChange
DIRECTORY_CHANGE_REACTIVATED: DirectoryChange

class ReferralFacts(_message.Message):
    __slots__ = ("referral_id", "partner_org_id", "service_id", "mode", "topic_area", "urgency", "source", "case_id", "intake_id", "operator_org_id", "case_manager_id", "sent_on")
    REFERRAL_ID_FIELD_NUMBER: _ClassVar[int]
    PARTNER_ORG_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_ID_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    TOPIC_AREA_FIELD_NUMBER: _ClassVar[int]
    URGENCY_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    INTAKE_ID_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_ORG_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_MANAGER_ID_FIELD_NUMBER: _ClassVar[int]
    SENT_ON_FIELD_NUMBER: _ClassVar[int]
    referral_id: str
    partner_org_id: str
    service_id: str
    mode: ReferralMode
    topic_area: _vocabulary_pb2.TopicArea
    urgency: ReferralUrgency
    source: ReferralSource
    case_id: str
    intake_id: str
    operator_org_id: str
    case_manager_id: str
    sent_on: str
    def __init__(self, referral_id: _Optional[str] = ..., partner_org_id: _Optional[str] = ..., service_id: _Optional[str] = ..., mode: _Optional[_Union[ReferralMode, str]] = ..., topic_area: _Optional[_Union[_vocabulary_pb2.TopicArea, str]] = ..., urgency: _Optional[_Union[ReferralUrgency, str]] = ..., source: _Optional[_Union[ReferralSource, str]] = ..., case_id: _Optional[str] = ..., intake_id: _Optional[str] = ..., operator_org_id: _Optional[str] = ..., case_manager_id: _Optional[str] = ..., sent_on: _Optional[str] = ...) -> None: ...

class ReferralSent(_message.Message):
    __slots__ = ("referral", "shared_categories")
    REFERRAL_FIELD_NUMBER: _ClassVar[int]
    SHARED_CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    referral: ReferralFacts
    shared_categories: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, referral: _Optional[_Union[ReferralFacts, _Mapping]] = ..., shared_categories: _Optional[_Iterable[str]] = ...) -> None: ...

class ReferralAccepted(_message.Message):
    __slots__ = ("referral", "accepted_on", "accepted_by")
    REFERRAL_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_ON_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_BY_FIELD_NUMBER: _ClassVar[int]
    referral: ReferralFacts
    accepted_on: str
    accepted_by: str
    def __init__(self, referral: _Optional[_Union[ReferralFacts, _Mapping]] = ..., accepted_on: _Optional[str] = ..., accepted_by: _Optional[str] = ...) -> None: ...

class ReferralDeclined(_message.Message):
    __slots__ = ("referral", "declined_on", "declined_by")
    REFERRAL_FIELD_NUMBER: _ClassVar[int]
    DECLINED_ON_FIELD_NUMBER: _ClassVar[int]
    DECLINED_BY_FIELD_NUMBER: _ClassVar[int]
    referral: ReferralFacts
    declined_on: str
    declined_by: str
    def __init__(self, referral: _Optional[_Union[ReferralFacts, _Mapping]] = ..., declined_on: _Optional[str] = ..., declined_by: _Optional[str] = ...) -> None: ...

class ReferralArrived(_message.Message):
    __slots__ = ("referral", "arrived_on", "days_since_sent")
    REFERRAL_FIELD_NUMBER: _ClassVar[int]
    ARRIVED_ON_FIELD_NUMBER: _ClassVar[int]
    DAYS_SINCE_SENT_FIELD_NUMBER: _ClassVar[int]
    referral: ReferralFacts
    arrived_on: str
    days_since_sent: int
    def __init__(self, referral: _Optional[_Union[ReferralFacts, _Mapping]] = ..., arrived_on: _Optional[str] = ..., days_since_sent: _Optional[int] = ...) -> None: ...

class ReferralNotArrived(_message.Message):
    __slots__ = ("referral", "recorded_on")
    REFERRAL_FIELD_NUMBER: _ClassVar[int]
    RECORDED_ON_FIELD_NUMBER: _ClassVar[int]
    referral: ReferralFacts
    recorded_on: str
    def __init__(self, referral: _Optional[_Union[ReferralFacts, _Mapping]] = ..., recorded_on: _Optional[str] = ...) -> None: ...

class ReferralCompleted(_message.Message):
    __slots__ = ("referral", "completed_on", "feedback_count")
    REFERRAL_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_ON_FIELD_NUMBER: _ClassVar[int]
    FEEDBACK_COUNT_FIELD_NUMBER: _ClassVar[int]
    referral: ReferralFacts
    completed_on: str
    feedback_count: int
    def __init__(self, referral: _Optional[_Union[ReferralFacts, _Mapping]] = ..., completed_on: _Optional[str] = ..., feedback_count: _Optional[int] = ...) -> None: ...

class ReferralCancelled(_message.Message):
    __slots__ = ("referral", "cancelled_on", "reason", "from_status")
    REFERRAL_FIELD_NUMBER: _ClassVar[int]
    CANCELLED_ON_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    FROM_STATUS_FIELD_NUMBER: _ClassVar[int]
    referral: ReferralFacts
    cancelled_on: str
    reason: ReferralCancelReason
    from_status: str
    def __init__(self, referral: _Optional[_Union[ReferralFacts, _Mapping]] = ..., cancelled_on: _Optional[str] = ..., reason: _Optional[_Union[ReferralCancelReason, str]] = ..., from_status: _Optional[str] = ...) -> None: ...

class ServiceChanged(_message.Message):
    __slots__ = ("service_id", "organization_id", "identity_org_id", "change", "kind", "topic_areas", "legal_areas", "own_case_management", "active", "area_ids", "location_area_ids", "version", "changed_by", "changed_fields")
    SERVICE_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    IDENTITY_ORG_ID_FIELD_NUMBER: _ClassVar[int]
    CHANGE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TOPIC_AREAS_FIELD_NUMBER: _ClassVar[int]
    LEGAL_AREAS_FIELD_NUMBER: _ClassVar[int]
    OWN_CASE_MANAGEMENT_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    AREA_IDS_FIELD_NUMBER: _ClassVar[int]
    LOCATION_AREA_IDS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CHANGED_BY_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    service_id: str
    organization_id: str
    identity_org_id: str
    change: DirectoryChange
    kind: str
    topic_areas: _containers.RepeatedScalarFieldContainer[_vocabulary_pb2.TopicArea]
    legal_areas: _containers.RepeatedScalarFieldContainer[_vocabulary_pb2.LegalArea]
    own_case_management: bool
    active: bool
    area_ids: _containers.RepeatedScalarFieldContainer[str]
    location_area_ids: _containers.RepeatedScalarFieldContainer[str]
    version: int
    changed_by: str
    changed_fields: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, service_id: _Optional[str] = ..., organization_id: _Optional[str] = ..., identity_org_id: _Optional[str] = ..., change: _Optional[_Union[DirectoryChange, str]] = ..., kind: _Optional[str] = ..., topic_areas: _Optional[_Iterable[_Union[_vocabulary_pb2.TopicArea, str]]] = ..., legal_areas: _Optional[_Iterable[_Union[_vocabulary_pb2.LegalArea, str]]] = ..., own_case_management: _Optional[bool] = ..., active: _Optional[bool] = ..., area_ids: _Optional[_Iterable[str]] = ..., location_area_ids: _Optional[_Iterable[str]] = ..., version: _Optional[int] = ..., changed_by: _Optional[str] = ..., changed_fields: _Optional[_Iterable[str]] = ...) -> None: ...

class BodyMeetingHeld(_message.Message):
    __slots__ = ("meeting_id", "body_id", "body_kind", "area_id", "held_on", "participant_org_ids", "contributions", "follow_ups")
    MEETING_ID_FIELD_NUMBER: _ClassVar[int]
    BODY_ID_FIELD_NUMBER: _ClassVar[int]
    BODY_KIND_FIELD_NUMBER: _ClassVar[int]
    AREA_ID_FIELD_NUMBER: _ClassVar[int]
    HELD_ON_FIELD_NUMBER: _ClassVar[int]
    PARTICIPANT_ORG_IDS_FIELD_NUMBER: _ClassVar[int]
    CONTRIBUTIONS_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_UPS_FIELD_NUMBER: _ClassVar[int]
    meeting_id: str
    body_id: str
    body_kind: str
    area_id: str
    held_on: str
    participant_org_ids: _containers.RepeatedScalarFieldContainer[str]
    contributions: int
    follow_ups: int
    def __init__(self, meeting_id: _Optional[str] = ..., body_id: _Optional[str] = ..., body_kind: _Optional[str] = ..., area_id: _Optional[str] = ..., held_on: _Optional[str] = ..., participant_org_ids: _Optional[_Iterable[str]] = ..., contributions: _Optional[int] = ..., follow_ups: _Optional[int] = ...) -> None: ...
