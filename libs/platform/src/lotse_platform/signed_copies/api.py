"""The HTTP side of signed copies, the same in every service: the multipart upload (a form
field ``form`` and the file part ``file``), the description of a stored copy, and the download.

A service's views (intake's, casework's) are on an :class:`UploadBlueprint`, load and authorise
the record through their service layer and use these; the media type of the file part is taken from the part, checked against
the content (:func:`lotse_platform.signed_copies.check_file`). The part's file name is never
read: a scan's name is often the person's.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import marshmallow as ma
from flask import Request, Response
from flask_smorest.fields import Upload
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict, FileStorage

from ..http.blueprint import Blueprint, StrictQueryParser
from . import ACCEPTED_TYPES, SignedCopy

#: what the multipart framing of an upload may add to the file itself
FRAMING_BYTES = 64 * 1024
MULTIPART = "multipart/form-data"
_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


#: the OpenAPI description of a download's 200: the copy as it was stored
DOWNLOAD_RESPONSES = {"200": {
    "description": "the signed copy as it was uploaded (Content-Disposition: attachment)",
    "content": {media_type: {"schema": {"type": "string", "format": "binary"}}
                for media_type in ACCEPTED_TYPES}}}


def body_limit_for(max_bytes: int) -> int:
    """The request body limit of an upload of at most ``max_bytes``."""
    return max_bytes + FRAMING_BYTES


class MultipartParser(StrictQueryParser):
    """The ``form`` location of a multipart request holds its fields and its files: one schema
    describes (and documents, as one ``multipart/form-data`` request body) both."""

    def load_form(self, req: Request, schema: ma.Schema) -> MultiDictProxy:
        return self._makeproxy(CombinedMultiDict([req.form, req.files]), schema)


class UploadBlueprint(Blueprint):
    """A blueprint whose ``location="form"`` arguments include the uploaded files."""

    ARGUMENTS_PARSER = MultipartParser()


class SignedCopySchema(ma.Schema):
    """A stored signed copy, without its content."""

    id = ma.fields.UUID(required=True)
    form = ma.fields.String(required=True, metadata={"description": "which signed form"})
    content_type = ma.fields.String(required=True, metadata={
        "description": f"one of {', '.join(ACCEPTED_TYPES)}"})
    size = ma.fields.Integer(required=True, metadata={"description": "bytes"})
    sha256 = ma.fields.String(required=True, metadata={
        "description": "SHA-256 of the content (hex), to compare a download with the paper"})
    uploaded_by = ma.fields.String(required=True, metadata={"description": "user id"})
    uploaded_at = ma.fields.AwareDateTime(required=True)


def upload_schema(forms: type[StrEnum], labels: dict[Any, str], name: str) -> type[ma.Schema]:
    """The multipart upload: which of ``forms`` was signed (``form``) and the file (``file``)."""
    values = "; ".join(f"`{f.value}` ({labels[f]})" for f in forms)
    return ma.Schema.from_dict({
        "form": ma.fields.Enum(forms, by_value=True, required=True,
                               metadata={"description": f"which signed form, one of: {values}"}),
        "file": Upload(required=True, metadata={
            "description": "the scan or PDF of the signed form: PDF, JPEG or PNG (the part's "
                           "Content-Type, checked against the content), at most "
                           "LOTSE_SIGNED_COPY_MAX_BYTES (10 MiB by default); its file name is "
                           "not kept"}),
    }, name=name)


def uploaded(body: dict[str, Any]) -> tuple[bytes, str | None]:
    """The content and declared media type of the file part."""
    storage: FileStorage = body["file"]
    return storage.read(), storage.mimetype or None


def file_response(copy: SignedCopy, content: bytes) -> Response:
    """The download: the content as its type, never cached, never rendered in the page."""
    name = f"{copy.form}-{copy.id}.{_EXTENSIONS.get(copy.content_type, 'bin')}"
    response = Response(content, status=200, mimetype=copy.content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
