"""Cooperation agreements: who may keep and read them, and their use cases (ADR 0085).

The coordinating office keeps them; an organisation's administrator reads those her
organisation is a party to; case managers and provider staff read them all (a referral shows
the agreement that covers it). Every write and every read of one agreement is audited."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime

from lotse_platform import signed_copies
from lotse_platform.audit import CREATE, EXPORT, READ
from lotse_platform.auth import (
    CASE_MANAGER,
    COORDINATOR,
    ORG_ADMIN,
    PROVIDER_STAFF,
    Principal,
    authorize,
)
from lotse_platform.errors import NotFound
from lotse_platform.references import AREA, ORGANISATION, Wanted, check
from lotse_platform.sealing import Envelopes
from lotse_platform.signed_copies import SignedCopy

from ..domain.agreements import Agreement
from ..domain.commands import AttachAgreementCopy, ChangeAgreement, RecordAgreement
from .unit_of_work import NetworkUnitOfWork

AGREEMENT_WRITERS = (COORDINATOR,)
AGREEMENT_READERS = (COORDINATOR, ORG_ADMIN, CASE_MANAGER, PROVIDER_STAFF)
RECORD = "agreement"

#: what a change may touch (the parties and scope are the agreement: a new one is recorded)
CHANGEABLE = ("title", "other_parties", "target_group_ids", "cases_taken", "data_handling",
              "valid_from", "valid_until", "status", "basis", "signed_on", "document_ref")


def may_read(principal: Principal | None, agreement: Agreement) -> bool:
    """An organisation's administrator (without a wider role) reads only her organisation's."""
    if principal is None:
        return True
    if principal.has_any_role(COORDINATOR, CASE_MANAGER, PROVIDER_STAFF):
        return True
    return principal.has_any_role(ORG_ADMIN) and principal.organisation in agreement.party_org_ids


def _check_references(uow: NetworkUnitOfWork, org_ids: list[str], area_ids: list[str]) -> None:
    check(uow.references, [
        *(Wanted(f"party_org_ids.{i}", ORGANISATION, o) for i, o in enumerate(org_ids)),
        *(Wanted(f"area_ids.{i}", AREA, a) for i, a in enumerate(area_ids)),
    ])


def record_agreement(cmd: RecordAgreement, uow: NetworkUnitOfWork) -> uuid.UUID:
    with uow:
        if uow.principal is not None:
            authorize(uow.principal, AGREEMENT_WRITERS)
        agreement = Agreement(**dataclasses.asdict(cmd))
        agreement.party_org_ids = list(dict.fromkeys(cmd.party_org_ids))
        _check_references(uow, agreement.party_org_ids, list(cmd.area_ids))
        uow.add_agreement(agreement)
        uow.audit("create", RECORD, agreement.id)
        uow.commit()
    return agreement.id


def change_agreement(cmd: ChangeAgreement, uow: NetworkUnitOfWork) -> uuid.UUID:
    with uow:
        if uow.principal is not None:
            authorize(uow.principal, AGREEMENT_WRITERS)
        agreement = uow.get_agreement(cmd.agreement_id)
        if agreement is None:
            raise NotFound("no such agreement")
        for name in CHANGEABLE:
            if name in cmd.changes:
                setattr(agreement, name, cmd.changes[name])
        agreement.check()
        agreement.updated_at = datetime.now(UTC)
        uow.audit("update", RECORD, agreement.id,
                  reason="fields:" + ",".join(sorted(n for n in cmd.changes if n in CHANGEABLE)))
        uow.commit()
    return agreement.id


# -- the signed document, sealed (ADR 0082) -------------------------------------------------

def _readable(uow: NetworkUnitOfWork, agreement_id: uuid.UUID) -> Agreement:
    agreement = uow.get_agreement(agreement_id)
    if agreement is None or not may_read(uow.principal, agreement):
        raise NotFound("no such agreement")
    return agreement


def attach_agreement_copy(cmd: AttachAgreementCopy, uow: NetworkUnitOfWork, *,
                          envelopes: Envelopes | None,
                          signed_copy_max_bytes: int) -> SignedCopy:
    """The coordinating office attaches the scan of the signed agreement; audited as
    ``create`` with reason ``signed_copy:upload:<form>:<copy id>``."""
    with uow:
        if uow.principal is not None:
            authorize(uow.principal, AGREEMENT_WRITERS)
        agreement = _readable(uow, cmd.agreement_id)
        copy = signed_copies.attach(
            uow.signed_copies, envelopes, uow.tenant_id, record_type=RECORD,
            record_id=agreement.id, form=cmd.form, content=cmd.content,
            content_type=cmd.content_type, uploaded_by=cmd.uploaded_by,
            max_bytes=signed_copy_max_bytes, copy_id=cmd.copy_id)
        uow.audit(CREATE, RECORD, agreement.id,
                  reason=f"{signed_copies.upload_reason(copy.form)}:{copy.id}")
        uow.commit()
    return copy


def agreement_copies(agreement_id: uuid.UUID, uow: NetworkUnitOfWork) -> list[SignedCopy]:
    """The agreement's signed copies without content, for whoever may read the agreement."""
    with uow:
        agreement = _readable(uow, agreement_id)
        copies = uow.signed_copies.of_record(RECORD, str(agreement.id))
        uow.audit(READ, RECORD, agreement.id, reason="signed_copy:list")
        uow.commit()
    return copies


def download_agreement_copy(agreement_id: uuid.UUID, copy_id: uuid.UUID,
                            uow: NetworkUnitOfWork, *,
                            envelopes: Envelopes | None) -> tuple[SignedCopy, bytes]:
    """One signed copy with its content, opened and checked; audited as ``export``."""
    with uow:
        agreement = _readable(uow, agreement_id)
        found = uow.signed_copies.get(RECORD, str(agreement.id), copy_id)
        if found is None:
            raise NotFound("no such signed copy")
        copy, sealed = found
        content = signed_copies.open_copy(envelopes, uow.tenant_id, copy, sealed)
        uow.audit(EXPORT, RECORD, agreement.id,
                  reason=f"{signed_copies.download_reason(copy.form)}:{copy.id}")
        uow.commit()
    return copy, content
