"""The network service's unit of work on SQLAlchemy: the platform's (transaction, outbox, audit,
directory replica) plus what the handlers ask for
(:class:`~lotse_network.service_layer.unit_of_work.NetworkUnitOfWork`)."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from lotse_platform.uow import SqlAlchemyUnitOfWork

from ..domain.agreements import Agreement
from ..domain.bodies import Body, Meeting
from ..domain.knowledge import Article, ArticleVersion


class SqlAlchemyNetworkUnitOfWork(SqlAlchemyUnitOfWork):
    def __enter__(self) -> SqlAlchemyNetworkUnitOfWork:
        super().__enter__()
        return self

    # -- cooperation agreements, bodies and meetings, knowledge base (ADR 0085) --------------

    def add_agreement(self, agreement: Agreement) -> None:
        self.session.add(agreement)

    def get_agreement(self, agreement_id: uuid.UUID) -> Agreement | None:
        return self.session.get(Agreement, agreement_id)

    def list_agreements(self) -> list[Agreement]:
        return list(self.session.scalars(sa.select(Agreement).order_by(
            Agreement.title, Agreement.id)))  # type: ignore[arg-type]

    def add_body(self, body: Body) -> None:
        self.session.add(body)

    def get_body(self, body_id: uuid.UUID) -> Body | None:
        return self.session.get(Body, body_id)

    def list_bodies(self, area_id: str | None = None) -> list[Body]:
        query = sa.select(Body).order_by(Body.name, Body.id)  # type: ignore[arg-type]
        if area_id:
            query = query.where(Body.area_id == area_id)  # type: ignore[arg-type]
        return list(self.session.scalars(query))

    def add_meeting(self, meeting: Meeting) -> None:
        self.session.add(meeting)

    def get_meeting(self, meeting_id: uuid.UUID) -> Meeting | None:
        return self.session.get(Meeting, meeting_id)

    def list_meetings(self, body_id: uuid.UUID) -> list[Meeting]:
        return list(self.session.scalars(
            sa.select(Meeting).where(Meeting.body_id == body_id)  # type: ignore[arg-type]
            .order_by(Meeting.held_on.desc(), Meeting.id)))  # type: ignore[attr-defined]

    def add_article(self, article: Article) -> None:
        self.session.add(article)

    def get_article(self, article_id: uuid.UUID) -> Article | None:
        return self.session.get(Article, article_id)

    def search_articles(self, text: str | None, topic_area: str | None, limit: int,
                        offset: int) -> tuple[list[Article], int]:
        """``ILIKE`` on title and text (ADR 0085: the full-text search of the directory is
        the directory's; the knowledge base is small); the topic area is filtered here, as
        JSON lists are queried differently in PostgreSQL and SQLite."""
        query = sa.select(Article).order_by(  # type: ignore[arg-type]
            Article.updated_at.desc(), Article.id)  # type: ignore[attr-defined]
        if text:
            pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace(
                "_", "\\_") + "%"
            query = query.where(sa.or_(
                Article.title.ilike(pattern, escape="\\"),  # type: ignore[attr-defined]
                Article.body.ilike(pattern, escape="\\")))  # type: ignore[attr-defined]
        found = [a for a in self.session.scalars(query)
                 if topic_area is None or topic_area in a.topic_areas]
        return found[offset:offset + limit], len(found)

    def add_article_version(self, version: ArticleVersion) -> None:
        self.session.add(version)

    def article_versions(self, article_id: uuid.UUID) -> list[ArticleVersion]:
        return list(self.session.scalars(
            sa.select(ArticleVersion)  # type: ignore[arg-type]
            .where(ArticleVersion.article_id == article_id)  # type: ignore[arg-type]
            .order_by(ArticleVersion.version)))  # type: ignore[arg-type]
