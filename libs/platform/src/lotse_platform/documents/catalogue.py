"""The texts of the printable forms as translation catalogues, one JSON file per language in
``texts/`` (``de.json``, ``en.json``, …): a flat object of keys to texts, ``{name}`` marking a
value filled in. German is the source: every key is in ``de.json``, and a translation has the
same keys (the platform's tests hold them to it).

Which translations a tenant hands out is its setting (``LOTSE_FORM_LANGUAGES``,
:meth:`lotse_platform.settings.ServiceSettings.form_languages_of`); this module only knows what
is shipped. Arabic is not shipped: right-to-left text needs shaping (uharfbuzz) that the
renderer does not do yet (ADR 0080).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from functools import cache
from importlib import resources

GERMAN = "de"
#: the catalogues shipped, German first
SHIPPED_LANGUAGES: tuple[str, ...] = ("de", "en", "uk", "tr")


class UnknownLanguage(ValueError):
    """A language with no catalogue shipped."""


@cache
def _catalogue(language: str) -> Mapping[str, str]:
    if language not in SHIPPED_LANGUAGES:
        raise UnknownLanguage(language)
    text = resources.files(__package__).joinpath("texts", f"{language}.json").read_text("utf-8")
    loaded = json.loads(text)
    if not isinstance(loaded, dict) or not all(isinstance(v, str) for v in loaded.values()):
        raise ValueError(f"texts/{language}.json: an object of texts")
    return loaded


class _Values(dict[str, str]):
    """The values of a text; a placeholder without a value stays visible, not a crash."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Texts:
    """One language's texts: ``texts("privacy.title")``, ``texts("x", name=…)``,
    ``texts.label("topic", "housing")``. A key a translation lacks falls back to German."""

    def __init__(self, language: str):
        self.language = language
        self._own = _catalogue(language)
        self._german = _catalogue(GERMAN)

    def __call__(self, key: str, **values: object) -> str:
        template = self._own.get(key, self._german.get(key))
        if template is None:
            raise KeyError(f"no text {key!r} in the catalogue")
        # format_map reads placeholders from the template only: a value is never a template
        return template.format_map(_Values({k: str(v) for k, v in values.items()}))

    def label(self, group: str, code: str) -> str:
        """The label of a code (topic area, who is responsible …); the code itself when the
        catalogue has none."""
        key = f"{group}.{code}"
        return self(key) if key in self._german else code

    @property
    def name(self) -> str:
        """The language's own name (``Deutsch``, ``Українська``)."""
        return self("language.name")

    def date(self, value: object) -> str:
        """A date as the language writes it (``07.12.2026``; ISO where it has no pattern)."""
        if not isinstance(value, date):
            return ""
        template = self._own.get("date.format", self._german["date.format"])
        return template.format(d=value.day, m=value.month, y=value.year)


def texts(language: str) -> Texts:
    """The texts of a shipped language (:class:`UnknownLanguage` otherwise)."""
    return Texts(language)


def keys(language: str) -> frozenset[str]:
    """The keys of one catalogue (for the completeness check)."""
    return frozenset(_catalogue(language))
