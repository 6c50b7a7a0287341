"""Identity's unit of work on SQLAlchemy: the platform's (transaction, outbox, audit) plus what
the service layer asks for (:class:`~lotse_identity.service_layer.unit_of_work.IdentityUnitOfWork`)
and the reads of the API and the OAuth server."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from lotse_platform.db.engine import is_postgres
from lotse_platform.uow import SqlAlchemyUnitOfWork

from ..domain.keys import PUBLISHED_STATES, KeyState, SigningKey
from ..domain.model import (
    ApiClient,
    Area,
    AuthorizationCode,
    ExternalIdentity,
    LoginFailures,
    Organisation,
    RefreshToken,
    Tenant,
    User,
)
from ..domain.qualifications import Qualification, Training
from . import orm

# the advisory-lock key of key rotation (a single bigint: "LKEY"), apart from audit and relay keys
_ROTATION_LOCK = 0x4C4B4559


class SqlAlchemyIdentityUnitOfWork(SqlAlchemyUnitOfWork):
    def __enter__(self) -> SqlAlchemyIdentityUnitOfWork:
        super().__enter__()
        return self

    def add(self, *objects) -> None:
        self.session.add_all(objects)

    def flush(self) -> None:
        self.session.flush()

    # -- tenant ---------------------------------------------------------------------------------
    def tenant(self) -> Tenant | None:
        return self.session.get(Tenant, self.tenant_id)

    def tenant_by_key(self, key: str) -> Tenant | None:
        return self.session.query(Tenant).filter(Tenant.key == key).one_or_none()

    # -- client directory (global: client_id → tenant) -------------------------------------------
    def tenant_of_client(self, client_id: str) -> uuid.UUID | None:
        table = orm.client_directory
        return self.session.execute(
            sa.select(table.c.tenant).where(table.c.client_id == client_id)
        ).scalar_one_or_none()

    def register_client_id(self, client_id: str) -> None:
        self.session.execute(orm.client_directory.insert().values(client_id=client_id,
                                                                   tenant=self.tenant_id))

    # -- areas and organisations -----------------------------------------------------------------
    def get_area(self, area_id: uuid.UUID) -> Area | None:
        return self.session.get(Area, area_id)

    def list_areas(self) -> list[Area]:
        return self.session.query(Area).order_by(Area.name).all()

    def missing_areas(self, area_ids: Iterable[str]) -> list[str]:
        wanted = set(area_ids)
        if not wanted:
            return []
        ids: list[uuid.UUID] = []
        for value in wanted:
            try:
                ids.append(uuid.UUID(str(value)))
            except ValueError:
                continue  # not an id: no area has it, so it stays among the missing
        found = {str(a) for a in self.session.scalars(sa.select(Area.id).where(Area.id.in_(ids)))}
        return sorted(wanted - found)

    def get_organisation(self, organisation_id: uuid.UUID) -> Organisation | None:
        return self.session.get(Organisation, organisation_id)

    def list_organisations(self) -> list[Organisation]:
        return self.session.query(Organisation).order_by(Organisation.name).all()

    # -- users ----------------------------------------------------------------------------------
    def get_user(self, user_id: uuid.UUID) -> User | None:
        return self.session.get(User, user_id)

    def user_by_username(self, username: str) -> User | None:
        return (self.session.query(User)
                .filter(User.username == username.strip().lower()).one_or_none())

    def list_users(self, organisation_id: uuid.UUID | None = None) -> list[User]:
        query = self.session.query(User).order_by(User.username)
        if organisation_id is not None:
            query = query.filter(User.organisation_id == organisation_id)
        return query.all()

    def user_by_external_identity(self, issuer: str, subject: str) -> User | None:
        link = (self.session.query(ExternalIdentity)
                .filter(ExternalIdentity.issuer == issuer, ExternalIdentity.subject == subject)
                .one_or_none())
        return self.get_user(link.user_id) if link else None

    def external_identities_of(self, user_id: uuid.UUID) -> list[ExternalIdentity]:
        return (self.session.query(ExternalIdentity)
                .filter(ExternalIdentity.user_id == user_id)
                .order_by(ExternalIdentity.created_at).all())

    # -- trainings and qualification records ---------------------------------------------------
    def get_training(self, training_id: uuid.UUID) -> Training | None:
        return self.session.get(Training, training_id)

    def training_by_key(self, key: str) -> Training | None:
        return self.session.query(Training).filter(Training.key == key).one_or_none()

    def list_trainings(self) -> list[Training]:
        return self.session.query(Training).order_by(Training.key).all()

    def get_qualification(self, qualification_id: uuid.UUID) -> Qualification | None:
        return self.session.get(Qualification, qualification_id)

    def qualifications_of(self, user_id: uuid.UUID) -> list[Qualification]:
        return (self.session.query(Qualification).filter(Qualification.user_id == user_id)
                .order_by(Qualification.completed_on, Qualification.recorded_at).all())

    def list_qualifications(self) -> list[Qualification]:
        return self.session.query(Qualification).all()

    def remove(self, record: Qualification) -> None:
        self.session.delete(record)

    # -- clients and tokens ----------------------------------------------------------------------
    def client_by_client_id(self, client_id: str) -> ApiClient | None:
        return (self.session.query(ApiClient).filter(ApiClient.client_id == client_id)
                .one_or_none())

    def get_client(self, client_uuid: uuid.UUID) -> ApiClient | None:
        return self.session.get(ApiClient, client_uuid)

    def list_clients(self, organisation_id: uuid.UUID | None = None) -> list[ApiClient]:
        query = self.session.query(ApiClient).order_by(ApiClient.client_id)
        if organisation_id is not None:
            query = query.filter(ApiClient.organisation_id == organisation_id)
        return query.all()

    def refresh_token(self, token_hash: str) -> RefreshToken | None:
        return (self.session.query(RefreshToken).filter(RefreshToken.token_hash == token_hash)
                .one_or_none())

    def revoke_refresh_token(self, token_id: uuid.UUID, at: datetime) -> bool:
        """Revoke once: False when it was revoked already (a replayed refresh token)."""
        table = orm.refresh_tokens
        result = self.session.execute(
            table.update().where(table.c.id == token_id, table.c.tenant_id == self.tenant_id,
                                 table.c.revoked_at.is_(None)).values(revoked_at=at))
        return result.rowcount == 1

    def revoke_refresh_tokens_of_client(self, client_id: str, at: datetime) -> None:
        table = orm.refresh_tokens
        self.session.execute(
            table.update().where(table.c.client_id == client_id,
                                 table.c.tenant_id == self.tenant_id,
                                 table.c.revoked_at.is_(None)).values(revoked_at=at))

    def revoke_refresh_tokens_of_user(self, user_id: uuid.UUID, at: datetime) -> None:
        table = orm.refresh_tokens
        self.session.execute(
            table.update().where(table.c.user_id == user_id, table.c.tenant_id == self.tenant_id,
                                 table.c.revoked_at.is_(None)).values(revoked_at=at))

    def authorization_code(self, code_hash: str) -> AuthorizationCode | None:
        return (self.session.query(AuthorizationCode)
                .filter(AuthorizationCode.code_hash == code_hash).one_or_none())

    def use_authorization_code(self, code_id: uuid.UUID, at: datetime) -> bool:
        table = orm.authorization_codes
        result = self.session.execute(
            table.update().where(table.c.id == code_id, table.c.tenant_id == self.tenant_id,
                                 table.c.used_at.is_(None)).values(used_at=at))
        return result.rowcount == 1

    def login_failures(self, username_hash: str) -> LoginFailures | None:
        return self.session.get(LoginFailures, (self.tenant_id, username_hash))

    def forget_login_failures(self, failures: LoginFailures) -> None:
        self.session.delete(failures)

    def commit_unless_counted_already(self) -> bool:
        """The first failure of a name inserts its row; when a parallel failed login inserted
        it first, the primary key refuses this one (IntegrityError): that attempt counted."""
        try:
            self.commit()
        except IntegrityError:
            self.rollback()
            return False
        return True

    # -- signing keys (global) -------------------------------------------------------------------
    def lock_signing_keys(self) -> None:
        """Serialise rotations of all processes until this transaction ends."""
        if is_postgres(self.session.connection()):
            self.session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"),
                                 {"key": _ROTATION_LOCK})
        else:  # SQLite: take the write lock now
            self.session.execute(orm.signing_keys.update().where(sa.false())
                                 .values(state=orm.signing_keys.c.state))

    def signing_keys(self, states: Iterable[KeyState] | None = None) -> list[SigningKey]:
        query = self.session.query(SigningKey)
        if states is not None:
            query = query.filter(SigningKey.state.in_(list(states)))
        return query.order_by(SigningKey.published_at).all()

    def published_keys(self) -> list[SigningKey]:
        return self.signing_keys(PUBLISHED_STATES)
