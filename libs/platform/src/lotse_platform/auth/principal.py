"""Who is calling: the :class:`Principal` taken from a verified access token, and the roles the
platform knows (DOMAIN.md §1)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Literal

# Roles known to the platform. A token may carry others (an external issuer adds its own);
# they are kept on the principal but no policy of the platform refers to them.
TENANT_ADMIN = "tenant_admin"  # administers the deployment's tenant (the county)
ORG_ADMIN = "org_admin"  # administers one organisation (employer, provider, authority)
COORDINATOR = "coordinator"  # Koordinierende Stelle: Fachaufsicht over all case managers
# Assistenz der Koordinierenden Stelle (002 L131 "0,5 Assistenzstelle"): the office's
# administration — training catalogue, qualification records, staff directory. Not tenant-wide:
# no service lets it near a client's personal data (ADR 0081).
COORDINATION_ASSISTANT = "coordination_assistant"
CASE_MANAGER = "case_manager"  # Case-Managerin: works cases in her areas
AUTHORITY_LIAISON = "authority_liaison"  # Ausländer-/Einbürgerungsbehörde (building block 3)
PROVIDER_STAFF = "provider_staff"  # partner staff receiving referrals (Träger, Beratungsstelle)
STEERING_MEMBER = "steering_member"  # Lenkungsgruppe: aggregates only, never personal data
AUDITOR = "auditor"  # reads the audit trail (Datenschutz, Revision)
# Datenschutzbeauftragte/r of the county (Art. 37-39 GDPR): the data-protection APIs only (the
# data map, later subject access and erasure); no service lets the role near a client's personal
# data through its normal APIs (ADR 0100).
DATA_PROTECTION_OFFICER = "data_protection_officer"
# A Lotse service calling another (client credentials), e.g. casework fetching a handover
# package from intake. Only machine clients registered by a tenant_admin carry it; an endpoint
# that accepts it checks `principal.is_client` as well.
SERVICE = "service"

ROLES: frozenset[str] = frozenset({
    TENANT_ADMIN, ORG_ADMIN, COORDINATOR, COORDINATION_ASSISTANT, CASE_MANAGER,
    AUTHORITY_LIAISON, PROVIDER_STAFF, STEERING_MEMBER, AUDITOR, DATA_PROTECTION_OFFICER,
    SERVICE,
})

#: what users read (German first, as the counties name them)
ROLE_LABELS: dict[str, str] = {
    TENANT_ADMIN: "Administration des Kreises",
    ORG_ADMIN: "Administration der Organisation",
    COORDINATOR: "Koordinierende Stelle",
    COORDINATION_ASSISTANT: "Assistenz der Koordinierenden Stelle",
    CASE_MANAGER: "Case-Managerin / Case-Manager",
    AUTHORITY_LIAISON: "Ausländer-/Einbürgerungsbehörde (Integrationslotsin)",
    PROVIDER_STAFF: "Fachkraft eines Trägers",
    STEERING_MEMBER: "Lenkungsgruppe",
    AUDITOR: "Datenschutz / Revision",
    DATA_PROTECTION_OFFICER: "Datenschutzbeauftragte/r",
    SERVICE: "Lotse-Dienst (Maschine)",
}

# Not limited by organisation or area: they act for the whole tenant.
TENANT_WIDE_ROLES: frozenset[str] = frozenset({TENANT_ADMIN, COORDINATOR, AUDITOR})

PrincipalKind = Literal["user", "client"]


@dataclass(frozen=True)
class Principal:
    """The caller of a request, as the identity service vouched for it.

    ``subject`` is the user id, or for a machine client (client-credentials grant) its client id;
    both are ids, never names, so they can go into logs and the audit trail.
    """

    subject: str
    tenant: uuid.UUID
    organisation: str
    areas: frozenset[str] = field(default_factory=frozenset)
    roles: frozenset[str] = field(default_factory=frozenset)
    kind: PrincipalKind = "user"
    token_id: str | None = None
    #: the ``iss`` that vouched for the caller: identity, or a trusted external issuer
    issuer: str | None = None

    def has_any_role(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)

    @property
    def is_client(self) -> bool:
        return self.kind == "client"
