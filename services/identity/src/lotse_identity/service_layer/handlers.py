"""One function per administrative command: each checks, changes, audits and publishes in one
transaction (the audit entry and the outbox event commit with the change or not at all).

Who may is checked here, against the unit of work's principal (``uow.principal``; ``None``, the
service itself, may do everything): the organisation of the user or client concerned
(:mod:`.access`) and what the change itself allows (which roles an org_admin may hand out).
Views declare the roles (``@requires``) and send the command through the message bus
(``handle(command, principal)``); they check no record (ADR 0052).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any

from lotse.identity.v1 import events_pb2 as events
from lotse_platform.audit import CREATE, DELETE, UPDATE

from ..adapters.crypto import hash_password, random_secret, secret_digest
from ..domain import commands as c
from ..domain.model import (
    AlreadyTaken,
    ApiClient,
    Area,
    AreaKind,
    ClientKind,
    DomainError,
    ExternalIdentity,
    Organisation,
    OrganisationKind,
    Tenant,
    UnknownRecord,
    User,
    check_grantable,
    now,
)
from ..domain.passwords import check_new_password
from ..domain.qualifications import Qualification, Training
from ..settings import IdentitySettings
from . import access
from .login import password_context, replace_password, verify_current_password
from .unit_of_work import IdentityUnitOfWork


def id_text(value: object) -> str:
    """An optional id as the events carry it: its text, or "" for none."""
    return "" if value is None else str(value)


def _granting_roles(uow: IdentityUnitOfWork) -> frozenset[str]:
    # no principal: the service itself (seed, CLI) acts with full rights
    return uow.principal.roles if uow.principal is not None else frozenset({"tenant_admin"})


def _check_areas(uow: IdentityUnitOfWork, area_ids: Iterable[str],
                 field: str = "area_ids") -> None:
    missing = uow.missing_areas(area_ids)
    if missing:
        raise DomainError(f"unknown area(s): {', '.join(missing)}", field)


def _organisation(uow: IdentityUnitOfWork, organisation_id: uuid.UUID | None,
                  field: str = "organisation_id") -> Organisation:
    organisation = uow.get_organisation(organisation_id) if organisation_id else None
    if organisation is None:
        raise DomainError("unknown organisation", field)
    return organisation


def _user(uow: IdentityUnitOfWork, user_id: uuid.UUID) -> User:
    user = uow.get_user(user_id)
    if user is None:
        raise UnknownRecord("no such user")
    return user


def _administered_user(uow: IdentityUnitOfWork, user_id: uuid.UUID) -> User:
    """The user, if the unit's principal administers her organisation (404 before 403)."""
    user = _user(uow, user_id)
    access.authorize_administration(uow.principal, user.organisation_id)
    return user


# -- events (ids, roles, areas, FTE and flags; an organisation's and an area's name, never a person's) ------------------------------------------

def area_created(area: Area) -> events.AreaCreated:
    return events.AreaCreated(area_id=str(area.id), kind=AreaKind(area.kind).value,
                              parent_area_id=id_text(area.parent_id), version=area.version,
                              name=area.name)


def organisation_created(organisation: Organisation) -> events.OrganisationCreated:
    return events.OrganisationCreated(**_organisation_facts(organisation))


def user_created(user: User) -> events.UserCreated:
    event = events.UserCreated(user_id=str(user.id), organisation_id=str(user.organisation_id),
                               roles=user.roles, area_ids=user.area_ids, version=user.version)
    if user.fte is not None:
        event.fte = float(user.fte)
    if user.voting is not None:
        event.voting = user.voting
    return event


def client_created(client: ApiClient) -> events.ClientCreated:
    return events.ClientCreated(client_id=client.client_id, service_account_id=str(client.id),
                                organisation_id=str(client.organisation_id), roles=client.roles,
                                area_ids=client.area_ids, grant_types=client.grant_types)


# -- the tenant -----------------------------------------------------------------------------------

def rename_tenant(cmd: c.RenameTenant, uow: IdentityUnitOfWork) -> Tenant:
    with uow:
        tenant = uow.tenant()
        if tenant is None or tenant.id != cmd.tenant_id:
            raise UnknownRecord("no such tenant")
        tenant.name = cmd.name
        uow.audit(UPDATE, "tenant", tenant.id)
        uow.commit()
    return tenant


