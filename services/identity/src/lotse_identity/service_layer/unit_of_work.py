"""What identity's service layer needs of a unit of work: the platform's transaction, outbox and
audit trail (:class:`lotse_platform.uow.UnitOfWork`) and the records of one tenant — areas,
organisations, users, clients, login failures — plus the signing keys, which are global.

This is the interface; the SQLAlchemy implementation is an adapter
(:class:`lotse_identity.adapters.unit_of_work.SqlAlchemyIdentityUnitOfWork`), and the unit tests
use an in-memory one (``tests/identity_fakes.py``). The service layer never imports SQLAlchemy.
The reads only the API and the OAuth server make (lists, tokens, authorization codes) are the
adapter's alone.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from lotse_platform.auth.principal import Principal
from lotse_platform.uow import UnitOfWork

from ..domain.keys import KeyState, SigningKey
from ..domain.model import (
    ApiClient,
    Area,
    LoginFailures,
    Organisation,
    Tenant,
    User,
)
from ..domain.qualifications import Qualification, Training


class IdentityUnitOfWork(UnitOfWork, Protocol):
    #: the tenant every read and write of this unit is scoped to
    tenant_id: uuid.UUID | None
    #: the caller of a request (whose roles limit what she may grant); None: the service itself
    principal: Principal | None

    def __enter__(self) -> IdentityUnitOfWork: ...

    def add(self, *records: object) -> None:
        """New records (a tenant, area, organisation, user, client, link, key), written with the
        unit; records read through the unit are changed in place."""

    def flush(self) -> None:
        """Write what was added so far without committing: the database checks it (references,
        unique names) before events name it, and later additions may refer to it."""

    # -- tenant ---------------------------------------------------------------------------------
    def tenant(self) -> Tenant | None:
        """The unit's own tenant, if it exists yet."""
        ...

    # -- client directory (global: client_id → tenant) -------------------------------------------
    def tenant_of_client(self, client_id: str) -> uuid.UUID | None:
        """The tenant a ``client_id`` is registered in, in any tenant: client ids are global."""
        ...

    def register_client_id(self, client_id: str) -> None:
        """Claim ``client_id`` for this unit's tenant."""

    # -- areas and organisations -----------------------------------------------------------------
    def get_area(self, area_id: uuid.UUID) -> Area | None: ...

    def missing_areas(self, area_ids: Iterable[str]) -> list[str]:
        """Those of ``area_ids`` that name no area of the tenant, sorted."""
        ...

    def get_organisation(self, organisation_id: uuid.UUID) -> Organisation | None: ...

    # -- users ----------------------------------------------------------------------------------
    def get_user(self, user_id: uuid.UUID) -> User | None: ...

    def user_by_username(self, username: str) -> User | None:
        """Usernames are compared trimmed and in lower case."""
        ...

    def user_by_external_identity(self, issuer: str, subject: str) -> User | None: ...

    # -- clients and their refresh tokens --------------------------------------------------------
    def get_client(self, client_uuid: uuid.UUID) -> ApiClient | None: ...

    def revoke_refresh_tokens_of_user(self, user_id: uuid.UUID, at: datetime) -> None:
        """Every refresh token of the user still valid stops working (revoked ``at``)."""

    def revoke_refresh_tokens_of_client(self, client_id: str, at: datetime) -> None:
        """Every refresh token issued to the client still valid stops working."""

    # -- trainings and qualification records ---------------------------------------------------
    def get_training(self, training_id: uuid.UUID) -> Training | None: ...

    def training_by_key(self, key: str) -> Training | None: ...

    def get_qualification(self, qualification_id: uuid.UUID) -> Qualification | None: ...

    def remove(self, record: Qualification) -> None:
        """Delete a record read through the unit (a qualification recorded in error)."""

    # -- failed logins ---------------------------------------------------------------------------
    def login_failures(self, username_hash: str) -> LoginFailures | None:
        """The failures counted for one username (by its hash) in the unit's tenant."""
        ...

    def forget_login_failures(self, failures: LoginFailures) -> None:
        """Start counting from nothing again (after a successful login)."""

    def commit_unless_counted_already(self) -> bool:
        """Commit a counted login failure. False when a parallel failed login of the same name
        inserted its first failure row before this one: that attempt counted, this one is not
        counted again, and nothing of this unit is committed."""
        ...

    # -- signing keys (global) -------------------------------------------------------------------
    def lock_signing_keys(self) -> None:
        """Serialise key rotations of every process until this unit ends."""

    def signing_keys(self, states: Iterable[KeyState] | None = None) -> list[SigningKey]:
        """The keys in ``states`` (all when None), oldest published first."""
        ...

    def published_keys(self) -> list[SigningKey]:
        """The keys in the JWKS: next, current and retired."""
        ...
