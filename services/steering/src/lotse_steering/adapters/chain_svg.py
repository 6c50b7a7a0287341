"""A service chain drawn as SVG (ADR 0096): one swimlane per actor (organisation), the steps
left to right in their order, each a box in its actor's lane, an arrow from each step to the
next, and each handover point written on the arrow where the chain passes to another actor.

Built with :mod:`xml.etree.ElementTree`: every text the users wrote (activities, handovers,
organisation names) becomes an element's text or an attribute value and is escaped by the
serializer — never concatenated into markup. Labels are German; the SVG keeps its text as text,
so a steering-group paper can copy it. Ids are stable (``lane-<i>``, ``step-<order>``,
``handover-<order>``), so the same chain gives the same file.
"""

from __future__ import annotations

import textwrap
import xml.etree.ElementTree as ET  # noqa: N817 (the usual name)
from collections.abc import Mapping
from typing import Any

from ..domain.service_chains import ServiceChain, handovers

SVG_MEDIA_TYPE = "image/svg+xml"
SVG_NS = "http://www.w3.org/2000/svg"

_LANE_LABEL = 230
_COLUMN = 320
_BOX_WIDTH, _BOX_HEIGHT = 196, 104
#: a handover point: a labelled box on the arrow's vertical run between two actors' lanes
_HANDOVER_WIDTH, _HANDOVER_HEIGHT = 112, 70
_LANE = 160
_TOP = 80
_MARGIN = 20
_FONT = "DejaVu Sans, Arial, sans-serif"
_LANE_FILLS = ("#f3f6fa", "#ffffff")


def _element(parent: ET.Element, tag: str, text: str | None = None, **attributes: Any
             ) -> ET.Element:
    node = ET.SubElement(parent, tag, {k.rstrip("_").replace("_", "-"): str(v)
                                       for k, v in attributes.items()})
    if text is not None:
        node.text = text
    return node


def _lines(parent: ET.Element, text: str, x: float, y: float, width: int, *, size: int = 12,
           max_lines: int = 3, **attributes: Any) -> None:
    """Text wrapped at whole words into ``<tspan>`` lines, cut with "…" after ``max_lines``."""
    lines = textwrap.wrap(text, width=width, break_long_words=True) or [""]
    if len(lines) > max_lines:
        lines = [*lines[:max_lines - 1], lines[max_lines - 1].rstrip(".,;: ") + " …"]
    node = _element(parent, "text", x=x, y=y, font_size=size, font_family=_FONT, **attributes)
    for n, line in enumerate(lines):
        _element(node, "tspan", line, x=x, dy=0 if n == 0 else round(size * 1.25, 1))


