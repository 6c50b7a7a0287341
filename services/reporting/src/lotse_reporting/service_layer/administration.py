"""The coordinating office's administration (issue 12, "Posts and funding"; seeds 001 L109,
L387; 002 L131): who may keep and read it, and its use cases. The office (coordinators and its
assistant, whose task the seed names: "Verwaltung (Antrag, Mittelabrufe,
Weiterleitungsverträge)") keeps the posts, the funding years with their calls of funds and the
forwarding contracts; the steering group reads the summary the annual report shows. Employers,
recipients and areas are identity's (checked against the replica). Every write and read is
audited; no person is named anywhere in it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any, Protocol

from lotse_platform.auth import (
    COORDINATION_ASSISTANT,
    COORDINATOR,
    STEERING_MEMBER,
    authorize,
)
from lotse_platform.errors import NotFound
from lotse_platform.references import AREA, ORGANISATION, Wanted, check, organisation_names

from ..domain import administration as admin
from ..domain.commands import RecordFundCall, SaveForwardingContract, SaveFundingYear, SavePost
from .unit_of_work import ReportingUnitOfWork

ADMINISTRATION_WRITERS = (COORDINATOR, COORDINATION_ASSISTANT)
ADMINISTRATION_READERS = (COORDINATOR, COORDINATION_ASSISTANT, STEERING_MEMBER)

RECORD = "administration"


class AdministrationStore(Protocol):
    """What the use cases need of the store (a mixin of the unit of work)."""

    def posts(self) -> list[admin.Post]: ...

    def post(self, post_id: uuid.UUID) -> admin.Post | None: ...

    def put_post(self, post: admin.Post) -> None: ...

    def funding_year(self, year: int) -> admin.FundingYear | None: ...

    def put_funding_year(self, funding: admin.FundingYear) -> None: ...

    def forwarding_contracts(self, year: int | None = None) -> list[admin.ForwardingContract]: ...

    def forwarding_contract(self, contract_id: uuid.UUID) -> admin.ForwardingContract | None: ...

    def put_forwarding_contract(self, contract: admin.ForwardingContract) -> None: ...


class AdministrationUnitOfWork(ReportingUnitOfWork, AdministrationStore, Protocol):
    def __enter__(self) -> AdministrationUnitOfWork: ...


def _writer(uow: AdministrationUnitOfWork) -> None:
    if uow.principal is not None:
        authorize(uow.principal, ADMINISTRATION_WRITERS)


def _reader(uow: AdministrationUnitOfWork) -> None:
    if uow.principal is not None:
        authorize(uow.principal, ADMINISTRATION_READERS)


def save_post(cmd: SavePost, uow: AdministrationUnitOfWork) -> uuid.UUID:
    """Create a post or change one (``post_id``)."""
    _writer(uow)
    with uow:
        if cmd.post_id is not None and uow.post(cmd.post_id) is None:
            raise NotFound("no such post")
        post = admin.Post(building_block=cmd.building_block, function=cmd.function,
                          employer_org_id=cmd.employer_org_id, fte=cmd.fte,
                          filled_fte=cmd.filled_fte, valid_from=cmd.valid_from,
                          area_id=cmd.area_id, valid_until=cmd.valid_until,
                          label=cmd.label.strip(), id=cmd.post_id or uuid.uuid4())
        post.check()
        check(uow.references, [Wanted("employer_org_id", ORGANISATION, post.employer_org_id),
                               Wanted("area_id", AREA, post.area_id)])
        uow.put_post(post)
        uow.audit("update" if cmd.post_id else "create", RECORD, post.id, reason="post")
        uow.commit()
        return post.id


def save_funding_year(cmd: SaveFundingYear, uow: AdministrationUnitOfWork) -> int:
    """Record or change a year's application and grant notice (its calls stay)."""
    _writer(uow)
    with uow:
        funding = uow.funding_year(cmd.year) or admin.FundingYear(year=cmd.year)
        funding.applied_on, funding.requested = cmd.applied_on, cmd.requested
        funding.notice_on, funding.granted = cmd.notice_on, cmd.granted
        funding.granted_fte = dict(cmd.granted_fte)
        funding.check()
        uow.put_funding_year(funding)
        uow.audit("update", RECORD, reason=f"funding:{cmd.year}")
        uow.commit()
        return cmd.year


