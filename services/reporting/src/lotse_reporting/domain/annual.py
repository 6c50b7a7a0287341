"""A county's year in figures (*Jahresbericht*, seed 000 L75; issue 12; ADR 0097): pure
functions from the read models' rows to :class:`~.tables.Table` s, so that the coordinating
office's exact view and every suppressed one — the steering group's report, the state's
controlling extract — go through the same primary and secondary suppression (ADR 0091).

The year is the tenant's calendar year (Europe/Berlin): every row carries a local date (a first
contact's, a phase entry's, a monthly fact's month, a 2-week period's end), never a server time.

Each table publishes only sums that are true of it: where the columns are not parts of one
whole (goals set and goals reached, a person admitted in two target groups) the figures are
separate tables or publish no totals, so that no published equation is false and none across
two tables ties a hidden cell to a shown one."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from .projections import PHASES
from .standard import ENDED, Fact, IntakeRow, PhaseEntry
from .tables import Table

#: the outcome of a first contact without a counselling-depth decision yet
UNDECIDED = "undecided"
#: the key of a row without a value (an admission without a target group, a goal or referral
#: without a topic area or kind)
NONE = "none"

#: the phases a case is open in (cases at the year's end)
OPEN_PHASES = tuple(p for p in PHASES if p not in ENDED)

#: a referral sent in the year, by how far it got (parts of one whole: the referrals sent)
REFERRAL_PROGRESS = ("arrived", "accepted", "not_accepted")

#: the kinds of anonymous contact (intake's ``AnonymousContactRecorded.kind``)
ANONYMOUS_KINDS = ("short_query", "information_event")


#: German labels of the codes the annual report's PDF prints (the codes stay in the JSON and the
#: extract; restated from the contracts' comments and DOMAIN.md, like every service's own)
LABELS_DE: dict[str, str] = {
    # dimensions and measures
    "access_path": "Zugangsweg", "counselling_depth": "Beratungstiefe",
    "target_group_id": "Zielgruppe", "kind": "Art", "phase": "Phase",
    "closure_reason": "Abschlussgrund", "topic_area": "Themenbereich", "progress": "Stand",
    "admissions": "Aufnahmen", "held": "Anzahl", "people": "Personen", "cases": "Fälle",
    "closures": "Abschlüsse", "goals": "Ziele", "topics": "Themen", NONE: "ohne Angabe",
    # access paths
    "partner_referral": "Vermittlung durch Kooperationspartner",
    "administration_referral": "Vermittlung durch die Verwaltung",
    "outreach": "aufsuchende Arbeit", "self_referral": "Selbstmelder",
    "word_of_mouth": "Mundpropaganda über Multiplikatoren",
    "town_assignment": "Vorstellung bei Zuweisung in die Kommune",
    "immigration_office_screening": "Screening bei der Ausländerbehörde",
    "case_proposal": "Fallvorschlag an die Koordinierende Stelle",
    "handover_after_move": "Übergabe nach Umzug",
    # counselling depths
    "information": "Information", "guidance": "Anleitung und Hilfen",
    "accompaniment": "Begleitung", "referral": "Verweisberatung",
    "crisis_intervention": "Krisenintervention", "case_management": "KIM-Case-Management",
    "no_need": "kein Bedarf", UNDECIDED: "noch nicht entschieden",
    # anonymous contacts
    "short_query": "Kurzberatung (bis 20 Min.)", "information_event": "Informationsveranstaltung",
    # phases
    "intake": "Erstberatung/Aufnahme", "assessment": "Bestandsaufnahme",
    "goal_agreement": "Zielvereinbarung und Hilfeplan", "linking": "Leistungssteuerung",
    "monitoring": "Monitoring", "reassessment": "Re-Assessment", "evaluation": "Evaluation",
    # closure reasons
    "goals_reached": "Ziele erreicht", "client_steers_network": "steuert das Netzwerk selbst",
    "moved_away": "verzogen", "consent_withdrawn": "Einwilligung widerrufen",
    "not_reachable": "nicht mehr erreichbar", "referred_on": "weitervermittelt",
    # topic areas
    "residence": "Aufenthalt", "language": "Sprache", "education": "Bildung",
    "work_training": "Arbeit / Ausbildung", "housing": "Wohnen", "health": "Gesundheit",
    "livelihood": "Existenzsicherung", "family_childcare": "Familie / Kinderbetreuung",
    "debts": "Schulden", "social_environment": "soziales Umfeld", "other": "Sonstiges",
    # referrals
    "referral_counselling": "Verweisberatung", "warm_handover": "warme Übergabe",
    "tandem": "Tandem", "arrived": "angekommen", "accepted": "angenommen (nicht angekommen)",
    "not_accepted": "nicht angenommen",
}


def label_de(code: str) -> str:
    """The German label of a code (the code itself where none is known: a target group id)."""
    return LABELS_DE.get(code, code)


@dataclass(frozen=True)
class Year:
    """A calendar year of the tenant."""

    year: int

    @property
    def first(self) -> date:
        return date(self.year, 1, 1)

    @property
    def last(self) -> date:
        return date(self.year, 12, 31)

    def holds(self, day: date | None) -> bool:
        return day is not None and day.year == self.year

    def holds_month(self, month: str) -> bool:
        """A monthly fact's ``YYYY-MM``."""
        return month[:4] == f"{self.year:04d}"


