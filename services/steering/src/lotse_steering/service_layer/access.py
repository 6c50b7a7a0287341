"""Who may do what in steering: the platform's roles (:func:`lotse_platform.auth.authorize`).

- Candidates for a case reconstruction: the coordinating office sees the county's; a case
  manager only the candidates among her own cases (by the case manager id casework's events
  carry). Steering members never see cases (they see themes): 403.
- Reconstruction sessions: the coordinating office records them (it moderates); it and the case
  managers (who present) read them.
- Proposed themes: the coordinating office, the case managers and the steering group read them;
  a steering member sees a theme's evidence as counts, not as case ids.
- Topics flagged in 2-week reports: the coordinating office and the steering group read them;
  the office attaches them to a theme as evidence.
- Project groups (ADR 0096): the coordinating office edits everything; the group's members read
  it and edit its goal system and service chains; steering members read; anyone else nothing.
"""

from __future__ import annotations

from lotse_platform.auth import (
    AUTHORITY_LIAISON,
    CASE_MANAGER,
    COORDINATOR,
    PROVIDER_STAFF,
    STEERING_MEMBER,
    Principal,
    authorize,
)
from lotse_platform.errors import Forbidden

CANDIDATE_ROLES = (COORDINATOR, CASE_MANAGER)
RECONSTRUCTION_WRITERS = (COORDINATOR,)
RECONSTRUCTION_READERS = (COORDINATOR, CASE_MANAGER)
THEME_READERS = (COORDINATOR, CASE_MANAGER, STEERING_MEMBER)
#: topics flagged in 2-week reports (topic area and period, no text, no reporter)
TOPIC_READERS = (COORDINATOR, STEERING_MEMBER)


def sees_every_case(principal: Principal | None) -> bool:
    return principal is None or principal.has_any_role(COORDINATOR)


def sees_case_ids(principal: Principal | None) -> bool:
    return principal is None or principal.has_any_role(COORDINATOR, CASE_MANAGER)


def authorize_moderator(principal: Principal | None) -> None:
    """Only the coordinating office holds (moderates) a case reconstruction."""
    if principal is not None:
        authorize(principal, RECONSTRUCTION_WRITERS)


# -- project groups (issue 13 step 4, ADR 0096) ------------------------------------------------

#: who passes the role gate of a project group's reads; a case manager, a provider's or an
#: authority's staff then only as a member of the group (:func:`group_access`)
GROUP_READERS = (COORDINATOR, STEERING_MEMBER, CASE_MANAGER, PROVIDER_STAFF, AUTHORITY_LIAISON)
#: who passes the role gate of the group's working documents (goal system, service chains):
#: the office, and the members among these roles
GROUP_WORKERS = (COORDINATOR, CASE_MANAGER, PROVIDER_STAFF, AUTHORITY_LIAISON)
#: the mandate's side: members, meetings, the presentation of the result
GROUP_EDITORS = (COORDINATOR,)

READ, WORK, EDIT = "read", "work", "edit"


def group_access(principal: Principal | None, is_member: bool) -> str:
    """What the caller may do with one project group: the coordinating office edits everything
    (``edit``); a member of the group reads it and edits its goal system and service chains
    (``work``) unless she sits on the steering group only; a steering member reads (``read``).
    Anyone else — a case manager who is no member — is refused (403)."""
    if principal is None or principal.has_any_role(COORDINATOR):
        return EDIT
    if is_member and principal.has_any_role(CASE_MANAGER, PROVIDER_STAFF, AUTHORITY_LIAISON):
        return WORK
    if is_member or principal.has_any_role(STEERING_MEMBER):
        return READ
    raise Forbidden("only the group's members, the coordinating office and the steering group "
                    "see a project group")


def sees_every_group(principal: Principal | None) -> bool:
    return principal is None or principal.has_any_role(COORDINATOR, STEERING_MEMBER)
