"""How the claims of an external issuer's token become a :class:`Principal`.

Identity's tokens carry Lotse's own claims (``tenant``, ``org``, ``roles``, ``areas``; see
:mod:`.tokens`). A county's own OIDC provider (its Keycloak, say) does not: it knows nothing of
tenants, and names roles its own way. A :class:`ClaimMapping` says, per trusted external issuer:

- the tenant is fixed (an issuer serves one county);
- the organisation is fixed, or read from a claim;
- roles are read from a claim (a dotted path such as ``realm_access.roles`` reaches into
  objects) and translated through ``role_map``; names the map does not know are dropped, so an
  external issuer can grant no Lotse role by merely naming it;
- areas are read from a claim, or there are none.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import Unauthenticated
from .principal import Principal


@dataclass(frozen=True)
class ClaimMapping:
    """Where an external issuer's token keeps what a :class:`Principal` needs."""

    tenant: uuid.UUID
    subject_claim: str = "sub"
    organisation: str | None = None
    organisation_claim: str | None = None
    role_claim: str | None = "roles"
    role_map: Mapping[str, str] = field(default_factory=dict)
    area_claim: str | None = None
    client_id_claim: str | None = None

    def __post_init__(self) -> None:
        if (self.organisation is None) == (self.organisation_claim is None):
            raise ValueError("a claim mapping needs either a fixed organisation or "
                             "an organisation claim, not both")

    @property
    def required_claims(self) -> tuple[str, ...]:
        """Top-level claims a token must have (nested paths are checked when read)."""
        names = [self.subject_claim, self.organisation_claim]
        return tuple(name for name in names if name and "." not in name)

    def principal(self, claims: Mapping[str, Any], *, issuer: str) -> Principal:
        subject = _string(claims, self.subject_claim)
        organisation = self.organisation or _string(claims, self.organisation_claim or "")
        roles = frozenset(self.role_map[name] for name in _strings(claims, self.role_claim)
                          if name in self.role_map)
        areas = frozenset(_strings(claims, self.area_claim))
        client_id = None
        if self.client_id_claim and lookup(claims, self.client_id_claim) is not None:
            client_id = _string(claims, self.client_id_claim)
        token_id = claims.get("jti")
        return Principal(
            subject=client_id or subject,
            tenant=self.tenant,
            organisation=organisation,
            areas=areas,
            roles=roles,
            kind="client" if client_id else "user",
            token_id=token_id if isinstance(token_id, str) else None,
            issuer=issuer,
        )


def lookup(claims: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted ``path`` (``realm_access.roles``), or None."""
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _string(claims: Mapping[str, Any], path: str) -> str:
    value = lookup(claims, path)
    if not isinstance(value, str) or not value:
        raise Unauthenticated(f"token claim '{path}' is missing or not a string")
    return value


def _strings(claims: Mapping[str, Any], path: str | None) -> list[str]:
    """A list of strings, or a space-separated string (OAuth ``scope`` style); absent: none."""
    if not path:
        return []
    value = lookup(claims, path)
    if value is None:
        return []
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list) and all(isinstance(item, str) and item for item in value):
        return list(value)
    raise Unauthenticated(f"token claim '{path}' must be a list of strings")
