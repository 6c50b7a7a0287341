"""What administrators ask identity to do (imperative names; handlers in service_layer)."""

from __future__ import annotations

from typing import Any

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .model import AreaKind, ClientKind, OrganisationKind

UNSET = object()  # a field a PATCH did not mention


@dataclass(frozen=True)
class RenameTenant:
    tenant_id: uuid.UUID  # the caller's own tenant: any other is not found
    name: str


@dataclass(frozen=True)
class CreateArea:
    name: str
    kind: AreaKind
    parent_id: uuid.UUID | None = None


@dataclass(frozen=True)
class ChangeArea:
    area_id: uuid.UUID
    changes: dict[str, Any] = field(default_factory=dict)  # name, kind, parent_id, active


@dataclass(frozen=True)
class CreateOrganisation:
    name: str
    kind: OrganisationKind
    parent_id: uuid.UUID | None = None
    area_id: uuid.UUID | None = None


@dataclass(frozen=True)
class ChangeOrganisation:
    organisation_id: uuid.UUID
    changes: dict[str, Any] = field(default_factory=dict)  # name, kind, parent_id, area_id, active


@dataclass(frozen=True)
class CreateUser:
    username: str
    display_name: str
    organisation_id: uuid.UUID
    email: str | None = None
    roles: tuple[str, ...] = ()
    area_ids: tuple[str, ...] = ()
    fte: Decimal | None = None
    voting: bool | None = None
    password: str | None = field(default=None, repr=False)
    #: the password is a temporary one: her first login must choose her own
    password_change_required: bool = False


@dataclass(frozen=True)
class ChangeUserProfile:
    user_id: uuid.UUID
    changes: dict[str, Any] = field(default_factory=dict)  # display_name, email, fte, voting


@dataclass(frozen=True)
class AssignRoles:
    user_id: uuid.UUID
    roles: tuple[str, ...]


@dataclass(frozen=True)
class AssignAreas:
    user_id: uuid.UUID
    area_ids: tuple[str, ...]


@dataclass(frozen=True)
class DisableUser:
    user_id: uuid.UUID


@dataclass(frozen=True)
class EnableUser:
    user_id: uuid.UUID


@dataclass(frozen=True)
class MoveUser:
    user_id: uuid.UUID
    organisation_id: uuid.UUID


@dataclass(frozen=True)
class SetPassword:
    """Her own new password (with her current one), or an administrator's reset (a temporary
    password that her next login must change)."""

    user_id: uuid.UUID
    new_password: str = field(repr=False)
    current_password: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class LinkExternalIdentity:
    user_id: uuid.UUID
    issuer: str
    subject: str


@dataclass(frozen=True)
class CreateClient:
    client_id: str
    name: str
    kind: ClientKind
    organisation_id: uuid.UUID
    grant_types: tuple[str, ...]
    roles: tuple[str, ...] = ()
    area_ids: tuple[str, ...] = ()
    redirect_uris: tuple[str, ...] = ()


@dataclass(frozen=True)
class RevokeClient:
    client_uuid: uuid.UUID


@dataclass(frozen=True)
class CreateTraining:
    """A training of the tenant's catalogue (*Schulung*, 001 L361)."""

    key: str
    label_de: str
    label_en: str
    mandatory: bool = False


@dataclass(frozen=True)
class ChangeTraining:
    training_id: uuid.UUID
    changes: dict[str, Any] = field(default_factory=dict)  # label_de, label_en, mandatory, active


@dataclass(frozen=True)
class RecordQualification:
    """That a user completed a training on a day (not in the future)."""

    user_id: uuid.UUID
    training_id: uuid.UUID
    completed_on: date
    reference: str | None = None


@dataclass(frozen=True)
class RemoveQualification:
    """Take back a record made in error."""

    user_id: uuid.UUID
    qualification_id: uuid.UUID
