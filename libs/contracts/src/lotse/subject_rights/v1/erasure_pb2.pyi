from lotse import options_pb2 as _options_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class ErasureRequested(_message.Message):
    __slots__ = ("erasure_id", "person_id", "requested_at", "trigger", "record_kind", "coordinator", "contacts")
    ERASURE_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_AT_FIELD_NUMBER: _ClassVar[int]
    TRIGGER_FIELD_NUMBER: _ClassVar[int]
    RECORD_KIND_FIELD_NUMBER: _ClassVar[int]
    COORDINATOR_FIELD_NUMBER: _ClassVar[int]
    CONTACTS_FIELD_NUMBER: _ClassVar[int]
    erasure_id: str
    person_id: str
    requested_at: str
    trigger: str
    record_kind: str
    coordinator: str
    contacts: bool
    def __init__(self, erasure_id: _Optional[str] = ..., person_id: _Optional[str] = ..., requested_at: _Optional[str] = ..., trigger: _Optional[str] = ..., record_kind: _Optional[str] = ..., coordinator: _Optional[str] = ..., contacts: _Optional[bool] = ...) -> None: ...

class ErasureCompleted(_message.Message):
    __slots__ = ("erasure_id", "service", "deleted", "anonymised", "completed_at", "kept")
    ERASURE_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    DELETED_FIELD_NUMBER: _ClassVar[int]
    ANONYMISED_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    KEPT_FIELD_NUMBER: _ClassVar[int]
    erasure_id: str
    service: str
    deleted: int
    anonymised: int
    completed_at: str
    kept: int
    def __init__(self, erasure_id: _Optional[str] = ..., service: _Optional[str] = ..., deleted: _Optional[int] = ..., anonymised: _Optional[int] = ..., completed_at: _Optional[str] = ..., kept: _Optional[int] = ...) -> None: ...
