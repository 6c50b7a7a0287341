"""Who may do what with the participation forum, the information events and the cycle view.

- The coordinating office keeps everything: forums, sessions, statements, the invitation list,
  information events, theme evidence and conference links.
- Steering members read the forums, their sessions and anonymous statements, the information
  events and the cycle view — never the invitation list (403), and nothing of it appears in
  what they read.
- Case managers: nothing here (the forum is the office's format).
- The invitation list is the one piece of personal data in steering (ADR 0098): the office only,
  every read and write audited.
"""

from __future__ import annotations

from lotse_platform.auth import COORDINATOR, STEERING_MEMBER, Principal, authorize

FORUM_WRITERS = (COORDINATOR,)
FORUM_READERS = (COORDINATOR, STEERING_MEMBER)
INVITATION_KEEPERS = (COORDINATOR,)
CYCLE_READERS = (COORDINATOR, STEERING_MEMBER)


def authorize_office(principal: Principal | None) -> None:
    """The coordinating office (a request's caller); the service itself (a seed) passes."""
    if principal is not None:
        authorize(principal, FORUM_WRITERS)


def authorize_invitation_keeper(principal: Principal | None) -> None:
    """The invitation list: the coordinating office only — checked here as well as at the view,
    since it is personal data."""
    if principal is not None:
        authorize(principal, INVITATION_KEEPERS)
