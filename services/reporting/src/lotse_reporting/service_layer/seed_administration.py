"""The demo county's administration, through the use cases: the coordinating office's posts
(002 L131: "3,5 Koordinierungsstellen und eine 0,5 Assistenzstelle"), a case-management post
per case manager with her share of a full-time post and one vacancy, a post at the immigration
office (building block III), the funding of last year and this year with their two calls of
funds, and a forwarding contract per town that employs case managers (001 L109: the county
forwards the funds "zweimal im Jahr"). The amounts are illustrative, not the state's rates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from lotse_demo.county import DemoCounty

from ..domain.commands import RecordFundCall, SaveForwardingContract, SaveFundingYear, SavePost
from .administration import (
    AdministrationUnitOfWork,
    record_fund_call,
    save_forwarding_contract,
    save_funding_year,
    save_post,
)

#: an illustrative yearly amount per full-time case-management post (euros)
PER_POST = Decimal("64000.00")


def seed_administration(units: Callable[..., AdministrationUnitOfWork],
                        county: DemoCounty) -> int:
    with units(county.tenant_id) as uow:
        if uow.posts():
            return 0
        today = uow.today()

    def run(handler, command) -> object:  # type: ignore[no-untyped-def]
        return handler(command, units(county.tenant_id))

    def org(key: str) -> str:
        return str(county.organisation(key).id)

    start = date(today.year - 4, 1, 1)
    written = 0
    kreis = org("kreis")
    for label, fte, filled in (("KS 1", "1.00", "1.00"), ("KS 2", "1.00", "1.00"),
                               ("KS 3", "1.00", "0.00"), ("KS 4", "0.50", "0.50")):
        run(save_post, SavePost("coordination", "coordinator", kreis, Decimal(fte),
                                Decimal(filled), start, label=label))
        written += 1
    run(save_post, SavePost("coordination", "assistant", kreis, Decimal("0.50"),
                            Decimal("0.50"), start, label="Assistenz"))
    employers: dict[str, Decimal] = {}
    for user in county.users_with_role("case_manager"):
        share = Decimal(str(user.fte or 1.0)).quantize(Decimal("0.01"))
        town = user.areas[0] if user.areas else None
        run(save_post, SavePost("case_management", "case_manager", org(user.organisation),
                                share, share, start,
                                area_id=str(county.area(town).id) if town else None,
                                label=f"CMS {county.area(town).name}" if town else "CMS"))
        employers[user.organisation] = employers.get(user.organisation, Decimal("0")) + share
        written += 1
    run(save_post, SavePost("case_management", "case_manager", org("stadt-beverungen"),
                            Decimal("0.50"), Decimal("0.00"), date(today.year, 1, 1),
                            area_id=str(county.area("beverungen").id), label="CMS Beverungen 2"))
    run(save_post, SavePost("immigration_office", "immigration_office_staff", org("abh"),
                            Decimal("1.00"), Decimal("1.00"), start, label="ABH § 25a/b"))
    written += 3

    case_fte = sum(employers.values(), Decimal("0")) + Decimal("0.50")
    for year in (today.year - 1, today.year):
        granted = (case_fte * PER_POST + Decimal("4.00") * PER_POST).quantize(Decimal("0.01"))
        run(save_funding_year, SaveFundingYear(
            year, applied_on=date(year - 1, 10, 15), requested=granted,
            notice_on=date(year, 1, 20), granted=granted,
            granted_fte={"coordination": Decimal("4.00"), "case_management": case_fte,
                         "immigration_office": Decimal("1.00")}))
        for half, due in ((1, date(year, 3, 31)), (2, date(year, 9, 30))):
            done = due < today
            run(record_fund_call, RecordFundCall(
                year, half, due, (granted / 2).quantize(Decimal("0.01")),
                called_on=date(due.year, due.month, 15) if done else None,
                received_on=date(due.year, due.month, 28) if done else None))
        written += 3
        for employer, share in sorted(employers.items()):
            transfers = {h: d for h, d in ((1, date(year, 4, 30)), (2, date(year, 10, 31)))
                         if d < today}
            run(save_forwarding_contract, SaveForwardingContract(
                year, org(employer), "case_management", share,
                (share * PER_POST).quantize(Decimal("0.01")), signed_on=date(year, 2, 1),
                transfers=transfers))
            written += 1
    return written
