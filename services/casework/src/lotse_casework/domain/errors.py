"""What the case-work rules refuse. Each refusal is one of the platform's problem classes
(:mod:`lotse_platform.errors`), so it knows its status and the platform's one error handler
answers it: an :class:`Incomplete` record is 422 naming each missing field, a :class:`Refused`
action 409 (with its extensions, e.g. the allowed phases), a record the caller may not see 404."""

from __future__ import annotations

from typing import Any

from lotse_platform.errors import Conflict, NotFound, ProblemError, Unprocessable


class CaseworkError(ProblemError):
    """Base of casework's refusals."""


class Incomplete(CaseworkError, Unprocessable):
    """A record lacks what the rules require (SMART goal fields, a home visit's agreement …).

    ``fields`` maps each offending field to what is wrong with it.
    """

    def __init__(self, detail: str, fields: dict[str, str]) -> None:
        super().__init__(detail, errors=[{"field": f, "message": m} for f, m in fields.items()])
        self.fields = fields


class Refused(CaseworkError, Conflict):
    """The action conflicts with the state of the case (409)."""

    def __init__(self, detail: str, **extensions: Any) -> None:
        super().__init__(detail, extensions=extensions)


class IllegalTransition(Refused):
    """A phase change the case cycle does not allow; ``allowed`` lists the ones it does."""

    def __init__(self, current: str, target: str, allowed: list[str]) -> None:
        listed = ", ".join(allowed) if allowed else "none"
        super().__init__(f"a case in phase {current} cannot go to {target}; allowed: {listed}",
                         current=current, allowed=allowed)
        self.current = current
        self.target = target
        self.allowed = allowed


class NotVisible(CaseworkError, NotFound):
    """The caller may not see this record; answered like a record that does not exist (404)."""


class MemberRefused(CaseworkError, Conflict):
    """One member case of a household cannot take what the request asks (409), named in
    ``errors`` by its place in the request (``members.N.case_id``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", errors=[{"field": field, "message": message}])
