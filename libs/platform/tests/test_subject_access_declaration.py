"""What a service declares for subject access (ADR 0103) and how a part's values become JSON —
no database needed."""

from __future__ import annotations

import enum
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from decimal import Decimal

import pytest

from lotse_platform.phone import InvalidPhoneNumber, e164
from lotse_platform.subject_rights import ContactKeys, Contacts, Derived, Found, SubjectKeys
from lotse_platform.subject_rights.export import _as_text, _plain


class Status(enum.Enum):
    admitted = "admitted"


@dataclass(frozen=True)
class Facts:
    region_of_origin: str
    arrived_on: date | None
    statuses: tuple[str, ...]


def test_a_key_is_derived_from_one_derived_before_it():
    keys = SubjectKeys([Derived("case_id", table="cases", column="id", by="intake_id"),
                        Derived("goal_id", table="goals", column="id", by="case_id")])
    assert keys.names == ("intake_id", "case_id", "goal_id")
    assert keys.own_columns() == {"cases": ("id", "case_id"), "goals": ("id", "goal_id")}
    with pytest.raises(ValueError, match="goal_id is derived by case_id"):
        SubjectKeys([Derived("goal_id", table="goals", column="id", by="case_id")])


def test_the_root_is_the_persons_own_row():
    assert SubjectKeys(root=("intakes", "id")).own_columns() == {"intakes": ("id", "intake_id")}


def _none(session, tenant, values) -> set[str]:
    return set()


def test_a_key_found_by_the_services_code_follows_the_keys_it_names():
    keys = SubjectKeys([Found("case_id", by=("intake_id",), find=_none),
                        Found("event_id", by=("intake_id", "case_id"), find=_none,
                              table="event_store", column="event_id")])
    assert keys.names == ("intake_id", "case_id", "event_id")
    # only a key with a table of its own finds rows by that table's id column
    assert keys.own_columns() == {"event_store": ("event_id", "event_id")}
    with pytest.raises(ValueError, match="event_id is derived by case_id"):
        SubjectKeys([Found("event_id", by=("intake_id", "case_id"), find=_none)])


def test_contacts_name_the_table_of_people_known_by_them():
    keys = SubjectKeys(contacts=Contacts("forum_invitees", phone="phone", email="email"))
    assert keys.names == ("intake_id",) and keys.own_columns() == {}
    assert keys.contacts is not None and keys.contacts.table == "forum_invitees"
    assert not ContactKeys() and ContactKeys(email="a@example.org")


def test_a_phone_number_is_kept_in_e164_or_refused():
    assert e164("05271 123456") == e164("+49 5271 123456") == "+495271123456"
    for bad in ("12", "+49 abc", ""):
        with pytest.raises(InvalidPhoneNumber):
            e164(bad)


def test_every_value_a_column_maps_becomes_json():
    row = {"id": uuid.UUID(int=1), "on": date(2026, 12, 7), "at": time(9, 30),
           "when": datetime(2026, 12, 7, 9, tzinfo=timezone.utc), "amount": Decimal("1.5"),
           "status": Status.admitted, "languages": ("ar", "de"), "blob": b"\x00\x01",
           "facts": Facts("middle_east", date(2019, 5, 1), ("recognised_refugee",))}
    plain = {k: _plain(v) for k, v in row.items()}
    assert json.loads(json.dumps(plain)) == {
        "id": "00000000-0000-0000-0000-000000000001", "on": "2026-12-07", "at": "09:30:00",
        "when": "2026-12-07T09:00:00+00:00", "amount": "1.5", "status": "admitted",
        "languages": ["ar", "de"], "blob": {"base64": "AAE="},
        "facts": {"region_of_origin": "middle_east", "arrived_on": "2019-05-01",
                  "statuses": ["recognised_refugee"]}}


def test_a_value_json_does_not_know_is_written_as_its_text():
    class Opaque:
        def __str__(self) -> str:
            return "opaque"

    assert json.dumps({"x": Opaque()}, default=_as_text) == '{"x": "opaque"}'
