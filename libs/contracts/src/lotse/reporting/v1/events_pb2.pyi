from lotse import options_pb2 as _options_pb2
from lotse.kim.v1 import vocabulary_pb2 as _vocabulary_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ReportedFigure(_message.Message):
    __slots__ = ("figure", "value", "corrected")
    FIGURE_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    CORRECTED_FIELD_NUMBER: _ClassVar[int]
    figure: str
    value: int
    corrected: bool
    def __init__(self, figure: _Optional[str] = ..., value: _Optional[int] = ..., corrected: _Optional[bool] = ...) -> None: ...

class PeriodReportSubmitted(_message.Message):
    __slots__ = ("report_id", "case_manager_id", "period", "period_start", "period_end", "submitted_at", "overdue", "figures", "topics", "theme_candidates", "network_minutes", "system_minutes")
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_MANAGER_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    PERIOD_END_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    FIGURES_FIELD_NUMBER: _ClassVar[int]
    TOPICS_FIELD_NUMBER: _ClassVar[int]
    THEME_CANDIDATES_FIELD_NUMBER: _ClassVar[int]
    NETWORK_MINUTES_FIELD_NUMBER: _ClassVar[int]
    SYSTEM_MINUTES_FIELD_NUMBER: _ClassVar[int]
    report_id: str
    case_manager_id: str
    period: str
    period_start: str
    period_end: str
    submitted_at: str
    overdue: bool
    figures: _containers.RepeatedCompositeFieldContainer[ReportedFigure]
    topics: int
    theme_candidates: int
    network_minutes: int
    system_minutes: int
    def __init__(self, report_id: _Optional[str] = ..., case_manager_id: _Optional[str] = ..., period: _Optional[str] = ..., period_start: _Optional[str] = ..., period_end: _Optional[str] = ..., submitted_at: _Optional[str] = ..., overdue: _Optional[bool] = ..., figures: _Optional[_Iterable[_Union[ReportedFigure, _Mapping]]] = ..., topics: _Optional[int] = ..., theme_candidates: _Optional[int] = ..., network_minutes: _Optional[int] = ..., system_minutes: _Optional[int] = ...) -> None: ...

class ThemeCandidateFlagged(_message.Message):
    __slots__ = ("candidate_id", "report_id", "case_manager_id", "period", "topic_area", "flagged_on")
    CANDIDATE_ID_FIELD_NUMBER: _ClassVar[int]
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_MANAGER_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    TOPIC_AREA_FIELD_NUMBER: _ClassVar[int]
    FLAGGED_ON_FIELD_NUMBER: _ClassVar[int]
    candidate_id: str
    report_id: str
    case_manager_id: str
    period: str
    topic_area: _vocabulary_pb2.TopicArea
    flagged_on: str
    def __init__(self, candidate_id: _Optional[str] = ..., report_id: _Optional[str] = ..., case_manager_id: _Optional[str] = ..., period: _Optional[str] = ..., topic_area: _Optional[_Union[_vocabulary_pb2.TopicArea, str]] = ..., flagged_on: _Optional[str] = ...) -> None: ...
