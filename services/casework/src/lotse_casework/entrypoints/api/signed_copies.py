"""Signed copies of a case's forms (*unterschriebene Beratungsvereinbarung, Hilfeplan*):
upload, list, download. Sealed with the tenant's key (ADR 0082); see docs/casework.md."""

from __future__ import annotations

import uuid

from flask.views import MethodView

from lotse_platform.audit.api import PurposeArgsSchema, stated_purpose
from lotse_platform.auth import current_principal, requires
from lotse_platform.http import accepts, body_limit
from lotse_platform.service import (
    current_service,
    handle,
    request_uow,
    signed_copy_upload_limit,
)
from lotse_platform.signed_copies.api import (
    DOWNLOAD_RESPONSES,
    MULTIPART,
    SignedCopySchema,
    UploadBlueprint,
    file_response,
    upload_schema,
    uploaded,
)

from ...domain.commands import AttachSignedCopy
from ...domain.signed_copies import SIGNED_FORM_LABELS, SignedForm
from ...service_layer.signed_copies import download_signed_copy, signed_copies_of
from .common import READERS, WRITERS

blp = UploadBlueprint("case_signed_copies", __name__, url_prefix="/cases",
                      description="Signed copies of the counselling agreement and the help "
                                  "plan (Unterschriebene Formulare)")

UploadSchema = upload_schema(SignedForm, SIGNED_FORM_LABELS, "CaseSignedCopyUpload")


@blp.route("/<uuid:case_id>/signed-copies")
class CaseSignedCopies(MethodView):
    @blp.arguments(UploadSchema, location="form", content_type=MULTIPART)
    @blp.response(201, SignedCopySchema)
    @accepts(MULTIPART)
    @body_limit(signed_copy_upload_limit)
    @requires(*WRITERS)
    def post(self, body, case_id: uuid.UUID):
        """Attach the signed copy of a form (multipart: ``form``, ``file``): PDF, JPEG or PNG.

        Whoever may write the case. Too big: 413; another type: 415; content that is not the
        type declared: 422 — each naming ``file``. Stored sealed with the tenant's key, without
        the file name; audited (``create``, reason ``signed_copy:upload:<form>:<id>``).
        """
        content, content_type = uploaded(body)
        return handle(AttachSignedCopy(case_id=case_id, form=body["form"], content=content,
                                       content_type=content_type), current_principal())

    @blp.arguments(PurposeArgsSchema, location="query")
    @blp.response(200, SignedCopySchema(many=True))
    @requires(*READERS)
    def get(self, args, case_id: uuid.UUID):
        """The case's signed copies, oldest first, without content (audited). The coordinating
        office reads them for supervision stating ``?purpose=``."""
        principal = current_principal()
        return signed_copies_of(request_uow(principal), principal, case_id, stated_purpose(args))


@blp.route("/<uuid:case_id>/signed-copies/<uuid:copy_id>")
class CaseSignedCopy(MethodView):
    @blp.arguments(PurposeArgsSchema, location="query")
    @blp.doc(responses=DOWNLOAD_RESPONSES)
    @requires(*READERS)
    def get(self, args, case_id: uuid.UUID, copy_id: uuid.UUID):
        """Download one signed copy (audited: ``export``, reason
        ``signed_copy:download:<form>:<id>``; a supervision download names its ``?purpose=``).
        Never cached."""
        principal = current_principal()
        copy, content = download_signed_copy(request_uow(principal), principal, case_id,
                                              copy_id, stated_purpose(args),
                                              envelopes=current_service().envelopes)
        return file_response(copy, content)