# -- areas ----------------------------------------------------------------------------------------

def create_area(cmd: c.CreateArea, uow: IdentityUnitOfWork) -> Area:
    with uow:
        if cmd.parent_id is not None and uow.get_area(cmd.parent_id) is None:
            raise DomainError("unknown parent area", "parent_id")
        area = Area(name=cmd.name, kind=AreaKind(cmd.kind), parent_id=cmd.parent_id)
        uow.add(area)
        uow.flush()
        uow.publish(area_created(area), aggregate_id=area.id, sequence=area.version)
        uow.audit(CREATE, "area", area.id)
        uow.commit()
    return area


def change_area(cmd: c.ChangeArea, uow: IdentityUnitOfWork) -> Area:
    with uow:
        area = uow.get_area(cmd.area_id)
        if area is None:
            raise UnknownRecord("no such area")
        changes = dict(cmd.changes)
        if changes.get("parent_id") is not None:
            parent = changes["parent_id"]
            ancestor = uow.get_area(parent)
            if ancestor is None:
                raise DomainError("unknown parent area", "parent_id")
            while ancestor is not None:  # areas nest; a cycle would make them endless
                if ancestor.id == area.id:
                    raise DomainError("an area cannot lie inside itself", "parent_id")
                ancestor = uow.get_area(ancestor.parent_id) if ancestor.parent_id else None
        for name, value in changes.items():
            setattr(area, name, AreaKind(value) if name == "kind" else value)
        area.touch()
        uow.publish(events.AreaChanged(area_id=str(area.id), kind=area.kind.value,
                                       parent_area_id=id_text(area.parent_id), active=area.active,
                                       version=area.version, name=area.name),
                    aggregate_id=area.id, sequence=area.version)
        uow.audit(UPDATE, "area", area.id)
        uow.commit()
    return area


# -- organisations --------------------------------------------------------------------------------

def _organisation_facts(o: Organisation) -> dict[str, Any]:
    return dict(organisation_id=str(o.id), kind=OrganisationKind(o.kind).value,
                parent_organisation_id=id_text(o.parent_id), area_id=id_text(o.area_id), active=o.active,
                version=o.version, name=o.name)


def create_organisation(cmd: c.CreateOrganisation, uow: IdentityUnitOfWork) -> Organisation:
    with uow:
        if cmd.parent_id is not None:
            _organisation(uow, cmd.parent_id, "parent_id")
        if cmd.area_id is not None:
            _check_areas(uow, [str(cmd.area_id)], "area_id")
        organisation = Organisation(name=cmd.name, kind=OrganisationKind(cmd.kind),
                                    parent_id=cmd.parent_id, area_id=cmd.area_id)
        uow.add(organisation)
        uow.flush()
        uow.publish(organisation_created(organisation),
                    aggregate_id=organisation.id, sequence=organisation.version)
        uow.audit(CREATE, "organisation", organisation.id)
        uow.commit()
    return organisation


def change_organisation(cmd: c.ChangeOrganisation, uow: IdentityUnitOfWork) -> Organisation:
    access.authorize_organisation_change(uow.principal, cmd.organisation_id, cmd.changes)
    with uow:
        organisation = uow.get_organisation(cmd.organisation_id)
        if organisation is None:
            raise UnknownRecord("no such organisation")
        changes = dict(cmd.changes)
        if changes.get("parent_id") is not None:
            if changes["parent_id"] == organisation.id:
                raise DomainError("an organisation cannot be its own parent", "parent_id")
            _organisation(uow, changes["parent_id"], "parent_id")
        if changes.get("area_id") is not None:
            _check_areas(uow, [str(changes["area_id"])], "area_id")
        for name, value in changes.items():
            setattr(organisation, name, OrganisationKind(value) if name == "kind" else value)
        organisation.touch()
        uow.publish(events.OrganisationChanged(**_organisation_facts(organisation)),
                    aggregate_id=organisation.id, sequence=organisation.version)
        uow.audit(UPDATE, "organisation", organisation.id)
        uow.commit()
    return organisation


