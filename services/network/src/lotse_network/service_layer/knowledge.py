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
from lotse_platform.errors import NotFound, Unprocessable

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


def check_entries(uow: NetworkUnitOfWork, entry_ids: list[str]) -> None:
    """Each linked entry is an organisation or a service of the tenant's directory (ADR 0083);
    else 422 naming ``entry_ids.<i>``. A link to an entry that is later deactivated stays (the
    article says what it said then); the reader's directory shows the entry as inactive."""
    problems = []
    for index, text in enumerate(entry_ids):
        entry = uuid.UUID(text)
        if uow.get_service(entry) is None and uow.get_organization(entry) is None:
            problems.append({"field": f"entry_ids.{index}",
                             "message": "no organisation or service of this directory"})
    if problems:
        raise Unprocessable("the article links to entries the directory does not have",
                            errors=problems)


def write_article(cmd: WriteArticle, uow: NetworkUnitOfWork) -> uuid.UUID:
    with uow:
        check_entries(uow, [str(e) for e in cmd.entry_ids])
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
        check_entries(uow, [str(e) for e in cmd.entry_ids if str(e) not in article.entry_ids])
        version = article.revise(cmd.title, cmd.body, list(cmd.topic_areas),
                                 list(cmd.entry_ids), author, datetime.now(UTC))
        uow.add_article_version(version)
        uow.audit("update", "article", article.id, reason=f"version:{version.version}")
        uow.commit()
    return article.id
