"""The signed document of a cooperation agreement: upload, list, download — sealed with the
tenant's key (ADR 0082, 0085). The coordinating office uploads; whoever may read the agreement
lists and downloads its copies. Every access is audited."""

from __future__ import annotations

import uuid

from flask.views import MethodView
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

from ...domain.agreements import AGREEMENT_FORM_LABELS, AgreementForm
from ...domain.commands import AttachAgreementCopy
from ...service_layer.agreements import (
    AGREEMENT_READERS,
    AGREEMENT_WRITERS,
    agreement_copies,
    download_agreement_copy,
)

blp = UploadBlueprint("network-agreement-copies", __name__, url_prefix="/agreements",
                      description="The signed document of a cooperation agreement "
                                  "(unterzeichnete Kooperationsvereinbarung)")

UploadSchema = upload_schema(AgreementForm, AGREEMENT_FORM_LABELS, "AgreementCopyUpload")


@blp.route("/<uuid:agreement_id>/signed-copies")
class AgreementCopies(MethodView):
    @blp.arguments(UploadSchema, location="form", content_type=MULTIPART)
    @blp.response(201, SignedCopySchema)
    @accepts(MULTIPART)
    @body_limit(signed_copy_upload_limit)
    @requires(*AGREEMENT_WRITERS)
    def post(self, body, agreement_id: uuid.UUID):
        """Attach the scan of the signed agreement (multipart: ``form``, ``file``): PDF, JPEG
        or PNG. Too big: 413; another type: 415; content that is not the type declared: 422 —
        each naming ``file``. Stored sealed, without the file name; audited."""
        principal = current_principal()
        content, content_type = uploaded(body)
        return handle(AttachAgreementCopy(agreement_id=agreement_id, form=str(body["form"]),
                                          content=content, content_type=content_type,
                                          uploaded_by=principal.subject), principal)

    @blp.response(200, SignedCopySchema(many=True))
    @requires(*AGREEMENT_READERS)
    def get(self, agreement_id: uuid.UUID):
        """The agreement's signed copies, oldest first, without content (audited)."""
        return agreement_copies(agreement_id, request_uow(current_principal()))


@blp.route("/<uuid:agreement_id>/signed-copies/<uuid:copy_id>")
class AgreementCopy(MethodView):
    @blp.doc(responses=DOWNLOAD_RESPONSES)
    @requires(*AGREEMENT_READERS)
    def get(self, agreement_id: uuid.UUID, copy_id: uuid.UUID):
        """Download one signed copy (audited: ``export``). Never cached."""
        copy, content = download_agreement_copy(agreement_id, copy_id,
                                                request_uow(current_principal()),
                                                envelopes=current_service().envelopes)
        return file_response(copy, content)
