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
"""

from __future__ import annotations

from lotse_platform.auth import CASE_MANAGER, COORDINATOR, STEERING_MEMBER, Principal, authorize

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
