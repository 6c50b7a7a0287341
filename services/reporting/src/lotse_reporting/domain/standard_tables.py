"""The standard reports (ADR 0090) as tables (:mod:`.tables`), so that they are published
through the same suppression as every other figure (:mod:`.suppression`, ADR 0091): a steering
member's view shows no count from 1 to 4 and no hidden count can be worked out from the totals.

Each report's plain rows (:mod:`.standard`) become one table or several:

- **screening outcomes**: access paths down, the outcomes across (each referral target its own
  column, ``referral:<organisation>``), a total per access path, per outcome and the grand
  total;
- **primary goal areas**: the topic areas down, one column (people), the column's total (people
  in case management); **per case manager and target group**: case managers down, target groups
  across, all margins (a person in two groups counts in both, so its totals count memberships);
- **caseload**: case managers down, one column (cases), the column's total;
- **effort by phase**: the phases down, the measures across (cases, contacts, appointments,
  cases beyond the guideline) with a total per measure — no row totals and no grand total (cases
  and contacts do not add up);
- **referral rates**: (partner, kind, topic area) down, sent / accepted / arrived across, a total
  per measure;
- **a time series**: (key, detail) down, the months across, a total per key, per month and the
  grand total.

Summed values (minutes, days) are no counts of people: they are not tables of their own, but a
value is hidden wherever the count of its cell is (the service layer shows it ``null``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .standard import ALWAYS_SHOWN
from .suppression import publish
from .tables import Position, PublishedTable, Table

SCREENING_OUTCOMES = "screening-outcomes"
PRIMARY_GOAL_AREAS = "primary-goal-areas"
CASE_MANAGER_GROUPS = "primary-goal-areas-by-case-manager"
CASELOAD = "caseload"
EFFORT_BY_PHASE = "effort-by-phase"
REFERRAL_RATES = "referral-rates"
TIME_SERIES = "time-series"

#: the reports with a table, a CSV/XLSX export and a bar chart (the time series: line charts)
REPORTS = (SCREENING_OUTCOMES, PRIMARY_GOAL_AREAS, CASELOAD, EFFORT_BY_PHASE, REFERRAL_RATES)

#: the measures of the effort table and of the referral rates table (their columns)
EFFORT_MEASURES = ("cases", "contacts", "appointments", "cases_beyond")
REFERRAL_MEASURES = ("sent", "accepted", "arrived")

#: the column of the one-column tables
PEOPLE, CASES = "people", "cases"

#: a referral target's column: ``referral:<organisation id>``
REFERRAL_PREFIX = "referral:"


@dataclass(frozen=True)
class Pivot:
    """A report's table, the cells its JSON lists even when they are 0 (``listed``: the
    columns a report always shows) and the summed value behind each cell (``values``)."""

    table: Table
    listed: frozenset[Position] = frozenset()
    values: Mapping[Position, int] = field(default_factory=dict)


def hidden(shown: PublishedTable, i: int, j: int) -> bool:
    return not isinstance(shown.cell(i, j), int)


def cells(shown: PublishedTable, listed: Iterable[Position] = ()) -> list[Position]:
    """The cells a report's JSON lists, row by row: a count other than 0, one of ``listed``,
    or a hidden one (a hidden 0 left out would give itself away)."""
    keep = set(listed)
    rows, columns = shown.table.shape
    return [(i, j) for i in range(rows) for j in range(columns)
            if (i, j) in keep or shown.table.counts[i][j] != 0 or hidden(shown, i, j)]


# -- screening outcomes ------------------------------------------------------------------------
def outcome_key(outcome: str, referral_org_id: str | None) -> str:
    return f"{REFERRAL_PREFIX}{referral_org_id}" if referral_org_id else outcome


def outcome_of(key: str) -> tuple[str, str | None]:
    """(outcome, referral organisation) of a column key."""
    if key.startswith(REFERRAL_PREFIX):
        return "referral", key.removeprefix(REFERRAL_PREFIX)
    return key, None


def screening_table(rows: Sequence[Mapping[str, Any]]) -> Pivot:
    """From :func:`~.standard.screening_outcomes`' rows (``access_path``, ``outcome``,
    ``referral_org_id``, ``count``); the columns in the rows' order (outcome, organisation)."""
    paths = sorted({str(r["access_path"]) for r in rows})
    ordered = sorted({(str(r["outcome"]), r["referral_org_id"] or "") for r in rows})
    columns = [outcome_key(outcome, org or None) for outcome, org in ordered]
    counted = {(str(r["access_path"]), outcome_key(str(r["outcome"]), r["referral_org_id"])):
               int(r["count"]) for r in rows}
    always = {j for j, key in enumerate(columns)
              if key.startswith(REFERRAL_PREFIX) or key in ALWAYS_SHOWN}
    table = Table(
        code=SCREENING_OUTCOMES, title="Screening-Ergebnisse je Zugangsweg",
        title_en="Screening outcomes per access path", row_dimensions=("access_path",),
        row_keys=tuple((p,) for p in paths), column_dimension="outcome",
        column_keys=tuple(columns),
        counts=tuple(tuple(counted.get((p, c), 0) for c in columns) for p in paths))
    return Pivot(table, frozenset((i, j) for i in range(len(paths)) for j in always))


