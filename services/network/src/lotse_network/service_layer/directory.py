"""The directory's use cases: delegated maintenance (the coordinating office edits every entry of
its county, an organisation's administrator her organisation's own), every change audited and
each service's published as ``network.service.changed.v1`` (ids and codes only), the public
switch, and the search a case manager uses in a conversation (ADR 0083).

The caller is the unit of work's principal (``None``: the service itself, the demo seed); the
views declare the roles too (``@requires``), this module checks the entry's organisation.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from lotse.network.v1.events_pb2 import DirectoryChange, ServiceChanged
from lotse_platform import clock
from lotse_platform.auth import (
    AUTHORITY_LIAISON,
    CASE_MANAGER,
    COORDINATOR,
    ORG_ADMIN,
    PROVIDER_STAFF,
    TENANT_WIDE_ROLES,
    Principal,
    authorize,
)
from lotse_platform.errors import NotFound
from lotse_platform.references import AREA, ORGANISATION, Wanted, check

from ..domain.directory import (
    DirectoryService,
    DirectorySettings,
    NotYourEntry,
    Organization,
    SaveLocation,
    SaveOrganization,
    SaveService,
    ServicePage,
    ServiceSearch,
    SetPublicDirectory,
    invalid,
    may_maintain,
    revise,
)
from .unit_of_work import NetworkUnitOfWork

#: who maintains directory entries: the coordinating office, an organisation's administrator
MAINTAINERS = (COORDINATOR, ORG_ADMIN)
#: who searches and reads the directory
READERS = (CASE_MANAGER, COORDINATOR, PROVIDER_STAFF, AUTHORITY_LIAISON, ORG_ADMIN)


def _check_maintainer(principal: Principal | None, organization: Organization | None) -> None:
    if principal is None:
        return
    authorize(principal, MAINTAINERS)
    if not may_maintain(tenant_wide=bool(principal.roles & TENANT_WIDE_ROLES),
                        caller_org=principal.organisation, entry_org=organization):
        raise NotYourEntry()


def editor(principal: Principal | None) -> str | None:
    return principal.subject if principal is not None else None


# -- organisations -----------------------------------------------------------------------------------
def save_organization(cmd: SaveOrganization, uow: NetworkUnitOfWork) -> uuid.UUID:
    with uow:
        draft = cmd.draft
        current = None
        if cmd.organization_id is not None:
            current = uow.get_organization(cmd.organization_id)
            if current is None:
                raise NotFound("no such directory organisation")
            _check_maintainer(uow.principal, current)
        check(uow.references, [Wanted("identity_org_id", ORGANISATION, draft.identity_org_id)])
        # the entry as it will be: an administrator cannot hand it to another organisation
        _check_maintainer(uow.principal, draft)
        organization = replace(draft, id=current.id if current else draft.id,
                               version=current.version + 1 if current else 1,
                               updated_at=clock.now(), updated_by=editor(uow.principal))
        uow.save_organization(organization)
        uow.audit("update" if current else "create", "directory_organization", organization.id)
        if current is not None and current.identity_org_id != organization.identity_org_id:
            # the link decides who maintains its services: their events say so
            for service in _services_of(uow, organization.id):
                publish_change(uow, service, organization, DirectoryChange.DIRECTORY_CHANGE_UPDATED,
                         ["organization_id"])
        uow.commit()
    return organization.id


def _services_of(uow: NetworkUnitOfWork, organization_id: uuid.UUID) -> list[DirectoryService]:
    return uow.services_of_organization(organization_id)


# -- locations ---------------------------------------------------------------------------------------
def save_location(cmd: SaveLocation, uow: NetworkUnitOfWork) -> uuid.UUID:
    with uow:
        draft = cmd.draft
        current = None
        if cmd.location_id is not None:
            current = uow.get_location(cmd.location_id)
            if current is None:
                raise NotFound("no such directory location")
            _check_maintainer(uow.principal, uow.get_organization(current.organization_id))
        organization = uow.get_organization(draft.organization_id)
        if organization is None:
            raise invalid([("organization_id", "no such directory organisation")])
        check(uow.references, [Wanted("municipality_id", AREA, draft.municipality_id)])
        _check_maintainer(uow.principal, organization)
        location = replace(draft, id=current.id if current else draft.id,
                           version=current.version + 1 if current else 1,
                           updated_at=clock.now(), updated_by=editor(uow.principal))
        uow.save_location(location)
        uow.audit("update" if current else "create", "directory_location", location.id)
        if current is not None and current.municipality_id != location.municipality_id:
            # the services offered there are now found in another town
            for service in uow.services_at_location(location.id):
                uow.save_service(service)
                publish_change(uow, service, uow.get_organization(service.organization_id),
                         DirectoryChange.DIRECTORY_CHANGE_UPDATED, ["location_ids"])
        uow.commit()
    return location.id


# -- services ----------------------------------------------------------------------------------------
def save_service(cmd: SaveService, uow: NetworkUnitOfWork) -> uuid.UUID:
    with uow:
        draft = cmd.draft.validate()
        current = None
        if cmd.service_id is not None:
            current = uow.get_service(cmd.service_id)
            if current is None:
                raise NotFound("no such directory service")
            _check_maintainer(uow.principal, uow.get_organization(current.organization_id))
        organization = uow.get_organization(draft.organization_id)
        if organization is None:
            raise invalid([("organization_id", "no such directory organisation")])
        _check_maintainer(uow.principal, organization)
        unknown = [i for i, location_id in enumerate(draft.location_ids)
                   if uow.get_location(location_id) is None]
        if unknown:
            raise invalid([(f"location_ids.{i}", "no such directory location") for i in unknown])
        check(uow.references, [Wanted(f"service_area_ids.{i}", AREA, area)
                               for i, area in enumerate(draft.service_area_ids)])
        now, by = clock.now(), editor(uow.principal)
        if current is None:
            service = replace(draft, version=1, updated_at=now, updated_by=by)
            change, changed = DirectoryChange.DIRECTORY_CHANGE_CREATED, list[str]()
        else:
            service = revise(current, draft, by, now)
            change, changed = change_of(current, service)
        uow.save_service(service)
        uow.audit("update" if current else "create", "directory_service", service.id)
        publish_change(uow, service, organization, change, changed)
        uow.commit()
    return service.id


def change_of(current: DirectoryService, service: DirectoryService
              ) -> tuple[DirectoryChange, list[str]]:
    """What the new version of a service is to its consumers, and the fields that changed."""
    change = (DirectoryChange.DIRECTORY_CHANGE_UPDATED if current.active == service.active
              else DirectoryChange.DIRECTORY_CHANGE_REACTIVATED if service.active
              else DirectoryChange.DIRECTORY_CHANGE_DEACTIVATED)
    return change, service.changed_fields(current)


def publish_change(uow: NetworkUnitOfWork, service: DirectoryService,
             organization: Organization | None, change: DirectoryChange,
             changed: list[str]) -> None:
    towns = sorted({location.municipality_id for location_id in service.location_ids
                    if (location := uow.get_location(location_id)) is not None})
    uow.publish(ServiceChanged(
        service_id=str(service.id), organization_id=str(service.organization_id),
        identity_org_id=(organization.identity_org_id or "") if organization else "",
        change=change, kind=service.kind,
        topic_areas=[f"TOPIC_AREA_{t.upper()}" for t in service.topic_areas],
        legal_areas=[f"LEGAL_AREA_{a.upper()}" for a in service.legal_areas],
        own_case_management=service.own_case_management, active=service.active,
        area_ids=list(service.service_area_ids), location_area_ids=towns,
        version=service.version, changed_by=editor(uow.principal) or "",
        changed_fields=changed,
    ), aggregate_id=service.id, sequence=service.version)


# -- the public switch -------------------------------------------------------------------------------
def set_public_directory(cmd: SetPublicDirectory, uow: NetworkUnitOfWork) -> DirectorySettings:
    with uow:
        if uow.principal is not None:
            authorize(uow.principal, (COORDINATOR,))
        settings = DirectorySettings(public_api=cmd.public_api, updated_at=clock.now(),
                                     updated_by=editor(uow.principal))
        uow.save_directory_settings(settings)
        uow.audit("update", "directory_settings", "public_api")
        uow.commit()
    return settings


# -- search ------------------------------------------------------------------------------------------
def search(uow: NetworkUnitOfWork, search: ServiceSearch, *, open_now: bool) -> ServicePage:
    """The search of a case manager (or of the public API): ``open_now`` on the tenant's
    wall clock (lotse_platform.clock: the tenant's time zone, never the server's)."""
    if open_now:
        local = clock.now().astimezone(clock.zone(uow.tenant_id)).replace(tzinfo=None)
        search = replace(search, open_at=local)
    with uow:
        return uow.search_services(search)


DIRECTORY_COMMAND_HANDLERS: dict[type, Callable[..., Any]] = {
    SaveOrganization: save_organization,
    SaveLocation: save_location,
    SaveService: save_service,
    SetPublicDirectory: set_public_directory,
}
