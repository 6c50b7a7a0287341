from lotse import options_pb2 as _options_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

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
