"""Hostile text in a request is refused with a problem document naming where it is, never a 500
(ADR 0060): a JSON body nested deeper than the parser can recurse, a string holding a lone
surrogate or a body that is not UTF-8 (400, decided on the raw body before anything parses it),
and control characters in a field, a query or form parameter or a path segment (422)."""

from __future__ import annotations

import json

import marshmallow as ma
import pytest
from lotse_http_test_app import build_app, captured_logs

from lotse_platform.http.json_body import MAX_JSON_DEPTH, lone_surrogate_at, nesting_depth
from lotse_platform.http.text import Email, Line, Text, Url

JSON = "application/json"


@pytest.fixture
def logs():
    with captured_logs() as capture:
        yield capture


@pytest.fixture
def client(logs):
    return build_app().test_client()


def post_note(client, body: str | bytes):
    return client.post("/notes", data=body, content_type=JSON)


def note(name: str = "Ayşe Yılmaz", text: str = "Sprechstunde", **more) -> str:
    return json.dumps({"person": {"name": name}, "text": text, **more})


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    return response.get_json(force=True)


def nested(levels: int) -> str:
    """A note whose person carries an object ``levels`` deep (the body is two levels more)."""
    inner = "{}"
    for _ in range(levels - 1):
        inner = '{"a":' + inner + "}"
    return '{"person": {"name": "x", "more": ' + inner + '}, "text": "t"}'


# -- nesting ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("body", [
    "[" * 1000 + "]" * 1000,  # the reported body: 2 KB, a RecursionError in json.loads
    "[" * 950 + "]" * 950,
    "[" * 4000,  # never closed: a parser recurses before it finds out
    nested(600),  # deep inside a field
    "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1),
], ids=["1000", "950", "unclosed", "inside-person", "one-over-the-limit"])
def test_a_body_nested_deeper_than_the_limit_is_refused_before_it_is_parsed(client, logs, body):
    answer = problem(post_note(client, body), 400)

    assert answer["errors"] == [{"field": "body",
                                 "message": f"nests deeper than {MAX_JSON_DEPTH} levels"}]
    assert "http.unhandled_exception" not in logs.text


def test_a_body_as_deep_as_the_limit_reaches_the_schema(client):
    body = nested(MAX_JSON_DEPTH - 2)
    assert nesting_depth(body.encode()) == MAX_JSON_DEPTH

    answer = problem(post_note(client, body), 422)

    assert answer["errors"] == [{"field": "person.more", "message": "Unknown field."}]


def test_brackets_and_escaped_quotes_inside_strings_do_not_count(client):
    text = '[{"\\' + "[" * 500 + '\\\\'

    response = post_note(client, note(text=text))

    assert response.status_code == 201, response.get_json()
    assert response.get_json()["text"] == text


# -- not text --------------------------------------------------------------------------------------
@pytest.mark.parametrize(("body", "field"), [
    (note(name="a\ud800b"), "person.name"),  # json.dumps escapes it: "a\ud800b"
    (note(text="\udc00"), "text"),
    (note(tags=["ok", "x\udbff"]), "tags.1"),
    ('{"person": {"\\ud800": "x", "name": "y"}, "text": "t"}', "person"),  # a member name
], ids=["in-a-name", "low-half", "in-a-list", "in-a-member-name"])
def test_a_lone_surrogate_is_refused_naming_where_it_is(client, logs, body, field):
    answer = problem(post_note(client, body), 400)

    assert answer["errors"][0]["field"] == field
    assert "lone surrogate" in answer["errors"][0]["message"]
    assert "http.unhandled_exception" not in logs.text


def test_a_surrogate_pair_is_a_character_and_is_accepted(client):
    response = post_note(client, note(text="Termin 🙂"))  # sent as "\ud83d\ude42"

    assert response.status_code == 201
    assert response.get_json()["text"] == "Termin 🙂"


@pytest.mark.parametrize("body", [
    b'{"person": {"name": "a\xed\xa0\x80b"}, "text": "t"}',  # a surrogate encoded as UTF-8 bytes
    '{"person": {"name": "Müller"}, "text": "t"}'.encode("latin-1"),
    '{"person": {"name": "x"}, "text": "t"}'.encode("utf-16"),
], ids=["encoded-surrogate", "latin-1", "utf-16"])
def test_a_body_that_is_not_utf8_is_refused(client, body):
    answer = problem(post_note(client, body), 400)

    assert answer["errors"][0]["field"] == "body"


