"""In-memory stand-ins of the network's adapters, for fast service-layer tests."""

from __future__ import annotations

import uuid

from lotse_network.domain.agreements import Agreement
from lotse_network.domain.bodies import Body, Meeting
from lotse_network.domain.knowledge import Article, ArticleVersion
from lotse_platform.testing import FakeUnitOfWork


class FakeNetworkUnitOfWork(FakeUnitOfWork):
    """:class:`~lotse_network.service_layer.unit_of_work.NetworkUnitOfWork` in memory."""

    def __init__(self, tenant_id: uuid.UUID | None = None) -> None:
        super().__init__(tenant_id, source="/lotse/network")
        # -- cooperation agreements, bodies and meetings, knowledge base (ADR 0085) ----------
        # records added count once committed (changes to a record read are kept at once)
        self.records: dict[type, dict[object, object]] = {}
        self._added: list[tuple[type, object, object]] = []

    def _table(self, kind: type) -> dict[object, object]:
        return {**self.records.get(kind, {}),
                **{key: row for k, key, row in self._added if k is kind}}

    def _add(self, kind: type, key: object, row: object) -> None:
        self._added.append((kind, key, row))

    def commit(self) -> None:
        for kind, key, row in self._added:
            self.records.setdefault(kind, {})[key] = row
        self._added = []
        super().commit()

    def rollback(self) -> None:
        self._added = []
        super().rollback()

    def add_agreement(self, agreement: Agreement) -> None:
        self._add(Agreement, agreement.id, agreement)

    def get_agreement(self, agreement_id: uuid.UUID) -> Agreement | None:
        return self._table(Agreement).get(agreement_id)  # type: ignore[return-value]

    def list_agreements(self) -> list[Agreement]:
        return sorted(self._table(Agreement).values(), key=lambda a: a.title)  # type: ignore

    def add_body(self, body: Body) -> None:
        self._add(Body, body.id, body)

    def get_body(self, body_id: uuid.UUID) -> Body | None:
        return self._table(Body).get(body_id)  # type: ignore[return-value]

    def list_bodies(self, area_id: str | None = None) -> list[Body]:
        return [b for b in self._table(Body).values()  # type: ignore[misc]
                if area_id is None or b.area_id == area_id]  # type: ignore[attr-defined]

    def add_meeting(self, meeting: Meeting) -> None:
        self._add(Meeting, meeting.id, meeting)

    def get_meeting(self, meeting_id: uuid.UUID) -> Meeting | None:
        return self._table(Meeting).get(meeting_id)  # type: ignore[return-value]

    def list_meetings(self, body_id: uuid.UUID) -> list[Meeting]:
        return sorted((m for m in self._table(Meeting).values()  # type: ignore[misc]
                       if m.body_id == body_id), key=lambda m: m.held_on, reverse=True)

    def add_article(self, article: Article) -> None:
        self._add(Article, article.id, article)

    def get_article(self, article_id: uuid.UUID) -> Article | None:
        return self._table(Article).get(article_id)  # type: ignore[return-value]

    def search_articles(self, text, topic_area, limit, offset):  # type: ignore[no-untyped-def]
        found = [a for a in self._table(Article).values()
                 if (not text or text.lower() in (a.title + a.body).lower())
                 and (topic_area is None or topic_area in a.topic_areas)]
        return found[offset:offset + limit], len(found)

    def add_article_version(self, version: ArticleVersion) -> None:
        self._add(ArticleVersion, (version.article_id, version.version), version)

    def article_versions(self, article_id: uuid.UUID) -> list[ArticleVersion]:
        return sorted((v for v in self._table(ArticleVersion).values()  # type: ignore[misc]
                       if v.article_id == article_id), key=lambda v: v.version)
