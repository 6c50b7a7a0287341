"""Child and youth protection on visits (*Kinder- und Jugendschutz*, seed 001 L556: "Bei
aufsuchender Arbeit in Anwesenheit von Kindern und Jugendlichen ist auch der grundlegende
Kinder- und Jugendschutz … einzuhalten").

A contact records whether children were present and whether there is a concern for a child's
wellbeing. A concern takes a clear path: the youth office (*Jugendamt*, an organisation of the
directory) is named, the case manager gets a flagged notice, the coordinating office sees it in
its list, and a referral need to that youth office is recorded — the referral itself is the
network service's. The concern's substance stays in the contact's notes (case content); the
record here holds ids and dates only.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from .model import now

NOTICE_KIND = "child_protection_concern"


@dataclass
class ChildProtectionConcern:
    """A concern for a child's wellbeing seen at a contact, and the referral need to the youth
    office it opens (``referral_status``: needed until the network service refers)."""

    case_id: uuid.UUID
    contact_id: uuid.UUID
    raised_by: str
    raised_on: date
    youth_office_org_id: str
    referral_status: str = "needed"
    raised_at: datetime = field(default_factory=now)
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    tenant_id: uuid.UUID | None = None
