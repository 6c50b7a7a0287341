"""Setting up a new tenant (a county or city): the tenant, its administration as the first
organisation, its first tenant administrator, its web-console client and the default training
catalogue (001 L361, ADR 0081).

Used by ``lotse-identity create-tenant``; the administrator's first password is random (256
bits), returned once, and should be changed at first login (``PUT /users/{id}/password`` with it
as ``current_password``). It is not marked as one the login must change, so the first login
works with the console as it is (ADR 0063).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from ..adapters.crypto import hash_password, random_secret
from ..domain.model import (
    ApiClient,
    ClientKind,
    Organisation,
    OrganisationKind,
    Tenant,
    TenantKind,
    User,
)
from lotse_platform.audit import CREATE

from ..domain.model import UnknownRecord
from ..domain.qualifications import default_catalogue
from .handlers import client_created, organisation_created, user_created


@dataclass(frozen=True)
class NewTenant:
    tenant_id: uuid.UUID
    organisation_id: uuid.UUID
    admin_id: uuid.UUID
    admin_password: str
    console_client_id: str


def create_tenant(service, *, key: str, name: str, kind: str = "county",
                  administration: str | None = None, admin_username: str = "admin",
                  admin_display_name: str = "Administrator", admin_password: str | None = None,
                  console_redirect_uris: tuple[str, ...] = (),
                  tenant_id: uuid.UUID | None = None) -> NewTenant:
    tenant = Tenant(key=key, name=name, kind=TenantKind(kind), id=tenant_id or uuid.uuid4())
    password = admin_password or random_secret()
    with service.uow(tenant.id) as uow:
        organisation = Organisation(name=administration or name,
                                    kind=OrganisationKind.county_administration)
        admin = User(username=admin_username, display_name=admin_display_name,
                     organisation_id=organisation.id, roles=["tenant_admin"],
                     password_hash=hash_password(password))
        console_id = f"lotse-console.{key}"
        console = ApiClient(client_id=console_id, name="Lotse web console",
                            kind=ClientKind.public, organisation_id=organisation.id,
                            grant_types=["authorization_code", "refresh_token"],
                            redirect_uris=list(console_redirect_uris) or
                            ["http://localhost:8080/console/callback"])
        uow.add(tenant)
        uow.flush()
        uow.add(organisation)
        uow.flush()
        uow.add(admin, console, *default_catalogue())
        uow.register_client_id(console_id)
        uow.flush()
        uow.publish(organisation_created(organisation), aggregate_id=organisation.id, sequence=1)
        uow.publish(user_created(admin), aggregate_id=admin.id, sequence=1)
        uow.publish(client_created(console), aggregate_id=console.id)
        uow.audit("create", "tenant", tenant.id)
        uow.commit()
    return NewTenant(tenant.id, organisation.id, admin.id, password, console_id)


def add_default_trainings(service, tenant_id: uuid.UUID) -> list[str]:
    """The default trainings (001 L361) a tenant's catalogue lacks, added by key — for a tenant
    set up before there was a catalogue (``lotse-identity default-trainings``). Idempotent:
    returns the keys added, none the second time."""
    with service.uow(tenant_id) as uow:
        if uow.tenant() is None:
            raise UnknownRecord("no such tenant")
        added = [t for t in default_catalogue() if uow.training_by_key(t.key) is None]
        uow.add(*added)
        uow.flush()
        for training in added:
            uow.audit(CREATE, "training", training.id, reason="default catalogue")
        uow.commit()
    return [training.key for training in added]
