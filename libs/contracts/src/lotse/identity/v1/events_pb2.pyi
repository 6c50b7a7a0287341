from lotse import options_pb2 as _options_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class OrganisationCreated(_message.Message):
    __slots__ = ("organisation_id", "kind", "parent_organisation_id", "area_id", "active", "version", "name")
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PARENT_ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    AREA_ID_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    organisation_id: str
    kind: str
    parent_organisation_id: str
    area_id: str
    active: bool
    version: int
    name: str
    def __init__(self, organisation_id: _Optional[str] = ..., kind: _Optional[str] = ..., parent_organisation_id: _Optional[str] = ..., area_id: _Optional[str] = ..., active: _Optional[bool] = ..., version: _Optional[int] = ..., name: _Optional[str] = ...) -> None: ...

class OrganisationChanged(_message.Message):
    __slots__ = ("organisation_id", "kind", "parent_organisation_id", "area_id", "active", "version", "name")
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PARENT_ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    AREA_ID_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    organisation_id: str
    kind: str
    parent_organisation_id: str
    area_id: str
    active: bool
    version: int
    name: str
    def __init__(self, organisation_id: _Optional[str] = ..., kind: _Optional[str] = ..., parent_organisation_id: _Optional[str] = ..., area_id: _Optional[str] = ..., active: _Optional[bool] = ..., version: _Optional[int] = ..., name: _Optional[str] = ...) -> None: ...

class AreaCreated(_message.Message):
    __slots__ = ("area_id", "kind", "parent_area_id", "version", "name")
    AREA_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PARENT_AREA_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    area_id: str
    kind: str
    parent_area_id: str
    version: int
    name: str
    def __init__(self, area_id: _Optional[str] = ..., kind: _Optional[str] = ..., parent_area_id: _Optional[str] = ..., version: _Optional[int] = ..., name: _Optional[str] = ...) -> None: ...

class AreaChanged(_message.Message):
    __slots__ = ("area_id", "kind", "parent_area_id", "active", "version", "name")
    AREA_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PARENT_AREA_ID_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    area_id: str
    kind: str
    parent_area_id: str
    active: bool
    version: int
    name: str
    def __init__(self, area_id: _Optional[str] = ..., kind: _Optional[str] = ..., parent_area_id: _Optional[str] = ..., active: _Optional[bool] = ..., version: _Optional[int] = ..., name: _Optional[str] = ...) -> None: ...

class UserCreated(_message.Message):
    __slots__ = ("user_id", "organisation_id", "roles", "area_ids", "fte", "voting", "version")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    ROLES_FIELD_NUMBER: _ClassVar[int]
    AREA_IDS_FIELD_NUMBER: _ClassVar[int]
    FTE_FIELD_NUMBER: _ClassVar[int]
    VOTING_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    organisation_id: str
    roles: _containers.RepeatedScalarFieldContainer[str]
    area_ids: _containers.RepeatedScalarFieldContainer[str]
    fte: float
    voting: bool
    version: int
    def __init__(self, user_id: _Optional[str] = ..., organisation_id: _Optional[str] = ..., roles: _Optional[_Iterable[str]] = ..., area_ids: _Optional[_Iterable[str]] = ..., fte: _Optional[float] = ..., voting: _Optional[bool] = ..., version: _Optional[int] = ...) -> None: ...

class UserDisabled(_message.Message):
    __slots__ = ("user_id", "organisation_id", "version")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    organisation_id: str
    version: int
    def __init__(self, user_id: _Optional[str] = ..., organisation_id: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class UserEnabled(_message.Message):
    __slots__ = ("user_id", "organisation_id", "version")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    organisation_id: str
    version: int
    def __init__(self, user_id: _Optional[str] = ..., organisation_id: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class UserRolesChanged(_message.Message):
    __slots__ = ("user_id", "organisation_id", "roles", "previous_roles", "version")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    ROLES_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_ROLES_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    organisation_id: str
    roles: _containers.RepeatedScalarFieldContainer[str]
    previous_roles: _containers.RepeatedScalarFieldContainer[str]
    version: int
    def __init__(self, user_id: _Optional[str] = ..., organisation_id: _Optional[str] = ..., roles: _Optional[_Iterable[str]] = ..., previous_roles: _Optional[_Iterable[str]] = ..., version: _Optional[int] = ...) -> None: ...

class UserAreasChanged(_message.Message):
    __slots__ = ("user_id", "organisation_id", "area_ids", "previous_area_ids", "version")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    AREA_IDS_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_AREA_IDS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    organisation_id: str
    area_ids: _containers.RepeatedScalarFieldContainer[str]
    previous_area_ids: _containers.RepeatedScalarFieldContainer[str]
    version: int
    def __init__(self, user_id: _Optional[str] = ..., organisation_id: _Optional[str] = ..., area_ids: _Optional[_Iterable[str]] = ..., previous_area_ids: _Optional[_Iterable[str]] = ..., version: _Optional[int] = ...) -> None: ...

class UserStaffingChanged(_message.Message):
    __slots__ = ("user_id", "organisation_id", "fte", "voting", "version")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    FTE_FIELD_NUMBER: _ClassVar[int]
    VOTING_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    organisation_id: str
    fte: float
    voting: bool
    version: int
    def __init__(self, user_id: _Optional[str] = ..., organisation_id: _Optional[str] = ..., fte: _Optional[float] = ..., voting: _Optional[bool] = ..., version: _Optional[int] = ...) -> None: ...

class UserMembershipChanged(_message.Message):
    __slots__ = ("user_id", "organisation_id", "previous_organisation_id", "version")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    organisation_id: str
    previous_organisation_id: str
    version: int
    def __init__(self, user_id: _Optional[str] = ..., organisation_id: _Optional[str] = ..., previous_organisation_id: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class ClientCreated(_message.Message):
    __slots__ = ("client_id", "service_account_id", "organisation_id", "roles", "area_ids", "grant_types")
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    ROLES_FIELD_NUMBER: _ClassVar[int]
    AREA_IDS_FIELD_NUMBER: _ClassVar[int]
    GRANT_TYPES_FIELD_NUMBER: _ClassVar[int]
    client_id: str
    service_account_id: str
    organisation_id: str
    roles: _containers.RepeatedScalarFieldContainer[str]
    area_ids: _containers.RepeatedScalarFieldContainer[str]
    grant_types: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, client_id: _Optional[str] = ..., service_account_id: _Optional[str] = ..., organisation_id: _Optional[str] = ..., roles: _Optional[_Iterable[str]] = ..., area_ids: _Optional[_Iterable[str]] = ..., grant_types: _Optional[_Iterable[str]] = ...) -> None: ...

class ClientRevoked(_message.Message):
    __slots__ = ("client_id", "service_account_id", "organisation_id")
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    client_id: str
    service_account_id: str
    organisation_id: str
    def __init__(self, client_id: _Optional[str] = ..., service_account_id: _Optional[str] = ..., organisation_id: _Optional[str] = ...) -> None: ...
