"""Small-cell suppression with secondary suppression (issue 12, "Protecting people in the
numbers"; ADR 0091): no count from 1 to 4 is shown, and none of the hidden counts can be
recovered from the published totals and the other cells — tested by trying to recover them, two
ways independent of the code under test: solving the sums one unknown at a time (what a reader
with a pencil does), and the null space of the sums' equations (numpy's SVD: an unknown is
determined when every solution of the homogeneous system is 0 there)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lotse_reporting.domain.reports import (publish_referrals, referral_tables)
from lotse_reporting.domain.suppression import (_complete_lines, publish, recoverable,
                                                suppress)
from lotse_reporting.domain.tables import BLOCKED, SMALL, Table

from reporting_recovery import attack, solve_by_null_space


def table(counts, *, row_totals: bool = True, column_totals: bool = True) -> Table:
    rows, columns = len(counts), len(counts[0]) if counts else 0
    return Table("t", "T", "T", ("row",), tuple((f"r{i}",) for i in range(rows)), "column",
                 tuple(f"c{j}" for j in range(columns)), tuple(map(tuple, counts)),
                 row_totals=row_totals, column_totals=column_totals)


counts_strategy = st.integers(1, 5).flatmap(lambda rows: st.integers(1, 5).flatmap(
    lambda columns: st.lists(st.lists(st.one_of(st.integers(0, 5), st.integers(0, 40)),
                                      min_size=columns, max_size=columns),
                             min_size=rows, max_size=rows)))


@settings(max_examples=400, deadline=None)
@given(counts=counts_strategy, row_totals=st.booleans(), column_totals=st.booleans())
def test_no_small_count_is_shown_and_no_hidden_one_can_be_recovered(counts, row_totals,
                                                                    column_totals):
    """Issue 12: cells below 5 suppressed, "with secondary suppression so that no suppressed
    cell can be recomputed from totals (tested by trying to recover it)"."""
    t = table(counts, row_totals=row_totals, column_totals=column_totals)
    published = publish(t, exact=False)
    values = t.values()
    assert published.suppressed is True
    assert set(published.shown) == set(values)
    for position, shown in published.shown.items():
        if isinstance(shown, int):
            assert shown == values[position] and not 0 < shown < 5
        else:
            assert shown == (SMALL if 0 < values[position] < 5 else BLOCKED)
    assert attack(published) == set()


def test_the_classic_pattern_hides_a_rectangle():
    """One small cell: a second one in its row and its column, and the fourth corner."""
    published = publish(table([[3, 10], [7, 12]]), exact=False)
    assert [[published.cell(i, j) for j in range(2)] for i in range(2)] == [
        [SMALL, BLOCKED], [BLOCKED, BLOCKED]]
    assert (published.row_total(0), published.column_total(0), published.grand_total()) == (
        13, 10, 32)
    assert attack(published) == set()


def test_the_smallest_complement_is_chosen_and_zeros_stay_shown():
    published = publish(table([[2, 0, 30, 6], [9, 0, 7, 40], [8, 5, 8, 8]]), exact=False)
    assert published.cell(0, 0) == SMALL
    assert published.cell(0, 1) == 0  # a zero is no complement while a count is left
    assert published.cell(0, 3) == BLOCKED  # 6, not 30
    assert published.cell(2, 1) == 5  # hiding nothing it does not have to
    assert attack(published) == set()


def test_a_small_total_is_hidden_and_protected_too():
    """Hierarchical: a row total of 3 is a small count in the column of totals."""
    published = publish(table([[1, 2], [20, 30], [15, 25]]), exact=False)
    assert published.row_total(0) == SMALL
    assert attack(published) == set()
    hidden_totals = [published.row_total(i) for i in range(3)] + [published.grand_total()]
    assert sum(1 for shown in hidden_totals if not isinstance(shown, int)) >= 2


def test_a_chain_the_classic_rule_leaves_open_is_closed():
    """Every row and column with a hidden cell has two, and still the sums together pin one
    down: the complete check (rule 2) hides one more."""
    counts = [[3, 0, 0], [0, 9, 20], [0, 8, 3], [12, 20, 12], [1, 0, 8]]
    t = table(counts)
    values, lines = t.values(), t.lines()
    classic = {p for p, n in values.items() if 0 < n < 5}
    changed = True
    while changed:  # the classic rule, until it hides nothing more
        changed = _complete_lines(values, lines, classic)
    assert recoverable(values, lines, classic)  # the classic rule alone is not enough
    assert solve_by_null_space(values, lines, classic)  # and the attacker agrees
    published = publish(t, exact=False)
    assert attack(published) == set()


def test_exact_shows_every_count():
    published = publish(table([[1, 2], [3, 4]]), exact=True)
    assert published.suppressed is False
    assert published.shown == table([[1, 2], [3, 4]]).values()


def test_a_table_without_margins_needs_no_secondary_suppression():
    done = suppress(table([[1, 9], [9, 9]], row_totals=False, column_totals=False).values(), [])
    assert done.primary == {(0, 0)} and done.secondary == frozenset()


def test_a_table_of_nothing():
    published = publish(table([]), exact=False)
    assert published.grand_total() == 0


def test_referrals_hide_the_arrivals_of_a_row_whose_arrived_or_completed_outcome_is_hidden():
    found = [("org-a", "work", "arrived", 3, 3), ("org-a", "work", "completed", 3, 3),
             ("org-a", "work", "not_arrived", 9, 0),
             ("org-b", "work", "completed", 8, 8), ("org-b", "work", "declined", 6, 0),
             ("org-c", "health", "arrived", 7, 7), ("org-c", "health", "completed", 6, 6)]
    shown = publish_referrals(referral_tables(found), exact=False)
    assert shown.outcomes.cell(0, 5) == SMALL  # org-a completed 3
    assert shown.arrived.cell(0, 0) == BLOCKED and shown.arrival_rate(0) is None
    assert attack(shown.outcomes) == set()
    exact = publish_referrals(referral_tables(found), exact=True)
    assert exact.arrived.cell(0, 0) == 6 and exact.arrival_rate(0) == round(6 / 15, 3)


@pytest.mark.parametrize("counts", [[[4]], [[4, 4]], [[4], [4]], [[1, 1], [1, 1]]])
def test_tables_of_small_counts_only(counts):
    """Every cell hidden; a total of 5 or more may stay (two unknowns behind it)."""
    published = publish(table(counts), exact=False)
    assert all(not isinstance(published.cell(i, j), int)
               for i in range(len(counts)) for j in range(len(counts[0])))
    assert all(not 0 < shown < 5 for shown in published.shown.values() if isinstance(shown, int))
    assert attack(published) == set()
