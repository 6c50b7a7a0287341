"""What a new password must be (NIST SP 800-63B-4, ADR 0063): long enough, not guessable from
common passwords, patterns or the person's own context, and otherwise free — no composition
rules. Every refusal names the field and the rule, never the password."""

from __future__ import annotations

import pytest

from lotse_identity.domain.passwords import (
    MAX_PASSWORD_LENGTH,
    PasswordRejected,
    check_new_password,
    context_words,
    normalise,
)

#: Hanna Beispiel of the AWO in Kreis Höxter, username hanna.beispiel.awo
HANNA = context_words("hanna.beispiel.awo", "Hanna Beispiel", "hanna.beispiel@example.org",
                      "AWO Kreisverband Höxter", "Kreis Höxter", "kreis-hoexter")


def refusal(password: str, field: str = "new_password") -> str:
    with pytest.raises(PasswordRejected) as refused:
        check_new_password(password, HANNA, field=field)
    assert refused.value.status == 422
    assert refused.value.errors == [{"field": field, "message": refused.value.detail}]
    if password.strip():
        assert password.strip() not in refused.value.detail, "the password is never repeated"
    return refused.value.detail


@pytest.mark.parametrize("password", ["0000000000", " " * 10, "kurz und gut"])
def test_fewer_than_fifteen_characters_are_refused(password):
    assert "shorter than 15 characters" in refusal(password)


def test_spaces_only_are_refused():
    assert "spaces only" in refusal(" " * 15)


@pytest.mark.parametrize("password, why", [
    ("000000000000000", "repeats"),
    ("lotselotselotse", "repeats"),
    ("abcdefghijklmnop", "sequence"),
    ("password12345678", "commonly used passwords"),
    ("iloveyou12345678", "commonly used passwords"),
    ("hanna.beispiel.awo", "your username, your name"),
    ("HannaBeispiel2026!", "your username, your name"),
    ("Kreis.Hoexter.2026", "your county"),
    ("Lotse-Passwort-2026", "name of the service"),
    ("01.01.1990-01.01.1990", "spaces and punctuation"),
])
def test_common_patterned_or_contextual_passwords_are_refused_saying_why(password, why):
    detail = refusal(password)
    assert detail.startswith("the new password is too easy to guess: ") and why in detail


@pytest.mark.parametrize("password", [
    "correct horse battery staple",  # no digit, no capital: no composition rules
    "ein sicherer satz aus wörtern",
    "Grüne Äpfel fallen weit 🍏",
    "🍏🍎🍐🍊🍋🍌🍉🍇🍓🫐🍈🍒🍑🥭🍍",
    "x7#Lq!v2 Zr9&pW4k",
])
def test_any_long_unguessable_password_is_accepted_whatever_its_characters(password):
    assert check_new_password(password, HANNA) == normalise(password)


def test_a_password_is_normalised_nfkc_and_counted_in_code_points():
    wide = "ｅｉｎ ｓｉｃｈｅｒｅｒ ｓａｔｚ"  # full-width letters, as some keyboards send them
    assert check_new_password(wide, HANNA) == "ein sicherer satz"
    decomposed = "Ka\u0308se mit Bro\u0308tchen"  # ä and ö as letter + combining diaeresis
    assert check_new_password(decomposed, HANNA) == "Käse mit Brötchen"


def test_control_characters_are_refused_and_the_length_is_bounded():
    assert "control characters" in refusal("ein sicherer\x00satz aus wörtern")
    assert f"longer than {MAX_PASSWORD_LENGTH}" in refusal("ein sicherer satz " * 8)
    assert check_new_password("Hanf Zaun Lupe Moor Kiesel " * 4 + "Bernsteinzimmer!!!",
                              HANNA)


def test_the_field_is_named_as_the_caller_sent_it():
    assert refusal("0000000000", field="password").startswith("the password is shorter")


def test_the_context_holds_the_parts_of_names_with_umlauts_also_transliterated():
    words = context_words("cm.hoexter", "Christa Müller", None, "Stadt Höxter")
    assert {"lotse", "cm.hoexter", "hoexter", "christa", "müller", "mueller", "höxter",
            "stadt höxter", "stadthoexter"} <= set(words)
    assert "cm" not in words, "two letters would match almost anything"
