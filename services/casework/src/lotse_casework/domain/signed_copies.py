"""Signed copies of a case's forms (issue 10): the counselling agreement (*Beratungsvereinbarung*)
and the help plan (*Hilfeplan*), printed, signed, scanned and attached to the case.

Stored sealed with the tenant's key (ADR 0082, :mod:`lotse_platform.signed_copies`); kept as
evidence of what was signed, also when a consent is withdrawn later (docs/casework.md).
"""

from __future__ import annotations

from enum import StrEnum


class SignedForm(StrEnum):
    """Which signed form a copy is of; German labels in :data:`SIGNED_FORM_LABELS`."""

    COUNSELLING_AGREEMENT = "counselling_agreement"
    HELP_PLAN = "help_plan"


SIGNED_FORM_LABELS: dict[SignedForm, str] = {
    SignedForm.COUNSELLING_AGREEMENT: "Beratungsvereinbarung (unterschrieben)",
    SignedForm.HELP_PLAN: "Hilfeplan (unterschrieben)",
}
