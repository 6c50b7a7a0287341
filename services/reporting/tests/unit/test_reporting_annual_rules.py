"""The annual report's tables as pure functions of the read models' rows (ADR 0097)."""

from __future__ import annotations

from datetime import date

from lotse_reporting.domain import annual
from lotse_reporting.domain.annual import AnonymousContact, Year
from lotse_reporting.domain.standard import Fact, IntakeRow, PhaseEntry
from lotse_reporting.domain.suppression import publish, recoverable

YEAR = Year(2025)


def _column(table) -> dict[str, int]:
    return {key: row[0] for (key,), row in zip(table.row_keys, table.counts, strict=True)}


def test_a_case_is_open_at_the_years_end_in_the_phase_of_its_newest_entry_up_to_then():
    entries = [PhaseEntry("a", 1, "intake", date(2025, 2, 1)),
               PhaseEntry("a", 2, "monitoring", date(2025, 6, 1)),
               PhaseEntry("b", 1, "intake", date(2025, 2, 1)),
               PhaseEntry("b", 2, "linking", date(2026, 1, 1)),     # next year's step
               PhaseEntry("c", 1, "intake", date(2025, 2, 1)),
               PhaseEntry("c", 3, "closed", date(2025, 11, 30)),
               PhaseEntry("c", 2, "monitoring", date(2025, 10, 1)),  # arrived late: older
               PhaseEntry("d", 1, "intake", date(2026, 1, 5))]      # opened next year
    counted = _column(annual.open_at_year_end(entries, YEAR))
    assert {k: n for k, n in counted.items() if n} == {"intake": 1, "monitoring": 1}
    assert list(counted) == list(annual.OPEN_PHASES)


def test_first_contacts_count_by_their_own_date_and_the_latest_decision():
    rows = [IntakeRow("1", access_path="outreach", contact_date=date(2025, 12, 31),
                      depth="guidance", revision=2),
            IntakeRow("2", access_path="outreach", contact_date=date(2025, 1, 1)),
            IntakeRow("3", access_path="outreach", contact_date=date(2024, 12, 31),
                      depth="guidance"),
            IntakeRow("4", access_path="", contact_date=None, depth="no_need")]
    table = annual.screenings(rows, YEAR, ("outreach", "outreach_other"), ("guidance",))
    assert table.column_keys == ("guidance", "undecided")
    assert table.row_keys == (("outreach",), ("outreach_other",))
    assert table.counts == ((1, 1), (0, 0))
    assert table.values()[(2, 2)] == 2


def test_a_referral_counts_once_by_how_far_it_got_in_the_year_it_was_sent():
    def fact(referral: str, state: str, month: str = "2025-04", kind: str = "tandem") -> Fact:
        return Fact(f"{referral}:{state}", "referrals", month, "org-jc",
                    f"work_training/{kind}/{state}", subject=referral)

    facts = [fact("r1", "sent"), fact("r1", "accepted"), fact("r1", "arrived"),
             fact("r2", "sent"), fact("r2", "accepted"), fact("r3", "sent"),
             fact("r4", "sent", month="2024-12")]
    table = annual.referrals(facts, YEAR, ("warm_handover", "tandem"))
    assert table.column_keys == ("arrived", "accepted", "not_accepted")
    assert dict(zip(table.row_keys, table.counts, strict=True)) == {
        ("warm_handover",): (0, 0, 0), ("tandem",): (1, 1, 1)}


def test_anonymous_contacts_count_once_each_and_their_people_apart():
    contacts = [AnonymousContact("a", "short_query", date(2025, 3, 1), 2),
                AnonymousContact("a", "short_query", date(2025, 3, 1), 2),
                AnonymousContact("b", "information_event", date(2025, 9, 1), 40),
                AnonymousContact("c", "information_event", date(2024, 9, 1), 40)]
    held, people = annual.anonymous_contacts(contacts, YEAR)
    assert _column(held) == {"short_query": 1, "information_event": 1}
    assert _column(people) == {"short_query": 2, "information_event": 40}


def test_admissions_per_target_group_publish_no_total_and_hide_only_small_counts():
    facts = [Fact(f"{n}:tg-a", "admissions", "2025-05", "tg-a") for n in range(6)]
    facts += [Fact("x:tg-b", "admissions", "2025-05", "tg-b"),
              Fact("y:", "admissions", "2025-05", "")]
    table = annual.admissions(facts, YEAR)
    assert table.lines() == []
    shown = publish(table, exact=False)
    assert dict(zip(table.row_keys, (shown.cell(i, 0) for i in range(3)), strict=True)) == {
        ("none",): "<5", ("tg-a",): 6, ("tg-b",): "<5"}
    assert shown.grand_total() is None


def test_a_one_column_table_with_a_small_cell_hides_a_second_so_neither_is_recoverable():
    table = annual.closures([Fact("1", "closures", "2025-03", "moved_away")]
                            + [Fact(f"g{n}", "closures", "2025-11", "goals_reached")
                               for n in range(7)], YEAR, ("goals_reached", "moved_away"))
    shown = publish(table, exact=False)
    hidden = {p for p, v in shown.shown.items() if not isinstance(v, int)}
    assert shown.cell(1, 0) == "<5" and shown.cell(0, 0) == "x"
    assert shown.grand_total() == 8
    assert recoverable(table.values(), table.lines(), hidden) == set()


def test_the_extracts_vocabularies_are_those_of_version_1_0():
    """A value added to a contract's enum changes the extract: raise its minor version, add a
    schema file and document it (docs/state-extract.md), then this list."""
    from lotse_reporting.service_layer import annual as extract

    assert extract.EXTRACT_VERSION == "1.0"
    assert extract.ACCESS_PATHS == (
        "partner_referral", "administration_referral", "outreach", "self_referral",
        "word_of_mouth", "town_assignment", "immigration_office_screening", "case_proposal",
        "handover_after_move")
    assert extract.DEPTHS == ("information", "guidance", "accompaniment", "referral",
                              "crisis_intervention", "case_management", "no_need")
    assert extract.CLOSURE_REASONS == ("goals_reached", "client_steers_network", "moved_away",
                                       "consent_withdrawn", "not_reachable", "referred_on")
    assert extract.REFERRAL_KINDS == ("referral_counselling", "warm_handover", "tandem")
    assert extract.TOPIC_AREAS == ("residence", "language", "education", "work_training",
                                   "housing", "health", "livelihood", "family_childcare",
                                   "debts", "social_environment", "other")
    assert annual.OPEN_PHASES == ("intake", "assessment", "goal_agreement", "linking",
                                  "monitoring", "reassessment", "evaluation")


def test_every_code_of_the_report_has_a_german_label_for_the_pdf():
    from lotse_reporting.service_layer import annual as extract

    codes = {*extract.ACCESS_PATHS, *extract.DEPTHS, *extract.CLOSURE_REASONS,
             *extract.REFERRAL_KINDS, *extract.TOPIC_AREAS, *annual.OPEN_PHASES,
             *annual.ANONYMOUS_KINDS, *annual.REFERRAL_PROGRESS, annual.UNDECIDED, annual.NONE}
    assert sorted(c for c in codes if c not in annual.LABELS_DE) == []
