"""The stand-in domain: notes recorded on an area, and a tally per area kept from events.

It exists to exercise the platform (outbox, relay, bus, inbox, tenancy, HTTP) until the real
services (identity, intake, casework …) replace it. No SQLAlchemy, Flask or kombu here.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from lotse_platform.errors import Unprocessable

MAX_NOTE_LENGTH = 2000


class EmptyNote(Unprocessable):
    """A note needs text (422 naming ``text``)."""

    def __init__(self) -> None:
        super().__init__("a note needs text", errors=[{"field": "text",
                                                        "message": "a note needs text"}])


@dataclass
class Note:
    area_id: str
    author_id: str
    text: str
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    recorded_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    tenant_id: uuid.UUID | None = None

    @classmethod
    def record(cls, area_id: str, author_id: str, text: str) -> Note:
        if not text.strip():
            raise EmptyNote()
        return cls(area_id=area_id, author_id=author_id, text=text.strip())


@dataclass
class AreaTally:
    """How many notes were recorded in an area: a read model fed by NoteRecorded events."""

    area_id: str
    notes: int = 0
    tenant_id: uuid.UUID | None = None

    def count(self) -> None:
        self.notes += 1
