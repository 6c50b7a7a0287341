"""The forum's storage on SQLAlchemy, in the unit of work's session (row-level security keeps it
to the tenant)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.orm import Session

from ..domain.conference_links import ConferenceLink
from ..domain.forum import Forum, ForumSession, ForumStatement
from ..domain.information_events import InformationEvent
from ..domain.invitations import Invitee


class SqlForumStore:
    def __init__(self, session: Session, tenant_id: uuid.UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    def add(self, item: Forum | ForumSession | ForumStatement | Invitee | InformationEvent
            | ConferenceLink) -> None:
        item.tenant_id = self._tenant_id
        self._session.add(item)

    def forum(self, forum_id: uuid.UUID) -> Forum | None:
        return self._session.get(Forum, forum_id)

    def forums(self) -> list[Forum]:
        return self._session.query(Forum).order_by(Forum.name).all()

    def session(self, session_id: uuid.UUID) -> ForumSession | None:
        return self._session.get(ForumSession, session_id)

    def sessions(self, forum_id: uuid.UUID) -> list[ForumSession]:
        return (self._session.query(ForumSession).filter(ForumSession.forum_id == forum_id)
                .order_by(ForumSession.held_on.desc(), ForumSession.topic).all())

    def statement(self, statement_id: uuid.UUID) -> ForumStatement | None:
        return self._session.get(ForumStatement, statement_id)

    def statements(self, session_id: uuid.UUID) -> list[ForumStatement]:
        return (self._session.query(ForumStatement)
                .filter(ForumStatement.session_id == session_id)
                .order_by(ForumStatement.topic_area, ForumStatement.id).all())

    def invitee(self, forum_id: uuid.UUID, invitee_id: uuid.UUID) -> Invitee | None:
        found = self._session.get(Invitee, invitee_id)
        return found if found is not None and found.forum_id == forum_id else None

    def invitees(self, forum_id: uuid.UUID) -> list[Invitee]:
        return (self._session.query(Invitee).filter(Invitee.forum_id == forum_id)
                .order_by(Invitee.recorded_at, Invitee.id).all())

    def invitees_reached_at(self, *, phone: str | None = None,
                            email: str | None = None) -> list[Invitee]:
        """The tenant's invitees, on any forum's list, with this phone number (E.164) or this
        e-mail address (in any case). Their contact details are stored encrypted (ADR 0104), so
        SQL cannot compare them: the tenant's list — its forums' invitees, some hundreds at
        most — is read and compared here. No keyed hash beside them: nothing else looks an
        invitee up, and a hash would tell who is on two lists."""
        wanted = (email or "").strip().casefold() or None
        return [found for found in self._session.query(Invitee)
                .order_by(Invitee.recorded_at, Invitee.id).all()
                if (phone is not None and found.phone == phone)
                or (wanted is not None and (found.email or "").casefold() == wanted)]

    def erase(self, invitee: Invitee) -> None:
        self._session.delete(invitee)

    def information_event(self, event_id: uuid.UUID) -> InformationEvent | None:
        return self._session.get(InformationEvent, event_id)

    def information_events(self) -> list[InformationEvent]:
        return (self._session.query(InformationEvent)
                .order_by(InformationEvent.held_on.desc(), InformationEvent.topic).all())

    def conference_links(self, theme_id: uuid.UUID | None = None) -> list[ConferenceLink]:
        query = self._session.query(ConferenceLink)
        if theme_id is not None:
            query = query.filter(ConferenceLink.theme_id == theme_id)
        return query.order_by(ConferenceLink.linked_on, ConferenceLink.conference_id).all()

    def unlink(self, link: ConferenceLink) -> None:
        self._session.delete(link)

    def links_by_theme(self) -> dict[str, list[date]]:
        found: dict[str, list[date]] = {}
        for link in self.conference_links():
            found.setdefault(str(link.theme_id), []).append(link.linked_on)
        return found
