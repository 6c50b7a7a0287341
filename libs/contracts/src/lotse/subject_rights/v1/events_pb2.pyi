from lotse import options_pb2 as _options_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class SubjectAccessRequested(_message.Message):
    __slots__ = ("request_id", "person_id", "requested_at", "deadline", "coordinator", "contacts")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_AT_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    COORDINATOR_FIELD_NUMBER: _ClassVar[int]
    CONTACTS_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    person_id: str
    requested_at: str
    deadline: str
    coordinator: str
    contacts: bool
    def __init__(self, request_id: _Optional[str] = ..., person_id: _Optional[str] = ..., requested_at: _Optional[str] = ..., deadline: _Optional[str] = ..., coordinator: _Optional[str] = ..., contacts: _Optional[bool] = ...) -> None: ...

class SubjectAccessAnswered(_message.Message):
    __slots__ = ("request_id", "service", "tables", "rows", "accesses", "sha256", "answered_at")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    TABLES_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    ACCESSES_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_AT_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    service: str
    tables: int
    rows: int
    accesses: int
    sha256: str
    answered_at: str
    def __init__(self, request_id: _Optional[str] = ..., service: _Optional[str] = ..., tables: _Optional[int] = ..., rows: _Optional[int] = ..., accesses: _Optional[int] = ..., sha256: _Optional[str] = ..., answered_at: _Optional[str] = ...) -> None: ...
