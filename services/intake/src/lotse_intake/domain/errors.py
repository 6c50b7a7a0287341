"""What can go wrong in intake, in the domain's words. The API turns these into problem
documents: :class:`InvalidField` → 422 naming the field, :class:`RuleConflict` → 409 saying what
is missing, :class:`UnknownRecord` → 404. Messages never quote personal data."""

from __future__ import annotations


class IntakeError(Exception):
    """Base of the intake's domain errors."""


class InvalidField(IntakeError):
    """A value breaks a rule that belongs to one field (422)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class RuleConflict(IntakeError):
    """The record's state does not allow the action (409); ``missing`` names what would."""

    def __init__(self, message: str, missing: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.missing = missing or []


class ConsentMissing(RuleConflict):
    """A consent the action depends on is not there, not valid, or withdrawn (409)."""


class UnknownRecord(IntakeError):
    """No such record for this tenant (404) — also when it exists for another tenant."""
