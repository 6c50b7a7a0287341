"""What every admin view shares: target lookups and roles."""

from __future__ import annotations

import uuid

import marshmallow as ma

from lotse_platform.auth import (
    AUDITOR,
    COORDINATOR,
    ORG_ADMIN,
    ROLES,
    TENANT_ADMIN,
    current_principal,
)
from lotse_platform.errors import NotFound
from lotse_platform.service import request_uow

#: who administers users and clients: tenant-wide, or inside her own organisation
ADMINS = (TENANT_ADMIN, ORG_ADMIN)
#: who may read the staff directory: administrators, the coordinating office, auditors
DIRECTORY_READERS = (TENANT_ADMIN, ORG_ADMIN, COORDINATOR, AUDITOR)
EVERYONE = tuple(sorted(ROLES))


def uow():
    return request_uow(current_principal())


def as_uuid(value: str, what: str) -> uuid.UUID:
    """An id from the caller's token as a UUID; a token of an external issuer may carry
    something else, which no record here has."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound(f"no such {what}") from None


def org_of_user(user_id: uuid.UUID) -> str:
    """The organisation of a user of the caller's tenant; 404 for any other id."""
    with uow() as unit:
        user = unit.get_user(user_id)
        if user is None:
            raise NotFound("no such user")
        return str(user.organisation_id)


class RoleField(ma.fields.String):
    """A role name (*Rolle*): tenant_admin, org_admin, coordinator, case_manager,
    authority_liaison, provider_staff, steering_member, auditor."""

    def __init__(self, **kwargs):
        super().__init__(validate=ma.validate.OneOf(sorted(ROLES)),
                         metadata={"enum": sorted(ROLES)}, **kwargs)
