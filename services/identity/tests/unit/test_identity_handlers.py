"""Identity's administrative rules against an in-memory unit of work: users created, refused
and disabled without a database (the same handlers run on PostgreSQL in tests/integration); and
who may administer what, checked by the handlers against the unit's principal when a command
runs through the service's message bus (ADR 0052)."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import timedelta

import pytest
from identity_fakes import FakeIdentityUnitOfWork

from lotse.identity.v1.events_pb2 import UserCreated, UserDisabled
from lotse_identity.adapters.crypto import hash_password
from lotse_identity.bootstrap import IdentityService
from lotse_identity.domain import commands
from lotse_identity.domain import commands as c
from lotse_identity.domain.commands import CreateUser, DisableUser
from lotse_identity.domain.model import (
    AlreadyTaken,
    ApiClient,
    Area,
    AreaKind,
    ClientKind,
    DomainError,
    NotGrantable,
    Organisation,
    OrganisationKind,
    RefreshToken,
    Tenant,
    TenantKind,
    UnknownRecord,
    User,
    now,
)
from lotse_identity.service_layer.handlers import create_user, disable_user
from lotse_identity.settings import IdentitySettings
from lotse_platform.auth.principal import Principal
from lotse_platform.errors import Forbidden
from lotse_platform.messagebus import MessageBus

TENANT = uuid.uuid4()
AREA = Area(name="Höxter", kind=AreaKind.town)
COUNTY = Organisation(name="Kreis Höxter", kind=OrganisationKind.county_administration)
AWO = Organisation(name="AWO Höxter", kind=OrganisationKind.welfare_provider)
CARITAS = Organisation(name="Caritas Höxter", kind=OrganisationKind.welfare_provider)


def county(*records: object, principal: Principal | None = None) -> FakeIdentityUnitOfWork:
    """The tenant with its administration and one town, and ``records`` beside them."""
    return FakeIdentityUnitOfWork(TENANT, principal=principal).stored(AREA, COUNTY, *records)


def new_user(username: str = "lea.koch", **changes) -> CreateUser:
    return dataclasses.replace(
        CreateUser(username=username, display_name="Lea Koch", organisation_id=COUNTY.id,
                   email="lea.koch@kreis-hoexter.invalid", roles=("case_manager",),
                   area_ids=(str(AREA.id),)), **changes)


def staff(username: str = "tobias.brandt", **fields) -> User:
    return User(**{"username": username, "display_name": "Tobias Brandt",
                   "organisation_id": COUNTY.id, "roles": ["case_manager"],
                   "area_ids": [str(AREA.id)], **fields})


def principal_of(roles: set[str], subject: str = "admin",
                 organisation: Organisation = COUNTY) -> Principal:
    return Principal(subject=subject, tenant=TENANT, organisation=str(organisation.id),
                     roles=frozenset(roles))


SETTINGS = IdentitySettings(database_url="sqlite://", issuer="http://127.0.0.1/lotse/identity")


def bus() -> MessageBus:
    """Identity's message bus, as ``handle(command, principal)`` runs it for a view."""
    return MessageBus(IdentityService.command_handlers, IdentityService.event_handlers,
                      {"settings": lambda: SETTINGS})


ADMIN_AWO = principal_of({"org_admin"}, subject="admin.awo", organisation=AWO)


# -- creating a user --------------------------------------------------------------------------------

def test_a_new_user_is_stored_announced_without_her_name_and_audited_in_one_commit():
    uow = county()

    user = create_user(new_user(username="  Lea.Koch "), uow)

    assert uow.commits == 1
    assert uow.user_by_username("lea.koch") is user, "usernames are kept trimmed, in lower case"
    (event, aggregate, sequence), = uow.published
    assert isinstance(event, UserCreated)
    assert (event.user_id, event.organisation_id, list(event.roles), list(event.area_ids),
            event.version, aggregate, sequence) == (
        str(user.id), str(COUNTY.id), ["case_manager"], [str(AREA.id)], 1, user.id, 1)
    assert "Koch" not in str(event) and "lea.koch" not in str(event), \
        "events carry ids and roles, never names or addresses"
    assert uow.audited == [("create", "user", user.id, None)]


def test_a_password_given_at_creation_is_stored_only_as_its_hash():
    user = create_user(new_user(password="correct horse battery"), county())

    assert user.password_hash and "correct horse battery" not in user.password_hash
    assert not user.password_change_required


def test_a_taken_username_is_refused_naming_the_field_and_nothing_is_written():
    uow = county(staff(username="lea.koch"))

    with pytest.raises(AlreadyTaken) as refused:
        create_user(new_user(username="Lea.Koch"), uow)

    assert refused.value.field == "username"
    assert (uow.commits, uow.published, uow.audited) == (0, [], [])


