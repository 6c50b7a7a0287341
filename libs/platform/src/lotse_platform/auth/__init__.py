"""Authentication and authorisation shared by every service.

- :class:`TokenVerifier` turns a bearer token into a :class:`Principal` (keys from
  :class:`JWKSCache` or :class:`StaticKeys`); :class:`TrustedIssuers` chooses among several
  (identity and external OIDC issuers, whose claims a :class:`ClaimMapping` translates);
- :func:`install_authentication` / :func:`current_principal` wire it into Flask;
- :func:`requires` / :func:`authorize` are the one policy: role × organisation × area;
- :mod:`.devtokens` issues tokens for development and tests only.
"""

from typing import TYPE_CHECKING

from .claims import ClaimMapping
from .issuers import TrustedIssuers, verifier_from_settings
from .keys import JWKSCache, KeySource, StaticKeys
from .principal import (
    AUDITOR,
    AUTHORITY_LIAISON,
    CASE_MANAGER,
    COORDINATION_ASSISTANT,
    COORDINATOR,
    DATA_PROTECTION_OFFICER,
    ORG_ADMIN,
    PROVIDER_STAFF,
    ROLE_LABELS,
    ROLES,
    SERVICE,
    STEERING_MEMBER,
    TENANT_ADMIN,
    TENANT_WIDE_ROLES,
    Principal,
)
from .tokens import ASYMMETRIC_ALGORITHMS, TokenVerifier

if TYPE_CHECKING:  # the names as the type checker sees them; at run time from __getattr__
    from .policy import authorize, requires
    from .web import PUBLIC_PATHS, current_principal, install_authentication, public

#: names of the Flask side (``.web``, ``.policy``), imported when first asked for: a worker, which
#: serves no HTTP, verifies no token of a request and so never loads Flask (issue 16: about 25 MB
#: of every worker process)
_WEB_NAMES = {"PUBLIC_PATHS": "web", "current_principal": "web",
              "install_authentication": "web", "public": "web",
              "authorize": "policy", "requires": "policy"}


def __getattr__(name: str) -> object:
    module = _WEB_NAMES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{module}", __name__), name)


__all__ = [
    "ASYMMETRIC_ALGORITHMS",
    "AUDITOR",
    "AUTHORITY_LIAISON",
    "CASE_MANAGER",
    "ClaimMapping",
    "COORDINATION_ASSISTANT",
    "COORDINATOR",
    "DATA_PROTECTION_OFFICER",
    "JWKSCache",
    "KeySource",
    "ORG_ADMIN",
    "PROVIDER_STAFF",
    "PUBLIC_PATHS",
    "Principal",
    "ROLE_LABELS",
    "ROLES",
    "SERVICE",
    "STEERING_MEMBER",
    "StaticKeys",
    "TENANT_ADMIN",
    "TENANT_WIDE_ROLES",
    "TokenVerifier",
    "TrustedIssuers",
    "authorize",
    "current_principal",
    "install_authentication",
    "public",
    "requires",
    "verifier_from_settings",
]
