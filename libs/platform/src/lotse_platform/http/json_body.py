"""A JSON request body is looked at before any parser recurses into it (ADR 0060).

Python's ``json`` module parses a nested array or object by recursion: a body of a thousand
``[`` — two kilobytes — ends in ``RecursionError``, a 500, whichever service it is sent to. So
the HTTP layer measures how deep a body nests on its raw bytes first, without parsing
(:mod:`lotse_platform.json_depth`), and refuses one deeper than :data:`MAX_JSON_DEPTH` with 400.

Two more things about a body are its form, not its content, and are refused here with 400 too:
a body that is not UTF-8 (RFC 8259 §8.1), and a string that holds a lone surrogate (``"\\ud800"``
unpaired: valid JSON syntax, but no character, and nothing can encode it as UTF-8 again — not the
database driver, not the log, not the answer that would quote it). Which characters a string may
hold beyond that is the fields' to decide (:mod:`.text`), with a 422 naming the field.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Response

from ..json_depth import MAX_JSON_DEPTH, nesting_depth, too_deep
from .problems import problem_response
from .text import LONE_SURROGATE

__all__ = ["MAX_JSON_DEPTH", "lone_surrogate_at", "nesting_depth", "refuse_malformed_json"]

# ``\ud800``…``\udfff`` escaped (JSON spells the ``u`` lower-case); found, the body is parsed
# to see whether each one is half of a pair, and which string holds one that is not
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def lone_surrogate_at(document: Any, path: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """(field, message) of the first string of a parsed document that holds a lone surrogate
    (a member name counts as well), or ``None``. Lists are numbered as marshmallow numbers them
    (``contacts.0.note``)."""
    if isinstance(document, str):
        if LONE_SURROGATE.search(document):
            return _field(path), "holds a lone surrogate, which is not a character"
    elif isinstance(document, dict):
        for name, value in document.items():
            if LONE_SURROGATE.search(name):
                return _field(path), "a member name holds a lone surrogate"
            found = lone_surrogate_at(value, (*path, name))
            if found is not None:
                return found
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found = lone_surrogate_at(value, (*path, str(index)))
            if found is not None:
                return found
    return None


def _field(path: tuple[str, ...]) -> str:
    return ".".join(path) or "body"


def refuse_malformed_json(body: bytes) -> Response | None:
    """A 400 problem response when ``body`` nests too deeply, is not UTF-8 or holds a lone
    surrogate; ``None`` for a body the parser may have (which may still not be JSON: that the
    parser says, with its own 400)."""
    if too_deep(body):
        return problem_response(
            400, detail=f"The request body nests arrays and objects deeper than "
                        f"{MAX_JSON_DEPTH} levels.",
            errors=[{"field": "body", "message": f"nests deeper than {MAX_JSON_DEPTH} levels"}])
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return problem_response(
            400, detail="The request body is not UTF-8.",
            errors=[{"field": "body", "message": "is not UTF-8 (RFC 8259)"}])
    if _SURROGATE_ESCAPE.search(body) is None:
        return None
    try:
        document = json.loads(text)
    except ValueError:
        return None  # not JSON: the parser of the view answers that
    found = lone_surrogate_at(document)
    if found is None:
        return None
    field, message = found
    return problem_response(
        400, detail="The request body holds a lone surrogate, which is not a character; "
                    "see errors.",
        errors=[{"field": field, "message": message}])
