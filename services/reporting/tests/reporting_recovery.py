"""Trying to recover suppressed counts (ADR 0091), two ways independent of the code under test:
solving the published sums one unknown at a time (what a reader with a pencil does), and the
null space of the sums' equations (numpy's SVD: an unknown is determined when every solution of
the homogeneous system is 0 there)."""

from __future__ import annotations

import numpy as np

from lotse_reporting.domain.tables import Line, Position, PublishedTable


def solve_by_pencil(values: dict[Position, int], lines: list[Line],
                    hidden: set[Position]) -> set[Position]:
    """A sum with one unknown gives it; the recovered ones count as known for the next sums."""
    unknown, recovered = set(hidden), set()
    progress = True
    while progress:
        progress = False
        for line in lines:
            left = [p for p in line.positions() if p in unknown]
            if len(left) == 1:
                unknown.discard(left[0])
                recovered.add(left[0])
                progress = True
    return recovered


def solve_by_null_space(values: dict[Position, int], lines: list[Line],
                        hidden: set[Position]) -> set[Position]:
    unknown = sorted(hidden)
    if not unknown:
        return set()
    index = {p: k for k, p in enumerate(unknown)}
    rows = []
    for line in lines:
        row = np.zeros(len(unknown))
        for p in line.members:
            if p in index:
                row[index[p]] += 1
        if line.total in index:
            row[index[line.total]] -= 1
        rows.append(row)
    if not rows:
        return set()
    matrix = np.array(rows)
    _, singular, vt = np.linalg.svd(matrix)
    rank = int((singular > 1e-9).sum())
    null_space = vt[rank:]  # rows: a basis of the solutions of matrix @ x = 0
    return {p for p, k in index.items() if np.all(np.abs(null_space[:, k]) < 1e-9)}


def attack(published: PublishedTable) -> set[Position]:
    """The hidden positions of ``published`` that its own sums give away."""
    t = published.table
    values, lines = t.values(), t.lines()
    hidden = {p for p, shown in published.shown.items() if not isinstance(shown, int)}
    return (solve_by_pencil(values, lines, hidden)
            | solve_by_null_space(values, lines, hidden))
