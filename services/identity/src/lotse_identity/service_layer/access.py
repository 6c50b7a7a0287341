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
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from lotse_platform.auth import (
    AUDITOR,
    COORDINATOR,
    ORG_ADMIN,
    TENANT_ADMIN,
    Principal,
    authorize,
)
from lotse_platform.errors import Forbidden

#: who administers users and clients: tenant-wide, or inside her own organisation
ADMINS = (TENANT_ADMIN, ORG_ADMIN)
#: who may read the staff directory: administrators, the coordinating office, auditors
DIRECTORY_READERS = (TENANT_ADMIN, ORG_ADMIN, COORDINATOR, AUDITOR)


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
