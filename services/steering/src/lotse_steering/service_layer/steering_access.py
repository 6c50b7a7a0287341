"""Who may do what with the steering group and its decisions (ADR 0095):

- the coordinating office (its secretariat) keeps the members, the quorum rule, the meetings and
  the decision proposals, records the decisions and moves a theme to implemented or escalated;
- steering members read all of it and vote — their own vote, or as a member's deputy;
- case managers see nothing of it; another tenant sees nothing (every query is the tenant's,
  under row-level security).
"""

from __future__ import annotations

from lotse_platform.auth import COORDINATOR, STEERING_MEMBER, Principal, authorize

STEERING_GROUP_EDITORS = (COORDINATOR,)
STEERING_GROUP_READERS = (COORDINATOR, STEERING_MEMBER)
VOTERS = (STEERING_MEMBER,)


def authorize_office(principal: Principal | None) -> None:
    """Only the coordinating office edits (the service itself, e.g. the seed, may)."""
    if principal is not None:
        authorize(principal, STEERING_GROUP_EDITORS)


def authorize_voter(principal: Principal | None) -> None:
    if principal is not None:
        authorize(principal, VOTERS)
