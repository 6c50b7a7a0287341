"""A batch of stored events projected in memory: the rows the batch touches loaded once, what it
changed written back once (ADR 0087, amended for issue 12 "Speed").

The projections (:func:`.projections.project` with :func:`.periods.project` and
:func:`.standard.project`) read and write their rows one at a time through
:class:`~.unit_of_work.ProjectionRows`. Replayed against the database that is a SELECT and an
UPDATE or INSERT per row and event — about ten statements per event, far too many for a rebuild
of a million. :class:`BatchRows` is the same interface in memory:

1. the batch is projected once against empty rows: which rows it asks for is a function of the
   events alone (their ids), not of the rows' contents, so this run names every row it touches
   (:attr:`BatchRows.wanted`);
2. the unit of work loads those rows in one query per table
   (:meth:`~.unit_of_work.ReportingUnitOfWork.projection_rows`);
3. the batch is projected again against them, with the same pure functions, in store order;
4. the rows it changed, the counts it added and the steps and phase entries it recorded are
   written in one statement per table (:meth:`~.unit_of_work.ReportingUnitOfWork
   .write_projection_rows`).

The rows are the ones the event-at-a-time path gives (the same functions in the same order; the
rebuild equality tests hold), only read and written in bulk.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..domain.periods import CaseStep, Count, Period
from ..domain.projections import CaseRow, ReferralRow
from ..domain.referral_rates import ReferralRateRow
from ..domain.standard import CaseReportRow, Fact, IntakeRow, PhaseEntry, StaffRow

#: the kinds of rows a batch holds, by their key
CASE, REFERRAL, INTAKE, CASE_REPORT, STAFF, FACT = ("case", "referral", "intake", "case_report",
                                                    "staff", "fact")
REFERRAL_RATE = "referral_rate"
KINDS = (CASE, REFERRAL, INTAKE, CASE_REPORT, STAFF, FACT, REFERRAL_RATE)
#: phase entries: kept once per (case, sequence)
PHASE_ENTRY = "phase_entry"


@dataclass
class Changes:
    """What a batch changed: the rows by kind and key, the counts added per (case manager,
    period, figure), the case steps and the new phase entries (in the order they came)."""

    rows: dict[str, dict[str, Any]] = field(default_factory=lambda: {k: {} for k in KINDS})
    counts: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    steps: list[CaseStep] = field(default_factory=list)
    entries: list[PhaseEntry] = field(default_factory=list)

    def __len__(self) -> int:
        return (sum(len(r) for r in self.rows.values()) + len(self.counts) + len(self.steps)
                + len(self.entries))


class BatchRows:
    """:class:`~.unit_of_work.ProjectionRows` in memory for one batch of events."""

    def __init__(self, tenant_id: uuid.UUID | None,
                 rows: dict[str, dict[Any, Any]] | None = None) -> None:
        self.tenant_id = tenant_id
        self.rows: dict[str, dict[Any, Any]] = {k: {} for k in (*KINDS, PHASE_ENTRY)}
        for kind, found in (rows or {}).items():
            self.rows[kind].update(found)
        #: every row asked for (or written) by kind: what the batch touches
        self.wanted: dict[str, set[Any]] = {k: set() for k in (*KINDS, PHASE_ENTRY)}
        self.changes = Changes()

    def _get(self, kind: str, key: str) -> Any:
        self.wanted[kind].add(key)
        return self.rows[kind].get(key)

    def _put(self, kind: str, key: str, row: Any) -> None:
        self.wanted[kind].add(key)
        self.rows[kind][key] = row
        self.changes.rows[kind][key] = row

    def case_row(self, case_id: str) -> CaseRow | None:
        return self._get(CASE, case_id)  # type: ignore[no-any-return]

    def put_case_row(self, row: CaseRow) -> None:
        self._put(CASE, row.case_id, row)

    def referral_row(self, referral_id: str) -> ReferralRow | None:
        return self._get(REFERRAL, referral_id)  # type: ignore[no-any-return]

    def put_referral_row(self, row: ReferralRow) -> None:
        self._put(REFERRAL, row.referral_id, row)

    def intake_report_row(self, intake_id: str) -> IntakeRow | None:
        return self._get(INTAKE, intake_id)  # type: ignore[no-any-return]

    def put_intake_report_row(self, row: IntakeRow) -> None:
        self._put(INTAKE, row.intake_id, row)

    def case_report_row(self, case_id: str) -> CaseReportRow | None:
        return self._get(CASE_REPORT, case_id)  # type: ignore[no-any-return]

    def put_case_report_row(self, row: CaseReportRow) -> None:
        self._put(CASE_REPORT, row.case_id, row)

    def staff_row(self, user_id: str) -> StaffRow | None:
        return self._get(STAFF, user_id)  # type: ignore[no-any-return]

    def put_staff_row(self, row: StaffRow) -> None:
        self._put(STAFF, row.user_id, row)

    def fact(self, fact_id: str) -> Fact | None:
        return self._get(FACT, fact_id)  # type: ignore[no-any-return]

    def put_fact(self, fact: Fact) -> None:
        self._put(FACT, fact.fact_id, fact)

    def referral_rate_row(self, referral_id: str) -> ReferralRateRow | None:
        return self._get(REFERRAL_RATE, referral_id)  # type: ignore[no-any-return]

    def put_referral_rate_row(self, row: ReferralRateRow) -> None:
        self._put(REFERRAL_RATE, row.referral_id, row)

    def put_phase_entry(self, entry: PhaseEntry) -> None:
        key = (entry.case_id, entry.sequence)
        self.wanted[PHASE_ENTRY].add(key)
        if key not in self.rows[PHASE_ENTRY]:
            self.rows[PHASE_ENTRY][key] = entry
            self.changes.entries.append(entry)

    def add_period_counts(self, counts: Iterable[Count]) -> None:
        for count in counts:
            self.changes.counts[(count.case_manager_id, count.period.label,
                                 count.figure)] += count.amount

    def add_case_step(self, step: CaseStep) -> None:
        self.changes.steps.append(step)


class ReplayRows(BatchRows):
    """The rows of a rebuild of one tenant, batch after batch: the rebuild cleared the
    projections and holds their lock, so every row there is one it wrote — kept here from batch
    to batch, and nothing is read before a batch. A fact (most are one event's, never touched
    again) is written with its batch and then kept only by id; the few touched again later (a
    revised decision) are read back one by one (``read_fact``). The phase entries and case steps
    (appended, never changed) go with their batch too.

    The rows that change as a story goes on — a case's, a referral's (both of its read models),
    an intake's, a case manager's — and the period counts are written once, at the end
    (:meth:`remaining`): each of them is rewritten by many batches of a rebuild, and written
    with every batch the one transaction would leave a dead version of the row per batch behind
    it (at 1,000,000 events the cases' report rows took 110 MB for 17,800 cases, and every
    report over them read it all)."""

    def __init__(self, tenant_id: uuid.UUID | None,
                 read_fact: Callable[[str], Fact | None]) -> None:
        super().__init__(tenant_id)
        self.read_fact = read_fact
        self.written_facts: set[str] = set()
        self.totals: Counter[tuple[str, str, str]] = Counter()

    def _get(self, kind: str, key: str) -> Any:
        row = self.rows[kind].get(key)
        if row is None and kind == FACT and key in self.written_facts:
            row = self.read_fact(key)
        return row

    def _put(self, kind: str, key: str, row: Any) -> None:
        self.rows[kind][key] = row
        if kind == FACT:
            self.changes.rows[kind][key] = row

    def put_phase_entry(self, entry: PhaseEntry) -> None:
        key = (entry.case_id, entry.sequence)
        if key not in self.rows[PHASE_ENTRY]:
            self.rows[PHASE_ENTRY][key] = True
            self.changes.entries.append(entry)

    def add_period_counts(self, counts: Iterable[Count]) -> None:
        for count in counts:
            self.totals[(count.case_manager_id, count.period.label, count.figure)] += count.amount

    def written(self) -> Changes:
        """What the batch appended (to be written now); the facts leave the memory."""
        changes, self.changes = self.changes, Changes()
        self.written_facts.update(self.rows[FACT])
        self.rows[FACT].clear()
        return changes

    def remaining(self) -> Changes:
        """The rows of the replay in their last state and the period counts, written once
        after the last batch."""
        changes = Changes()
        for kind in KINDS:
            if kind != FACT:
                changes.rows[kind] = dict(self.rows[kind])
        changes.counts = self.totals
        return changes


# -- for a unit of work that reads and writes one row at a time (the unit tests' in-memory one) --
def rows_one_by_one(source: Any, wanted: dict[str, set[Any]]) -> dict[str, dict[Any, Any]]:
    """The rows ``wanted``, each asked of ``source`` (a :class:`~.unit_of_work.ProjectionRows`
    that knows the phase entries by ``phase_entry_known``)."""
    getters = {CASE: source.case_row, REFERRAL: source.referral_row,
               INTAKE: source.intake_report_row, CASE_REPORT: source.case_report_row,
               STAFF: source.staff_row, FACT: source.fact,
               REFERRAL_RATE: source.referral_rate_row}
    found: dict[str, dict[Any, Any]] = {kind: {} for kind in (*KINDS, PHASE_ENTRY)}
    for kind, get in getters.items():
        for key in wanted.get(kind, ()):
            row = get(key)
            if row is not None:
                found[kind][key] = row
    for key in wanted.get(PHASE_ENTRY, ()):
        known = source.phase_entry_known(*key)
        if known is not None:
            found[PHASE_ENTRY][key] = known
    return found


def write_one_by_one(target: Any, changes: Changes) -> None:
    """``changes`` written through ``target``'s own ``put_…`` methods."""
    putters = {CASE: target.put_case_row, REFERRAL: target.put_referral_row,
               INTAKE: target.put_intake_report_row, CASE_REPORT: target.put_case_report_row,
               STAFF: target.put_staff_row, FACT: target.put_fact,
               REFERRAL_RATE: target.put_referral_rate_row}
    for kind, put in putters.items():
        for row in changes.rows[kind].values():
            put(row)
    for entry in changes.entries:
        target.put_phase_entry(entry)
    target.add_period_counts([Count(manager, Period.parse(period), figure, amount)
                              for (manager, period, figure), amount in changes.counts.items()])
    for step in changes.steps:
        target.add_case_step(step)
