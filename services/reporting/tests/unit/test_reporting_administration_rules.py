"""The coordinating office's administrative figures (001 L109: the county forwards the funds
to the towns "zweimal im Jahr"; 002 L131: "Jeder Kreis erhält 3,5 Koordinierungsstellen und
eine 0,5 Assistenzstelle"): what a valid post, call and contract is, and the year's summary."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from lotse_reporting.domain.administration import (
    ForwardingContract,
    FundCall,
    FundingYear,
    InvalidAdministration,
    Post,
    summary,
)


def post(block="coordination", function="coordinator", fte="1.00", filled="1.00",
         since=date(2021, 1, 1), until=None) -> Post:
    return Post(building_block=block, function=function, employer_org_id="kreis",
                fte=D(fte), filled_fte=D(filled), valid_from=since, valid_until=until)


def fields(error: InvalidAdministration) -> set[str]:
    return {e["field"] for e in error.errors}


def test_the_seeds_coordinating_office_three_and_a_half_posts_and_half_an_assistant():
    posts = [post(), post(), post(), post(fte="0.50", filled="0.00"),
             post(function="assistant", fte="0.50", filled="0.50"),
             post(block="case_management", function="case_manager", fte="0.75", filled="0.75"),
             post(block="case_management", function="case_manager", until=date(2025, 12, 31))]
    funding = FundingYear(2026, granted_fte={"coordination": D("4.00"),
                                             "case_management": D("11.00")})
    shown = summary(2026, posts, funding, [], date(2026, 12, 7))
    coordination, case_management, immigration = shown["posts"]
    assert (coordination["posts"], coordination["fte"], coordination["filled_fte"],
            coordination["vacant_fte"]) == (5, D("4.00"), D("3.50"), D("0.50"))
    assert coordination["granted_fte"] == D("4.00")
    assert (case_management["posts"], case_management["fte"]) == (1, D("0.75")), \
        "a post whose funding ended in 2025 is not one of 2026's"
    assert immigration["posts"] == 0 and immigration["granted_fte"] is None


def test_a_post_is_refused_naming_each_field_it_breaks():
    with pytest.raises(InvalidAdministration) as refused:
        post(block="baustein4", function="boss", fte="1.20", filled="0.5",
             until=date(2020, 1, 1)).check()
    assert fields(refused.value) == {"building_block", "function", "fte", "valid_until"}
    with pytest.raises(InvalidAdministration) as refused:
        post(fte="0.50", filled="0.75").check()
    assert fields(refused.value) == {"filled_fte"}, "more filled than the post has"


def test_the_two_calls_a_year_overdue_only_after_their_due_day():
    funding = FundingYear(2026, granted=D("500000.00"))
    funding.record_call(FundCall(1, date(2026, 3, 31), D("250000.00"), date(2026, 3, 20),
                                 date(2026, 4, 2)))
    funding.record_call(FundCall(2, date(2026, 9, 30), D("250000.00")))
    assert not funding.calls[2].overdue(date(2026, 9, 30)), "due today: not overdue yet"
    assert funding.calls[2].overdue(date(2026, 10, 1))
    shown = summary(2026, [], funding, [], date(2026, 10, 1))["funding"]
    assert (shown["called"], shown["received"]) == (D("250000.00"), D("250000.00"))
    assert [c["overdue"] for c in shown["calls"]] == [False, True]

    with pytest.raises(InvalidAdministration) as refused:
        funding.record_call(FundCall(3, date(2027, 1, 5), D("-1"), None, date(2027, 1, 9)))
    assert fields(refused.value) == {"half", "due_on", "amount", "received_on"}


def test_a_forwarding_contract_with_its_transfers_outstanding():
    contract = ForwardingContract(2026, "stadt-warburg", "case_management", D("1.50"),
                                  D("96000.00"), date(2026, 2, 1), {1: date(2026, 4, 15)})
    contract.check()
    other = ForwardingContract(2026, "caritas", "case_management", D("0.50"), D("32000.00"))
    shown = summary(2026, [], None, [contract, other], date(2026, 12, 7))
    assert [(f["recipient_org_id"], f["transfers_outstanding"]) for f in shown["forwarded"]] == [
        ("caritas", [1, 2]), ("stadt-warburg", [2])]
    assert shown["forwarded_total"] == D("128000.00")
    assert shown["funding"]["granted"] is None, "no funding recorded for the year"
    with pytest.raises(InvalidAdministration) as refused:
        ForwardingContract(2026, "x", "case_management", D("0"), D("-5"), date(2026, 5, 1),
                           {1: date(2026, 4, 1)}).check()
    assert fields(refused.value) == {"fte", "amount", "transfers.1"}
