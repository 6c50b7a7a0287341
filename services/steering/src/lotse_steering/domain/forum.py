"""The participation forum (*Beteiligungsforum*, DOMAIN.md §8; seed 004 L95–L113): a format of
the coordinating office in which immigrants tell their experience, fed into the steering group.

A forum (e.g. "Beteiligungsforum Nordkreis") meets in sessions: a date, the place as an
institution's name ("Bürgerhaus Hilden"), the topic and how many took part. What was said is kept
as **anonymous statements**: the words and a topic area, never who said it. The coordinating
office can attach a statement to a generative theme as its evidence (evidence kind
``forum_statement``, beside ``reconstruction`` and the 2-week reports' topics).

The forum's invitation list is the one piece of personal data in steering; it lives apart, in
:mod:`.invitations` (ADR 0098).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from lotse_platform.errors import Conflict, Unprocessable

from .reconstructions import Theme

#: the evidence kind a statement becomes on a theme
FORUM_STATEMENT = "forum_statement"

#: the topic areas of the KIM vocabulary (lotse.kim.v1.TopicArea, a test keeps them equal)
TOPIC_AREAS: dict[str, str] = {
    "residence": "Aufenthalt",
    "language": "Sprache",
    "education": "Bildung",
    "work_training": "Arbeit / Ausbildung",
    "housing": "Wohnen",
    "health": "Gesundheit",
    "livelihood": "Existenzsicherung",
    "family_childcare": "Familie / Kinderbetreuung",
    "debts": "Schulden",
    "social_environment": "soziales Umfeld",
    "other": "Sonstiges",
}


class InvalidForumInput(Unprocessable):
    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message, errors=[{"field": field_name, "message": message}])


class SessionNotHeld(Conflict):
    """A statement comes from a session that has taken place."""

    def __init__(self, held_on: date) -> None:
        super().__init__(f"the forum session is on {held_on.isoformat()}, not held yet",
                         errors=[{"field": "session_id",
                                  "message": "statements are recorded after the session"}])


class UnknownStatements(Unprocessable):
    def __init__(self, indexes: list[int]) -> None:
        super().__init__("a statement to attach is not one of this county's forums", errors=[
            {"field": f"statement_ids.{i}", "message": "no forum statement of this tenant has "
                                                       "this id"} for i in indexes])


class StatementOfAnotherTheme(Conflict):
    def __init__(self, indexes: list[int]) -> None:
        super().__init__("a statement is evidence of another theme already", errors=[
            {"field": f"statement_ids.{i}", "message": "evidence of another theme already"}
            for i in indexes])


@dataclass
class Forum:
    """A participation forum of the county (*Beteiligungsforum*), e.g. one per part of it."""

    name: str
    description: str
    created_on: date
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    tenant_id: uuid.UUID | None = None


@dataclass
class ForumSession:
    """One meeting of a forum (*Termin / Runde*). ``participants`` stays empty until it is held."""

    forum_id: uuid.UUID
    held_on: date
    place: str  # an institution's name, e.g. "Bürgerhaus Hilden" — never a person's address
    topic: str
    participants: int | None
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    tenant_id: uuid.UUID | None = None


@dataclass
class ForumStatement:
    """What was said in a session, anonymously: the words and a topic area, no author."""

    session_id: uuid.UUID
    forum_id: uuid.UUID
    text: str
    topic_area: str
    recorded_on: date
    theme_id: str | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    tenant_id: uuid.UUID | None = None


def new_forum(name: str, description: str, today: date) -> Forum:
    if not name.strip():
        raise InvalidForumInput("name", "a forum needs a name")
    return Forum(name=name.strip(), description=description.strip(), created_on=today)


def new_session(forum: Forum, held_on: date, place: str, topic: str, participants: int | None,
                today: date) -> ForumSession:
    """A session; a future one has no participants yet (422 naming ``participants``)."""
    if participants is not None and participants < 0:
        raise InvalidForumInput("participants", "a number of participants is 0 or more")
    if held_on > today and participants:
        raise InvalidForumInput("participants",
                                "a session in the future has no participants yet")
    if not place.strip():
        raise InvalidForumInput("place", "the place is an institution's name")
    return ForumSession(forum_id=forum.id, held_on=held_on, place=place.strip(),
                        topic=topic.strip(), participants=participants)


def new_statement(session: ForumSession, text: str, topic_area: str,
                  today: date) -> ForumStatement:
    """An anonymous statement of a session that has taken place (409 before it)."""
    if session.held_on > today:
        raise SessionNotHeld(session.held_on)
    if topic_area not in TOPIC_AREAS:
        raise InvalidForumInput("topic_area", "one of " + ", ".join(TOPIC_AREAS))
    if not text.strip():
        raise InvalidForumInput("text", "a statement has words")
    return ForumStatement(session_id=session.id, forum_id=session.forum_id, text=text.strip(),
                          topic_area=topic_area, recorded_on=today)


def attach(theme: Theme, statements: list[ForumStatement], today: date) -> int:
    """Attach ``statements`` to ``theme`` as evidence; one attached already counts once. A
    statement is evidence of one theme: one of another theme is refused (409 naming it). The
    number newly attached."""
    taken = [i for i, s in enumerate(statements) if s.theme_id not in (None, str(theme.id))]
    if taken:
        raise StatementOfAnotherTheme(taken)
    known = {e.get("statement_id") for e in theme.evidence if e.get("kind") == FORUM_STATEMENT}
    added = [s for s in {s.id: s for s in statements}.values() if str(s.id) not in known]
    # a new list: the JSON column sees the change
    theme.evidence = [*theme.evidence, *({"kind": FORUM_STATEMENT, "statement_id": str(s.id),
                                          "session_id": str(s.session_id),
                                          "topic_area": s.topic_area,
                                          "attached_on": today.isoformat()} for s in added)]
    for statement in statements:
        statement.theme_id = str(theme.id)
    return len(added)


def forum_statements(theme: Theme) -> list[dict[str, str]]:
    """A theme's forum statements as evidence references (ids, topic area, day attached)."""
    return [{"statement_id": e["statement_id"], "session_id": e["session_id"],
             "topic_area": e["topic_area"]}
            for e in theme.evidence if e.get("kind") == FORUM_STATEMENT]
