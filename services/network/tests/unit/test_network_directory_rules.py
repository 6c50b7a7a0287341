"""The directory's rules as plain Python (domain/directory.py): opening hours on the county's
wall clock, what a service entry must hold, who maintains which entry (issue 11: "the
coordinating office edits everything of its county; an organisation's own administrator edits
its own entries")."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest
from zoneinfo import ZoneInfo

from lotse_network.domain.directory import (
    DirectoryService,
    Organization,
    Schedule,
    may_maintain,
)
from lotse_platform.errors import Unprocessable

BERLIN = ZoneInfo("Europe/Berlin")  # the county's wall clock


def entry(**extra) -> DirectoryService:
    return DirectoryService(**{"organization_id": uuid.uuid4(), "name": "Migrationsberatung",
                               "description": "Beratung", "kind": "migration_counselling_adults",
                               **extra})


def test_opening_hours_hold_on_their_weekday_within_their_validity():
    consultation = Schedule("TU", "00:00", "02:00", valid_from=date(2026, 12, 1))
    assert consultation.is_open(datetime(2026, 12, 8, 0, 30, tzinfo=BERLIN))  # Tuesday 00:30
    assert not consultation.is_open(datetime(2026, 12, 8, 2, 0, tzinfo=BERLIN))  # closes at 02:00
    assert not consultation.is_open(datetime(2026, 12, 7, 23, 30, tzinfo=BERLIN))  # Monday
    assert not consultation.is_open(datetime(2026, 11, 24, 0, 30, tzinfo=BERLIN))  # before its validity
    assert Schedule("MO", "18:00", "24:00").is_open(datetime(2026, 12, 7, 23, 59, tzinfo=BERLIN))


def test_a_service_with_legal_areas_of_their_own_case_management_gets_a_referral():
    """DOMAIN.md §5: services under SGB II, III, VIII, XII and residence law run their own case
    management."""
    assert entry(legal_areas=("sgb_ii",)).own_case_management
    assert not entry(legal_areas=("civil_law",)).own_case_management


def test_an_entry_is_refused_naming_each_field():
    with pytest.raises(Unprocessable) as refused:
        entry(kind="sauna", topic_areas=("wellness",), minimum_age=30, maximum_age=12,
              schedules=(Schedule("MO", "14:00", "09:00"), Schedule("XX", "9", "25:00")),
              ).validate()
    fields = {e["field"] for e in refused.value.errors}
    assert fields == {"kind", "topic_areas", "maximum_age", "schedules.0.closes_at",
                      "schedules.1.weekday", "schedules.1.opens_at", "schedules.1.closes_at"}


def test_the_office_maintains_every_entry_an_administrator_only_her_organisations():
    awo = Organization("AWO", "x", identity_org_id="org-awo")
    volunteers = Organization("Willkommensinitiative", "x", identity_org_id=None)
    assert may_maintain(tenant_wide=True, caller_org="org-kreis", entry_org=volunteers)
    assert may_maintain(tenant_wide=False, caller_org="org-awo", entry_org=awo)
    assert not may_maintain(tenant_wide=False, caller_org="org-caritas", entry_org=awo)
    assert not may_maintain(tenant_wide=False, caller_org="org-awo", entry_org=volunteers)
