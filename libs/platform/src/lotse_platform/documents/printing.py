"""Documents → PDF with fpdf2 (what :func:`lotse_platform.documents.pdf.render_pdf` runs), with the
DejaVu fonts shipped in this package (``fonts/``, licence beside them) embedded, so that German,
Turkish and Cyrillic text prints on any machine.

The output is deterministic for the same documents and ``issued_on``: the PDF's creation date
is that day (midnight UTC), and fpdf2 derives the file id from the content. A document in two
languages is the German part, then the translation, each from a new page.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, datetime, time, timezone
from importlib import resources

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from .model import Document, Heading, KeyValues, Note, Paragraph, Signatures, Table

# fontTools logs the glyphs it keeps of a font at INFO: the letters of the name printed
for _name in ("fontTools", "fpdf"):
    logging.getLogger(_name).setLevel(logging.WARNING)
_FONT = "DejaVu"
_LINE = 4.6


def _font_path(name: str) -> str:
    return str(resources.files(__package__).joinpath("fonts", name))


class _Pdf(FPDF):
    def __init__(self, footer: str):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self._footer_text = footer
        self.add_font(_FONT, "", _font_path("DejaVuSans.ttf"))
        self.add_font(_FONT, "B", _font_path("DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(auto=True, margin=14)
        self.set_margins(20, 15, 20)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(_FONT, "", 8)
        self.cell(0, 5, f"{self._footer_text} · {self.page_no()}/{{nb}}", align="C")


def _line(pdf: FPDF, text: str, size: float = 9.2, style: str = "", height: float = _LINE) -> None:
    pdf.set_font(_FONT, style, size)
    pdf.multi_cell(0, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _part(pdf: _Pdf, document: Document) -> None:
    pdf.add_page()
    pdf.set_lang(document.language)
    _line(pdf, document.title, 16, "B", 8)
    if document.subtitle:
        _line(pdf, document.subtitle, 9)
    pdf.ln(3)
    for block in document.blocks:
        if isinstance(block, Heading):
            pdf.ln(1.5)
            _line(pdf, block.text, 11, "B", 6.5)
        elif isinstance(block, Paragraph):
            _line(pdf, block.text)
            pdf.ln(1)
        elif isinstance(block, Note):
            _line(pdf, block.text, 8, height=4.5)
            pdf.ln(1)
        elif isinstance(block, KeyValues):
            _key_values(pdf, block)
        elif isinstance(block, Table):
            _table(pdf, block)
        elif isinstance(block, Signatures):
            _signatures(pdf, block)


def _key_values(pdf: FPDF, block: KeyValues) -> None:
    pdf.set_font(_FONT, "", 9.5)
    with pdf.table(col_widths=(2, 3), first_row_as_headings=False, line_height=5.5,
                   padding=1.5, text_align="LEFT") as table:
        for label, value in block.rows:
            row = table.row()
            row.cell(label, style=FontFace(emphasis="BOLD"))
            row.cell(value)
    pdf.ln(3)


def _table(pdf: FPDF, block: Table) -> None:
    pdf.set_font(_FONT, "", 8.5)
    # a blank row is two lines high: room to write by hand
    rows = list(block.rows) or [(" \n ",) * len(block.header)] * block.blank_rows
    widths = block.widths if len(block.widths) == len(block.header) else None
    with pdf.table(col_widths=widths, line_height=5, padding=1.5, text_align="LEFT") as table:
        heading = table.row()
        for text in block.header:
            heading.cell(text)
        for values in rows:
            row = table.row()
            for text in values:
                row.cell(text)
    if not block.rows and block.empty:
        _line(pdf, block.empty, 9)
    pdf.ln(3)


def _signatures(pdf: FPDF, block: Signatures) -> None:
    pdf.ln(5)
    if pdf.will_page_break(24):
        pdf.add_page()
    width = (pdf.w - pdf.l_margin - pdf.r_margin) / max(len(block.parties), 1)
    y = pdf.get_y() + 2
    pdf.set_font(_FONT, "", 8)
    for index, party in enumerate(block.parties):
        x = pdf.l_margin + index * width
        pdf.line(x, y, x + width - 8, y)
        pdf.set_xy(x, y + 1)
        pdf.multi_cell(width - 8, 4, block.place_date)
        pdf.line(x, y + 14, x + width - 8, y + 14)
        pdf.set_xy(x, y + 15)
        pdf.multi_cell(width - 8, 4, party)
    pdf.set_xy(pdf.l_margin, y + 22)


def render(documents: Sequence[Document], *, issued_on: date, footer: str = "") -> bytes:
    """The documents as one PDF (see :func:`lotse_platform.documents.pdf.render_pdf`)."""
    pdf = _Pdf(footer or documents[0].title)
    pdf.set_creation_date(datetime.combine(issued_on, time(), tzinfo=timezone.utc))
    pdf.set_title(documents[0].title)
    pdf.set_creator("Lotse")
    for document in documents:
        _part(pdf, document)
    return bytes(pdf.output())
