"""Cooperation agreements: who may keep and read them, and their use cases (ADR 0085).

The coordinating office keeps them; an organisation's administrator reads those her
organisation is a party to; case managers and provider staff read them all (a referral shows
the agreement that covers it). Every write and every read of one agreement is audited."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime

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

from ..domain.agreements import Agreement
from ..domain.commands import ChangeAgreement, RecordAgreement
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
