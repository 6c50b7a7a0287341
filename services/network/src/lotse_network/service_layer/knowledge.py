"""The knowledge base: who may write and read its articles, and their use cases (ADR 0085).
The coordinating office and the case managers write; every change keeps a version (who, what,
when) and is audited."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from lotse_platform.auth import (
    CASE_MANAGER,
    COORDINATION_ASSISTANT,
    COORDINATOR,
    PROVIDER_STAFF,
    authorize,
)
from lotse_platform.errors import NotFound

from ..domain.commands import ReviseArticle, WriteArticle
from ..domain.knowledge import Article
from .unit_of_work import NetworkUnitOfWork

ARTICLE_WRITERS = (COORDINATOR, CASE_MANAGER)
ARTICLE_READERS = (COORDINATOR, CASE_MANAGER, COORDINATION_ASSISTANT, PROVIDER_STAFF)


def _author(uow: NetworkUnitOfWork) -> str:
    if uow.principal is None:
        return "system:network"
    authorize(uow.principal, ARTICLE_WRITERS)
    return uow.principal.subject


def write_article(cmd: WriteArticle, uow: NetworkUnitOfWork) -> uuid.UUID:
    with uow:
        article = Article.write(cmd.title, cmd.body, list(cmd.topic_areas),
                                list(cmd.entry_ids), _author(uow))
        uow.add_article(article)
        uow.add_article_version(article.snapshot())
        uow.audit("create", "article", article.id)
        uow.commit()
    return article.id


def revise_article(cmd: ReviseArticle, uow: NetworkUnitOfWork) -> uuid.UUID:
    with uow:
        author = _author(uow)
        article = uow.get_article(cmd.article_id)
        if article is None:
            raise NotFound("no such article")
        version = article.revise(cmd.title, cmd.body, list(cmd.topic_areas),
                                 list(cmd.entry_ids), author, datetime.now(UTC))
        uow.add_article_version(version)
        uow.audit("update", "article", article.id, reason=f"version:{version.version}")
        uow.commit()
    return article.id