@dataclass(frozen=True)
class AnonymousContact:
    """An anonymous short consultation or information event (intake; no person in it)."""

    contact_id: str
    kind: str
    held_on: date | None
    people: int


def _column(code: str, title: str, title_en: str, dimension: str, counted: Mapping[str, int],
            keys: Sequence[str] = (), *, measure: str = "count", total: bool = True) -> Table:
    """A one-column table: ``keys`` (and every other key counted, sorted) down, one count each,
    with their total (``total``) when the rows are parts of one whole."""
    rows = list(keys) + sorted(k for k in counted if k not in keys)
    return Table(code=code, title=title, title_en=title_en, row_dimensions=(dimension,),
                 row_keys=tuple((k,) for k in rows), column_dimension="measure",
                 column_keys=(measure,), counts=tuple((counted.get(k, 0),) for k in rows),
                 row_totals=False, column_totals=total)


def screenings(rows: Iterable[IntakeRow], year: Year, access_paths: Sequence[str],
               depths: Sequence[str]) -> Table:
    """People reached: the first contacts of the year per access path (down) and the
    counselling-depth decision of the latest revision (across; ``undecided`` while none) —
    screenings per access path the row totals, decisions per depth the column totals, the
    first contacts the grand total (Mettmann's table, 004 L75, for a year)."""
    counted: Counter[tuple[str, str]] = Counter(
        (row.access_path, row.depth or UNDECIDED) for row in rows
        if row.access_path and year.holds(row.contact_date))
    paths = list(access_paths) + sorted({p for p, _ in counted} - set(access_paths))
    outcomes = (list(depths) + sorted({d for _, d in counted} - set(depths) - {UNDECIDED})
                + [UNDECIDED])
    return Table(code="first-contacts", title="Erstkontakte nach Zugangsweg und Beratungstiefe",
                 title_en="First contacts by access path and counselling depth",
                 row_dimensions=("access_path",), row_keys=tuple((p,) for p in paths),
                 column_dimension="counselling_depth", column_keys=tuple(outcomes),
                 counts=tuple(tuple(counted[(p, d)] for d in outcomes) for p in paths))


def _facts(facts: Iterable[Fact], figure: str, year: Year) -> list[Fact]:
    return [f for f in facts if f.figure == figure and year.holds_month(f.month)]


def admissions(facts: Iterable[Fact], year: Year) -> Table:
    """Admissions to case management in the year per target group. A person in two groups
    counts in both, so the rows are no parts of one whole: no total."""
    counted = Counter(f.key or NONE for f in _facts(facts, "admissions", year))
    return _column("admissions", "Aufnahmen ins Case Management nach Zielgruppe",
                   "Admissions to case management by target group", "target_group_id",
                   counted, measure="admissions", total=False)


