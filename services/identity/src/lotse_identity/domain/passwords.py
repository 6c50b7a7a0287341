"""What a new password must be (*Passwortregeln*), after NIST SP 800-63B-4 §3.1.1.2 (ADR 0063).

- At least 15 characters (a password is the only factor of a Lotse login), at most 128, each
  Unicode code point counted once, after NFKC normalisation — the form that is hashed and that
  every login is compared in (:func:`normalise`).
- Every printable character and the space are allowed; control characters, surrogates and
  unassigned code points are not (they do not survive normalisation stably).
- **No composition rules**: no "a digit and a capital letter". Instead the password must not be
  one an attacker tries early: zxcvbn (its lists of common passwords, names and words, and its
  patterns — repetitions, sequences, keyboard walks, dates) together with the words of the
  context (the username and its parts, the person's names and e-mail address, her organisation
  and county, "Lotse") must estimate at least 10^10 guesses for it. The refusal says which of
  these made it guessable, never the password or any part of it.

Pure Python: no framework, no database. The service layer passes the context words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from zxcvbn import zxcvbn  # type: ignore[import-untyped]

from .model import DomainError

MIN_PASSWORD_LENGTH = 15
MAX_PASSWORD_LENGTH = 128
#: zxcvbn's "very unguessable" (score 4): resists an offline attack on a slow hash
MIN_GUESSES_LOG10 = 10
#: zxcvbn's matching grows quadratically and worse with many l33t characters (seconds for 40
#: of them): the estimate covers the beginning of a password. Its hash covers all of it.
ESTIMATED_LENGTH = 32
#: the service's own words: what an attacker aiming at Lotse tries first
SERVICE_WORDS = ("lotse", "lotsin", "integrationslotse", "integrationslotsin",
                 "integrationsmanagement", "kommunales integrationsmanagement")

_UNSTABLE = frozenset({"Cc", "Cs", "Cn"})  # control, surrogate, unassigned
_WORD_SEPARATORS = re.compile(r"[\s._@+\-–,;:/()]+")
_SEPARATORS = re.compile(r"[\W_]+")  # everything but letters and digits, of any script
_TRANSLITERATIONS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})

#: what each kind of zxcvbn match tells the person, most telling first
_REASONS = (
    ("context", "it contains your username, your name or the name of the service, your "
                "organisation or your county"),
    ("passwords", "it is built from commonly used passwords"),
    ("repeat", "it repeats characters or words (like 'aaa' or 'abcabc')"),
    ("sequence", "it contains a sequence (like 'abc' or '6543')"),
    ("spatial", "it contains a keyboard pattern (like 'qwertz')"),
    ("date", "it contains a date or a year"),
    ("words", "it is built from common words or names"),
)


class PasswordRejected(DomainError):
    """The new password breaks a rule (422); ``field`` names the input, the message says which
    rule — never the password."""


def normalise(password: str) -> str:
    """The form a password is hashed and compared in: NFKC (Unicode's compatibility
    composition), so the same password typed on another keyboard or system still matches."""
    return unicodedata.normalize("NFKC", password)


def context_words(*texts: str | None) -> list[str]:
    """The words of the context a password must not be built from: each text whole, without
    its separators and in its parts (split at spaces and . _ @ - …), also with ä, ö, ü, ß
    written as ae, oe, ue, ss; parts shorter than three characters are left out (they would
    match almost anything)."""
    words: list[str] = []
    for text in (*SERVICE_WORDS, *texts):
        if not text:
            continue
        whole = normalise(text).casefold().strip()
        for word in (whole, _SEPARATORS.sub("", whole), *_WORD_SEPARATORS.split(whole)):
            for variant in (word, word.translate(_TRANSLITERATIONS)):
                if len(variant) >= 3 and variant not in words:
                    words.append(variant)
    return words


def check_new_password(password: str, context: Iterable[str] = (), *,
                       field: str = "new_password") -> str:
    """The password normalised, or :class:`PasswordRejected` naming ``field`` and the rule.
    ``context``: :func:`context_words` of the person, her organisation and county."""
    if len(password) > 4 * MAX_PASSWORD_LENGTH:  # before normalising an endless input
        raise _rejected(field, f"is longer than {MAX_PASSWORD_LENGTH} characters")
    normalised = normalise(password)
    if any(unicodedata.category(character) in _UNSTABLE for character in normalised):
        raise _rejected(field, "contains control characters or unassigned code points; "
                               "every printable character and the space are allowed")
    if len(normalised) < MIN_PASSWORD_LENGTH:
        raise _rejected(field, f"is shorter than {MIN_PASSWORD_LENGTH} characters; a "
                               "passphrase of a few unrelated words is long enough")
    if len(normalised) > MAX_PASSWORD_LENGTH:
        raise _rejected(field, f"is longer than {MAX_PASSWORD_LENGTH} characters")
    if not normalised.strip():
        raise _rejected(field, "consists of spaces only")
    reasons = guessable_because(normalised, context)
    if reasons:
        raise _rejected(field, "is too easy to guess: " + "; ".join(reasons) +
                        ". Another word, or less common ones, make it harder to guess")
    return normalised


def guessable_because(password: str, context: Iterable[str] = ()) -> list[str]:
    """Why zxcvbn guesses ``password`` (normalised) within 10^10 guesses, given the context
    words; empty when it does not. Spaces and punctuation between the parts of a password do
    not count: zxcvbn takes each for an unguessable character, so it estimates the password
    without them as well ("Kreis.Hoexter.2026")."""
    joined = _SEPARATORS.sub("", password)
    for candidate in dict.fromkeys(filter(None, (password, joined))):
        estimate = zxcvbn(candidate[:ESTIMATED_LENGTH], user_inputs=list(context),
                          max_length=ESTIMATED_LENGTH)
        if estimate["guesses_log10"] < MIN_GUESSES_LOG10:
            found = {_kind(match) for match in estimate["sequence"]}
            reasons = [reason for kind, reason in _REASONS if kind in found]
            if candidate != password:
                reasons.append("spaces and punctuation between its parts do not make it "
                               "harder to guess")
            return reasons or ["it follows a pattern that is guessed early"]
    return []


def _kind(match: dict[str, object]) -> str:
    pattern = match.get("pattern")
    if pattern == "dictionary":
        dictionary = match.get("dictionary_name")
        return {"user_inputs": "context", "passwords": "passwords"}.get(str(dictionary), "words")
    if pattern == "regex":  # zxcvbn's only regex: a recent year
        return "date"
    return str(pattern)


def _rejected(field: str, why: str) -> PasswordRejected:
    return PasswordRejected(f"the {field.replace('_', ' ')} {why}", field)