# -- users ----------------------------------------------------------------------------------------

def create_user(cmd: c.CreateUser, uow: IdentityUnitOfWork) -> User:
    access.authorize_administration(uow.principal, cmd.organisation_id)
    check_grantable(_granting_roles(uow), cmd.roles)
    if cmd.password_change_required and cmd.password is None:
        raise DomainError("a change at first login needs a first password",
                          "password_change_required")
    with uow:
        _organisation(uow, cmd.organisation_id)
        _check_areas(uow, cmd.area_ids)
        if uow.user_by_username(cmd.username) is not None:
            raise AlreadyTaken("this username is taken", "username")
        user = User(username=cmd.username.strip().lower(), display_name=cmd.display_name,
                    organisation_id=cmd.organisation_id, email=cmd.email, roles=list(cmd.roles),
                    area_ids=[str(a) for a in cmd.area_ids], fte=cmd.fte, voting=cmd.voting)
        if cmd.password is not None:
            password = check_new_password(cmd.password, password_context(uow, user),
                                          field="password")
            user.password_hash = hash_password(password)
            user.password_change_required = cmd.password_change_required
        uow.add(user)
        uow.flush()
        uow.publish(user_created(user), aggregate_id=user.id, sequence=user.version)
        uow.audit(CREATE, "user", user.id)
        uow.commit()
    return user


def change_user_profile(cmd: c.ChangeUserProfile, uow: IdentityUnitOfWork) -> User:
    with uow:
        user = _administered_user(uow, cmd.user_id)
        changes = dict(cmd.changes)
        for name in ("display_name", "email"):
            if name in changes:
                setattr(user, name, changes[name])
        if "fte" in changes or "voting" in changes:
            user.set_staffing(changes.get("fte", user.fte), changes.get("voting", user.voting))
            event = events.UserStaffingChanged(user_id=str(user.id),
                                               organisation_id=str(user.organisation_id),
                                               version=user.version)
            if user.fte is not None:
                event.fte = float(user.fte)
            if user.voting is not None:
                event.voting = user.voting
            uow.publish(event, aggregate_id=user.id, sequence=user.version)
        else:
            user.updated_at = now()  # names and addresses are not announced: no event
        uow.audit(UPDATE, "user", user.id, reason="profile")
        uow.commit()
    return user


def assign_roles(cmd: c.AssignRoles, uow: IdentityUnitOfWork) -> User:
    with uow:
        user = _administered_user(uow, cmd.user_id)
        granting = _granting_roles(uow)
        # neither add nor take away a tenant-wide role without being tenant admin
        check_grantable(granting, set(cmd.roles) ^ set(user.roles))
        previous = user.assign_roles(cmd.roles)
        uow.publish(events.UserRolesChanged(user_id=str(user.id),
                                            organisation_id=str(user.organisation_id),
                                            roles=user.roles, previous_roles=previous,
                                            version=user.version),
                    aggregate_id=user.id, sequence=user.version)
        uow.audit(UPDATE, "user", user.id, reason="roles")
        uow.commit()
    return user


def assign_areas(cmd: c.AssignAreas, uow: IdentityUnitOfWork) -> User:
    with uow:
        user = _administered_user(uow, cmd.user_id)
        _check_areas(uow, cmd.area_ids)
        previous = user.assign_areas(str(a) for a in cmd.area_ids)
        uow.publish(events.UserAreasChanged(user_id=str(user.id),
                                            organisation_id=str(user.organisation_id),
                                            area_ids=user.area_ids, previous_area_ids=previous,
                                            version=user.version),
                    aggregate_id=user.id, sequence=user.version)
        uow.audit(UPDATE, "user", user.id, reason="areas")
        uow.commit()
    return user


def disable_user(cmd: c.DisableUser, uow: IdentityUnitOfWork) -> User:
    with uow:
        user = _administered_user(uow, cmd.user_id)
        if uow.principal is not None and uow.principal.subject == str(user.id):
            raise DomainError("you cannot disable your own account", "user_id")
        if user.disable():
            uow.revoke_refresh_tokens_of_user(user.id, now())
            uow.publish(events.UserDisabled(user_id=str(user.id),
                                            organisation_id=str(user.organisation_id),
                                            version=user.version),
                        aggregate_id=user.id, sequence=user.version)
            uow.audit(UPDATE, "user", user.id, reason="disabled")
        uow.commit()
    return user


