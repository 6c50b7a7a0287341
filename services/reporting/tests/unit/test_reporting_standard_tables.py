"""The standard reports as tables (ADR 0091 amendment): the pivots of their rows, their totals,
tables of several measures without a grand total, and no hidden count recoverable from what a
steering member is shown."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lotse_reporting.domain.standard_tables import (case_manager_group_table, caseload_table,
                                                    cells, effort_table, outcome_key, outcome_of,
                                                    publish_per_case_manager, rate,
                                                    referral_rates_table, screening_table,
                                                    series_table, topic_table)
from lotse_reporting.domain.suppression import publish
from lotse_reporting.domain.tables import BLOCKED, SMALL, Line, Table

from reporting_recovery import attack, solve_by_null_space, solve_by_pencil


def test_the_screening_rows_become_access_paths_by_outcomes_with_a_column_per_target():
    rows = [{"access_path": "self_referral", "outcome": "case_management",
             "referral_org_id": None, "count": 2},
            {"access_path": "immigration_office_screening", "outcome": "referral",
             "referral_org_id": "org-mbe", "count": 17},
            {"access_path": "immigration_office_screening", "outcome": "referral",
             "referral_org_id": "org-jmd", "count": 0},
            {"access_path": "immigration_office_screening", "outcome": "no_need",
             "referral_org_id": None, "count": 49}]
    pivot = screening_table(rows)
    table = pivot.table
    assert table.row_keys == (("immigration_office_screening",), ("self_referral",))
    assert table.column_keys == ("case_management", "no_need", "referral:org-jmd",
                                 "referral:org-mbe")
    assert table.counts == ((0, 49, 0, 17), (2, 0, 0, 0))
    shown = publish(table, exact=True)
    # the JMD's 0 is listed (a referral target is always a column), an unlisted 0 is not
    assert (0, 2) in cells(shown, pivot.listed)
    assert outcome_of(outcome_key("referral", "org-mbe")) == ("referral", "org-mbe")
    assert outcome_of("no_need") == ("no_need", None)


def test_a_table_of_measures_has_no_grand_total_and_no_equation_across_its_columns():
    rows = [{"phase": p, "cases": c, "contacts": k, "appointments": a, "minutes": 60 * k,
             "cases_beyond": b}
            for p, c, k, a, b in (("intake", 3, 5, 5, 0), ("assessment", 12, 30, 20, 2),
                                  ("monitoring", 9, 14, 4, 1))]
    pivot = effort_table(rows)
    table = pivot.table
    assert not table.has_grand_total and table.shape not in table.values()
    assert all(len({p[1] for p in line.positions()}) == 1 for line in table.lines())
    shown = publish(table, exact=False)
    assert shown.cell(0, 0) == SMALL and shown.column_total(0) == 24
    assert shown.cell(2, 0) == BLOCKED  # 9, the smaller other count beside the total
    assert attack(shown) == set()
    assert pivot.values[(1, 0)] == 1800


def test_a_rate_only_where_both_its_counts_are_shown():
    rows = [{"partner_org_id": p, "kind": "tandem", "topic_area": "work", "sent": s,
             "accepted": a, "arrived": r} for p, s, a, r in (("org-a", 10, 8, 2),
                                                            ("org-b", 12, 9, 7),
                                                            ("org-c", 20, 15, 11))]
    shown = publish(referral_rates_table(rows), exact=False)
    assert rate(shown, 2, 1) == 0.75
    assert rate(shown, 0, 2) is None  # 2 arrived: "<5"
    assert rate(publish(referral_rates_table(rows), exact=True), 0, 2) == 0.2


def test_a_time_series_is_keys_by_months_with_its_values():
    rows = [{"month": "2023-09", "key": "assessment", "detail": "appointment", "count": 8,
             "value": 240},
            {"month": "2023-10", "key": "monitoring", "detail": None, "count": 2, "value": 20}]
    pivot = series_table("contacts", rows)
    assert pivot.table.row_keys == (("assessment", "appointment"), ("monitoring", ""))
    assert pivot.table.column_keys == ("2023-09", "2023-10")
    assert pivot.table.counts == ((8, 0), (0, 2))
    assert pivot.values == {(0, 0): 240, (1, 1): 20}


measures = st.integers(1, 6).flatmap(lambda rows: st.lists(
    st.tuples(st.integers(0, 30), st.integers(0, 8)), min_size=rows, max_size=rows))


@settings(max_examples=200, deadline=None)
@given(found=measures)
def test_no_hidden_count_of_a_table_of_measures_can_be_recovered(found):
    counts = tuple((a, b) for a, b in found)
    table = Table("m", "M", "M", ("row",), tuple((f"r{i}",) for i in range(len(counts))),
                  "measure", ("one", "two"), counts, row_totals=False, grand_total=False)
    shown = publish(table, exact=False)
    assert not any(isinstance(v, int) and 0 < v < 5 for v in shown.shown.values())
    assert attack(shown) == set()


def _prefixed(name: str, shown) -> tuple[list[Line], set]:
    lines = [Line(tuple((name, *p) for p in line.members), (name, *line.total))
             for line in shown.table.lines()]
    return lines, {(name, *p) for p, v in shown.shown.items() if not isinstance(v, int)}


people_per_group = st.lists(st.lists(st.integers(0, 9), min_size=3, max_size=3), min_size=1,
                            max_size=5)


@settings(max_examples=200, deadline=None)
@given(found=people_per_group, split=st.integers(0, 100))
def test_the_caseload_and_the_per_case_manager_table_give_nothing_away_together(found, split):
    """Everyone in one target group: a case manager's caseload is her row total in the target
    group table, and the totals of the three tables are one number — the equations across the
    tables included, no hidden count is recoverable."""
    managers = [f"cm-{i}" for i in range(len(found))]
    groups = case_manager_group_table([
        {"case_manager_id": m, "target_group_id": f"g{j}", "count": n}
        for m, row in zip(managers, found, strict=True) for j, n in enumerate(row) if n])
    caseload = caseload_table([{"case_manager_id": m, "cases": sum(row)}
                               for m, row in zip(managers, found, strict=True)])
    people = sum(map(sum, found))
    first = people * split // 100
    topics = topic_table([{"primary_topic_area": t, "count": n}
                          for t, n in (("language", first), ("residence", people - first)) if n])

    shown = publish_per_case_manager(topics, caseload, groups, exact=False)

    lines, hidden = [], set()
    for name, table in (("t", shown.topics), ("c", shown.caseload), ("g", shown.groups)):
        more_lines, more_hidden = _prefixed(name, table)
        lines += more_lines
        hidden |= more_hidden
        assert not any(isinstance(v, int) and 0 < v < 5 for v in table.shown.values())
    rows_of = {key[0]: i for i, key in enumerate(groups.row_keys)}
    lines += [Line((("c", i, 0),), ("g", rows_of[m], groups.shape[1]))
              for i, m in enumerate(managers) if m in rows_of]
    lines += [Line((("c", len(managers), 0),), ("g", *groups.shape)),
              Line((("t", topics.shape[0], 0),), ("c", len(managers), 0))]
    assert solve_by_pencil({}, lines, hidden) == set()
    assert solve_by_null_space({}, lines, hidden) == set()
