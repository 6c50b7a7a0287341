"""Authentication and authorisation shared by every service.

- :class:`TokenVerifier` turns a bearer token into a :class:`Principal` (keys from
  :class:`JWKSCache` or :class:`StaticKeys`); :class:`TrustedIssuers` chooses among several
  (identity and external OIDC issuers, whose claims a :class:`ClaimMapping` translates);
- :func:`install_authentication` / :func:`current_principal` wire it into Flask;
- :func:`requires` / :func:`authorize` are the one policy: role × organisation × area;
- :mod:`.devtokens` issues tokens for development and tests only.
"""

from typing import TYPE_CHECKING

import lazy_loader

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

#: the Flask side (``.web``, ``.policy``) is imported when one of its names is first asked for
#: (lazy_loader): a worker, which serves no HTTP and verifies no request's token, never loads
#: Flask (issue 16: about 25 MB of every worker process)
__getattr__, _, _ = lazy_loader.attach(__name__, submod_attrs={
    "web": ["PUBLIC_PATHS", "current_principal", "install_authentication", "public"],
    "policy": ["authorize", "requires"]})

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
