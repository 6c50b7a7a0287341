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
from lotse_platform.errors import Conflict, NotFound, ProblemError, Unprocessable
from lotse_platform.http.problems import problem_response

from ...domain.errors import ConsentMissing, IntakeError, InvalidField, RuleConflict, UnknownRecord
from ...domain.model import Intake
from ...domain.proposals import CaseProposal

INTAKE_ROLES = (CASE_MANAGER, COORDINATOR)
PROPOSER_ROLES = (PROVIDER_STAFF, AUTHORITY_LIAISON, CASE_MANAGER)
OFFICE_ROLES = (COORDINATOR,)
TARGET_GROUP_ADMINS = (TENANT_ADMIN, COORDINATOR)
TARGET_GROUP_READERS = (CASE_MANAGER, COORDINATOR, TENANT_ADMIN, ORG_ADMIN, PROVIDER_STAFF,
                        AUTHORITY_LIAISON, STEERING_MEMBER, AUDITOR)


class ConsentMissingProblem(Conflict):
    type_suffix = "consent-missing"


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


def to_problem(error: IntakeError) -> ProblemError:
    if isinstance(error, InvalidField):
        return Unprocessable(f"{error.field}: {error.message}",
                             errors=[{"field": error.field, "message": error.message}])
    if isinstance(error, RuleConflict):
        problem = ConsentMissingProblem if isinstance(error, ConsentMissing) else Conflict
        return problem(error.message,
                       errors=[{"field": field, "message": message}
                               for field, message in error.missing])
    if isinstance(error, UnknownRecord):
        return NotFound(str(error))
    raise TypeError(f"unmapped intake error {type(error).__name__}")


def domain_problem(error: IntakeError):
    """Error handler of every intake blueprint: a domain error as a problem document."""
    problem = to_problem(error)
    return problem_response(problem.status, detail=problem.detail, title=problem.title,
                            type_suffix=problem.type_suffix, errors=problem.errors)