def open_at_year_end(entries: Iterable[PhaseEntry], year: Year) -> Table:
    """Cases open at the end of 31 December, by the phase they were in: each case's newest
    entry (casework's order) on or before that day; closed and transferred ones are not open."""
    newest: dict[str, PhaseEntry] = {}
    for entry in entries:
        if entry.day > year.last:
            continue
        held = newest.get(entry.case_id)
        if held is None or (entry.sequence, entry.day) > (held.sequence, held.day):
            newest[entry.case_id] = entry
    counted = Counter(e.phase for e in newest.values() if e.phase in OPEN_PHASES)
    return _column("open-cases", "Offene Fälle am Jahresende nach Phase",
                   "Cases open at the year's end by phase", "phase", counted, OPEN_PHASES,
                   measure="cases")


def closures(facts: Iterable[Fact], year: Year, reasons: Sequence[str]) -> Table:
    """Cases closed in the year by the reason."""
    counted = Counter(f.key or NONE for f in _facts(facts, "closures", year))
    return _column("closures", "Abschlüsse nach Grund", "Closures by reason", "closure_reason",
                   counted, reasons, measure="closures")


def goals(facts: Iterable[Fact], year: Year, figure: str, topics: Sequence[str]) -> Table:
    """Goals set (``goals_set``) or reached (``goals_reached``) in the year per topic area."""
    counted = Counter(f.key or NONE for f in _facts(facts, figure, year))
    if figure == "goals_set":
        return _column("goals-set", "Gesetzte Ziele nach Themenbereich",
                       "Goals set by topic area", "topic_area", counted, topics,
                       measure="goals")
    return _column("goals-reached", "Erreichte Ziele nach Themenbereich",
                   "Goals reached by topic area", "topic_area", counted, topics,
                   measure="goals")


def referrals(facts: Iterable[Fact], year: Year, kinds: Sequence[str]) -> Table:
    """Referrals sent in the year per kind (referral counselling, warm handover, tandem) by how
    far they got: arrived, accepted (not arrived yet or at all), not accepted (open, declined or
    cancelled). The row totals are the referrals sent, the grand total all sent in the year."""
    states: dict[str, tuple[str, set[str]]] = {}
    for fact in _facts(facts, "referrals", year):
        _topic, kind, state = (fact.detail.split("/") + ["", "", ""])[:3]
        referral = fact.subject or fact.fact_id
        held = states.setdefault(referral, (kind if kind not in ("", "unspecified") else NONE,
                                            set()))
        held[1].add(state)
    counted: Counter[tuple[str, str]] = Counter()
    for kind, seen in states.values():
        progress = ("arrived" if "arrived" in seen else "accepted" if "accepted" in seen
                    else "not_accepted")
        counted[(kind, progress)] += 1
    rows = list(kinds) + sorted({k for k, _ in counted} - set(kinds))
    return Table(code="referrals", title="Vermittlungen nach Art und Stand",
                 title_en="Referrals by kind and progress", row_dimensions=("kind",),
                 row_keys=tuple((k,) for k in rows), column_dimension="progress",
                 column_keys=REFERRAL_PROGRESS,
                 counts=tuple(tuple(counted[(k, p)] for p in REFERRAL_PROGRESS) for k in rows))


def reported_topics(topics: Iterable[str], topic_areas: Sequence[str]) -> Table:
    """Topics of the 2-week reports submitted for the year's periods, per topic area."""
    return _column("reported-topics", "Themen der 2-Wochen-Berichte nach Themenbereich",
                   "Topics of the 2-week reports by topic area", "topic_area",
                   Counter(topics), topic_areas, measure="topics")


def anonymous_contacts(contacts: Iterable[AnonymousContact], year: Year) -> tuple[Table, Table]:
    """Anonymous short consultations and information events held in the year: how many, and
    the people they reached (two tables: the people are no part of the contacts' count)."""
    held: Counter[str] = Counter()
    people: Counter[str] = Counter()
    for contact in {c.contact_id: c for c in contacts}.values():
        if contact.kind in ANONYMOUS_KINDS and year.holds(contact.held_on):
            held[contact.kind] += 1
            people[contact.kind] += contact.people
    return (_column("anonymous-contacts", "Anonyme Kurzberatungen und Informationsveranstaltungen",
                    "Anonymous short consultations and information events", "kind", held,
                    ANONYMOUS_KINDS, measure="held"),
            _column("anonymous-people", "Erreichte Personen (anonym)",
                    "People reached anonymously", "kind", people, ANONYMOUS_KINDS,
                    measure="people"))
