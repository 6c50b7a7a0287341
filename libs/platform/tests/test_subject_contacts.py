"""How a participating service asks the coordinator for the contacts a request names (ADR 0108)
— no database needed: the coordinator's answers are given."""

from __future__ import annotations

import json
import uuid

import pytest

from lotse_platform.subject_rights import ContactKeys
from lotse_platform.subject_rights.contacts import (
    ERASURE,
    SUBJECT_ACCESS,
    ContactsUnavailable,
    CoordinatorContacts,
)


class _Coordinator:
    """The coordinator's internal API as a machine client's calls reach it."""

    def __init__(self, status: int, body: dict | None = None) -> None:
        self.status, self.body, self.asked = status, body or {}, []

    def call(self, method: str, url: str, body=None) -> tuple[int, bytes]:
        self.asked.append((method, url))
        return self.status, json.dumps(self.body).encode()

    def close(self) -> None:
        """Holds no connection."""


REQUEST = uuid.UUID(int=7)


def test_the_contacts_come_from_the_coordinators_path_of_the_request():
    coordinator = _Coordinator(200, {"phone": "+495271123456", "email": None})
    found = CoordinatorContacts(lambda name: f"http://{name}/api/v1/{name}", coordinator)
    assert found.fetch(SUBJECT_ACCESS, "intake", REQUEST) == ContactKeys(phone="+495271123456")
    assert found.fetch(ERASURE, "intake", REQUEST) == ContactKeys(phone="+495271123456")
    assert coordinator.asked == [
        ("GET", f"http://intake/api/v1/intake/subject-access-requests/{REQUEST}/contacts"),
        ("GET", f"http://intake/api/v1/intake/erasure-requests/{REQUEST}/contacts")]


def test_a_coordinator_that_refuses_or_is_unknown_leaves_the_request_to_be_redelivered():
    refusing = CoordinatorContacts(lambda name: f"http://{name}", _Coordinator(503))
    with pytest.raises(ContactsUnavailable, match="answered 503"):
        refusing.fetch(SUBJECT_ACCESS, "intake", REQUEST)
    unknown = CoordinatorContacts(lambda name: None, _Coordinator(200))
    with pytest.raises(ContactsUnavailable, match="no internal address"):
        unknown.fetch(SUBJECT_ACCESS, "intake", REQUEST)
