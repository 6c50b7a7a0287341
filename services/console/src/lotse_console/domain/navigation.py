"""What the console offers each role (*Navigation nach Rolle*). The APIs decide what a user may
do; the console only leaves out what her roles could never open."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

CASE_MANAGER = "case_manager"
COORDINATOR = "coordinator"
PROVIDER_STAFF = "provider_staff"
AUTHORITY_LIAISON = "authority_liaison"


@dataclass(frozen=True)
class Entry:
    endpoint: str
    label: str
    roles: frozenset[str]


ENTRIES: tuple[Entry, ...] = (
    Entry("pages.my_day", "Mein Tag", frozenset({CASE_MANAGER})),
    Entry("intake.first_contact", "Erstkontakt erfassen", frozenset({CASE_MANAGER, COORDINATOR})),
    Entry("intake.open_intakes", "Offene Erstberatungen", frozenset({CASE_MANAGER, COORDINATOR})),
    Entry("cases.my_cases", "Meine Fälle", frozenset({CASE_MANAGER})),
    Entry("office.reports", "Berichte", frozenset({COORDINATOR})),
    Entry("partner.inbox", "Eingang Vermittlungen", frozenset({PROVIDER_STAFF, AUTHORITY_LIAISON})),
)


def entries_for(roles: Iterable[str]) -> list[Entry]:
    held = frozenset(roles)
    return [entry for entry in ENTRIES if entry.roles & held]


def may_open(endpoint: str, roles: Iterable[str]) -> bool:
    """Whether a page of the navigation is for one of these roles (others are 403)."""
    held = frozenset(roles)
    return any(entry.endpoint == endpoint and entry.roles & held for entry in ENTRIES)
