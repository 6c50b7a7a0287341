"""Who may do what with notes: the platform's one rule (role × organisation × area,
:func:`lotse_platform.auth.authorize`) applied to the area a command is about.

The caller is the unit of work's principal (``uow.principal``), checked by the handler in the
transaction that changes anything, before it does (ADR 0052); ``None`` is the service itself
(the demo seed, the consumer). The roles are also declared on every view (``@requires``), which
answers 403 before anything is read.
"""

from __future__ import annotations

from lotse_platform.auth import CASE_MANAGER, COORDINATOR, Principal, authorize

NOTE_ROLES = (CASE_MANAGER, COORDINATOR)


def authorize_area(principal: Principal | None, area_id: str) -> None:
    """Case managers write and read the notes of their areas; the coordinating office all."""
    if principal is not None:
        authorize(principal, NOTE_ROLES, area=area_id)
