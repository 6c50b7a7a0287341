"""What can go wrong in intake, in the domain's words. Each error is one of the platform's
problem classes (:mod:`lotse_platform.errors`), so it knows its status and the platform's one
error handler answers it: :class:`InvalidField` → 422 naming the field, :class:`RuleConflict` →
409 saying what is missing (:class:`ConsentMissing`: problem type ``consent-missing``),
:class:`UnknownRecord` → 404. Messages never quote personal data."""

from __future__ import annotations

from lotse_platform.errors import Conflict, NotFound, ProblemError, Unprocessable


class IntakeError(ProblemError):
    """Base of the intake's domain errors."""


class InvalidField(IntakeError, Unprocessable):
    """A value breaks a rule that belongs to one field (422)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", errors=[{"field": field, "message": message}])
        self.field = field
        self.message = message


class RuleConflict(IntakeError, Conflict):
    """The record's state does not allow the action (409); ``missing`` names what would."""

    def __init__(self, message: str, missing: list[tuple[str, str]] | None = None) -> None:
        self.missing = missing or []
        super().__init__(message, errors=[{"field": field, "message": why}
                                          for field, why in self.missing])
        self.message = message


class ConsentMissing(RuleConflict):
    """A consent the action depends on is not there, not valid, or withdrawn (409)."""

    type_suffix = "consent-missing"


class UnknownRecord(IntakeError, NotFound):
    """No such record for this tenant (404) — also when it exists for another tenant."""
