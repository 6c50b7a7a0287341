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
from ..domain.referrals import CaseCopy, ConsentCopy, Referral, ReferralStep

# -- the directory (ADR 0083): its store, a mixin ----------------------------------------------------
from .directory import DirectoryStore
from .orm import knowledge_articles

# -- end of the directory ----------------------------------------------------------------------------


class SqlAlchemyNetworkUnitOfWork(DirectoryStore, SqlAlchemyUnitOfWork):
    def __enter__(self) -> SqlAlchemyNetworkUnitOfWork:
        super().__enter__()
        return self

    def add(self, *records: object) -> None:
        self.session.add_all(records)

    # -- referrals (ADR 0084) -------------------------------------------------------------------
    def referral(self, referral_id: uuid.UUID, *, lock: bool = False) -> Referral | None:
        query = self.session.query(Referral).filter_by(id=referral_id)
        if lock:
            query = query.with_for_update()
        return query.one_or_none()

    def referral_steps(self, referral_id: uuid.UUID) -> list[ReferralStep]:
        return (self.session.query(ReferralStep)
                .filter(ReferralStep.referral_id == referral_id)
                .order_by(ReferralStep.at).all())

    def referrals_of(self, case_manager_id: str) -> list[Referral]:
        return (self.session.query(Referral)
                .filter(Referral.case_manager_id == case_manager_id)
                .order_by(Referral.created_at).all())

    def referrals_to(self, partner_org_id: str) -> list[Referral]:
        return (self.session.query(Referral)
                .filter(Referral.partner_org_id == partner_org_id)
                .order_by(Referral.created_at).all())

    def all_referrals(self) -> list[Referral]:
        return self.session.query(Referral).order_by(Referral.created_at).all()

    def referrals_of_intake(self, intake_id: str, partner_org_id: str, *,
                            lock: bool = False) -> list[Referral]:
        query = (self.session.query(Referral)
                 .filter(Referral.intake_id == intake_id,
                         Referral.partner_org_id == partner_org_id)
                 .order_by(Referral.created_at))
        if lock:
            query = query.with_for_update()
        return query.all()

    def consents_of(self, intake_id: str) -> list[ConsentCopy]:
        return (self.session.query(ConsentCopy)
                .filter(ConsentCopy.intake_id == intake_id).all())

    def consent(self, consent_id: str) -> ConsentCopy | None:
        return self.session.get(ConsentCopy, consent_id)

    def case_copy(self, case_id: uuid.UUID) -> CaseCopy | None:
        return self.session.get(CaseCopy, case_id)

    def referrals_of_case(self, case_id: uuid.UUID) -> list[Referral]:
        return (self.session.query(Referral).filter(Referral.case_id == case_id)
                .order_by(Referral.created_at).all())
    # -- end of referrals -----------------------------------------------------------------------

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
        """Full text where the database has it — PostgreSQL's ``german`` configuration
        (stemmed: "Unterlage" finds "Unterlagen"), SQLite's FTS5 in embedded mode (by word
        prefix) — ranked first, then the articles holding the words inside a longer word
        (German compounds: "duldung" finds "Beschäftigungsduldung"), the latest changed first.
        The topic area is filtered here (JSON lists are queried differently in the two
        databases); a county's base holds tens of articles, not thousands."""
        query = sa.select(Article)
        ranks: dict[uuid.UUID, float] = {}
        if text:
            pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace(
                "_", "\\_") + "%"
            condition = sa.or_(knowledge_articles.c.title.ilike(pattern, escape="\\"),
                               knowledge_articles.c.body.ilike(pattern, escape="\\"))
            dialect = self.session.get_bind().dialect.name
            if dialect == "postgresql":
                document = sa.func.to_tsvector(
                    sa.literal_column("'german'"),
                    knowledge_articles.c.title.op("||")(sa.literal_column("' '"))
                    .op("||")(knowledge_articles.c.body))
                words = sa.func.websearch_to_tsquery(sa.literal_column("'german'"), text)
                matched = document.op("@@")(words)
                ranks = {row.id: row.rank for row in self.session.execute(
                    sa.select(knowledge_articles.c.id,
                              sa.func.ts_rank(document, words).label("rank"))
                    .where(knowledge_articles.c.tenant_id == self.tenant_id, matched))}
            elif dialect == "sqlite":
                ranks = self._fts5_ranks(text)
            if ranks:
                condition = sa.or_(condition, knowledge_articles.c.id.in_(list(ranks)))
            query = query.where(condition)
        found = [a for a in self.session.scalars(query)
                 if topic_area is None or topic_area in a.topic_areas]
        found.sort(key=lambda a: a.updated_at, reverse=True)
        found.sort(key=lambda a: ranks.get(a.id, 0.0), reverse=True)
        return found[offset:offset + limit], len(found)

    def _fts5_ranks(self, text: str) -> dict[uuid.UUID, float]:
        words = " ".join('"' + word.replace('"', '""') + '"*' for word in text.split())
        if not words:
            return {}
        rows = self.session.execute(sa.text(
            "SELECT a.id AS id, -bm25(knowledge_articles_fts) AS rank "
            "FROM knowledge_articles_fts JOIN knowledge_articles a "
            "ON a.rowid = knowledge_articles_fts.rowid "
            "WHERE knowledge_articles_fts MATCH :words AND a.tenant_id = :tenant")
            .bindparams(sa.bindparam("tenant", type_=sa.Uuid))
            .columns(id=sa.Uuid, rank=sa.Float),
            {"words": words, "tenant": self.tenant_id})
        return {row.id: row.rank for row in rows}

    def add_article_version(self, version: ArticleVersion) -> None:
        self.session.add(version)

    def article_versions(self, article_id: uuid.UUID) -> list[ArticleVersion]:
        return list(self.session.scalars(
            sa.select(ArticleVersion)  # type: ignore[arg-type]
            .where(ArticleVersion.article_id == article_id)  # type: ignore[arg-type]
            .order_by(ArticleVersion.version)))  # type: ignore[arg-type]
