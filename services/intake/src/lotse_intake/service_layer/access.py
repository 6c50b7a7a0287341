"""Who may do what with the intake's records: the platform's one rule (role × organisation ×
area, :func:`lotse_platform.auth.authorize`) applied to the record a command or a read is about.

The caller is the unit of work's principal (``uow.principal``): the handler checks it once it
has loaded the record, in the transaction that changes it, before anything changes, so no view
passes a guard and none can forget one (ADR 0052). ``None`` is the service itself — the demo
seed, the worker's consumer, the command line — and may do everything, as today. The roles are
also declared on every view (``@requires``), which answers 403 before anything is loaded.

- Case managers work the intakes of their areas (area-bound); the coordinating office
  (``coordinator``) works tenant-wide.
- Partners (``provider_staff``, ``authority_liaison``) and case managers submit case proposals
  for their areas; the proposer sees only the outcome of her organisation's proposals.
- The tenant admin and the office define target groups; in a provider's own instance also the
  provider's organisation admin (the instance lets in only the provider's staff).
- Machine clients with the role ``service`` (casework) fetch handover packages and ask for the
  current state of consents at the moment of sharing (ADR 0053).
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
    Principal,
    authorize,
)
from lotse_platform.errors import Forbidden

from ..domain.errors import UnknownRecord
from ..domain.model import Intake
from ..domain.proposals import CaseProposal
from ..domain.vocabulary import ProposalRouting

INTAKE_ROLES = (CASE_MANAGER, COORDINATOR)
PROPOSER_ROLES = (PROVIDER_STAFF, AUTHORITY_LIAISON, CASE_MANAGER)
OFFICE_ROLES = (COORDINATOR,)
TARGET_GROUP_ADMINS = (TENANT_ADMIN, COORDINATOR)
TARGET_GROUP_READERS = (CASE_MANAGER, COORDINATOR, TENANT_ADMIN, ORG_ADMIN, PROVIDER_STAFF,
                        AUTHORITY_LIAISON, STEERING_MEMBER, AUDITOR)


def authorize_intake(principal: Principal | None, intake: Intake) -> None:
    """The caller may work (and read) this intake: a case manager of its area, or the office."""
    if principal is not None:
        authorize(principal, INTAKE_ROLES, area=intake.area_id)


def authorize_contact(principal: Principal | None, area_id: str,
                      roles: tuple[str, ...] = INTAKE_ROLES) -> None:
    """The caller may record a first contact in ``area_id`` with one of ``roles``: case
    managers in their areas, the office anywhere (a case proposal: partners in theirs)."""
    if principal is not None:
        authorize(principal, roles, area=area_id)


def authorize_search(principal: Principal | None) -> None:
    """Searching for an earlier intake of a person is tenant-wide (parallel care in another
    town): case managers and the office."""
    if principal is not None:
        authorize(principal, INTAKE_ROLES)


def sees_intake(principal: Principal | None, intake: Intake) -> bool:
    """The intake belongs on the caller's lists: the office sees all, a case manager her areas'."""
    return (principal is None or principal.has_any_role(COORDINATOR)
            or (principal.has_any_role(CASE_MANAGER) and intake.area_id in principal.areas))


def area_scope(principal: Principal | None) -> set[str] | None:
    """The areas whose intakes the caller may list; None: all of the tenant's."""
    if principal is None or principal.has_any_role(COORDINATOR):
        return None
    return set(principal.areas)


def authorize_outcome(principal: Principal | None, proposal: CaseProposal) -> None:
    """The proposer's organisation sees its own proposals' outcome; the office sees all.
    Another organisation's proposal is not found, not forbidden: its existence is no one
    else's business."""
    if principal is None or principal.has_any_role(*OFFICE_ROLES):
        return
    authorize(principal, PROPOSER_ROLES)
    if proposal.proposing_org_id != principal.organisation:
        raise UnknownRecord("no such case proposal")


def authorize_proposal_decision(principal: Principal | None, proposal: CaseProposal,
                                routing: ProposalRouting) -> bool:
    """The office decides every proposal; where partners report to the case manager
    (``case_manager``), the case manager of the proposal's area decides too. Returns whether
    the decider is that case manager (not the office)."""
    if principal is None or principal.has_any_role(*OFFICE_ROLES):
        return False
    if routing != ProposalRouting.CASE_MANAGER:
        raise Forbidden("this county's case proposals are decided by the coordinating office")
    authorize(principal, (CASE_MANAGER,), area=proposal.area_id)
    return True


def proposal_scope(principal: Principal | None, routing: ProposalRouting) -> set[str] | None:
    """The areas whose proposals the caller lists (None: all): the office all; a case manager
    her areas' where partners report to her, else none (403)."""
    if principal is None or principal.has_any_role(*OFFICE_ROLES):
        return None
    if routing != ProposalRouting.CASE_MANAGER or not principal.has_any_role(CASE_MANAGER):
        raise Forbidden("this county's case proposals are listed for the coordinating office")
    return set(principal.areas)


def authorize_target_groups(principal: Principal | None, operator_org_id: str) -> None:
    """The tenant admin or the office define and end target groups; in a provider's own
    instance (``operator_org_id`` set) also the provider's organisation admin."""
    if principal is None or operator_org_id or principal.has_any_role(*TARGET_GROUP_ADMINS):
        return
    raise Forbidden("this action requires one of the roles: coordinator, tenant_admin")


def authorize_handover(principal: Principal | None) -> None:
    """Handover packages are for machine clients (casework), not for people."""
    if principal is not None and not principal.is_client:
        raise Forbidden("handover packages are for machine clients only")


def authorize_consent_state(principal: Principal | None) -> None:
    """The current state of consents is asked by machine clients (casework, at the moment it
    shares a case: ADR 0053), not by people, who read the intake itself."""
    if principal is not None and not principal.is_client:
        raise Forbidden("the current state of consents is for machine clients only")
