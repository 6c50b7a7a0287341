"""What the console offers each role (*Navigation nach Rolle*). The APIs decide what a user may
do; the console only leaves out what her roles could never open."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

CASE_MANAGER = "case_manager"
COORDINATOR = "coordinator"
PROVIDER_STAFF = "provider_staff"
AUTHORITY_LIAISON = "authority_liaison"
STEERING_MEMBER = "steering_member"
TENANT_ADMIN = "tenant_admin"
ORG_ADMIN = "org_admin"
COORDINATION_ASSISTANT = "coordination_assistant"


@dataclass(frozen=True)
class Entry:
    endpoint: str
    label: str
    roles: frozenset[str]
    #: shown in the navigation; False for a page reached from another (a vote, a decision)
    in_menu: bool = True


ENTRIES: tuple[Entry, ...] = (
    Entry("pages.my_day", "Mein Tag", frozenset({CASE_MANAGER})),
    Entry("pages.read_notice", "Hinweis als gelesen markieren", frozenset({CASE_MANAGER}),
          in_menu=False),
    Entry("intake.first_contact", "Erstkontakt erfassen", frozenset({CASE_MANAGER, COORDINATOR})),
    Entry("intake.open_intakes", "Offene Erstberatungen", frozenset({CASE_MANAGER, COORDINATOR})),
    Entry("cases.my_cases", "Meine Fälle", frozenset({CASE_MANAGER})),
    Entry("office.reports", "Berichte", frozenset({COORDINATOR})),
    Entry("partner.inbox", "Eingang Vermittlungen", frozenset({PROVIDER_STAFF, AUTHORITY_LIAISON})),
    # the system level (docs/steering.md): the office and the steering group; a case manager
    # sees the reconstruction candidates among her own cases and the themes
    Entry("steering.overview", "Steuerung",
          frozenset({COORDINATOR, STEERING_MEMBER, CASE_MANAGER})),
    Entry("steering.proposal", "Beschlussvorlage", frozenset({COORDINATOR, STEERING_MEMBER}),
          in_menu=False),
    Entry("steering.vote", "Abstimmen", frozenset({STEERING_MEMBER}), in_menu=False),
    Entry("steering.decide", "Beschluss feststellen", frozenset({COORDINATOR}), in_menu=False),
    # project groups: the office and steering members read all, members their own
    Entry("groups.project_groups", "Projektarbeitsgruppen",
          frozenset({COORDINATOR, STEERING_MEMBER, CASE_MANAGER, PROVIDER_STAFF,
                     AUTHORITY_LIAISON})),
    # administration within the rights identity delegates (ADR 0052)
    Entry("admin.overview", "Verwaltung",
          frozenset({TENANT_ADMIN, ORG_ADMIN, COORDINATOR, COORDINATION_ASSISTANT})),
    Entry("admin.roles", "Rollen zuweisen", frozenset({TENANT_ADMIN, ORG_ADMIN}), in_menu=False),
    Entry("admin.new_organisation", "Organisation anlegen", frozenset({TENANT_ADMIN}),
          in_menu=False),
    Entry("admin.new_target_group", "Zielgruppe anlegen", frozenset({TENANT_ADMIN, COORDINATOR}),
          in_menu=False),
    Entry("admin.new_partner", "Partner eintragen", frozenset({COORDINATOR, ORG_ADMIN}),
          in_menu=False),
    Entry("admin.new_area", "Gebiet anlegen", frozenset({TENANT_ADMIN}), in_menu=False),
    # identity: a tenant administrator changes and ends any organisation, an organisation's
    # administrator renames her own (identity checks which)
    Entry("admin.organisation", "Organisation ändern", frozenset({TENANT_ADMIN, ORG_ADMIN}),
          in_menu=False),
    Entry("admin.new_user", "Benutzerin oder Benutzer anlegen",
          frozenset({TENANT_ADMIN, ORG_ADMIN}), in_menu=False),
    Entry("admin.user_access", "Zugang sperren oder freigeben",
          frozenset({TENANT_ADMIN, ORG_ADMIN}), in_menu=False),
    Entry("admin.target_group", "Zielgruppe beenden oder verlängern",
          frozenset({TENANT_ADMIN, COORDINATOR}), in_menu=False),
    # the network: the office every partner, an organisation's administrator her own entries
    Entry("admin.partner", "Partner pflegen: Orte und Angebote",
          frozenset({COORDINATOR, ORG_ADMIN}), in_menu=False),
)


def entries_for(roles: Iterable[str]) -> list[Entry]:
    held = frozenset(roles)
    return [entry for entry in ENTRIES if entry.in_menu and entry.roles & held]


def may_open(endpoint: str, roles: Iterable[str]) -> bool:
    """Whether a page of the navigation is for one of these roles (others are 403)."""
    held = frozenset(roles)
    return any(entry.endpoint == endpoint and entry.roles & held for entry in ENTRIES)