def test_the_surrogate_search_walks_lists_and_objects():
    document = {"a": [{"b": "ok"}, {"c": ["fine", "bad\udfff"]}]}

    assert lone_surrogate_at(document) == ("a.1.c.1",
                                           "holds a lone surrogate, which is not a character")
    assert lone_surrogate_at({"a": ["\U0001f642"]}) is None


# -- control characters ----------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "character"), [
    ("a\x00b", "U+0000"), ("a\nb", "U+000A"), ("a\tb", "U+0009"), ("\x1b[31m", "U+001B"),
    ("a\x7fb", "U+007F"), ("a\x85b", "U+0085"), ("a\u2028b", "U+2028"),
])
def test_a_name_refuses_every_control_character(client, name, character):
    answer = problem(post_note(client, note(name=name)), 422)

    [error] = answer["errors"]
    assert error["field"] == "person.name"
    assert character in error["message"]


@pytest.mark.parametrize(("text", "character"), [
    ("a\x00b", "U+0000"), ("a\x07b", "U+0007"), ("a\x0bb", "U+000B"), ("a\x9bb", "U+009B"),
])
def test_text_of_several_lines_refuses_the_other_control_characters(client, text, character):
    answer = problem(post_note(client, note(text=text)), 422)

    assert answer["errors"] == [{"field": "text", "message": answer["errors"][0]["message"]}]
    assert character in answer["errors"][0]["message"]


def test_text_of_several_lines_keeps_tabs_and_line_breaks(client):
    text = "Termin:\tMontag\r\nDolmetscherin bestellt\nRückruf"

    response = post_note(client, note(text=text))

    assert response.status_code == 201
    assert response.get_json()["text"] == text


@pytest.mark.parametrize("name", [
    "Ayşe Yılmaz", "محمد الأحمد\u200f", "می\u200cخواهم", "Zoë O'Brien-Łukasiewicz", "👩\u200d👧",
], ids=["turkish", "arabic-with-rlm", "persian-with-zwnj", "latin", "emoji-sequence"])
def test_names_in_any_script_with_their_format_characters_are_accepted(client, name):
    assert post_note(client, note(name=name)).status_code == 201


def test_a_query_parameter_with_a_control_character_is_refused_naming_it(client):
    answer = problem(client.get("/notes?search=a%00b"), 422)

    assert answer["errors"][0]["field"] == "search"
    assert "U+0000" in answer["errors"][0]["message"]


def test_a_path_parameter_with_a_control_character_is_refused_naming_it(client):
    answer = problem(client.get("/notes/faults/not%01found"), 422)

    assert answer["errors"][0]["field"] == "kind"


def test_a_form_field_with_a_control_character_is_refused_naming_it(client):
    answer = problem(client.post("/notes/search", data={"username": "a\x00b"}), 422)

    assert answer["errors"][0]["field"] == "username"
    assert client.post("/notes/search", data={"username": "ks.koch"}).status_code == 204


def test_a_form_field_may_hold_the_lines_of_a_textarea_but_no_other_control_character(client):
    # a browser's textarea sends CR LF between lines: the console's notes and minutes
    assert client.post("/notes/search", data={"note": "Termin:\r\n\tMontag"}).status_code == 204
    answer = problem(client.post("/notes/search", data={"note": "Termin\x0bMontag"}), 422)
    assert answer["errors"][0]["field"] == "note"


def test_email_and_url_fields_follow_the_rule_of_a_line():
    # marshmallow's own Url lets a trailing NUL through
    assert ma.fields.Url().deserialize("https://lotse.example/\x00")
    with pytest.raises(ma.ValidationError, match="U\\+0000"):
        Url().deserialize("https://lotse.example/\x00")
    with pytest.raises(ma.ValidationError, match="U\\+000A"):
        Email().deserialize("ks.koch@kreis-hoexter.de\n")
    assert Email().deserialize("ks.koch@kreis-hoexter.de") == "ks.koch@kreis-hoexter.de"
    assert Line().deserialize("Höxter") == Text().deserialize("Höxter") == "Höxter"
