"""A report as a table: one dimension down (its rows, each named by one or more keys), one
across (its columns), a count in every cell, and the margins it publishes — a total per row, a
total per column and the grand total (ADR 0091).

Positions address the table *with* its margins: ``(i, j)`` for ``i < rows`` and ``j < columns``
is a cell, ``(i, columns)`` the total of row ``i``, ``(rows, j)`` the total of column ``j`` and
``(rows, columns)`` the grand total. :meth:`Table.lines` says which sums the published table
shows — the equations anyone can write down from it, and the ones suppression has to keep from
giving a hidden cell away (:mod:`.suppression`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

Position = tuple[int, int]

#: a published figure: the count, or the mark of a suppressed one
Shown = int | str

#: a count from 1 to 4 (primary suppression: "<5", as steering members have seen it so far)
SMALL = "<5"
#: a count hidden so that no small one can be worked out from the totals (secondary
#: suppression; German statistics offices' "x" for a blocked cell)
BLOCKED = "x"


@dataclass(frozen=True)
class Line:
    """One published sum: ``members`` add up to ``total``."""

    members: tuple[Position, ...]
    total: Position

    def positions(self) -> tuple[Position, ...]:
        return (*self.members, self.total)


@dataclass(frozen=True)
class Table:
    """Counts of ``row_keys`` × ``column_keys``; ``row_totals``: a total per row is published,
    ``column_totals``: a total per column; either one: the grand total too, unless
    ``grand_total`` is false (columns of different measures — contacts beside cases — whose sum
    means nothing)."""

    code: str
    title: str
    title_en: str
    row_dimensions: tuple[str, ...]
    row_keys: tuple[tuple[str, ...], ...]
    column_dimension: str
    column_keys: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]
    row_totals: bool = True
    column_totals: bool = True
    grand_total: bool = True

    def __post_init__(self) -> None:
        if len(self.counts) != len(self.row_keys) or any(
                len(row) != len(self.column_keys) for row in self.counts):
            raise ValueError("the counts do not match the rows and columns")
        if any(n < 0 for row in self.counts for n in row):
            raise ValueError("a count is negative")

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.row_keys), len(self.column_keys)

    @property
    def has_grand_total(self) -> bool:
        return (self.row_totals or self.column_totals) and self.grand_total

    def values(self) -> dict[Position, int]:
        """Every published position and its count (cells, then the margins)."""
        rows, columns = self.shape
        found: dict[Position, int] = {(i, j): n for i, row in enumerate(self.counts)
                                      for j, n in enumerate(row)}
        if self.row_totals:
            found.update({(i, columns): sum(row) for i, row in enumerate(self.counts)})
        if self.column_totals:
            found.update({(rows, j): sum(row[j] for row in self.counts) for j in range(columns)})
        if self.has_grand_total:
            found[(rows, columns)] = sum(map(sum, self.counts))
        return found

    def lines(self) -> list[Line]:
        """The sums the published table shows (the margins' equations)."""
        rows, columns = self.shape
        grand = (rows, columns)
        found: list[Line] = []
        if self.row_totals:
            found += [Line(tuple((i, j) for j in range(columns)), (i, columns))
                      for i in range(rows)]
            if self.has_grand_total:
                found.append(Line(tuple((i, columns) for i in range(rows)), grand))
        if self.column_totals:
            found += [Line(tuple((i, j) for i in range(rows)), (rows, j))
                      for j in range(columns)]
            if self.has_grand_total:
                found.append(Line(tuple((rows, j) for j in range(columns)), grand))
        return found


@dataclass(frozen=True)
class PublishedTable:
    """A table as a caller sees it: every position's count, or :data:`SMALL` / :data:`BLOCKED`
    where it is suppressed (``suppressed``: suppression was applied; false: the office's exact
    counts)."""

    table: Table
    shown: Mapping[Position, Shown]
    suppressed: bool

    def cell(self, i: int, j: int) -> Shown:
        return self.shown[(i, j)]

    def row_total(self, i: int) -> Shown | None:
        return self.shown.get((i, self.table.shape[1])) if self.table.row_totals else None

    def column_total(self, j: int) -> Shown | None:
        return self.shown.get((self.table.shape[0], j)) if self.table.column_totals else None

    def grand_total(self) -> Shown | None:
        return self.shown.get(self.table.shape) if self.table.has_grand_total else None


#: what a sheet's cell holds: a label, a count or its mark, a rate (0…1), nothing
SheetValue = str | int | float | None


@dataclass(frozen=True)
class Sheet:
    """A published table laid out for a spreadsheet: a header row, the rows (a totals row
    last), ``rates``: the indexes of the columns holding rates, ``decimals``: of those holding
    other decimal numbers (an FTE share), ``notes``: the legend."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[SheetValue, ...], ...]
    rates: frozenset[int] = frozenset()
    decimals: frozenset[int] = frozenset()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class BarChart:
    """Grouped bars: one group per category, one bar per series; a value hidden by
    suppression is drawn as an empty hatched bar with its mark, never as a number.
    ``labels``: a text under each category (a rate)."""

    title: str
    y_label: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[Shown, ...]], ...]
    labels: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class LineChart:
    """Lines over time: one point per period (``periods``, e.g. months), one line per series;
    a value hidden by suppression breaks its line (no point) and is drawn as a hollow marker
    with its mark, never as a number."""

    title: str
    y_label: str
    periods: tuple[str, ...]
    series: tuple[tuple[str, tuple[Shown, ...]], ...]
    notes: tuple[str, ...] = ()
