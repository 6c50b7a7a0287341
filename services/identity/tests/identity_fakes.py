"""In-memory stand-ins of identity's adapters, for fast service-layer tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from lotse_identity.domain.keys import PUBLISHED_STATES, KeyState, SigningKey
from lotse_identity.domain.qualifications import Qualification, Training
from lotse_identity.domain.model import (
    ApiClient,
    Area,
    ExternalIdentity,
    LoginFailures,
    Organisation,
    RefreshToken,
    Tenant,
    User,
)
from lotse_platform.auth.principal import Principal
from lotse_platform.testing import FakeUnitOfWork


class FakeIdentityUnitOfWork(FakeUnitOfWork):
    """:class:`~lotse_identity.service_layer.unit_of_work.IdentityUnitOfWork` in memory.

    Records added become visible to the unit's own reads at once (as the session's autoflush
    makes them) and to later units when it commits; a rollback drops them. Like the ORM's, a
    record read through the unit is the stored object itself, changed in place — unlike the
    database, a rollback does not undo such a change, so tests assert on what was committed
    (``commits``, ``published``, ``audited``) rather than on a refused change's leftovers.
    """

    def __init__(self, tenant_id: uuid.UUID | None = None, *,
                 principal: Principal | None = None) -> None:
        super().__init__(tenant_id, source="/lotse/identity")
        self.principal = principal
        self.records: dict[uuid.UUID, object] = {}  # id -> tenant, area, organisation, user ...
        self.client_directory: dict[str, uuid.UUID] = {}  # client_id -> tenant (all tenants)
        self.failures: dict[str, LoginFailures] = {}  # username hash -> failures
        self.keys: list[SigningKey] = []
        self._added: list[object] = []
        self._claimed: dict[str, uuid.UUID] = {}
        self._forgotten: list[LoginFailures] = []
        self._removed: list[object] = []

    # -- test set-up ------------------------------------------------------------------------------
    def stored(self, *records: object) -> FakeIdentityUnitOfWork:
        """Records that were there before the test (committed by someone else)."""
        for record in records:
            self._store(record)
        return self

    def as_caller(self, principal: Principal | None) -> FakeIdentityUnitOfWork:
        """From now on the units of this caller (the handlers check her; None: the service)."""
        self.principal = principal
        return self

    # -- the unit ---------------------------------------------------------------------------------
    def add(self, *records: object) -> None:
        self._added.extend(records)

    def flush(self) -> None:
        """Nothing to send ahead: the records are in memory."""

    def commit(self) -> None:
        for record in self._added:
            self._store(record)
        self.client_directory.update(self._claimed)
        for failures in self._forgotten:
            self.failures.pop(failures.username_hash, None)
        for record in self._removed:
            self.records.pop(record.id, None)  # type: ignore[attr-defined]
        self._clear()
        super().commit()

    def rollback(self) -> None:
        self._clear()
        super().rollback()

    def _clear(self) -> None:
        self._added.clear()
        self._claimed.clear()
        self._forgotten.clear()
        self._removed.clear()

    def _store(self, record: object) -> None:
        if isinstance(record, LoginFailures):
            self.failures[record.username_hash] = record
        elif isinstance(record, SigningKey):
            self.keys.append(record)
        else:
            self.records[record.id] = record

    def _all(self, kind: type) -> list:
        pending = [r for r in self._added if isinstance(r, kind)]
        return [r for r in self.records.values() if isinstance(r, kind)] + pending

    def _one(self, kind: type, record_id: uuid.UUID | None):
        return next((r for r in self._all(kind) if r.id == record_id), None)

    # -- tenant and client directory ---------------------------------------------------------------
    def tenant(self) -> Tenant | None:
        return self._one(Tenant, self.tenant_id)

    def tenant_of_client(self, client_id: str) -> uuid.UUID | None:
        return self._claimed.get(client_id) or self.client_directory.get(client_id)

    def register_client_id(self, client_id: str) -> None:
        self._claimed[client_id] = self.tenant_id

    # -- areas, organisations, users, clients -------------------------------------------------------
    def get_area(self, area_id: uuid.UUID) -> Area | None:
        return self._one(Area, area_id)

    def missing_areas(self, area_ids: Iterable[str]) -> list[str]:
        known = {str(area.id) for area in self._all(Area)}
        return sorted(set(area_ids) - known)

    def get_organisation(self, organisation_id: uuid.UUID) -> Organisation | None:
        return self._one(Organisation, organisation_id)

    def get_user(self, user_id: uuid.UUID) -> User | None:
        return self._one(User, user_id)

    def user_by_username(self, username: str) -> User | None:
        wanted = username.strip().lower()
        return next((u for u in self._all(User) if u.username == wanted), None)

    def user_by_external_identity(self, issuer: str, subject: str) -> User | None:
        link = next((link for link in self._all(ExternalIdentity)
                     if (link.issuer, link.subject) == (issuer, subject)), None)
        return self.get_user(link.user_id) if link else None

    def get_client(self, client_uuid: uuid.UUID) -> ApiClient | None:
        return self._one(ApiClient, client_uuid)

    def refresh_tokens(self) -> list[RefreshToken]:
        return self._all(RefreshToken)

    def revoke_refresh_tokens_of_user(self, user_id: uuid.UUID, at: datetime) -> None:
        for token in self.refresh_tokens():
            if token.user_id == user_id and token.revoked_at is None:
                token.revoked_at = at

    def revoke_refresh_tokens_of_client(self, client_id: str, at: datetime) -> None:
        for token in self.refresh_tokens():
            if token.client_id == client_id and token.revoked_at is None:
                token.revoked_at = at

    # -- trainings and qualification records ---------------------------------------------------------
    def get_training(self, training_id: uuid.UUID) -> Training | None:
        return self._one(Training, training_id)

    def training_by_key(self, key: str) -> Training | None:
        return next((t for t in self._all(Training) if t.key == key), None)

    def list_trainings(self) -> list[Training]:
        return sorted(self._all(Training), key=lambda t: t.key)

    def get_qualification(self, qualification_id: uuid.UUID) -> Qualification | None:
        return self._one(Qualification, qualification_id)

    def list_qualifications(self) -> list[Qualification]:
        return [q for q in self._all(Qualification) if q not in self._removed]

    def list_users(self, organisation_id: uuid.UUID | None = None) -> list[User]:
        return sorted((u for u in self._all(User)
                       if organisation_id is None or u.organisation_id == organisation_id),
                      key=lambda u: u.username)

    def remove(self, record: Qualification) -> None:
        self._removed.append(record)

    # -- failed logins -----------------------------------------------------------------------------
    def login_failures(self, username_hash: str) -> LoginFailures | None:
        pending = [f for f in self._added if isinstance(f, LoginFailures)
                   and f.username_hash == username_hash]
        return pending[-1] if pending else self.failures.get(username_hash)

    def forget_login_failures(self, failures: LoginFailures) -> None:
        self._forgotten.append(failures)

    def commit_unless_counted_already(self) -> bool:
        self.commit()  # one test at a time: nothing counts in parallel
        return True

    # -- signing keys ------------------------------------------------------------------------------
    def lock_signing_keys(self) -> None:
        pass  # one test at a time: nothing rotates in parallel

    def signing_keys(self, states: Iterable[KeyState] | None = None) -> list[SigningKey]:
        wanted = set(states) if states is not None else set(KeyState)
        return sorted((k for k in self.keys if k.state in wanted), key=lambda k: k.published_at)

    def published_keys(self) -> list[SigningKey]:
        return self.signing_keys(PUBLISHED_STATES)
