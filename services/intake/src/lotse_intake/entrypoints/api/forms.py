"""Printable forms of one intake (PDF, ADR 0080): the data-protection information
(*Datenschutzinformation*) and the release from confidentiality (*Schweigepflichtentbindung*),
in German and, where the county has configured a translation, the client's language."""

from __future__ import annotations

import uuid

from lotse_platform.http import Blueprint

from lotse_platform.auth import current_principal, requires
from lotse_platform.documents.api import (
    PDF_RESPONSE,
    FormArgsSchema,
    form_languages,
    pdf_response,
)
from lotse_platform.service import current_service, request_uow

from ...domain.forms import FILE_NAMES, IntakeForm
from ...service_layer import forms
from ...service_layer.access import INTAKE_ROLES

blp = Blueprint("intake_forms", __name__, url_prefix="/intakes",
                description="Vordrucke zum Aushändigen und Unterschreiben (PDF): "
                            "Datenschutzinformation, Schweigepflichtentbindung")


def _print(form: IntakeForm, intake_id: uuid.UUID, args: dict):
    principal = current_principal()
    configured = current_service().settings.form_languages_of(principal.tenant)
    languages = form_languages(args["language"], configured)
    content = forms.print_form(form, intake_id, languages, args["blank"], request_uow(principal))
    return pdf_response(content, FILE_NAMES[form])


@blp.route("/<uuid:intake_id>/forms/data-protection-information", methods=["GET"])
@blp.arguments(FormArgsSchema, location="query")
@blp.response(200, **PDF_RESPONSE)
@requires(*INTAKE_ROLES)
def data_protection_information(args, intake_id: uuid.UUID):
    """The data-protection information with the consent to case management (*Datenschutz-
    information*, 001 L229–231), filled with the person and when the information was handed
    over, to hand out and sign; ``?language=`` adds the client's language after the binding
    German text, ``?blank=true`` prints it unfilled. Audited (export, ``print:…``)."""
    return _print(IntakeForm.DATA_PROTECTION_INFORMATION, intake_id, args)


@blp.route("/<uuid:intake_id>/forms/release-of-confidentiality", methods=["GET"])
@blp.arguments(FormArgsSchema, location="query")
@blp.response(200, **PDF_RESPONSE)
@requires(*INTAKE_ROLES)
def release_of_confidentiality(args, intake_id: uuid.UUID):
    """The release from confidentiality (*Schweigepflichtentbindung*, 001 L229–231), filled
    with the partners and topic areas the person released (current releases), to hand out and
    sign; ``?language=`` and ``?blank=true`` as for the data-protection information. Audited."""
    return _print(IntakeForm.RELEASE_OF_CONFIDENTIALITY, intake_id, args)