def test_a_user_in_an_area_the_tenant_does_not_have_is_refused_naming_the_area():
    elsewhere = str(uuid.uuid4())

    with pytest.raises(DomainError) as refused:
        create_user(new_user(area_ids=(str(AREA.id), elsewhere)), county())

    assert refused.value.field == "area_ids" and elsewhere in str(refused.value)


def test_an_organisations_administrator_cannot_hand_out_a_tenant_wide_role():
    uow = county(principal=principal_of({"org_admin"}))

    with pytest.raises(NotGrantable, match="coordinator"):
        create_user(new_user(roles=("case_manager", "coordinator")), uow)

    assert (uow.commits, uow.published) == (0, [])


# -- disabling a user -------------------------------------------------------------------------------

def test_a_disabled_user_is_announced_and_her_refresh_tokens_stop_working():
    user = staff()
    token = RefreshToken(token_hash="h-1", client_id="lotse-console", user_id=user.id,
                         expires_at=now() + timedelta(hours=8))
    uow = county(user, token, principal=principal_of({"tenant_admin"}))

    disable_user(DisableUser(user.id), uow)

    assert uow.commits == 1 and not uow.get_user(user.id).active
    assert not token.usable(now()), "she cannot refresh her way back in"
    (event, aggregate, sequence), = uow.published
    assert isinstance(event, UserDisabled)
    assert (event.user_id, event.organisation_id, event.version, aggregate, sequence) == (
        str(user.id), str(COUNTY.id), 2, user.id, 2)
    assert uow.audited == [("update", "user", user.id, "disabled")]


def test_disabling_a_user_again_announces_nothing_more():
    user = staff(active=False)
    uow = county(user)

    disable_user(DisableUser(user.id), uow)

    assert (uow.published, uow.audited, user.version) == ([], [], 1)


def test_nobody_disables_her_own_account():
    user = staff()
    uow = county(user, principal=principal_of({"tenant_admin"}, subject=str(user.id)))

    with pytest.raises(DomainError) as refused:
        disable_user(DisableUser(user.id), uow)

    assert refused.value.field == "user_id"
    assert user.active and (uow.commits, uow.published) == (0, [])


# -- who may: the handlers check the unit's principal ----------------------------------------------

def user_commands(user: User) -> list[object]:
    """Every command an organisation's administrator sends about one of her users."""
    return [c.ChangeUserProfile(user.id, {"display_name": "X", "fte": 0.5}),
            c.AssignRoles(user.id, ("provider_staff",)), c.AssignAreas(user.id, ()),
            c.DisableUser(user.id), c.EnableUser(user.id),
            c.SetPassword(user.id, "vom admin vergeben, bitte ändern")]


@pytest.mark.parametrize("which", range(6), ids=[
    "profile", "roles", "areas", "disable", "enable", "password"])
def test_a_command_about_a_user_of_another_organisation_is_refused_before_anything_changes(
        which):
    caritas_user = staff(organisation_id=CARITAS.id, roles=["case_manager"], fte=1)
    token = RefreshToken(token_hash="h-1", client_id="lotse-console", user_id=caritas_user.id,
                         expires_at=now() + timedelta(hours=8))
    uow = county(AWO, CARITAS, caritas_user, token, principal=ADMIN_AWO)
    before = (caritas_user.display_name, caritas_user.roles, caritas_user.area_ids,
              caritas_user.active, caritas_user.password_hash, caritas_user.version)

    with pytest.raises(Forbidden) as refused:
        bus().handle(user_commands(caritas_user)[which], uow)

    assert refused.value.status == 403
    assert refused.value.detail == "the target belongs to another organisation than the caller's"
    assert (uow.commits, uow.published, uow.audited) == (0, [], [])
    assert (caritas_user.display_name, caritas_user.roles, caritas_user.area_ids,
            caritas_user.active, caritas_user.password_hash, caritas_user.version) == before
    assert token.usable(now()), "she stays logged in"


def test_an_organisations_administrator_administers_her_own_organisations_users():
    awo_user = staff(organisation_id=AWO.id, roles=["provider_staff"])
    uow = county(AWO, awo_user, principal=ADMIN_AWO)

    for command in user_commands(awo_user):
        bus().handle(command, uow)

    assert uow.commits == 6 and awo_user.active and awo_user.password_hash is not None


