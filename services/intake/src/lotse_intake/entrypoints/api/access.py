"""Who may do what in the intake API, and how domain errors become problem documents.

- Case managers work the intakes of their areas (area-bound); the coordinating office
  (``coordinator``) works tenant-wide.
- Partners (``provider_staff``, ``authority_liaison``) and case managers submit case proposals;
  the proposer sees only the outcome of her organisation's proposals.
- Machine clients with the role ``service`` (casework) fetch handover packages.
- A record of another tenant is never found (404): the tenant session filters it, row-level
  security stands behind.
"""

from __future__ import annotations

from lotse_platform.auth import (
    AUDITOR,
    AUTHORITY_LIAISON,
    CASE_MANAGER,
    COORDINATOR,
    ORG_ADMIN,
    PROVIDER_STAFF,
    STEERING_MEMBER,
    TENANT_ADMIN,
    TENANT_WIDE_ROLES,
    Principal,
    authorize,
)

from ...domain.errors import UnknownRecord
from ...domain.model import Intake
from ...domain.proposals import CaseProposal

INTAKE_ROLES = (CASE_MANAGER, COORDINATOR)
PROPOSER_ROLES = (PROVIDER_STAFF, AUTHORITY_LIAISON, CASE_MANAGER)
OFFICE_ROLES = (COORDINATOR,)
TARGET_GROUP_ADMINS = (TENANT_ADMIN, COORDINATOR)
TARGET_GROUP_READERS = (CASE_MANAGER, COORDINATOR, TENANT_ADMIN, ORG_ADMIN, PROVIDER_STAFF,
                        AUTHORITY_LIAISON, STEERING_MEMBER, AUDITOR)


def is_tenant_wide(principal: Principal) -> bool:
    return principal.has_any_role(*TENANT_WIDE_ROLES)


def intake_guard(principal: Principal):
    """The caller may work this intake: a case manager of its area, or the office."""

    def guard(intake: Intake) -> None:
        authorize(principal, INTAKE_ROLES, area=intake.area_id)

    return guard


def visible_to(principal: Principal):
    def visible(intake: Intake) -> bool:
        return (principal.has_any_role(COORDINATOR)
                or (principal.has_any_role(CASE_MANAGER) and intake.area_id in principal.areas))

    return visible


def area_scope(principal: Principal) -> set[str] | None:
    """The areas whose intakes the caller may list; None: all of the tenant's."""
    return None if principal.has_any_role(COORDINATOR) else set(principal.areas)


def proposer_guard(principal: Principal):
    """The proposer's organisation sees its own proposals' outcome; the office sees all.
    Another organisation's proposal is not found, not forbidden: its existence is no one
    else's business."""

    def guard(proposal: CaseProposal) -> None:
        if principal.has_any_role(*OFFICE_ROLES):
            return
        authorize(principal, PROPOSER_ROLES)
        if proposal.proposing_org_id != principal.organisation:
            raise UnknownRecord("no such case proposal")

    return guard