def enable_user(cmd: c.EnableUser, uow: IdentityUnitOfWork) -> User:
    with uow:
        user = _administered_user(uow, cmd.user_id)
        if user.enable():
            uow.publish(events.UserEnabled(user_id=str(user.id),
                                           organisation_id=str(user.organisation_id),
                                           version=user.version),
                        aggregate_id=user.id, sequence=user.version)
            uow.audit(UPDATE, "user", user.id, reason="enabled")
        uow.commit()
    return user


def move_user(cmd: c.MoveUser, uow: IdentityUnitOfWork) -> User:
    with uow:
        user = _user(uow, cmd.user_id)
        _organisation(uow, cmd.organisation_id)
        if user.organisation_id != cmd.organisation_id:
            previous = user.move_to(cmd.organisation_id)
            uow.publish(events.UserMembershipChanged(
                user_id=str(user.id), organisation_id=str(user.organisation_id),
                previous_organisation_id=str(previous), version=user.version),
                aggregate_id=user.id, sequence=user.version)
            uow.audit(UPDATE, "user", user.id, reason="membership")
        uow.commit()
    return user


def set_password(cmd: c.SetPassword, uow: IdentityUnitOfWork,
                 settings: IdentitySettings) -> None:
    """The user herself, with her current password; or her administrator, whose password is a
    temporary one that the user's next login must change. Either ends all her sessions."""
    herself = access.sets_own_password(uow.principal, cmd.user_id)
    proves_it = herself and uow.principal is not None  # the service itself need not
    if proves_it and cmd.current_password is None:
        raise DomainError("your own password is changed only with your current one",
                          "current_password")
    if not herself and cmd.current_password is not None:
        raise DomainError("an administrator resets another user's password without knowing "
                          "her current one: leave it out", "current_password")
    with uow:
        user = _user(uow, cmd.user_id) if herself else _administered_user(uow, cmd.user_id)
        if proves_it and cmd.current_password is not None:
            verify_current_password(uow, user, cmd.current_password, settings)
        replace_password(uow, user, cmd.new_password, temporary=not herself,
                         current=cmd.current_password)
        uow.commit()


def link_external_identity(cmd: c.LinkExternalIdentity,
                           uow: IdentityUnitOfWork) -> ExternalIdentity:
    with uow:
        user = _user(uow, cmd.user_id)
        if uow.user_by_external_identity(cmd.issuer, cmd.subject) is not None:
            raise AlreadyTaken("this external identity is linked already", "subject")
        link = ExternalIdentity(user_id=user.id, issuer=cmd.issuer, subject=cmd.subject)
        uow.add(link)
        uow.audit(UPDATE, "user", user.id, reason="external identity linked")
        uow.commit()
    return link


# -- API clients ----------------------------------------------------------------------------------

def create_client(cmd: c.CreateClient, uow: IdentityUnitOfWork) -> tuple[ApiClient, str | None]:
    """Register a client; returns it and its secret (shown once, stored only as a hash)."""
    access.authorize_administration(uow.principal, cmd.organisation_id)
    check_grantable(_granting_roles(uow), cmd.roles)
    kind = ClientKind(cmd.kind)
    secret = random_secret() if kind is ClientKind.confidential else None
    with uow:
        _organisation(uow, cmd.organisation_id)
        _check_areas(uow, cmd.area_ids)
        if uow.tenant_of_client(cmd.client_id) is not None:
            raise AlreadyTaken("this client_id is taken", "client_id")
        client = ApiClient(client_id=cmd.client_id, name=cmd.name, kind=kind,
                           organisation_id=cmd.organisation_id,
                           grant_types=sorted(set(cmd.grant_types)), roles=list(cmd.roles),
                           area_ids=sorted({str(a) for a in cmd.area_ids}),
                           redirect_uris=list(cmd.redirect_uris),
                           secret_hash=secret_digest(secret) if secret else None)
        uow.add(client)
        uow.register_client_id(client.client_id)
        uow.flush()
        uow.publish(client_created(client), aggregate_id=client.id)
        uow.audit(CREATE, "api_client", client.id)
        uow.commit()
    return client, secret


