"""Which characters text from outside may hold: decided once, here, for every service.

A JSON string (or a query parameter, a form field, a path segment) can carry any code point, and
some are not text: NUL, which PostgreSQL cannot store in a text column while SQLite stores it
(one run mode would answer 500, the other keep it); the other control characters, invisible in
the console and harmful in logs, exports and terminals; lone surrogates, which are not
characters at all and which nothing can encode as UTF-8. Every service declares the strings it
takes with the fields below, so the same characters are refused everywhere with a 422 naming the
field, in every run mode (ADR 0060):

=========  ==============================================  ==========================================
field      for                                             control characters it accepts
=========  ==============================================  ==========================================
``Line``   names, ids, codes, phone numbers — one line     none
``Text``   notes, descriptions, minutes — several lines    tab, line feed, carriage return
``Email``  marshmallow's ``Email`` with the rule of Line   none
``Url``    marshmallow's ``Url`` with the rule of Line     none
=========  ==============================================  ==========================================

"Control characters" are C0 (U+0000–U+001F), DEL (U+007F) and C1 (U+0080–U+009F); single-line
text refuses the Unicode line and paragraph separators (U+2028, U+2029) as well. Lone surrogates
(U+D800–U+DFFF) are refused everywhere. Everything else is accepted, format characters included:
the zero-width non-joiner belongs to Persian and Kurdish spelling, the right-to-left mark to
Arabic names. Query parameters, form fields and path parameters have no multi-line use; the
HTTP layer holds them to the rule of ``Line`` before any view runs
(:func:`lotse_platform.http.app.check_request_text`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import marshmallow as ma

from ..errors import Unprocessable

_SURROGATES = "\ud800-\udfff"
_REFUSED_IN_TEXT = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_SURROGATES}]")
_REFUSED_IN_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_SURROGATES}]")
LONE_SURROGATE = re.compile(f"[{_SURROGATES}]")


def refused_character(value: str, *, multiline: bool = False) -> str | None:
    """Why ``value`` is refused (naming the first character it may not hold), or ``None``."""
    found = (_REFUSED_IN_TEXT if multiline else _REFUSED_IN_LINE).search(value)
    if found is None:
        return None
    character = found.group()
    code = f"U+{ord(character):04X}"
    if LONE_SURROGATE.fullmatch(character):
        return f"holds {code}, a lone surrogate, which is not a character"
    if multiline:
        return (f"holds the control character {code}; text takes tab, line feed and carriage "
                "return but no other control characters")
    return (f"holds the control character {code}; single-line text takes no control "
            "characters, line breaks and tabs included")


def check_text(field: str, value: str, *, multiline: bool = False) -> str:
    """``value`` when it passes the rule, else :class:`Unprocessable` naming ``field``: for a
    string a view reads without a schema (a header)."""
    problem = refused_character(value, multiline=multiline)
    if problem is not None:
        raise Unprocessable(f"{field} {problem}.", errors=[{"field": field, "message": problem}])
    return value


class _CheckedString(ma.fields.String):
    multiline = False

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        problem = refused_character(text, multiline=self.multiline)
        if problem is not None:
            raise ma.ValidationError(problem)
        return text


class Line(_CheckedString):
    """Single-line text: no control characters (names, ids, codes)."""


class Text(_CheckedString):
    """Text of several lines: tab, line feed and carriage return, no other control character."""

    multiline = True


class Email(Line, ma.fields.Email):
    """An email address, held to the rule of :class:`Line` before marshmallow's check."""


class Url(Line, ma.fields.Url):
    """A URL, held to the rule of :class:`Line` (marshmallow's own check lets a NUL through)."""
