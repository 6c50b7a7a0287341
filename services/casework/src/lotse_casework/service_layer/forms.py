"""Printing the forms of a case (ADR 0080): authorised like reading the case file (its case
manager, a colleague it is shared with, the coordinating office stating the purpose of its
supervision read), and — filled — audited as an ``export`` of the case in the transaction that
reads it: reason ``print:<form>:<language>`` (``… shared`` for a colleague), or the stated
purpose for the office (code in the trail, its note beside it, ADR 0065). Codes only: the name
printed on the form is never in the trail or the logs. A blank form reads no personal data and
writes no audit entry, but still needs the caller's access to the case."""

from __future__ import annotations

import uuid

from lotse_platform.audit import EXPORT
from lotse_platform.audit.purposes import StatedPurpose
from lotse_platform.auth import Principal
from lotse_platform.documents.forms import in_languages
from lotse_platform.documents.pdf import render_pdf
from lotse_platform.references import organisation_names

from ..domain.forms import BUILDERS, CaseFacts, CaseForm
from .access import case_for
from .unit_of_work import CaseworkUnitOfWork


def print_form(form: CaseForm, case_id: uuid.UUID, languages: tuple[str, ...], blank: bool,
               purpose: StatedPurpose | None, uow: CaseworkUnitOfWork,
               principal: Principal) -> bytes:
    """The form as PDF: German, then the translation in ``languages`` (already checked against
    the tenant's configured ones)."""
    with uow:
        case, access = case_for(uow, principal, case_id, write=False, purpose=purpose)
        issued_on = uow.today()
        facts = None
        if not blank:
            plans = uow.help_plans(case.id)
            goals, steps = uow.goals(case.id), uow.steps(case.id)
            names = organisation_names(uow.references, [
                case.organisation_id, *(g.responsible_org_id for g in goals),
                *(s.responsible_org_id for s in steps)])
            facts = CaseFacts(case, uow.person(case.id), goals, steps,
                              plans[-1] if plans else None, names)
        # rendered before the audit entry is committed: what the trail says was printed was
        content = render_pdf(in_languages(BUILDERS[form](facts, issued_on), languages),
                             issued_on=issued_on)
        if not blank:
            if access.how == "supervision" and purpose is not None:
                uow.audit(EXPORT, form.value, case.id, purpose=purpose.purpose,
                          note=purpose.note)
            else:
                shared = "" if access.how == "own" else f" {access.how}"
                uow.audit(EXPORT, form.value, case.id,
                          reason=f"print:{form.value}:{languages[-1]}{shared}")
        uow.commit()
    return content
