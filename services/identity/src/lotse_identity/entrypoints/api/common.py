"""What every admin view shares: target lookups and roles. Who administers what is the service
layer's policy (:mod:`lotse_identity.service_layer.access`): the handlers check it on the record
a command is about (ADR 0052); the views' reads use its role lists and functions too."""

from __future__ import annotations

import uuid

import marshmallow as ma

from lotse_platform.auth import ROLE_LABELS, ROLES
from lotse_platform.errors import NotFound
from lotse_platform.http.text import Line

from ...service_layer.access import ADMINS, DIRECTORY_READERS

__all__ = ["ADMINS", "DIRECTORY_READERS", "EVERYONE", "RoleField", "as_uuid"]

EVERYONE = tuple(sorted(ROLES))


def as_uuid(value: str, what: str) -> uuid.UUID:
    """An id from the caller's token as a UUID; a token of an external issuer may carry
    something else, which no record here has."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound(f"no such {what}") from None


class RoleField(Line):
    """A role name (*Rolle*): tenant_admin, org_admin, coordinator, coordination_assistant,
    case_manager, authority_liaison, provider_staff, steering_member, auditor,
    data_protection_officer."""

    def __init__(self, **kwargs):
        labels = "; ".join(f"{role}: {ROLE_LABELS[role]}" for role in sorted(ROLES))
        super().__init__(validate=ma.validate.OneOf(sorted(ROLES)),
                         metadata={"enum": sorted(ROLES), "description": labels}, **kwargs)
