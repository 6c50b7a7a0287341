"""What a service's API needs to hand out a printable form: the query arguments
(``?language=``, ``?blank=``, and the supervision purpose), the check of the language against
the tenant's configured translations, the PDF answer and its OpenAPI description."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Response

from ..audit.api import PurposeArgsSchema
from ..errors import Unprocessable
from .catalogue import GERMAN
from .pdf import MEDIA_TYPE

#: ``@blp.response(200, **PDF_RESPONSE)``
PDF_RESPONSE: dict[str, Any] = {
    "schema": {"type": "string", "format": "binary", "description": "a PDF document"},
    "content_type": MEDIA_TYPE,
    "description": "the printable form (PDF): German, then the translation asked for",
}


class FormArgsSchema(ma.Schema):
    """Query arguments of a printable form."""

    language = ma.fields.String(
        load_default=GERMAN, validate=ma.validate.Regexp(r"^[a-z]{2}$", error="an ISO 639-1 "
                                                         "code of two lower-case letters"),
        metadata={"description": "the client's language (ISO 639-1), printed after the "
                                 "binding German text; one of the tenant's configured "
                                 "translations (default `de`: German only)"})
    blank = ma.fields.Boolean(
        load_default=False, metadata={"description": "true: the form unfilled, to print "
                                                     "ahead (no personal data)"})


class SupervisedFormArgsSchema(PurposeArgsSchema, FormArgsSchema):
    """Query arguments of a printable form of a case file, which the coordinating office prints
    stating the purpose of its supervision read (ADR 0065)."""


def form_languages(requested: str, configured: tuple[str, ...]) -> tuple[str, ...]:
    """German, and the requested translation if the tenant has it configured; else a 422
    naming ``language``."""
    if requested == GERMAN:
        return (GERMAN,)
    if requested not in configured:
        raise Unprocessable(
            "this county hands out no forms in that language",
            errors=[{"field": "language", "message": "one of: " + ", ".join(configured)}])
    return (GERMAN, requested)


def pdf_response(content: bytes, filename: str) -> Response:
    """The PDF inline (opens in the browser's viewer), not cached: it may carry a name."""
    response = Response(content, mimetype=MEDIA_TYPE)
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
