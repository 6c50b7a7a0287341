"""Signed copies of an intake's forms (*unterschriebene Einwilligung, Schweigepflichtentbindung*):
upload, list, download. Sealed with the tenant's key (ADR 0082); see docs/intake.md."""

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

from ...domain.commands import AttachSignedCopy
from ...domain.signed_copies import SIGNED_FORM_LABELS, SignedForm
from ...service_layer.access import INTAKE_ROLES
from ...service_layer.signed_copies import download_signed_copy, signed_copies_of

blp = UploadBlueprint("intake_signed_copies", __name__, url_prefix="/intakes",
                      description="Signed copies of the data-protection consent and the release "
                                  "from confidentiality (Unterschriebene Formulare)")

UploadSchema = upload_schema(SignedForm, SIGNED_FORM_LABELS, "IntakeSignedCopyUpload")


@blp.route("/<uuid:intake_id>/signed-copies")
class IntakeSignedCopies(MethodView):
    @blp.arguments(UploadSchema, location="form", content_type=MULTIPART)
    @blp.response(201, SignedCopySchema)
    @accepts(MULTIPART)
    @body_limit(signed_copy_upload_limit)
    @requires(*INTAKE_ROLES)
    def post(self, body, intake_id: uuid.UUID):
        """Attach the signed copy of a form (multipart: ``form``, ``file``): PDF, JPEG or PNG.

        Whoever may work the intake. Too big: 413; another type: 415; content that is not the
        type declared: 422 — each naming ``file``. Stored sealed with the tenant's key, without
        the file name; audited (``create``, reason ``signed_copy:upload:<form>:<id>``). A
        withdrawn consent does not delete its signed copy: it is evidence of what was signed.
        """
        principal = current_principal()
        content, content_type = uploaded(body)
        return handle(AttachSignedCopy(intake_id=intake_id, form=body["form"], content=content,
                                       content_type=content_type,
                                       uploaded_by=principal.subject), principal)

    @blp.response(200, SignedCopySchema(many=True))
    @requires(*INTAKE_ROLES)
    def get(self, intake_id: uuid.UUID):
        """The intake's signed copies, oldest first, without content (audited)."""
        return signed_copies_of(intake_id, request_uow(current_principal()))


@blp.route("/<uuid:intake_id>/signed-copies/<uuid:copy_id>")
class IntakeSignedCopy(MethodView):
    @blp.doc(responses=DOWNLOAD_RESPONSES)
    @requires(*INTAKE_ROLES)
    def get(self, intake_id: uuid.UUID, copy_id: uuid.UUID):
        """Download one signed copy (audited: ``export``, reason
        ``signed_copy:download:<form>:<id>``). Never cached."""
        copy, content = download_signed_copy(intake_id, copy_id,
                                              request_uow(current_principal()),
                                              envelopes=current_service().envelopes)
        return file_response(copy, content)
