"""A first contact with hostile text in the person's data is refused naming the field, on
PostgreSQL, and nothing of it is written (ADR 0060). Before: a NUL in a name was a 500 here (and
stored in embedded mode), a lone surrogate a 500 in both, and a thousand nested objects inside
``person`` a 500."""

from __future__ import annotations

import json

import pytest

from intake_helpers import HOEXTER, days_ago, outbox_rows, person

pytestmark = pytest.mark.integration


def first_contact(**who) -> dict:
    return {"person": person(**who), "access_path": "self_referral", "area_id": HOEXTER,
            "contact_date": days_ago(1)}


def post_raw(api, body: str):
    return api.client.post("/intakes", data=body, content_type="application/json", headers={
        "Authorization": f"Bearer {api.actors.case_manager()}"})


def errors(response) -> dict[str, str]:
    assert response.mimetype == "application/problem+json"
    return {error["field"]: error["message"] for error in response.get_json()["errors"]}


@pytest.mark.parametrize(("who", "field", "character"), [
    ({"given": "Am\x00ina"}, "person.given_name", "U+0000"),
    ({"family": "Haddad\n"}, "person.family_name", "U+000A"),
    ({"family": "Had\x1b[8mdad"}, "person.family_name", "U+001B"),
    ({"languages": ["ar\x00"]}, "person.languages.0", "U+0000"),
], ids=["nul-in-given-name", "line-break-in-family-name", "escape-in-family-name",
        "nul-in-a-language"])
def test_a_control_character_in_the_persons_data_is_refused_naming_the_field(
    api, actors, intake, tenant, who, field, character
):
    response = api.post("/intakes", actors.case_manager(), first_contact(**who))

    assert response.status_code == 422, response.get_json()
    assert character in errors(response)[field]
    assert outbox_rows(intake, tenant) == []


def test_a_lone_surrogate_in_a_name_is_refused_naming_the_field(api, intake, tenant):
    response = post_raw(api, json.dumps(first_contact(family="Had\ud800dad")))

    assert response.status_code == 400, response.get_json()
    assert "lone surrogate" in errors(response)["person.family_name"]
    assert outbox_rows(intake, tenant) == []


def test_objects_nested_a_thousand_deep_inside_the_person_are_refused(api, intake, tenant):
    deep = "{}"
    for _ in range(1000):
        deep = '{"a":' + deep + "}"
    body = json.dumps(first_contact()).replace('"interpreter_needed"',
                                               f'"more": {deep}, "interpreter_needed"')

    response = post_raw(api, body)

    assert response.status_code == 400, response.get_json()
    assert errors(response) == {"body": "nests deeper than 32 levels"}
    assert outbox_rows(intake, tenant) == []


def test_names_keep_their_scripts_and_an_address_its_lines(api, actors):
    who = person(given="مريم\u200f", family="رضایی\u200cپور")
    who["contact"]["address"] = "Marktstraße 1\r\n37671 Höxter"

    recorded = api.record(who=who)

    read = api.get(f"/intakes/{recorded['id']}", actors.case_manager()).get_json()["person"]
    assert (read["given_name"], read["family_name"]) == ("مريم\u200f", "رضایی\u200cپور")
    assert read["contact"]["address"] == "Marktstraße 1\r\n37671 Höxter"
