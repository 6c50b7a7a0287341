"""Signed copies of an intake's forms: attach, list, download (ADR 0082).

Whoever may work the intake — a case manager of its area, or the office — may attach and read
its signed copies (:func:`.handlers.intake_to_work`, 404 before 403). Each upload is audited as
``create`` with reason ``signed_copy:upload:<form>:<copy id>``, each download as ``export`` with
``signed_copy:download:<form>:<copy id>``, the list as ``read`` with ``signed_copy:list``, in
the transaction that does it. The file name is neither stored nor logged.
"""

from __future__ import annotations

import uuid

from lotse_platform import signed_copies
from lotse_platform.audit import CREATE, EXPORT, READ
from lotse_platform.sealing import Envelopes
from lotse_platform.signed_copies import SignedCopy

from ..domain.errors import UnknownRecord
from ..domain.commands import AttachSignedCopy
from .handlers import RECORD, intake_to_work
from .unit_of_work import IntakeUnitOfWork


def attach_signed_copy(cmd: AttachSignedCopy, uow: IntakeUnitOfWork, *,
                       envelopes: Envelopes | None, signed_copy_max_bytes: int) -> SignedCopy:
    with uow:
        intake = intake_to_work(uow, cmd.intake_id, for_update=False)
        copy = signed_copies.attach(
            uow.signed_copies, envelopes, uow.tenant_id, record_type=RECORD,
            record_id=intake.id, form=cmd.form.value, content=cmd.content,
            content_type=cmd.content_type, uploaded_by=cmd.uploaded_by,
            max_bytes=signed_copy_max_bytes, copy_id=cmd.copy_id)
        uow.audit(CREATE, RECORD, intake.id,
                  reason=f"{signed_copies.upload_reason(copy.form)}:{copy.id}")
        uow.commit()
    return copy


def signed_copies_of(intake_id: uuid.UUID, uow: IntakeUnitOfWork) -> list[SignedCopy]:
    """The intake's signed copies, oldest first, without their content."""
    with uow:
        intake = intake_to_work(uow, intake_id, for_update=False)
        copies = uow.signed_copies.of_record(RECORD, str(intake.id))
        uow.audit(READ, RECORD, intake.id, reason="signed_copy:list")
        uow.commit()
    return copies


def download_signed_copy(intake_id: uuid.UUID, copy_id: uuid.UUID, uow: IntakeUnitOfWork, *,
                         envelopes: Envelopes | None) -> tuple[SignedCopy, bytes]:
    """One signed copy of the intake with its content (opened and checked)."""
    with uow:
        intake = intake_to_work(uow, intake_id, for_update=False)
        found = uow.signed_copies.get(RECORD, str(intake.id), copy_id)
        if found is None:
            raise UnknownRecord("no such signed copy")
        copy, sealed = found
        content = signed_copies.open_copy(envelopes, uow.tenant_id, copy, sealed)
        uow.audit(EXPORT, RECORD, intake.id,
                  reason=f"{signed_copies.download_reason(copy.form)}:{copy.id}")
        uow.commit()
    return copy, content
