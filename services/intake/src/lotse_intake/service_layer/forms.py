"""Printing the forms of an intake (ADR 0080): authorised like reading the intake (a case
manager of its area, or the office), and — filled — audited as an ``export`` of the intake in
the transaction that reads it, reason ``print:<form>:<language>`` (codes only; the name printed
on the form is never in the trail or the logs). A blank form reads no personal data and writes
no audit entry, but still needs the caller's access to the intake."""

from __future__ import annotations

import uuid

from lotse_platform.audit import EXPORT
from lotse_platform.documents.forms import in_languages
from lotse_platform.documents.pdf import render_pdf

from lotse_platform.references import organisation_names

from ..domain.forms import BUILDERS, IntakeForm
from .handlers import RECORD, intake_to_work
from .unit_of_work import IntakeUnitOfWork


def print_form(form: IntakeForm, intake_id: uuid.UUID, languages: tuple[str, ...], blank: bool,
               uow: IntakeUnitOfWork) -> bytes:
    """The form as PDF: German, then the translation in ``languages`` (already checked against
    the tenant's configured ones)."""
    with uow:
        intake = intake_to_work(uow, intake_id, for_update=False)
        issued_on = uow.today()
        names = {} if blank else organisation_names(
            uow.references, [c.partner_org_id for c in intake.consents])
        builder = BUILDERS[form](None if blank else intake, issued_on, names)
        # rendered before the audit entry is committed: what the trail says was printed was
        content = render_pdf(in_languages(builder, languages), issued_on=issued_on)
        if not blank:
            uow.audit(EXPORT, RECORD, intake.id, reason=f"print:{form.value}:{languages[-1]}")
        uow.commit()
    return content
