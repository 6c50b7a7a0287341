from lotse import options_pb2 as _options_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

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

class DecisionTaken(_message.Message):
    __slots__ = ("decision_id", "kind", "outcome", "decided_on", "theme_id", "votes_yes", "votes_no", "abstentions", "voting_members")
    class Kind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        KIND_UNSPECIFIED: _ClassVar[DecisionTaken.Kind]
        KIND_ESTABLISH_THEME: _ClassVar[DecisionTaken.Kind]
        KIND_MANDATE_PROJECT_GROUP: _ClassVar[DecisionTaken.Kind]
        KIND_ADOPT_RESULT: _ClassVar[DecisionTaken.Kind]
        KIND_CHANGE_TARGET_GROUPS: _ClassVar[DecisionTaken.Kind]
        KIND_OTHER: _ClassVar[DecisionTaken.Kind]
    KIND_UNSPECIFIED: DecisionTaken.Kind
    KIND_ESTABLISH_THEME: DecisionTaken.Kind
    KIND_MANDATE_PROJECT_GROUP: DecisionTaken.Kind
    KIND_ADOPT_RESULT: DecisionTaken.Kind
    KIND_CHANGE_TARGET_GROUPS: DecisionTaken.Kind
    KIND_OTHER: DecisionTaken.Kind
    class Outcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        OUTCOME_UNSPECIFIED: _ClassVar[DecisionTaken.Outcome]
        OUTCOME_APPROVED: _ClassVar[DecisionTaken.Outcome]
        OUTCOME_REJECTED: _ClassVar[DecisionTaken.Outcome]
        OUTCOME_DEFERRED: _ClassVar[DecisionTaken.Outcome]
    OUTCOME_UNSPECIFIED: DecisionTaken.Outcome
    OUTCOME_APPROVED: DecisionTaken.Outcome
    OUTCOME_REJECTED: DecisionTaken.Outcome
    OUTCOME_DEFERRED: DecisionTaken.Outcome
    DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    DECIDED_ON_FIELD_NUMBER: _ClassVar[int]
    THEME_ID_FIELD_NUMBER: _ClassVar[int]
    VOTES_YES_FIELD_NUMBER: _ClassVar[int]
    VOTES_NO_FIELD_NUMBER: _ClassVar[int]
    ABSTENTIONS_FIELD_NUMBER: _ClassVar[int]
    VOTING_MEMBERS_FIELD_NUMBER: _ClassVar[int]
    decision_id: str
    kind: DecisionTaken.Kind
    outcome: DecisionTaken.Outcome
    decided_on: str
    theme_id: str
    votes_yes: int
    votes_no: int
    abstentions: int
    voting_members: int
    def __init__(self, decision_id: _Optional[str] = ..., kind: _Optional[_Union[DecisionTaken.Kind, str]] = ..., outcome: _Optional[_Union[DecisionTaken.Outcome, str]] = ..., decided_on: _Optional[str] = ..., theme_id: _Optional[str] = ..., votes_yes: _Optional[int] = ..., votes_no: _Optional[int] = ..., abstentions: _Optional[int] = ..., voting_members: _Optional[int] = ...) -> None: ...

class ThemeEstablished(_message.Message):
    __slots__ = ("theme_id", "decision_id", "established_on")
    THEME_ID_FIELD_NUMBER: _ClassVar[int]
    DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    ESTABLISHED_ON_FIELD_NUMBER: _ClassVar[int]
    theme_id: str
    decision_id: str
    established_on: str
    def __init__(self, theme_id: _Optional[str] = ..., decision_id: _Optional[str] = ..., established_on: _Optional[str] = ...) -> None: ...

class ProjectGroupMandated(_message.Message):
    __slots__ = ("project_group_id", "theme_id", "decision_id", "mandated_on")
    PROJECT_GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    THEME_ID_FIELD_NUMBER: _ClassVar[int]
    DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    MANDATED_ON_FIELD_NUMBER: _ClassVar[int]
    project_group_id: str
    theme_id: str
    decision_id: str
    mandated_on: str
    def __init__(self, project_group_id: _Optional[str] = ..., theme_id: _Optional[str] = ..., decision_id: _Optional[str] = ..., mandated_on: _Optional[str] = ...) -> None: ...

class ResultAdopted(_message.Message):
    __slots__ = ("theme_id", "decision_id", "adopted_on")
    THEME_ID_FIELD_NUMBER: _ClassVar[int]
    DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    ADOPTED_ON_FIELD_NUMBER: _ClassVar[int]
    theme_id: str
    decision_id: str
    adopted_on: str
    def __init__(self, theme_id: _Optional[str] = ..., decision_id: _Optional[str] = ..., adopted_on: _Optional[str] = ...) -> None: ...

class TargetGroupDecided(_message.Message):
    __slots__ = ("decision_id", "decision_ref", "decided_on", "change", "target_group_id", "name", "criteria", "valid_from", "valid_until", "area_ids", "conditions_json")
    class Change(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        CHANGE_UNSPECIFIED: _ClassVar[TargetGroupDecided.Change]
        CHANGE_CREATE: _ClassVar[TargetGroupDecided.Change]
        CHANGE_END: _ClassVar[TargetGroupDecided.Change]
    CHANGE_UNSPECIFIED: TargetGroupDecided.Change
    CHANGE_CREATE: TargetGroupDecided.Change
    CHANGE_END: TargetGroupDecided.Change
    DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    DECISION_REF_FIELD_NUMBER: _ClassVar[int]
    DECIDED_ON_FIELD_NUMBER: _ClassVar[int]
    CHANGE_FIELD_NUMBER: _ClassVar[int]
    TARGET_GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CRITERIA_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_FIELD_NUMBER: _ClassVar[int]
    VALID_UNTIL_FIELD_NUMBER: _ClassVar[int]
    AREA_IDS_FIELD_NUMBER: _ClassVar[int]
    CONDITIONS_JSON_FIELD_NUMBER: _ClassVar[int]
    decision_id: str
    decision_ref: str
    decided_on: str
    change: TargetGroupDecided.Change
    target_group_id: str
    name: str
    criteria: str
    valid_from: str
    valid_until: str
    area_ids: _containers.RepeatedScalarFieldContainer[str]
    conditions_json: str
    def __init__(self, decision_id: _Optional[str] = ..., decision_ref: _Optional[str] = ..., decided_on: _Optional[str] = ..., change: _Optional[_Union[TargetGroupDecided.Change, str]] = ..., target_group_id: _Optional[str] = ..., name: _Optional[str] = ..., criteria: _Optional[str] = ..., valid_from: _Optional[str] = ..., valid_until: _Optional[str] = ..., area_ids: _Optional[_Iterable[str]] = ..., conditions_json: _Optional[str] = ...) -> None: ...

class ThemeStatusChanged(_message.Message):
    __slots__ = ("theme_id", "from_status", "to_status", "changed_on")
    THEME_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_STATUS_FIELD_NUMBER: _ClassVar[int]
    TO_STATUS_FIELD_NUMBER: _ClassVar[int]
    CHANGED_ON_FIELD_NUMBER: _ClassVar[int]
    theme_id: str
    from_status: str
    to_status: str
    changed_on: str
    def __init__(self, theme_id: _Optional[str] = ..., from_status: _Optional[str] = ..., to_status: _Optional[str] = ..., changed_on: _Optional[str] = ...) -> None: ...
