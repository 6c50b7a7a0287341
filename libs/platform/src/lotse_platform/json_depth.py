"""How deeply a JSON document nests, measured on its raw bytes without parsing it (ADR 0060).

Python's ``json`` module parses a nested array or object by recursion, and a document of a
thousand ``[`` — two kilobytes — ends in ``RecursionError``. Whatever parses JSON from outside
measures it with :func:`nesting_depth` first and refuses it beyond :data:`MAX_JSON_DEPTH`: a
request body (:mod:`lotse_platform.http.json_body`), the unverified payload of a bearer token
(:mod:`lotse_platform.auth.issuers`), the answer of another server — an intake a provider runs,
a peer deployment, a JWKS endpoint — which :func:`loads` parses. The measure takes a few milliseconds for a document
of a mebibyte, about what parsing it takes.
"""

from __future__ import annotations

import json
from typing import Any

#: how deeply arrays and objects may nest in a document from outside; no API of Lotse needs
#: more than five levels, and the parser's recursion must stay far below Python's limit (~1,000)
MAX_JSON_DEPTH = 32

# brackets to one kind, everything else away: what is left is the document's nesting alone
_UNIFORM_BRACKETS = bytes.maketrans(b"{}", b"[]")
_NOT_A_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")


def nesting_depth(body: bytes) -> int:
    """How deeply ``body`` (UTF-8 JSON) nests arrays and objects, measured without parsing.

    For a document that is not JSON the result bounds the depth a parser would reach before it
    finds out. Brackets inside strings do not count: escaped backslashes and quotes are taken
    out first, and then every remaining quote opens or closes a string.
    """
    unescaped = body.replace(b"\\\\", b"").replace(b'\\"', b"")
    outside_strings = b"".join(unescaped.split(b'"')[::2])
    brackets = outside_strings.translate(_UNIFORM_BRACKETS, _NOT_A_BRACKET)
    depth = 0
    while brackets:
        # each round takes the innermost pairs away: one level of every nesting
        shorter = brackets.replace(b"[]", b"")
        if len(shorter) == len(brackets):
            # unbalanced, so not JSON; a parser would go as deep as the brackets left open
            return depth + brackets.count(b"[")
        brackets = shorter
        depth += 1
        if depth > MAX_JSON_DEPTH:
            return depth  # deep enough to refuse: the rest is not measured
    return depth


def too_deep(body: bytes) -> bool:
    """Whether ``body`` nests deeper than :data:`MAX_JSON_DEPTH` (a parser must not have it)."""
    return nesting_depth(body) > MAX_JSON_DEPTH


def loads(document: bytes) -> Any:
    """``json.loads`` for JSON from another server: a document nested deeper than
    :data:`MAX_JSON_DEPTH` is a ``ValueError``, as a malformed one is, not a ``RecursionError``."""
    if too_deep(document):
        raise ValueError(f"document nests deeper than {MAX_JSON_DEPTH} levels")
    return json.loads(document)
