"""Who may administer what in identity: the platform's one rule (role × organisation × area,
:func:`lotse_platform.auth.authorize`) applied to the record a command is about.

The caller is the unit of work's principal (``uow.principal``): the handler checks it once it
has loaded the record — a user's or client's organisation is known only then — in the
transaction that changes it, before anything changes, so no view checks the record and none can
forget it (ADR 0052). ``None`` is the service itself — the demo seed, ``lotse-identity
create-tenant`` and the other commands of its command line — and may do everything, as today.
Roles alone are declared on every view (``@requires``), which answers 403 before anything is
read; a check here repeats them where the platform's rule needs them, with the same answer.

- A tenant administrator administers every user and client of the tenant; an organisation's
  administrator (``org_admin``) only her own organisation's (and hands out no tenant-wide role:
  :func:`lotse_identity.domain.model.check_grantable`).
- An organisation's administrator changes only her organisation's name.
- Everybody sets her own password; an administrator that of the users she administers.
- The coordinating office (``coordinator``) and its assistant (``coordination_assistant``, 002
  L131) keep the training catalogue (with the tenant administrator) and the qualification
  records of every organisation's staff; an organisation's administrator reads those of her
  organisation's staff, everybody her own (ADR 0081). The assistant is tenant-wide for staff
  records in identity only: she is not among the platform's ``TENANT_WIDE_ROLES``, and no other
  service lets her role near a client's personal data.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from lotse_platform.auth import (
    AUDITOR,
    COORDINATION_ASSISTANT,
    COORDINATOR,
    ORG_ADMIN,
    TENANT_ADMIN,
    TENANT_WIDE_ROLES,
    Principal,
    authorize,
)
from lotse_platform.errors import Forbidden

#: who administers users and clients: tenant-wide, or inside her own organisation
ADMINS = (TENANT_ADMIN, ORG_ADMIN)
#: who may read the staff directory: administrators, the coordinating office and its
#: assistant, auditors
DIRECTORY_READERS = (TENANT_ADMIN, ORG_ADMIN, COORDINATOR, COORDINATION_ASSISTANT, AUDITOR)
#: who reads staff records of every organisation: the tenant-wide roles and the office's assistant
STAFF_WIDE_ROLES = TENANT_WIDE_ROLES | {COORDINATION_ASSISTANT}
#: the coordinating office and its assistant (002 L131 "0,5 Assistenzstelle"): they record
#: the staff's trainings (001 L384 "Organisation der Schulungen")
OFFICE = (COORDINATOR, COORDINATION_ASSISTANT)
#: who keeps the training catalogue
CATALOGUE_KEEPERS = (TENANT_ADMIN, *OFFICE)
#: who reads another user's qualification records (an org_admin: her organisation's staff only)
QUALIFICATION_READERS = (TENANT_ADMIN, ORG_ADMIN, *OFFICE)


def authorize_staff_read(principal: Principal | None, roles: Iterable[str],
                         organisation_id: uuid.UUID | str) -> None:
    """The caller may read a staff record of this organisation with one of ``roles``: the
    staff-wide ones anywhere in the tenant, the others (an org_admin) in their own only."""
    if principal is None:
        return
    allowed = tuple(roles)
    if principal.roles & STAFF_WIDE_ROLES & set(allowed):
        return
    authorize(principal, allowed, organisation=str(organisation_id))


def authorize_qualification_read(principal: Principal | None, user_id: uuid.UUID,
                                 organisation_id: uuid.UUID) -> None:
    """Her own records everybody; another's the office, the tenant administrator and the
    administrator of the user's organisation."""
    if principal is None or (principal.subject == str(user_id) and not principal.is_client):
        return
    authorize_staff_read(principal, QUALIFICATION_READERS, organisation_id)


def authorize_administration(principal: Principal | None,
                             organisation_id: uuid.UUID | str) -> None:
    """The caller administers the users and clients of this organisation: a tenant
    administrator, or the organisation's own administrator."""
    if principal is not None:
        authorize(principal, ADMINS, organisation=str(organisation_id))


def authorize_organisation_change(principal: Principal | None, organisation_id: uuid.UUID,
                                  changed: Iterable[str]) -> None:
    """Tenant administrators change anything of an organisation; an organisation's
    administrator only its name, and only her own organisation's."""
    if principal is None:
        return
    authorize(principal, (TENANT_ADMIN, ORG_ADMIN), organisation=str(organisation_id))
    if not principal.has_any_role(TENANT_ADMIN) and set(changed) - {"name"}:
        raise Forbidden("an organisation's administrator changes only its name")


def sets_own_password(principal: Principal | None, user_id: uuid.UUID) -> bool:
    """Whether the caller sets her own password; anybody else must be an administrator
    (refused here, before the user is read) of the user's organisation
    (:func:`authorize_administration`, once she is read)."""
    if principal is None:
        return True
    if principal.subject == str(user_id) and not principal.is_client:
        return True
    if not principal.has_any_role(TENANT_ADMIN, ORG_ADMIN):
        raise Forbidden("only the user herself or an administrator sets a password")
    return False


def authorize_catalogue(principal: Principal | None) -> None:
    """The caller keeps the training catalogue: the tenant administrator or the office."""
    if principal is not None:
        authorize(principal, CATALOGUE_KEEPERS)


def authorize_office(principal: Principal | None) -> None:
    """The caller records qualifications: the coordinating office or its assistant."""
    if principal is not None:
        authorize(principal, OFFICE)
