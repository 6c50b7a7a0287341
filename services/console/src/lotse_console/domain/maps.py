"""The resource map and the network map of an assessment, drawn (*Ressourcenkarte*,
*Netzwerkkarte*): the person in the centre, the entries around her in one sector per kind.

Only geometry is computed here (where each circle, line and label goes); the template writes it
as inline SVG, with a table of the same entries beside it for screen readers. In the network map
the distance from the centre is the contact's intensity (daily close, rarely far) and the line
to the person its quality (supportive, straining, ambivalent); the resource map puts its
entries at one distance.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: the drawing's coordinate system (the SVG's viewBox); it scales with the page
WIDTH, HEIGHT = 900.0, 680.0
CENTRE_X, CENTRE_Y = WIDTH / 2, HEIGHT / 2
OUTER = 270.0
#: the network map's rings: the closer the contact, the nearer the person
RING_OF: dict[str, float] = {"daily": 95.0, "weekly": 150.0, "monthly": 200.0,
                             "rarely": 245.0, "none": 245.0}
RESOURCE_RING = 175.0
#: a label's line length (characters) and lines at most
LINE_CHARS, MAX_LINES = 18, 3


@dataclass(frozen=True)
class Node:
    x: float
    y: float
    lines: tuple[str, ...]
    label: str
    sector: str
    quality: str = ""
    intensity: str = ""


@dataclass(frozen=True)
class Sector:
    key: str
    label: str
    #: the divider's end (a line from the centre), the sector label's place and anchor
    x1: float
    y1: float
    label_x: float
    label_y: float
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ring:
    radius: float
    label: str


@dataclass
class Drawing:
    sectors: list[Sector] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)
    rings: list[Ring] = field(default_factory=list)
    width: float = WIDTH
    height: float = HEIGHT
    cx: float = CENTRE_X
    cy: float = CENTRE_Y

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:g} {self.height:g}"


def wrapped(text: str, chars: int = LINE_CHARS, lines: int = MAX_LINES) -> tuple[str, ...]:
    """``text`` in lines of about ``chars`` characters (at spaces), at most ``lines`` of them;
    what does not fit ends in an ellipsis."""
    words, out, current = text.split(), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if len(candidate) <= chars or not current:
            current = candidate
        else:
            out.append(current)
            current = word
    if current:
        out.append(current)
    out = [line if len(line) <= chars else line[:chars - 1] + "…" for line in out]
    if len(out) > lines:
        out = out[:lines]
        out[-1] = (out[-1][:chars - 1] if len(out[-1]) >= chars else out[-1]) + "…"
    return tuple(out)


def _point(angle: float, radius: float) -> tuple[float, float]:
    # angle 0 points up, clockwise, as one reads a clock face
    return (round(CENTRE_X + radius * math.sin(angle), 1),
            round(CENTRE_Y - radius * math.cos(angle), 1))


def _sectors(kinds: Mapping[str, str]) -> tuple[list[Sector], dict[str, tuple[float, float]]]:
    span = 2 * math.pi / max(len(kinds), 1)
    sectors, spans = [], {}
    for n, (key, text) in enumerate(kinds.items()):
        start = n * span
        x1, y1 = _point(start, OUTER)
        lx, ly = _point(start + span / 2, OUTER + 34)
        lines = wrapped(text, chars=16, lines=2)
        # below the centre the label grows downwards from its place, above it upwards
        ly = ly + 14 if ly > CENTRE_Y else ly - 20 * (len(lines) - 1)
        sectors.append(Sector(key, text, x1, y1, lx, ly, lines))
        spans[key] = (start, start + span)
    return sectors, spans


def _place(entries: Sequence[tuple[str, float, dict[str, str]]],
           spans: Mapping[str, tuple[float, float]]) -> list[Node]:
    """Each entry (sector, radius, fields) evenly spread over its sector's angle."""
    by_sector: dict[str, list[tuple[float, dict[str, str]]]] = {}
    for sector, radius, fields in entries:
        by_sector.setdefault(sector, []).append((radius, fields))
    nodes = []
    for sector, members in by_sector.items():
        start, end = spans.get(sector, (0.0, 2 * math.pi))
        step = (end - start) / (len(members) + 1)
        for n, (radius, fields) in enumerate(members, start=1):
            x, y = _point(start + n * step, radius)
            nodes.append(Node(x, y, wrapped(fields["label"]), fields["label"], sector,
                              fields.get("quality", ""), fields.get("intensity", "")))
    return nodes


def resource_map(resources: Sequence[Mapping[str, Any]], kinds: Mapping[str, str]) -> Drawing:
    """The resource map: the four kinds as quadrants, each resource in its own."""
    sectors, spans = _sectors(kinds)
    entries = [(str(r.get("kind")), RESOURCE_RING, {"label": str(r.get("description") or "")})
               for r in resources if isinstance(r, Mapping)]
    return Drawing(sectors=sectors, nodes=_place(entries, spans))


def network_map(network: Sequence[Mapping[str, Any]], kinds: Mapping[str, str],
                intensities: Mapping[str, str]) -> Drawing:
    """The network map: a sector per kind, a ring per contact intensity."""
    sectors, spans = _sectors(kinds)
    entries = [(str(e.get("kind")), RING_OF.get(str(e.get("intensity")), OUTER - 25),
                {"label": str(e.get("label") or ""), "quality": str(e.get("quality") or ""),
                 "intensity": str(e.get("intensity") or "")})
               for e in network if isinstance(e, Mapping)]
    rings = [Ring(radius, intensities.get(key, key))
             for key, radius in RING_OF.items() if key != "none"]
    return Drawing(sectors=sectors, nodes=_place(entries, spans), rings=rings)
