"""Reading the console's HTML forms into the JSON the APIs take. The forms are named like the
API's fields (``person.given_name``), so an error the API names lands at its field. Nothing is
checked here that the API checks: an empty field is sent as missing and the API says why."""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

#: what the console's forms send (the platform refuses any other body but JSON unless a view
#: says it takes it)
FORM = "application/x-www-form-urlencoded"


def text(form: MultiDict[str, str], name: str) -> str | None:
    """The field's text, or None when left empty."""
    value = (form.get(name) or "").strip()
    return value or None


def choice(form: MultiDict[str, str], name: str) -> str | None:
    return text(form, name)


def choices(form: MultiDict[str, str], name: str) -> list[str]:
    return [value for value in form.getlist(name) if value]


def yes_no(form: MultiDict[str, str], name: str) -> bool | None:
    """A yes/no radio group: True, False, or None when neither was chosen."""
    return {"ja": True, "nein": False}.get(form.get(name, ""))


def without_empty(document: dict[str, Any]) -> dict[str, Any]:
    """The document without the fields left empty (None), nested documents alike."""
    out: dict[str, Any] = {}
    for key, value in document.items():
        if isinstance(value, dict):
            value = without_empty(value)
        if value is not None:
            out[key] = value
    return out
