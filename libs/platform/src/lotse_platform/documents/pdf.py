"""Documents → PDF: :func:`render_pdf` and the media type.

The printing itself (fpdf2, :mod:`lotse_platform.documents.printing`) is imported on the first
PDF a process renders, not when a service starts: fpdf2 brings fontTools and Pillow, about 60 MB
of memory in every API worker and worker process of every service, most of which never prints
(issue 16, the footprint of a county cell; ADR 0111).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from .model import Document

MEDIA_TYPE = "application/pdf"


def render_pdf(documents: Sequence[Document], *, issued_on: date, footer: str = "") -> bytes:
    """The documents as one PDF, each from a new page; the first one's title is the PDF's.

    Deterministic for the same documents and ``issued_on``: the PDF's creation date is that day
    (midnight UTC), and fpdf2 derives the file id from the content. A document in two languages
    is the German part, then the translation, each from a new page."""
    if not documents:
        raise ValueError("nothing to render")
    from .printing import render  # fpdf2 on first use (the module's docstring says why)

    return render(documents, issued_on=issued_on, footer=footer)
