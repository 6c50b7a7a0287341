"""A :class:`~lotse_reporting.domain.tables.BarChart` or a
:class:`~lotse_reporting.domain.tables.LineChart` drawn as SVG or PNG with matplotlib
(ADR 0091): the object-oriented API on the Agg canvas — no pyplot, no GUI, no global figure
state, so requests may draw at the same time.

Grouped bars, one colour per series with its legend; a count is written above its bar (in the
SVG inside ``<g id="value-<series>-<bar>">``, a mark inside ``<g id="mark-…">``). A value
hidden by suppression is never drawn as a number: an empty hatched bar of the height of the
threshold (``"<5"``: it lies below) or of no height (``"x"``: nothing is known of it), with its
mark above. The SVG keeps its text as text (``svg.fonttype: none``), so a steering-group paper
can copy the labels; ids in the SVG are fixed (``svg.hashsalt``), so the same figures give the
same file.

Lines (a time series): one line per series over the periods (``<g id="line-<series>">``), a
marker on every shown point; a hidden value breaks the line and is a hollow marker with its mark
(``<g id="mark-…">``) at the threshold (``"<5"``) or at 0 (``"x"``)."""

from __future__ import annotations

import io
import textwrap

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..domain.projections import SMALL_CELL
from ..domain.tables import SMALL, BarChart, LineChart

SVG_MEDIA_TYPE = "image/svg+xml"
PNG_MEDIA_TYPE = "image/png"

_RC = {"svg.fonttype": "none", "svg.hashsalt": "lotse-reporting", "font.family": "DejaVu Sans",
       "font.size": 9}


def _draw(chart: BarChart) -> Figure:
    groups = max(1, len(chart.categories))
    width = 0.8 / max(1, len(chart.series))
    figure = Figure(figsize=(max(6.0, 1.1 * groups + 2), 4.5), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    colours = matplotlib.color_sequences["tab10"]
    top = 0
    for s, (label, values) in enumerate(chart.series):
        colour = colours[s % len(colours)]
        xs = [g + (s - (len(chart.series) - 1) / 2) * width for g in range(len(values))]
        counts = [v if isinstance(v, int) else 0 for v in values]
        bars = axes.bar(xs, counts, width, label=label, color=colour)
        written = axes.bar_label(bars, labels=[str(v) if isinstance(v, int) else ""
                                               for v in values], padding=2, fontsize=7)
        for k, (x, value, text) in enumerate(zip(xs, values, written, strict=True)):
            text.set_gid(f"value-{s}-{k}")  # the SVG's <g id="value-…">: a bar's number
            if isinstance(value, int):
                top = max(top, value)
                continue
            height = SMALL_CELL if value == SMALL else 0
            axes.bar([x], [height], width, fill=False, hatch="///", edgecolor=colour,
                     linewidth=0.8)
            axes.annotate(str(value), (x, height), xytext=(0, 2), textcoords="offset points",
                          ha="center", va="bottom", fontsize=7).set_gid(f"mark-{s}-{k}")
    axes.set_ylim(0, max(top, SMALL_CELL) * 1.15 + 1)
    axes.set_title(chart.title)
    axes.set_ylabel(chart.y_label)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    # whole words on a line (a German compound is never cut in two)
    ticks = [textwrap.fill(c, 18, break_long_words=False, break_on_hyphens=False)
             for c in chart.categories]
    if chart.labels:
        ticks = [f"{c}\n{extra}" if extra else c
                 for c, extra in zip(ticks, chart.labels, strict=True)]
    tilted = groups > 6
    axes.set_xticks(range(len(ticks)), ticks, rotation=30 if tilted else 0,
                    ha="right" if tilted else "center", fontsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    if chart.series:
        axes.legend(fontsize=8, frameon=False)
    _notes(figure, chart.notes)
    return figure


def _draw_lines(chart: LineChart) -> Figure:
    figure = Figure(figsize=(max(6.0, 0.55 * len(chart.periods) + 3), 4.5), dpi=100,
                    layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    colours = matplotlib.color_sequences["tab10"]
    top = 0
    xs = list(range(len(chart.periods)))
    for s, (label, values) in enumerate(chart.series):
        colour = colours[s % len(colours)]
        ys = [float(v) if isinstance(v, int) else float("nan") for v in values]
        (line,) = axes.plot(xs, ys, marker="o", markersize=3.5, color=colour, label=label)
        line.set_gid(f"line-{s}")
        top = max([top, *(v for v in values if isinstance(v, int))])
        for k, value in enumerate(values):
            if isinstance(value, int):
                continue
            height = SMALL_CELL if value == SMALL else 0
            axes.plot([k], [height], marker="o", markersize=5, markerfacecolor="none",
                      markeredgecolor=colour, linestyle="none")
            axes.annotate(str(value), (k, height), xytext=(0, 4), textcoords="offset points",
                          ha="center", va="bottom", fontsize=7).set_gid(f"mark-{s}-{k}")
    axes.set_ylim(0, max(top, SMALL_CELL) * 1.15 + 1)
    axes.set_title(chart.title)
    axes.set_ylabel(chart.y_label)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    tilted = len(chart.periods) > 8
    axes.set_xticks(xs, list(chart.periods), rotation=45 if tilted else 0,
                    ha="right" if tilted else "center", fontsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    if chart.series:
        axes.legend(fontsize=8, frameon=False)
    _notes(figure, chart.notes)
    return figure


def _notes(figure: Figure, notes: tuple[str, ...]) -> None:
    if notes:
        figure.text(0.01, 0.0, "\n".join(notes), fontsize=7, ha="left", va="bottom")
        figure.get_layout_engine().set(rect=(0, 0.04 * len(notes), 1, 1 - 0.04 * len(notes)))


def render(chart: BarChart | LineChart, fmt: str) -> bytes:
    """``chart`` as ``svg`` or ``png`` (150 dpi)."""
    with matplotlib.rc_context(_RC):
        figure = _draw(chart) if isinstance(chart, BarChart) else _draw_lines(chart)
        out = io.BytesIO()
        if fmt == "svg":
            figure.savefig(out, format="svg", metadata={"Date": None})
        else:
            figure.savefig(out, format="png", dpi=150, metadata={"Software": None})
    return out.getvalue()
