"""The referral rates' rows (domain/referral_rates.py): one per referral, the same whatever the
order of its events and however often one comes."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date

from lotse_reporting.domain.referral_rates import (ReferralRateRow, ReferralStep,
                                                   apply_referral_step, referral_rate_totals)
from lotse_reporting.domain.standard import Filters


def step(state: str, **changed: str) -> ReferralStep:
    facts = {"partner_org_id": "org-mbe", "kind": "warm_handover", "topic_area": "residence",
             "month": "2025-03", "case_manager_id": "cm-1", **changed}
    return ReferralStep("r-1", state, **facts)


def row_of(steps) -> ReferralRateRow:
    row = None
    for one in steps:
        row = apply_referral_step(row, one)
    assert row is not None
    return row


def test_a_referrals_row_is_the_same_in_any_order_and_with_repeated_events():
    story = [step("sent"), step("accepted"), step("arrived"), step("accepted")]
    rows = {row_of(order) for order in itertools.permutations(story)}
    assert rows == {ReferralRateRow("r-1", "org-mbe", "warm_handover", "residence", "2025-03",
                                    "cm-1", sent=True, accepted=True, arrived=True, step=1)}


def test_an_arrival_counts_as_accepted_and_sent_before_the_other_events_come():
    row = row_of([step("arrived")])
    assert (row.sent, row.accepted, row.arrived) == (False, True, True)
    assert referral_rate_totals([row], Filters()) == [
        ("org-mbe", "warm_handover", "residence", 1, 1, 1)]


def test_where_the_events_disagree_the_smallest_detail_and_the_sending_count():
    """Topic area and kind: the smallest ``topic/kind/`` in byte order (upper case first);
    partner, month and case manager: the step earliest in the story (the sending)."""
    story = [step("accepted", topic_area="Work", month="2025-04", case_manager_id="cm-2"),
             step("sent", topic_area="work"),
             step("arrived", topic_area="language", partner_org_id="org-other")]
    rows = {row_of(order) for order in itertools.permutations(story)}
    assert rows == {ReferralRateRow("r-1", "org-mbe", "warm_handover", "Work", "2025-03",
                                    "cm-1", sent=True, accepted=True, arrived=True, step=1)}


def test_the_totals_count_the_referrals_sent_in_the_period_by_the_case_managers():
    rows = [row_of([step("sent")]),
            replace(row_of([step("sent"), step("accepted")]), referral_id="r-3"),
            apply_referral_step(None, ReferralStep("r-2", "sent", "org-mbe", "warm_handover",
                                                   "residence", "2025-05", "cm-2"))]
    assert referral_rate_totals(rows, Filters()) == [
        ("org-mbe", "warm_handover", "residence", 3, 1, 0)]
    assert referral_rate_totals(rows, Filters(date(2025, 3, 1), date(2025, 3, 31))) == [
        ("org-mbe", "warm_handover", "residence", 2, 1, 0)]
    assert referral_rate_totals(rows, Filters(case_managers=frozenset({"cm-2"}))) == [
        ("org-mbe", "warm_handover", "residence", 1, 0, 0)]
    assert referral_rate_totals(rows, Filters(area_id="area-hilden")) == []
