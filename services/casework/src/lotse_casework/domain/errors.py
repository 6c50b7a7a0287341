"""What the case-work rules refuse. The HTTP layer turns them into problem documents: an
:class:`Incomplete` record is 422 naming each missing field, a :class:`Refused` action 409."""

from __future__ import annotations


class CaseworkError(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class Incomplete(CaseworkError):
    """A record lacks what the rules require (SMART goal fields, a home visit's agreement …).

    ``fields`` maps each offending field to what is wrong with it.
    """

    def __init__(self, detail: str, fields: dict[str, str]) -> None:
        super().__init__(detail)
        self.fields = fields


class Refused(CaseworkError):
    """The action conflicts with the state of the case (409)."""

    def __init__(self, detail: str, **extensions) -> None:
        super().__init__(detail)
        self.extensions = extensions


class IllegalTransition(Refused):
    """A phase change the case cycle does not allow; ``allowed`` lists the ones it does."""

    def __init__(self, current: str, target: str, allowed: list[str]) -> None:
        listed = ", ".join(allowed) if allowed else "none"
        super().__init__(f"a case in phase {current} cannot go to {target}; allowed: {listed}",
                         current=current, allowed=allowed)
        self.current = current
        self.target = target
        self.allowed = allowed


class NotVisible(CaseworkError):
    """The caller may not see this record; answered like a record that does not exist (404)."""
