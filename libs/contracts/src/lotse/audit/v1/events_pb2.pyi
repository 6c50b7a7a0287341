from lotse import options_pb2 as _options_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class CheckpointWritten(_message.Message):
    __slots__ = ("service", "tenant_id", "seq", "head_hash", "at", "key", "signature")
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SEQ_FIELD_NUMBER: _ClassVar[int]
    HEAD_HASH_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    service: str
    tenant_id: str
    seq: int
    head_hash: str
    at: str
    key: str
    signature: str
    def __init__(self, service: _Optional[str] = ..., tenant_id: _Optional[str] = ..., seq: _Optional[int] = ..., head_hash: _Optional[str] = ..., at: _Optional[str] = ..., key: _Optional[str] = ..., signature: _Optional[str] = ...) -> None: ...