def draw(chain: ServiceChain, names: Mapping[str, str]) -> bytes:
    """The chain as an SVG document (UTF-8). ``names``: organisation id → name as identity
    published it; an organisation without a known name is shown as "Organisation (unbekannt)"
    (never an id guessed into a name)."""
    actors = chain.actors
    lane_of = {org: i for i, org in enumerate(actors)}
    width = _LANE_LABEL + _COLUMN * max(1, len(chain.steps)) + _MARGIN
    height = _TOP + _LANE * len(actors) + _MARGIN
    svg = ET.Element("svg", {"xmlns": SVG_NS, "width": str(width), "height": str(height),
                                          "viewBox": f"0 0 {width} {height}",
                                          "role": "img", "lang": "de"})
    _element(svg, "title", f"Dienstleistungskette: {chain.title}")
    if chain.description:
        _element(svg, "desc", chain.description)
    defs = _element(svg, "defs")
    marker = _element(defs, "marker", id="arrow", viewBox="0 0 10 10", refX=10, refY=5,
                      markerWidth=8, markerHeight=8, orient="auto-start-reverse")
    _element(marker, "path", d="M 0 0 L 10 5 L 0 10 z", fill="#1f3b5c")
    _element(svg, "rect", x=0, y=0, width=width, height=height, fill="#ffffff")
    _element(svg, "text", f"Dienstleistungskette: {chain.title}", x=_MARGIN, y=30,
             font_size=18, font_weight="bold", font_family=_FONT, fill="#1f3b5c")
    _element(svg, "text", "Akteure (Bahnen) · Aktivitäten in ihrer Reihenfolge · "
                          "Übergabepunkte an den Pfeilen", x=_MARGIN, y=54, font_size=11,
             font_family=_FONT, fill="#555555")

    for i, organisation_id in enumerate(actors):
        lane = _element(svg, "g", id=f"lane-{i}", class_="lane")
        top = _TOP + i * _LANE
        _element(lane, "rect", x=0, y=top, width=width, height=_LANE,
                 fill=_LANE_FILLS[i % 2], stroke="#c9d3de")
        name = names.get(organisation_id) or "Organisation (unbekannt)"
        _lines(lane, name, _MARGIN, top + _LANE / 2 - 8, 24, size=13, max_lines=3,
               font_weight="bold", fill="#1f3b5c", class_="actor")

    boxes: dict[int, tuple[float, float]] = {}
    for column, step in enumerate(chain.steps):
        x = _LANE_LABEL + column * _COLUMN
        y = _TOP + lane_of[step["organisation_id"]] * _LANE + (_LANE - _BOX_HEIGHT) / 2
        boxes[step["order"]] = (x, y)
        group = _element(svg, "g", id=f"step-{step['order']}", class_="step")
        _element(group, "rect", x=x, y=y, width=_BOX_WIDTH, height=_BOX_HEIGHT, rx=8,
                 fill="#ffffff", stroke="#1f3b5c", stroke_width=1.5)
        _element(group, "text", f"Schritt {column + 1}", x=x + 10, y=y + 16, font_size=10,
                 font_family=_FONT, fill="#555555")
        _lines(group, step["activity"], x + 10, y + 34, 27, size=12, max_lines=3,
               class_="activity")
        if step["responsibility"]:
            _lines(group, f"Verantwortlich: {step['responsibility']}", x + 10,
                   y + _BOX_HEIGHT - 22, 40, size=9, max_lines=2, fill="#555555")
        if step["standards"]:
            _element(group, "desc", "Standards: " + "; ".join(step["standards"]))

    for step, after in zip(chain.steps, chain.steps[1:], strict=False):
        (x1, y1), (x2, y2) = boxes[step["order"]], boxes[after["order"]]
        start_x, start_y = x1 + _BOX_WIDTH, y1 + _BOX_HEIGHT / 2
        end_x, end_y = x2, y2 + _BOX_HEIGHT / 2
        middle = (start_x + end_x) / 2
        _element(svg, "path", d=f"M {start_x} {start_y} H {middle} V {end_y} H {end_x}",
                 fill="none", stroke="#1f3b5c", stroke_width=1.5, marker_end="url(#arrow)",
                 class_="arrow")

    for handover in handovers(chain):
        # a handover is always between two actors, so the arrow runs vertically between their
        # lanes in the middle of the gap: the handover point sits on that run
        (x1, y1) = boxes[handover["from_order"]]
        (x2, y2) = boxes[handover["to_order"]]
        middle = (x1 + _BOX_WIDTH + x2) / 2
        centre = (y1 + y2 + _BOX_HEIGHT) / 2
        left, top = middle - _HANDOVER_WIDTH / 2, centre - _HANDOVER_HEIGHT / 2
        group = _element(svg, "g", id=f"handover-{handover['from_order']}",
                         class_="handover")
        _element(group, "rect", x=left, y=top, width=_HANDOVER_WIDTH, height=_HANDOVER_HEIGHT,
                 rx=6, fill="#fff7ef", stroke="#a14a00", stroke_width=1)
        _element(group, "text", "Übergabe", x=middle, y=top + 13, font_size=9,
                 font_family=_FONT, fill="#a14a00", text_anchor="middle", font_weight="bold")
        _lines(group, handover["handover"], middle, top + 26, 21, size=9, max_lines=4,
               fill="#5a2a00", text_anchor="middle")

    return ET.tostring(svg, encoding="utf-8", xml_declaration=True)
