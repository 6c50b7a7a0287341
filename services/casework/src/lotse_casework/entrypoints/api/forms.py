"""Printable forms of one case (PDF, ADR 0080): the counselling agreement
(*Beratungsvereinbarung*) and the help plan (*Hilfeplan*), in German and, where the county has
configured a translation, the client's language."""

from __future__ import annotations

import uuid

from lotse_platform.http import Blueprint

from lotse_platform.audit.api import stated_purpose
from lotse_platform.auth import current_principal, requires
from lotse_platform.documents.api import (
    PDF_RESPONSE,
    SupervisedFormArgsSchema,
    form_languages,
    pdf_response,
)
from lotse_platform.service import current_service, request_uow

from ...domain.forms import FILE_NAMES, CaseForm
from ...service_layer import forms
from .common import READERS

blp = Blueprint("casework_forms", __name__, url_prefix="/",
                description="Vordrucke zum Aushändigen und Unterschreiben (PDF): "
                            "Beratungsvereinbarung, Hilfeplan")


def _print(form: CaseForm, case_id: uuid.UUID, args: dict):
    principal = current_principal()
    configured = current_service().settings.form_languages_of(principal.tenant)
    languages = form_languages(args["language"], configured)
    content = forms.print_form(form, case_id, languages, args["blank"], stated_purpose(args),
                               request_uow(principal), principal)
    return pdf_response(content, FILE_NAMES[form])


@blp.route("/cases/<uuid:case_id>/forms/counselling-agreement", methods=["GET"])
@blp.arguments(SupervisedFormArgsSchema, location="query")
@blp.response(200, **PDF_RESPONSE)
@requires(*READERS)
def counselling_agreement(args, case_id: uuid.UUID):
    """The counselling agreement (*Beratungsvereinbarung*, 001 L231, "Verbindlichkeit für beide
    Seiten" L256): both sides' commitments, the guiding goal and the goals agreed, to hand out
    and sign. ``?language=`` adds the client's language after the binding German text,
    ``?blank=true`` prints it unfilled; the office states ``?purpose=``. Audited (export)."""
    return _print(CaseForm.COUNSELLING_AGREEMENT, case_id, args)


@blp.route("/cases/<uuid:case_id>/forms/help-plan", methods=["GET"])
@blp.arguments(SupervisedFormArgsSchema, location="query")
@blp.response(200, **PDF_RESPONSE)
@requires(*READERS)
def help_plan(args, case_id: uuid.UUID):
    """The help plan (*Hilfeplan*, 001 L262): goals, steps, who is responsible, by when, and
    the review interval of the latest plan, to hand out and sign. ``?language=``,
    ``?blank=true`` and ``?purpose=`` as for the counselling agreement. Audited (export)."""
    return _print(CaseForm.HELP_PLAN, case_id, args)
