from lotse import options_pb2 as _options_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class ReconstructionHeld(_message.Message):
    __slots__ = ("reconstruction_id", "held_on", "moderator_id", "cases", "planned_minutes", "themes_proposed")
    RECONSTRUCTION_ID_FIELD_NUMBER: _ClassVar[int]
    HELD_ON_FIELD_NUMBER: _ClassVar[int]
    MODERATOR_ID_FIELD_NUMBER: _ClassVar[int]
    CASES_FIELD_NUMBER: _ClassVar[int]
    PLANNED_MINUTES_FIELD_NUMBER: _ClassVar[int]
    THEMES_PROPOSED_FIELD_NUMBER: _ClassVar[int]
    reconstruction_id: str
    held_on: str
    moderator_id: str
    cases: int
    planned_minutes: int
    themes_proposed: int
    def __init__(self, reconstruction_id: _Optional[str] = ..., held_on: _Optional[str] = ..., moderator_id: _Optional[str] = ..., cases: _Optional[int] = ..., planned_minutes: _Optional[int] = ..., themes_proposed: _Optional[int] = ...) -> None: ...

class ThemeProposed(_message.Message):
    __slots__ = ("theme_id", "reconstruction_id", "evidence_cases", "proposed_on")
    THEME_ID_FIELD_NUMBER: _ClassVar[int]
    RECONSTRUCTION_ID_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_CASES_FIELD_NUMBER: _ClassVar[int]
    PROPOSED_ON_FIELD_NUMBER: _ClassVar[int]
    theme_id: str
    reconstruction_id: str
    evidence_cases: int
    proposed_on: str
    def __init__(self, theme_id: _Optional[str] = ..., reconstruction_id: _Optional[str] = ..., evidence_cases: _Optional[int] = ..., proposed_on: _Optional[str] = ...) -> None: ...
