"""Small-cell suppression of a published table (*Geheimhaltung*, issue 12; ADR 0091).

**Primary:** every count from 1 to 4 — a cell or a total — is hidden (shown ``"<5"``); 0 is
shown (nobody is behind it).

**Secondary:** a hidden count must not be recomputable from what is shown. Every published sum
(:meth:`~.tables.Table.lines`: a row and its total, a column and its total, the totals and the
grand total) is an equation; the hidden counts are its unknowns. Two rules, until neither adds
a cell:

1. the classic one: a sum with exactly one hidden position gives it away, so the smallest
   non-zero other position of that sum is hidden too (a cell before its total);
2. the complete one: the equations of all sums together may still pin an unknown down (a chain
   through several rows and columns). An unknown is determined exactly when its unit vector lies
   in the row space of the equations' coefficients over the unknowns (checked by Gaussian
   elimination over the rationals, :func:`recoverable`); the smallest non-zero shown position of
   one of its sums is hidden and the check repeated.

Each round hides one more position, so it ends; at worst every position is hidden. Hidden by
rule 1 or 2: shown ``"x"`` (blocked), so a reader cannot tell its size.

What this does not defend against: bounds. A reader knows a ``"<5"`` lies in 1…4 and every count
is at least 0; in rare patterns such bounds narrow a blocked cell (ADR 0091)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from .projections import SMALL_CELL
from .tables import BLOCKED, SMALL, Line, Position, PublishedTable, Shown, Table


@dataclass(frozen=True)
class Suppression:
    """The positions hidden: as small counts (``primary``) and to protect them (``secondary``)."""

    primary: frozenset[Position]
    secondary: frozenset[Position]

    @property
    def hidden(self) -> frozenset[Position]:
        return self.primary | self.secondary


def small(count: int, threshold: int = SMALL_CELL) -> bool:
    return 0 < count < threshold


def suppress(values: Mapping[Position, int], lines: Sequence[Line], *,
             threshold: int = SMALL_CELL, also: Collection[Position] = ()) -> Suppression:
    """The positions to hide so that no count below ``threshold`` (nor one of ``also``, hidden
    for a reason outside the table) is shown or can be recomputed from ``lines``."""
    primary = frozenset(p for p, n in values.items() if small(n, threshold)) | frozenset(
        p for p in also if p in values)
    hidden = set(primary)
    if not hidden:
        return Suppression(primary, frozenset())
    while True:
        added = _complete_lines(values, lines, hidden)
        if added:
            continue
        determined = recoverable(values, lines, hidden)
        if not determined:
            break
        target = min(determined)
        choice = _complement(values, [line for line in lines if target in line.positions()],
                             hidden) or _smallest(values, set(values) - hidden)
        if choice is None:  # everything hidden: nothing is left to give anything away
            break
        hidden.add(choice)
    return Suppression(primary, frozenset(hidden - primary))


def _complete_lines(values: Mapping[Position, int], lines: Sequence[Line],
                    hidden: set[Position]) -> bool:
    """Rule 1 over every sum once; true when a position was hidden."""
    added = False
    for line in lines:
        if sum(1 for p in line.positions() if p in hidden) == 1:
            choice = _complement(values, [line], hidden)
            if choice is not None:
                hidden.add(choice)
                added = True
    return added


def _complement(values: Mapping[Position, int], lines: Iterable[Line],
                hidden: set[Position]) -> Position | None:
    """The position to hide beside a lone hidden one in ``lines``: the smallest non-zero shown
    cell, else the smallest non-zero shown total, else a shown zero."""
    lines = list(lines)
    members = {p for line in lines for p in line.members if p not in hidden}
    totals = {line.total for line in lines if line.total not in hidden} - members
    for group in (members, totals):
        choice = _smallest(values, {p for p in group if values[p] > 0})
        if choice is not None:
            return choice
    return _smallest(values, members | totals)


def _smallest(values: Mapping[Position, int], among: set[Position]) -> Position | None:
    return min(among, key=lambda p: (values[p], p)) if among else None


def recoverable(values: Mapping[Position, int], lines: Sequence[Line],
                hidden: Collection[Position]) -> set[Position]:
    """The hidden positions whose count the published sums determine: those whose unit vector
    lies in the row space of the sums' coefficients over the hidden positions (reduced row
    echelon form over the rationals; a row of the reduced form with a single non-zero entry
    names a determined unknown)."""
    unknown = sorted(p for p in hidden if p in values)
    index = {p: k for k, p in enumerate(unknown)}
    rows: list[list[Fraction]] = []
    for line in lines:
        row = [Fraction(0)] * len(unknown)
        for p in line.members:
            if p in index:
                row[index[p]] += 1
        if line.total in index:
            row[index[line.total]] -= 1
        if any(row):
            rows.append(row)
    pivot_row = 0
    for column in range(len(unknown)):
        found = next((r for r in range(pivot_row, len(rows)) if rows[r][column] != 0), None)
        if found is None:
            continue
        rows[pivot_row], rows[found] = rows[found], rows[pivot_row]
        pivot = rows[pivot_row][column]
        rows[pivot_row] = [x / pivot for x in rows[pivot_row]]
        for r in range(len(rows)):
            if r != pivot_row and rows[r][column] != 0:
                factor = rows[r][column]
                rows[r] = [x - factor * y for x, y in zip(rows[r], rows[pivot_row], strict=True)]
        pivot_row += 1
    determined = set()
    for row in rows[:pivot_row]:
        nonzero = [k for k, x in enumerate(row) if x != 0]
        if len(nonzero) == 1:
            determined.add(unknown[nonzero[0]])
    return determined


def publish(table: Table, *, exact: bool, also: Collection[Position] = (),
            threshold: int = SMALL_CELL) -> PublishedTable:
    """``table`` as a caller sees it: exact (the coordinating office, internally), or with
    primary and secondary suppression."""
    values = table.values()
    if exact:
        return PublishedTable(table, dict(values), suppressed=False)
    done = suppress(values, table.lines(), threshold=threshold, also=also)
    shown: dict[Position, Shown] = {
        p: SMALL if p in done.primary and small(n, threshold)
        else BLOCKED if p in done.hidden else n
        for p, n in values.items()}
    return PublishedTable(table, shown, suppressed=True)