# -- primary goal areas ------------------------------------------------------------------------
def topic_table(rows: Sequence[Mapping[str, Any]]) -> Table:
    """People in case management per primary goal topic area; the total: all of them."""
    return Table(
        code=PRIMARY_GOAL_AREAS, title="Personen im Case Management je Hauptziel-Themenbereich",
        title_en="People in case management by primary goal topic area",
        row_dimensions=("primary_topic_area",),
        row_keys=tuple((str(r["primary_topic_area"]),) for r in rows),
        column_dimension="measure", column_keys=(PEOPLE,),
        counts=tuple((int(r["count"]),) for r in rows), row_totals=False, grand_total=False)


def case_manager_group_table(rows: Sequence[Mapping[str, Any]]) -> Table:
    """People per case manager (down) and target group (across; ``""``: none)."""
    managers = sorted({str(r["case_manager_id"]) for r in rows})
    groups = sorted({r["target_group_id"] or "" for r in rows})
    counted = {(str(r["case_manager_id"]), r["target_group_id"] or ""): int(r["count"])
               for r in rows}
    return Table(
        code=CASE_MANAGER_GROUPS, title="Personen je Case-Managerin und Zielgruppe",
        title_en="People per case manager and target group",
        row_dimensions=("case_manager_id",), row_keys=tuple((m,) for m in managers),
        column_dimension="target_group_id", column_keys=tuple(groups),
        counts=tuple(tuple(counted.get((m, g), 0) for g in groups) for m in managers))


# -- caseload ----------------------------------------------------------------------------------
def caseload_table(rows: Sequence[Mapping[str, Any]]) -> Table:
    """Open cases per case manager; the total: all of them."""
    return Table(
        code=CASELOAD, title="Fallzahl je Case-Managerin", title_en="Caseload per case manager",
        row_dimensions=("case_manager_id",),
        row_keys=tuple((str(r["case_manager_id"]),) for r in rows),
        column_dimension="measure", column_keys=(CASES,),
        counts=tuple((int(r["cases"]),) for r in rows), row_totals=False, grand_total=False)


# -- effort by phase ---------------------------------------------------------------------------
def effort_table(rows: Sequence[Mapping[str, Any]]) -> Pivot:
    """The phases' cases, contacts, appointments and cases beyond the guideline, a total per
    measure; the minutes as the values behind each phase's cases."""
    table = Table(
        code=EFFORT_BY_PHASE, title="Kontakte und Aufwand je Phase",
        title_en="Contacts and effort per phase", row_dimensions=("phase",),
        row_keys=tuple((str(r["phase"]),) for r in rows), column_dimension="measure",
        column_keys=EFFORT_MEASURES,
        counts=tuple(tuple(int(r[m]) for m in EFFORT_MEASURES) for r in rows),
        row_totals=False, grand_total=False)
    return Pivot(table, values={(i, 0): int(r["minutes"]) for i, r in enumerate(rows)})


# -- referral rates ----------------------------------------------------------------------------
def referral_rates_table(rows: Sequence[Mapping[str, Any]]) -> Table:
    """Per partner, kind and topic area the referrals sent, accepted and arrived, a total per
    measure."""
    return Table(
        code=REFERRAL_RATES, title="Vermittlungen je Partner, Art und Themenbereich",
        title_en="Referrals per partner, kind and topic area",
        row_dimensions=("partner_org_id", "kind", "topic_area"),
        row_keys=tuple((str(r["partner_org_id"]), str(r["kind"]), str(r["topic_area"]))
                       for r in rows),
        column_dimension="measure", column_keys=REFERRAL_MEASURES,
        counts=tuple(tuple(int(r[m]) for m in REFERRAL_MEASURES) for r in rows),
        row_totals=False, grand_total=False)


def rate(shown: PublishedTable, i: int, numerator: int, denominator: int = 0) -> float | None:
    """``numerator`` / ``denominator`` of row ``i`` where both are shown (a rate beside one
    shown count would give the hidden one away) and the denominator is not 0."""
    above, below = shown.cell(i, numerator), shown.cell(i, denominator)
    if not isinstance(above, int) or not isinstance(below, int) or below == 0:
        return None
    return round(above / below, 3)


