"""The document model: what a printable form is made of, independent of PDF.

A :class:`Document` is one language's text of a form: a title and blocks in order. The renderer
(:mod:`.pdf`) lays them out; nothing here knows about pages or fonts.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    """A section heading."""

    text: str


@dataclass(frozen=True)
class Paragraph:
    """Running text (wrapped to the page)."""

    text: str


@dataclass(frozen=True)
class Note:
    """A small remark (e.g. which text is binding)."""

    text: str


@dataclass(frozen=True)
class KeyValues:
    """A table of label/value rows (name, date of birth, …); an empty value prints a line to
    fill in by hand."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    """A table with a header row (goals, steps, releases); ``empty`` is printed when it has no
    rows (a blank form prints ``blank_rows`` empty rows instead, to fill in by hand)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    empty: str = ""
    blank_rows: int = 0
    #: the columns' relative widths (default: equal)
    widths: tuple[float, ...] = ()


@dataclass(frozen=True)
class Signatures:
    """Signature lines side by side, each under a line for place and date."""

    parties: tuple[str, ...]
    place_date: str


Block = Heading | Paragraph | Note | KeyValues | Table | Signatures


@dataclass(frozen=True)
class Document:
    """One language's text of a form."""

    language: str  # ISO 639-1
    title: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    #: a line under the title (e.g. "Verbindlich ist der deutsche Text")
    subtitle: str = ""
