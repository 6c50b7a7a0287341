"""The coordinating office's administration on SQLAlchemy Core: posts, funding years with their
calls of funds, forwarding contracts. A mixin of
:class:`~lotse_reporting.adapters.unit_of_work.SqlAlchemyReportingUnitOfWork`; every query names
the unit of work's tenant (row-level security checks it again on PostgreSQL)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from lotse_platform.db.engine import TenantSession

from ..domain.administration import ForwardingContract, FundCall, FundingYear, Post
from .orm import admin_forwarding_contracts as contracts
from .orm import admin_fund_calls as calls
from .orm import admin_funding_years as years
from .orm import admin_posts as posts


def _post(r: Any) -> Post:
    return Post(building_block=r.building_block, function=r.function,
                employer_org_id=r.employer_org_id, fte=Decimal(r.fte),
                filled_fte=Decimal(r.filled_fte), valid_from=r.valid_from, area_id=r.area_id,
                valid_until=r.valid_until, label=r.label, id=r.id)


def _contract(r: Any) -> ForwardingContract:
    return ForwardingContract(
        year=r.year, recipient_org_id=r.recipient_org_id, building_block=r.building_block,
        fte=Decimal(r.fte), amount=Decimal(r.amount), signed_on=r.signed_on,
        transfers={int(h): date.fromisoformat(d) for h, d in r.transfers.items()}, id=r.id)


class AdministrationStore:
    session: TenantSession
    tenant_id: uuid.UUID | None

    def _replace(self, table: sa.Table, keys: dict[str, Any], values: dict[str, Any]) -> None:
        where = [table.c.tenant_id == self.tenant_id,
                 *(table.c[k] == v for k, v in keys.items())]
        if not self.session.execute(table.update().where(*where).values(**values)).rowcount:
            self.session.execute(table.insert().values(tenant_id=self.tenant_id, **keys,
                                                       **values))

    # -- posts --------------------------------------------------------------------------------------
    def posts(self) -> list[Post]:
        rows = self.session.execute(sa.select(posts).where(posts.c.tenant_id == self.tenant_id)
                                    .order_by(posts.c.building_block, posts.c.valid_from,
                                              posts.c.id)).all()
        return [_post(r) for r in rows]

    def post(self, post_id: uuid.UUID) -> Post | None:
        row = self.session.execute(sa.select(posts).where(
            posts.c.tenant_id == self.tenant_id, posts.c.id == post_id)).first()
        return None if row is None else _post(row)

    def put_post(self, post: Post) -> None:
        self._replace(posts, {"id": post.id}, {
            "building_block": post.building_block, "function": post.function,
            "employer_org_id": post.employer_org_id, "area_id": post.area_id, "fte": post.fte,
            "filled_fte": post.filled_fte, "valid_from": post.valid_from,
            "valid_until": post.valid_until, "label": post.label})

    # -- funding years ------------------------------------------------------------------------------
    def funding_year(self, year: int) -> FundingYear | None:
        row = self.session.execute(sa.select(years).where(
            years.c.tenant_id == self.tenant_id, years.c.year == year)).first()
        if row is None:
            return None
        found = self.session.execute(sa.select(calls).where(
            calls.c.tenant_id == self.tenant_id, calls.c.year == year)).all()
        return FundingYear(
            year=row.year, applied_on=row.applied_on,
            requested=None if row.requested is None else Decimal(row.requested),
            notice_on=row.notice_on,
            granted=None if row.granted is None else Decimal(row.granted),
            granted_fte={b: Decimal(v) for b, v in row.granted_fte.items()},
            calls={c.half: FundCall(half=c.half, due_on=c.due_on,
                                    amount=None if c.amount is None else Decimal(c.amount),
                                    called_on=c.called_on, received_on=c.received_on)
                   for c in found})

    def put_funding_year(self, funding: FundingYear) -> None:
        self._replace(years, {"year": funding.year}, {
            "applied_on": funding.applied_on, "requested": funding.requested,
            "notice_on": funding.notice_on, "granted": funding.granted,
            "granted_fte": {b: str(v) for b, v in funding.granted_fte.items()}})
        for call in funding.calls.values():
            self._replace(calls, {"year": funding.year, "half": call.half}, {
                "due_on": call.due_on, "amount": call.amount, "called_on": call.called_on,
                "received_on": call.received_on})

    # -- forwarding contracts -----------------------------------------------------------------------
    def forwarding_contracts(self, year: int | None = None) -> list[ForwardingContract]:
        query = sa.select(contracts).where(contracts.c.tenant_id == self.tenant_id)
        if year is not None:
            query = query.where(contracts.c.year == year)
        rows = self.session.execute(query.order_by(contracts.c.year, contracts.c.recipient_org_id,
                                                   contracts.c.id)).all()
        return [_contract(r) for r in rows]

    def forwarding_contract(self, contract_id: uuid.UUID) -> ForwardingContract | None:
        row = self.session.execute(sa.select(contracts).where(
            contracts.c.tenant_id == self.tenant_id, contracts.c.id == contract_id)).first()
        return None if row is None else _contract(row)

    def put_forwarding_contract(self, contract: ForwardingContract) -> None:
        self._replace(contracts, {"id": contract.id}, {
            "year": contract.year, "recipient_org_id": contract.recipient_org_id,
            "building_block": contract.building_block, "fte": contract.fte,
            "amount": contract.amount, "signed_on": contract.signed_on,
            "transfers": {str(h): d.isoformat() for h, d in contract.transfers.items()}})
