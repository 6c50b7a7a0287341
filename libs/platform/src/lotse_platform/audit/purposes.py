"""Why someone reads personal data that is not hers to work on: a controlled vocabulary
(*Zweckbestimmung*), the same in every service.

The audit trail is append-only and hash-chained: nothing in it can ever be erased. So what it
says about *why* is one of these codes, never text a caller typed (a name typed into a free-text
purpose would stay there for good). A caller may add a short note (``purpose_note``); it is kept
outside the trail, in the erasable ``audit_note`` table keyed by the entry (:mod:`.notes`).

In the trail a purpose is the entry's ``reason``, written ``purpose:<code>``
(e.g. ``purpose:quality_assurance``). Plain Python: the domain may use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

REASON_PREFIX = "purpose:"

#: the longest note a caller may attach to a purpose (stored outside the trail)
MAX_NOTE_LENGTH = 1000


class Purpose(StrEnum):
    """The purposes of reading someone else's records; German labels in :data:`LABELS`."""

    supervision = "supervision"
    quality_assurance = "quality_assurance"
    data_subject_request = "data_subject_request"
    complaint = "complaint"
    audit = "audit"
    incident = "incident"

    @property
    def reason(self) -> str:
        """The audit entry's ``reason`` for this purpose."""
        return REASON_PREFIX + self.value

    @property
    def label(self) -> str:
        return LABELS[self]


#: what the users read (the console, docs/casework.md)
LABELS: dict[Purpose, str] = {
    Purpose.supervision: "Fachaufsicht",
    Purpose.quality_assurance: "Qualitätssicherung",
    Purpose.data_subject_request: "Anfrage der betroffenen Person (Art. 15–22 DSGVO)",
    Purpose.complaint: "Beschwerdebearbeitung",
    Purpose.audit: "Datenschutzprüfung / Revision",
    Purpose.incident: "Aufklärung eines Datenschutzvorfalls (Art. 33 DSGVO)",
}


def purpose_of(reason: str | None) -> Purpose | None:
    """The purpose an audit entry's ``reason`` names, or None."""
    if reason is None or not reason.startswith(REASON_PREFIX):
        return None
    try:
        return Purpose(reason[len(REASON_PREFIX):])
    except ValueError:
        return None


@dataclass(frozen=True)
class StatedPurpose:
    """A purpose as a caller states it: the code (goes into the audit trail) and an optional note
    (goes into ``audit_note``, outside the trail, erasable)."""

    purpose: Purpose
    note: str | None = None

    def __post_init__(self) -> None:
        note = (self.note or "").strip() or None
        if note is not None and len(note) > MAX_NOTE_LENGTH:
            raise ValueError(f"a purpose note has at most {MAX_NOTE_LENGTH} characters")
        object.__setattr__(self, "note", note)
