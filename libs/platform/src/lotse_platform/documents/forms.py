"""What every printable form shares: German first and the translation after it, each part
saying which text is binding; the signature lines; the values of a blank form."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date

from .catalogue import GERMAN, Texts, texts
from .model import Document, Note, Signatures

#: a form in one language, from that language's texts
FormBuilder = Callable[[Texts], Document]


def in_languages(build: FormBuilder, languages: Sequence[str]) -> list[Document]:
    """The form in each language (German first). In a document of two languages every part
    says at its top that the German text is binding (the translation says so in its own
    language and in German)."""
    parts = []
    german = texts(GERMAN)
    for code in languages:
        own = texts(code)
        document = build(own)
        if len(languages) > 1:
            notes = ((Note(german("binding.german")),) if code == GERMAN else
                     (Note(own("binding.translation")), Note(german("binding.german"))))
            document = replace(document, blocks=(*notes, *document.blocks))
        parts.append(document)
    return parts


def signatures(t: Texts) -> Signatures:
    """Client and case manager sign, each with place and date."""
    return Signatures((t("sign.client"), t("sign.case_manager")), t("sign.place_date"))


def filled(t: Texts, value: object) -> str:
    """A value as the form prints it: a date in the language's form, nothing as an empty field
    (a line to fill in by hand)."""
    if value is None:
        return ""
    if isinstance(value, date):
        return t.date(value)
    return str(value)


def language_name(code: str | None) -> str:
    """A language's own name where a catalogue is shipped, else its code."""
    if not code:
        return ""
    try:
        return texts(code).name
    except ValueError:
        return code
