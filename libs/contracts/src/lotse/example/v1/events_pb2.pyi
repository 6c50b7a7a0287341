from lotse import options_pb2 as _options_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class NoteRecorded(_message.Message):
    __slots__ = ("note_id", "area_id", "author_id", "length")
    NOTE_ID_FIELD_NUMBER: _ClassVar[int]
    AREA_ID_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_ID_FIELD_NUMBER: _ClassVar[int]
    LENGTH_FIELD_NUMBER: _ClassVar[int]
    note_id: str
    area_id: str
    author_id: str
    length: int
    def __init__(self, note_id: _Optional[str] = ..., area_id: _Optional[str] = ..., author_id: _Optional[str] = ..., length: _Optional[int] = ...) -> None: ...
