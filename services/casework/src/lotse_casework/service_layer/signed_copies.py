"""Signed copies of a case's forms: attach, list, download (ADR 0082).

Attaching is a write of the case (its case manager, or a colleague it is shared with for
writing: :func:`.access.case_for`); listing and downloading are reads of it — the coordinating
office's for supervision with a stated purpose, which the audit entry names. Each upload is
audited as ``create`` with reason ``signed_copy:upload:<form>:<copy id>``, each download as
``export`` with ``signed_copy:download:<form>:<copy id>`` (a supervision download: the purpose),
the list as ``read``, in the transaction that does it. The file name is neither stored nor
logged.
"""

from __future__ import annotations

import uuid

from lotse_platform import signed_copies
from lotse_platform.audit import CREATE, EXPORT
from lotse_platform.audit.purposes import StatedPurpose
from lotse_platform.auth import Principal
from lotse_platform.sealing import Envelopes
from lotse_platform.signed_copies import SignedCopy

from ..domain.errors import NotVisible
from ..domain.commands import AttachSignedCopy
from .access import audit_read, caller, case_for
from .unit_of_work import CaseworkUnitOfWork

RECORD = "case"


def attach_signed_copy(cmd: AttachSignedCopy, uow: CaseworkUnitOfWork,
                       envelopes: Envelopes | None, signed_copy_max_bytes: int) -> SignedCopy:
    principal = caller(uow)
    with uow:
        case, _ = case_for(uow, principal, cmd.case_id, write=True)
        copy = signed_copies.attach(
            uow.signed_copies, envelopes, uow.tenant_id, record_type=RECORD, record_id=case.id,
            form=cmd.form.value, content=cmd.content, content_type=cmd.content_type,
            uploaded_by=principal.subject, max_bytes=signed_copy_max_bytes, copy_id=cmd.copy_id)
        uow.audit(CREATE, RECORD, case.id,
                  reason=f"{signed_copies.upload_reason(copy.form)}:{copy.id}")
        uow.commit()
    return copy


def signed_copies_of(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID,
                     purpose: StatedPurpose | None) -> list[SignedCopy]:
    """The case's signed copies, oldest first, without their content."""
    with uow:
        case, access = case_for(uow, principal, case_id, write=False, purpose=purpose)
        copies = uow.signed_copies.of_record(RECORD, str(case.id))
        audit_read(uow, "case.signed_copies", case, access, purpose)
        uow.commit()
    return copies


def download_signed_copy(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID,
                         copy_id: uuid.UUID, purpose: StatedPurpose | None, *,
                         envelopes: Envelopes | None) -> tuple[SignedCopy, bytes]:
    """One signed copy of the case with its content (opened and checked)."""
    with uow:
        case, access = case_for(uow, principal, case_id, write=False, purpose=purpose)
        found = uow.signed_copies.get(RECORD, str(case.id), copy_id)
        if found is None:
            raise NotVisible("no such signed copy")
        copy, sealed = found
        content = signed_copies.open_copy(envelopes, uow.tenant_id, copy, sealed)
        if access.how == "supervision" and purpose is not None:
            uow.audit(EXPORT, RECORD, case.id, purpose=purpose.purpose, note=purpose.note)
        else:
            uow.audit(EXPORT, RECORD, case.id,
                      reason=f"{signed_copies.download_reason(copy.form)}:{copy.id}")
        uow.commit()
    return copy, content