def record_fund_call(cmd: RecordFundCall, uow: AdministrationUnitOfWork) -> int:
    """Record one of the year's two calls of funds: due, called, received."""
    _writer(uow)
    with uow:
        funding = uow.funding_year(cmd.year)
        if funding is None:
            raise NotFound(f"no funding recorded for {cmd.year}: record the year first")
        funding.record_call(admin.FundCall(half=cmd.half, due_on=cmd.due_on, amount=cmd.amount,
                                           called_on=cmd.called_on,
                                           received_on=cmd.received_on))
        uow.put_funding_year(funding)
        uow.audit("update", RECORD, reason=f"fund_call:{cmd.year}:{cmd.half}")
        uow.commit()
        return cmd.year


def save_forwarding_contract(cmd: SaveForwardingContract, uow: AdministrationUnitOfWork) -> uuid.UUID:
    """Create a forwarding contract or change one (``contract_id``), with its transfers."""
    _writer(uow)
    with uow:
        if cmd.contract_id is not None and uow.forwarding_contract(cmd.contract_id) is None:
            raise NotFound("no such forwarding contract")
        contract = admin.ForwardingContract(
            year=cmd.year, recipient_org_id=cmd.recipient_org_id,
            building_block=cmd.building_block, fte=cmd.fte, amount=cmd.amount,
            signed_on=cmd.signed_on, transfers=dict(cmd.transfers),
            id=cmd.contract_id or uuid.uuid4())
        contract.check()
        check(uow.references, [Wanted("recipient_org_id", ORGANISATION,
                                      contract.recipient_org_id)])
        uow.put_forwarding_contract(contract)
        uow.audit("update" if cmd.contract_id else "create", RECORD, contract.id,
                  reason="forwarding_contract")
        uow.commit()
        return contract.id


# -- reads --------------------------------------------------------------------------------------------
def list_posts(uow: AdministrationUnitOfWork, *, year: int | None = None) -> list[admin.Post]:
    _reader(uow)
    with uow:
        found = uow.posts()
        uow.audit("read", RECORD, reason="posts")
        uow.commit()
    return [p for p in found if year is None or p.funded_in(year)]


def get_post(uow: AdministrationUnitOfWork, post_id: uuid.UUID) -> admin.Post:
    _reader(uow)
    with uow:
        post = uow.post(post_id)
        if post is None:
            raise NotFound("no such post")
        uow.audit("read", RECORD, post_id, reason="post")
        uow.commit()
    return post


def get_funding_year(uow: AdministrationUnitOfWork, year: int) -> admin.FundingYear:
    _reader(uow)
    with uow:
        funding = uow.funding_year(year)
        if funding is None:
            raise NotFound(f"no funding recorded for {year}")
        uow.audit("read", RECORD, reason=f"funding:{year}")
        uow.commit()
    return funding


def list_forwarding_contracts(uow: AdministrationUnitOfWork,
                              year: int | None = None) -> list[dict[str, Any]]:
    _reader(uow)
    with uow:
        found = uow.forwarding_contracts(year)
        names = organisation_names(uow.references, {c.recipient_org_id for c in found})
        uow.audit("read", RECORD, reason="forwarding_contracts")
        uow.commit()
    return [{**vars(c), "recipient_name": names.get(c.recipient_org_id)} for c in found]


def get_forwarding_contract(uow: AdministrationUnitOfWork,
                            contract_id: uuid.UUID) -> admin.ForwardingContract:
    _reader(uow)
    with uow:
        contract = uow.forwarding_contract(contract_id)
        if contract is None:
            raise NotFound("no such forwarding contract")
        uow.audit("read", RECORD, contract_id, reason="forwarding_contract")
        uow.commit()
    return contract


def administration_summary(uow: AdministrationUnitOfWork, year: int) -> dict[str, Any]:
    """The year's administrative figures (domain ``summary``) with the recipients' and
    employers' names as identity published them (ADR 0086)."""
    _reader(uow)
    with uow:
        today: date = uow.today()
        found = admin.summary(year, uow.posts(), uow.funding_year(year),
                              uow.forwarding_contracts(year), today)
        names = organisation_names(uow.references,
                                   {f["recipient_org_id"] for f in found["forwarded"]})
        uow.audit("read", "report", reason=f"administration:{year}")
        uow.commit()
    for row in found["forwarded"]:
        row["recipient_name"] = names.get(row["recipient_org_id"])
    found["forwarded"].sort(key=lambda row: (row["recipient_name"] or row["recipient_org_id"],
                                             row["building_block"]))
    return found


ADMINISTRATION_COMMAND_HANDLERS: dict[type, Callable[..., Any]] = {
    SavePost: save_post,
    SaveFundingYear: save_funding_year,
    RecordFundCall: record_fund_call,
    SaveForwardingContract: save_forwarding_contract,
}