def revoke_client(cmd: c.RevokeClient, uow: IdentityUnitOfWork) -> ApiClient:
    with uow:
        client = uow.get_client(cmd.client_uuid)
        if client is None:
            raise UnknownRecord("no such client")
        access.authorize_administration(uow.principal, client.organisation_id)
        if client.revoke():
            uow.revoke_refresh_tokens_of_client(client.client_id, now())
            uow.publish(events.ClientRevoked(client_id=client.client_id,
                                             service_account_id=str(client.id),
                                             organisation_id=str(client.organisation_id)),
                        aggregate_id=client.id)
            uow.audit(UPDATE, "api_client", client.id, reason="revoked")
        uow.commit()
    return client


# -- trainings and qualification records (001 L361; ADR 0081) -------------------------------------
# No events: no service consumes them. Audited with ids and fixed reasons, never the reference.

def create_training(cmd: c.CreateTraining, uow: IdentityUnitOfWork) -> Training:
    access.authorize_catalogue(uow.principal)
    with uow:
        if uow.training_by_key(cmd.key) is not None:
            raise AlreadyTaken("a training with this key exists", "key")
        training = Training(key=cmd.key, label_de=cmd.label_de, label_en=cmd.label_en,
                            mandatory=cmd.mandatory)
        uow.add(training)
        uow.flush()
        uow.audit(CREATE, "training", training.id)
        uow.commit()
    return training


def change_training(cmd: c.ChangeTraining, uow: IdentityUnitOfWork) -> Training:
    access.authorize_catalogue(uow.principal)
    with uow:
        training = uow.get_training(cmd.training_id)
        if training is None:
            raise UnknownRecord("no such training")
        training.change(cmd.changes)
        uow.audit(UPDATE, "training", training.id)
        uow.commit()
    return training


def _training(uow: IdentityUnitOfWork, training_id: uuid.UUID) -> Training:
    training = uow.get_training(training_id)
    if training is None:
        raise DomainError("unknown training", "training_id")
    return training


def record_qualification(cmd: c.RecordQualification, uow: IdentityUnitOfWork) -> Qualification:
    access.authorize_office(uow.principal)
    with uow:
        user = _user(uow, cmd.user_id)
        training = _training(uow, cmd.training_id)
        by = uow.principal.subject if uow.principal is not None else "lotse-identity"
        qualification = Qualification.record(user, training, cmd.completed_on, by=by,
                                             today=uow.today(), reference=cmd.reference)
        uow.add(qualification)
        uow.flush()
        uow.audit(CREATE, "qualification", user.id, reason="recorded")
        uow.commit()
    return qualification


def remove_qualification(cmd: c.RemoveQualification, uow: IdentityUnitOfWork) -> None:
    access.authorize_office(uow.principal)
    with uow:
        user = _user(uow, cmd.user_id)
        qualification = uow.get_qualification(cmd.qualification_id)
        if qualification is None or qualification.user_id != user.id:
            raise UnknownRecord("no such qualification record")
        uow.remove(qualification)
        uow.audit(DELETE, "qualification", user.id, reason="removed")
        uow.commit()


COMMAND_HANDLERS: dict[type, Callable[..., Any]] = {
    c.RenameTenant: rename_tenant,
    c.CreateArea: create_area,
    c.ChangeArea: change_area,
    c.CreateOrganisation: create_organisation,
    c.ChangeOrganisation: change_organisation,
    c.CreateUser: create_user,
    c.ChangeUserProfile: change_user_profile,
    c.AssignRoles: assign_roles,
    c.AssignAreas: assign_areas,
    c.DisableUser: disable_user,
    c.EnableUser: enable_user,
    c.MoveUser: move_user,
    c.SetPassword: set_password,
    c.LinkExternalIdentity: link_external_identity,
    c.CreateClient: create_client,
    c.RevokeClient: revoke_client,
    c.CreateTraining: create_training,
    c.ChangeTraining: change_training,
    c.RecordQualification: record_qualification,
    c.RemoveQualification: remove_qualification,
}
