"""What the forum's handlers need of storage: forums, their sessions and anonymous statements,
the invitation list (personal data: ADR 0098), information events and the links from themes to
county-level case conferences, of the unit of work's tenant.

This is the interface; :class:`lotse_steering.adapters.forum_store.SqlForumStore` implements it
in the unit of work's session (``uow.forum``). Reading the invitation list through it is not yet
the audited read: the handlers in :mod:`.forum` audit every entry they show.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Protocol

from ..domain.conference_links import ConferenceLink
from ..domain.forum import Forum, ForumSession, ForumStatement
from ..domain.information_events import InformationEvent
from ..domain.invitations import Invitee


class ForumStore(Protocol):
    def add(self, item: Forum | ForumSession | ForumStatement | Invitee | InformationEvent
            | ConferenceLink) -> None: ...

    def forum(self, forum_id: uuid.UUID) -> Forum | None: ...

    def forums(self) -> list[Forum]: ...

    def session(self, session_id: uuid.UUID) -> ForumSession | None: ...

    def sessions(self, forum_id: uuid.UUID) -> list[ForumSession]:
        """Newest first."""
        ...

    def statement(self, statement_id: uuid.UUID) -> ForumStatement | None: ...

    def statements(self, session_id: uuid.UUID) -> list[ForumStatement]: ...

    def invitee(self, forum_id: uuid.UUID, invitee_id: uuid.UUID) -> Invitee | None: ...

    def invitees(self, forum_id: uuid.UUID) -> list[Invitee]: ...

    def erase(self, invitee: Invitee) -> None:
        """Delete the row (not a mark): the person's data is gone with the commit."""
        ...

    def information_event(self, event_id: uuid.UUID) -> InformationEvent | None: ...

    def information_events(self) -> list[InformationEvent]:
        """Newest first."""
        ...

    def conference_links(self, theme_id: uuid.UUID | None = None) -> list[ConferenceLink]:
        """A theme's links, or all of the tenant's."""
        ...

    def unlink(self, link: ConferenceLink) -> None: ...

    def links_by_theme(self) -> dict[str, list[date]]:
        """Every theme's links as the days they were made, by theme id."""
        ...
