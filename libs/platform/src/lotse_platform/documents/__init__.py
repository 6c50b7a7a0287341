"""Printable documents (PDF) handed to a client to read and sign (issue 10, ADR 0080): the
data-protection information, the release from confidentiality, the counselling agreement and
the help plan — in German and, where the tenant has configured a translation, the client's
language.

- :mod:`.model` — a small document model (title, headings, paragraphs, a table of key/value
  rows, a table, signature lines with place and date). Plain Python: a service's domain builds
  its forms from it.
- :mod:`.catalogue` — the texts as translation catalogues (``texts/<language>.json``), German the
  source and always present; :func:`~.catalogue.texts` gives one language's.
- :mod:`.pdf` — the renderer (fpdf2, the DejaVu fonts shipped in ``fonts/``): deterministic for
  a given document and date.

German is the binding text: a document in two languages is German first, then the translation,
and each part says so at its top.
"""

from __future__ import annotations

from .catalogue import (
    GERMAN,
    SHIPPED_LANGUAGES,
    Texts,
    UnknownLanguage,
    texts,
)
from .model import Block, Document, Heading, KeyValues, Note, Paragraph, Signatures, Table

__all__ = [
    "GERMAN", "SHIPPED_LANGUAGES", "Texts", "UnknownLanguage", "texts",
    "Block", "Document", "Heading", "KeyValues", "Note", "Paragraph", "Signatures", "Table",
]
