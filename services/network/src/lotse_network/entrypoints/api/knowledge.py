"""The knowledge base (*Wissensdatenbank*, 001 L169, 002 L283; ADR 0085): short articles on
procedures, contacts and legal changes, searchable, paginated, with every version kept (who
changed what and when). Written by the coordinating office and case managers."""

from __future__ import annotations

import uuid

import marshmallow as ma
from flask.views import MethodView
from lotse_platform.http import Blueprint
from lotse_platform.auth import current_principal, requires
from lotse_platform.errors import NotFound
from lotse_platform.http.text import Line, Text
from lotse_platform.service import handle, request_uow

from ...domain.commands import ReviseArticle, WriteArticle
from ...domain.knowledge import MAX_BODY, MAX_TITLE
from ...domain.vocabulary import TOPIC_AREAS
from ...service_layer.knowledge import ARTICLE_READERS, ARTICLE_WRITERS

blp = Blueprint("network-knowledge", __name__, url_prefix="/",
                description="The knowledge base (Wissensdatenbank)")


class WriteArticleSchema(ma.Schema):
    title = Line(required=True, validate=ma.validate.Length(min=1, max=MAX_TITLE))
    body = Text(required=True, validate=ma.validate.Length(min=1, max=MAX_BODY))
    topic_areas = ma.fields.List(Line(validate=ma.validate.OneOf(TOPIC_AREAS)),
                                 load_default=list, validate=ma.validate.Length(max=20))
    entry_ids = ma.fields.List(ma.fields.UUID(), load_default=list,
                               validate=ma.validate.Length(max=50), metadata={
                                   "description": "directory entries linked: ids of "
                                                  "organisations or services of the tenant's "
                                                  "directory (422 naming entry_ids.<i> for "
                                                  "one it does not have)"})


class ArticleSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    title = ma.fields.String(required=True)
    body = ma.fields.String(required=True)
    topic_areas = ma.fields.List(ma.fields.String(), required=True)
    entry_ids = ma.fields.List(ma.fields.String(), required=True)
    version = ma.fields.Integer(required=True)
    created_by = ma.fields.String(required=True)
    updated_by = ma.fields.String(required=True)
    updated_at = ma.fields.AwareDateTime(required=True)


class ArticleVersionSchema(ma.Schema):
    version = ma.fields.Integer(required=True)
    title = ma.fields.String(required=True)
    body = ma.fields.String(required=True)
    topic_areas = ma.fields.List(ma.fields.String(), required=True)
    entry_ids = ma.fields.List(ma.fields.String(), required=True)
    changed_by = ma.fields.String(required=True)
    changed_at = ma.fields.AwareDateTime(required=True)


class ArticleQuerySchema(ma.Schema):
    q = Line(validate=ma.validate.Length(min=1, max=200), metadata={
        "description": "words in the title or text (case-insensitive)"})
    topic_area = Line(validate=ma.validate.OneOf(TOPIC_AREAS))
    limit = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=100))
    offset = ma.fields.Integer(load_default=0, validate=ma.validate.Range(min=0))


class ArticlePageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ArticleSchema), required=True)
    total = ma.fields.Integer(required=True)
    limit = ma.fields.Integer(required=True)
    offset = ma.fields.Integer(required=True)


def _read(article_id: uuid.UUID):  # type: ignore[no-untyped-def]
    with request_uow(current_principal()) as uow:
        article = uow.get_article(article_id)
        if article is None:
            raise NotFound("no such article")
        return article


def _command_args(body: dict) -> dict:  # type: ignore[type-arg]
    return {**body, "entry_ids": [str(e) for e in body["entry_ids"]]}


@blp.route("/articles")
class Articles(MethodView):
    @blp.arguments(WriteArticleSchema)
    @blp.response(201, ArticleSchema)
    @requires(*ARTICLE_WRITERS)
    def post(self, body):
        """Write an article (coordinating office, case managers)."""
        return _read(handle(WriteArticle(**_command_args(body)), current_principal()))

    @blp.arguments(ArticleQuerySchema, location="query")
    @blp.response(200, ArticlePageSchema)
    @requires(*ARTICLE_READERS)
    def get(self, query):
        """Search the articles (``q`` in title or text, ``topic_area``), one page at a time,
        the latest changed first."""
        with request_uow(current_principal()) as uow:
            items, total = uow.search_articles(query.get("q"), query.get("topic_area"),
                                               query["limit"], query["offset"])
            return {"items": items, "total": total, "limit": query["limit"],
                    "offset": query["offset"]}


@blp.route("/articles/<uuid:article_id>")
class ArticleById(MethodView):
    @blp.response(200, ArticleSchema)
    @requires(*ARTICLE_READERS)
    def get(self, article_id: uuid.UUID):
        """One article."""
        return _read(article_id)

    @blp.arguments(WriteArticleSchema)
    @blp.response(200, ArticleSchema)
    @requires(*ARTICLE_WRITERS)
    def put(self, body, article_id: uuid.UUID):
        """Revise an article: a new version; the one before is kept."""
        handle(ReviseArticle(article_id, **_command_args(body)), current_principal())
        return _read(article_id)


@blp.route("/articles/<uuid:article_id>/versions")
class ArticleVersions(MethodView):
    @blp.response(200, ArticleVersionSchema(many=True))
    @requires(*ARTICLE_READERS)
    def get(self, article_id: uuid.UUID):
        """Every version of the article: who changed what and when."""
        with request_uow(current_principal()) as uow:
            if uow.get_article(article_id) is None:
                raise NotFound("no such article")
            return uow.article_versions(article_id)