# -- time series -------------------------------------------------------------------------------
def series_table(figure: str, rows: Sequence[Mapping[str, Any]]) -> Pivot:
    """From :func:`~.standard.time_series`' rows (``month``, ``key``, ``detail``, ``count``,
    ``value``): (key, detail) down, the months across; the summed values behind the cells."""
    keys = sorted({(str(r["key"]), r["detail"] or "") for r in rows})
    months = sorted({str(r["month"]) for r in rows})
    at = {((str(r["key"]), r["detail"] or ""), str(r["month"])): r for r in rows}
    table = Table(
        code=f"{TIME_SERIES}-{figure}", title=f"Monatsreihe: {figure}",
        title_en=f"Monthly series: {figure}", row_dimensions=("key", "detail"),
        row_keys=tuple(keys), column_dimension="month", column_keys=tuple(months),
        counts=tuple(tuple(int(at[(k, m)]["count"]) if (k, m) in at else 0 for m in months)
                     for k in keys))
    values = {(i, j): int(at[(k, m)]["value"]) for i, k in enumerate(keys)
              for j, m in enumerate(months) if (k, m) in at}
    return Pivot(table, values=values)


# -- labels (German first: the steering group's papers are German; English in docs) -----------
ACCESS_PATH_LABELS = {
    "partner_referral": "Vermittlung durch Kooperationspartner",
    "administration_referral": "Vermittlung durch die Verwaltung",
    "outreach": "aufsuchende Arbeit", "self_referral": "Selbstmelder",
    "word_of_mouth": "Mundpropaganda", "town_assignment": "Zuweisung in die Kommune",
    "immigration_office_screening": "Screening Ausländerbehörde",
    "case_proposal": "Fallvorschlag", "handover_after_move": "Übergabe nach Umzug"}
OUTCOME_LABELS = {
    "referral": "Verweis", "case_management": "KIM-Case-Management", "no_need": "kein Bedarf",
    "information": "Information", "guidance": "Anleitung und Hilfen",
    "accompaniment": "Begleitung", "crisis_intervention": "Krisenintervention",
    "undecided": "noch nicht entschieden"}
TOPIC_LABELS = {
    "residence": "Aufenthalt", "language": "Sprache", "education": "Bildung",
    "work_training": "Arbeit/Ausbildung", "housing": "Wohnen", "health": "Gesundheit",
    "livelihood": "Existenzsicherung", "family_childcare": "Familie/Kinderbetreuung",
    "debts": "Schulden", "social_environment": "soziales Umfeld", "other": "Sonstiges",
    "unspecified": "noch kein Hauptziel"}
KIND_LABELS = {"referral_counselling": "Verweisberatung", "warm_handover": "warme Übergabe",
               "tandem": "Tandem", "unspecified": "ohne Angabe"}
STATUS_LABELS = {"under": "unter dem Richtwert", "within": "im Richtwert",
                 "over": "über dem Richtwert", "no_fte": "kein Stellenanteil"}


# -- linked tables: the people per case manager ------------------------------------------------
@dataclass(frozen=True)
class PerCaseManager:
    """The three tables that count the people in case management per case manager or in all:
    the topic areas' total, the caseload, the per case manager and target group table."""

    topics: PublishedTable
    caseload: PublishedTable
    groups: PublishedTable


def publish_per_case_manager(topics: Table, caseload: Table, groups: Table, *,
                             exact: bool) -> PerCaseManager:
    """The three published together. A case manager's caseload and her row total in the
    target group table are the same number wherever each of her people has one target group
    (the usual case), and the totals of the three are the people in case management (with a
    case manager, and one group each): separately suppressed, one table would show what the
    other hides. So a case manager hidden in one is hidden in the other, and a hidden total
    hides the other two — repeated (each table's own secondary suppression again) until
    neither adds one."""
    if exact:
        return PerCaseManager(*(publish(t, exact=True) for t in (topics, caseload, groups)))
    in_caseload = {key[0]: i for i, key in enumerate(caseload.row_keys)}
    in_groups = {key[0]: i for i, key in enumerate(groups.row_keys)}
    totals = {"topics": (topics.shape[0], 0), "caseload": (caseload.shape[0], 0),
              "groups": groups.shape}
    also: dict[str, set[Position]] = {"topics": set(), "caseload": set(), "groups": set()}
    while True:
        shown = {name: publish(table, exact=False, also=also[name]) for name, table in
                 (("topics", topics), ("caseload", caseload), ("groups", groups))}
        wanted: dict[str, set[Position]] = {
            "caseload": {(in_caseload[m], 0) for m, i in in_groups.items()
                         if m in in_caseload
                         and not isinstance(shown["groups"].row_total(i), int)},
            "groups": {(i, groups.shape[1]) for m, i in in_groups.items()
                       if m in in_caseload and hidden(shown["caseload"], in_caseload[m], 0)},
            "topics": set()}
        if any(not isinstance(shown[name].shown.get(at), int) for name, at in totals.items()
               if at in shown[name].shown):
            for name, at in totals.items():
                wanted[name].add(at)
        added = False
        for name in also:
            more = {p for p in wanted[name] if p in shown[name].shown} - also[name]
            if more:
                also[name] |= more
                added = True
        if not added:
            return PerCaseManager(shown["topics"], shown["caseload"], shown["groups"])
