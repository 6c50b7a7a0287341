from lotse import options_pb2 as _options_pb2
from lotse.kim.v1 import vocabulary_pb2 as _vocabulary_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DirectoryChange(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DIRECTORY_CHANGE_UNSPECIFIED: _ClassVar[DirectoryChange]
    DIRECTORY_CHANGE_CREATED: _ClassVar[DirectoryChange]
    DIRECTORY_CHANGE_UPDATED: _ClassVar[DirectoryChange]
    DIRECTORY_CHANGE_DEACTIVATED: _ClassVar[DirectoryChange]
    DIRECTORY_CHANGE_REACTIVATED: _ClassVar[DirectoryChange]
DIRECTORY_CHANGE_UNSPECIFIED: DirectoryChange
DIRECTORY_CHANGE_CREATED: DirectoryChange
DIRECTORY_CHANGE_UPDATED: DirectoryChange
DIRECTORY_CHANGE_DEACTIVATED: DirectoryChange
DIRECTORY_CHANGE_REACTIVATED: DirectoryChange

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
