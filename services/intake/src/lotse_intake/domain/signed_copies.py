"""Signed copies of the intake's forms (issue 10): the data-protection consent and the release
from confidentiality, printed, signed by the person, scanned and attached to the intake.

The copy is evidence of what was signed and when: a withdrawn consent does not delete it (the
withdrawal ends the processing from then on; docs/intake.md). Stored sealed with the tenant's
key (ADR 0082, :mod:`lotse_platform.signed_copies`).
"""

from __future__ import annotations

from enum import StrEnum


class SignedForm(StrEnum):
    """Which signed form a copy is of; German labels in :data:`SIGNED_FORM_LABELS`."""

    DATA_PROTECTION_CONSENT = "data_protection_consent"
    CONFIDENTIALITY_RELEASE = "confidentiality_release"


SIGNED_FORM_LABELS: dict[SignedForm, str] = {
    SignedForm.DATA_PROTECTION_CONSENT: "Datenschutzeinwilligung (unterschrieben)",
    SignedForm.CONFIDENTIALITY_RELEASE: "Schweigepflichtentbindung (unterschrieben)",
}