def test_users_and_clients_are_created_only_in_the_administrators_own_organisation():
    uow = county(AWO, CARITAS, principal=ADMIN_AWO)
    client = c.CreateClient(client_id="caritas-intake", name="Caritas intake",
                            kind=ClientKind.confidential, organisation_id=CARITAS.id,
                            grant_types=("client_credentials",))

    for command in (new_user(organisation_id=CARITAS.id), client):
        with pytest.raises(Forbidden):
            bus().handle(command, uow)

    assert (uow.commits, uow.user_by_username("lea.koch"),
            uow.tenant_of_client("caritas-intake")) == (0, None, None)
    assert bus().handle(new_user(organisation_id=AWO.id), uow).organisation_id == AWO.id


def test_a_client_of_another_organisation_is_not_revoked():
    client = ApiClient(client_id="caritas-intake", name="Caritas intake",
                       kind=ClientKind.confidential, organisation_id=CARITAS.id,
                       grant_types=["client_credentials"], roles=[], area_ids=[],
                       redirect_uris=[])
    uow = county(AWO, CARITAS, client, principal=ADMIN_AWO)

    with pytest.raises(Forbidden):
        bus().handle(c.RevokeClient(client.id), uow)

    assert client.active and (uow.commits, uow.published) == (0, [])


def test_an_organisations_administrator_renames_only_her_own_organisation_and_nothing_else():
    awo = Organisation(name="AWO Höxter", kind=OrganisationKind.welfare_provider, id=AWO.id)
    caritas = Organisation(name="Caritas Höxter", kind=OrganisationKind.welfare_provider)
    uow = county(awo, caritas, principal=ADMIN_AWO)

    with pytest.raises(Forbidden):
        bus().handle(c.ChangeOrganisation(caritas.id, {"name": "Meine"}), uow)
    with pytest.raises(Forbidden, match="changes only its name"):
        bus().handle(c.ChangeOrganisation(awo.id, {"name": "AWO", "active": False}), uow)
    assert (uow.commits, caritas.name, awo.name, awo.active) == (
        0, "Caritas Höxter", "AWO Höxter", True)

    assert bus().handle(c.ChangeOrganisation(awo.id, {"name": "AWO Kreis Höxter"}),
                        uow).name == "AWO Kreis Höxter"


def test_everybody_sets_her_own_password_and_only_an_administrator_anybody_elses():
    lea = staff("lea.koch", password_hash=hash_password("ihr bisheriges passwort"))
    tobias = staff()
    uow = county(lea, tobias)

    bus().handle(c.SetPassword(lea.id, "ihr ganz eigenes passwort", "ihr bisheriges passwort"),
                 uow.as_caller(principal_of({"case_manager"}, subject=str(lea.id))))
    with pytest.raises(Forbidden, match="only the user herself or an administrator"):
        bus().handle(c.SetPassword(tobias.id, "nicht ihr eigenes passwort"), uow)
    assert tobias.password_hash is None and uow.commits == 1
    assert not lea.password_change_required and lea.token_generation == 1

    bus().handle(c.SetPassword(tobias.id, "vom admin vergeben, bitte ändern"),
                 uow.as_caller(principal_of({"tenant_admin"})))
    assert tobias.password_hash is not None and uow.commits == 2
    assert tobias.password_change_required, "an administrator's password is a temporary one"
    assert [entry[3] for entry in uow.audited] == ["password", "password reset"]


def test_the_tenant_is_renamed_audited_and_no_other_tenant_is_found():
    tenant = Tenant(key="kreis-hoexter", name="Kreis Höxter", kind=TenantKind.county, id=TENANT)
    uow = county(tenant, principal=principal_of({"tenant_admin"}))

    with pytest.raises(UnknownRecord):
        bus().handle(c.RenameTenant(uuid.uuid4(), "Anderswo"), uow)
    renamed = bus().handle(c.RenameTenant(TENANT, "Landkreis Höxter"), uow)

    assert renamed.name == "Landkreis Höxter" and uow.tenant() is tenant
    assert uow.audited == [("update", "tenant", TENANT, None)]


# -- the service's bus -------------------------------------------------------------------------------

def test_every_command_of_identity_has_its_handler_on_the_bus():
    declared = {value for value in vars(commands).values()
                if dataclasses.is_dataclass(value) and value.__module__ == commands.__name__}

    assert set(IdentityService.command_handlers) == declared


def test_the_bus_runs_a_command_through_its_handler():
    bus = MessageBus(IdentityService.command_handlers, IdentityService.event_handlers,
                     {"settings": lambda: SETTINGS})
    user = staff()
    uow = county(user)

    bus.handle(DisableUser(user.id), uow)

    assert not uow.get_user(user.id).active and uow.commits == 1
