"""The county's knowledge base (*Wissensdatenbank*, *Wissensmanagement*; seeds 001 L169,
002 L283): short articles on procedures, contacts and legal changes, linked to topic areas and
directory entries, maintained by the coordinating office and the case managers. Every change
keeps the version before it: who changed what and when (:class:`ArticleVersion`). Organisational
knowledge only — no client's data belongs here.

An article links to directory entries (organisations or services of the tenant's directory,
ADR 0083) by id; the service layer checks that each one it newly links exists."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from lotse_platform.errors import Unprocessable

from .vocabulary import TOPIC_AREAS

MAX_TITLE = 200
MAX_BODY = 20_000


class InvalidArticle(Unprocessable):
    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message, errors=[{"field": field_name, "message": message}])


@dataclass
class Article:
    title: str
    body: str
    topic_areas: list[str]
    entry_ids: list[str]
    created_by: str
    updated_by: str
    version: int = 1
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    updated_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    tenant_id: uuid.UUID | None = None

    @classmethod
    def write(cls, title: str, body: str, topic_areas: list[str], entry_ids: list[str],
              author: str) -> Article:
        _check(title, body, topic_areas)
        return cls(title.strip(), body.strip(), list(dict.fromkeys(topic_areas)),
                   list(dict.fromkeys(entry_ids)), author, author)

    def revise(self, title: str, body: str, topic_areas: list[str], entry_ids: list[str],
               author: str, at: datetime) -> ArticleVersion:
        """Change the article; returns the version it now is (kept with the others)."""
        _check(title, body, topic_areas)
        self.title, self.body = title.strip(), body.strip()
        self.topic_areas = list(dict.fromkeys(topic_areas))
        self.entry_ids = list(dict.fromkeys(entry_ids))
        self.version += 1
        self.updated_by, self.updated_at = author, at
        return self.snapshot()

    def snapshot(self) -> ArticleVersion:
        return ArticleVersion(self.id, self.version, self.title, self.body,
                              list(self.topic_areas), list(self.entry_ids), self.updated_by,
                              self.updated_at)


@dataclass
class ArticleVersion:
    """One version of an article as it was written: who changed it to this, and when."""

    article_id: uuid.UUID
    version: int
    title: str
    body: str
    topic_areas: list[str]
    entry_ids: list[str]
    changed_by: str
    changed_at: datetime
    tenant_id: uuid.UUID | None = None


def _check(title: str, body: str, topic_areas: list[str]) -> None:
    if not title.strip():
        raise InvalidArticle("title", "an article needs a title")
    if not body.strip():
        raise InvalidArticle("body", "an article needs a text")
    unknown = [t for t in topic_areas if t not in TOPIC_AREAS]
    if unknown:
        raise InvalidArticle("topic_areas", f"unknown topic areas: {', '.join(unknown)}")
