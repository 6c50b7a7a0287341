"""Commands of the participation forum, its invitation list, the information events and the
links from themes to case conferences (the coordinating office gives them)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from .invitations import Consent


@dataclass(frozen=True)
class SetUpForum:
    name: str
    description: str = ""


@dataclass(frozen=True)
class RecordForumSession:
    forum_id: uuid.UUID
    held_on: date
    place: str
    topic: str
    participants: int | None = None


@dataclass(frozen=True)
class RecordStatement:
    session_id: uuid.UUID
    text: str
    topic_area: str


@dataclass(frozen=True)
class AttachForumStatements:
    """Attach anonymous forum statements to a theme as its evidence."""

    theme_id: uuid.UUID
    statement_ids: tuple[uuid.UUID, ...]


@dataclass(frozen=True)
class AddInvitee:
    """Put a person on a forum's invitation list, with her consent."""

    forum_id: uuid.UUID
    name: str | None
    phone: str | None
    email: str | None
    consent: Consent


@dataclass(frozen=True)
class EraseInvitee:
    """Delete an entry of the invitation list (the office's decision, or the person's request)."""

    forum_id: uuid.UUID
    invitee_id: uuid.UUID


@dataclass(frozen=True)
class WithdrawInvitationConsent:
    """The person withdraws her consent: the entry is erased at once."""

    forum_id: uuid.UUID
    invitee_id: uuid.UUID


@dataclass(frozen=True)
class PlanInformationEvent:
    held_on: date
    topic: str
    audience: str
    speaker_organisation: str
    status: str = "planned"
    attendance: int | None = None
    theme_id: uuid.UUID | None = None
    decision_id: uuid.UUID | None = None


@dataclass(frozen=True)
class ChangeInformationEvent:
    event_id: uuid.UUID
    changes: dict[str, Any]


@dataclass(frozen=True)
class LinkConferences:
    """Set the county-level case conferences a theme links to (ids only)."""

    theme_id: uuid.UUID
    conference_ids: tuple[uuid.UUID, ...]
