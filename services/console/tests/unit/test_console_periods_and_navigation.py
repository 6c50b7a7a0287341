"""The 2-week report period of a day, what each role is offered, and the day a timestamp is
shown as."""

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from lotse_console.domain.navigation import entries_for, may_open
from lotse_console.domain.vocabulary import german_date
from lotse_console.domain.periods import period_of, previous_period


@pytest.mark.parametrize(("day", "period", "due"), [
    (date(2026, 11, 9), "2026-W47", date(2026, 11, 22)),    # the first week of a period
    (date(2026, 11, 22), "2026-W47", date(2026, 11, 22)),   # its last day
    (date(2026, 11, 23), "2026-W49", date(2026, 12, 6)),
    (date(2026, 12, 28), "2026-W53", date(2027, 1, 3)),     # W52 + W53 of a 53-week year
    (date(2027, 1, 5), "2027-W01", date(2027, 1, 10)),      # then W01 alone
    (date(2027, 12, 27), "2028-W01", date(2028, 1, 9)),     # W52 of a 52-week year + W01
])
def test_a_day_belongs_to_the_period_named_by_its_odd_week(day, period, due):
    assert period_of(day) == (period, due)


@pytest.mark.parametrize(("day", "period"), [
    (date(2026, 11, 23), "2026-W47"),   # the period before W49
    (date(2026, 12, 7), "2026-W49"),
    (date(2027, 1, 5), "2026-W53"),     # before the one-week W01
    (date(2027, 1, 12), "2027-W01"),    # after it
])
def test_the_previous_period_is_the_last_one_already_due(day, period):
    assert previous_period(day)[0] == period


def test_the_office_and_a_partner_are_offered_their_pages():
    assert [e.label for e in entries_for(["coordinator"])] == [
        "Erstkontakt erfassen", "Offene Erstberatungen", "Berichte", "Steuerung",
        "Projektarbeitsgruppen", "Verwaltung"]
    assert [e.label for e in entries_for(["provider_staff"])] == [
        "Eingang Vermittlungen", "Projektarbeitsgruppen"]


def test_a_case_manager_is_offered_her_day_and_the_first_contact():
    labels = [entry.label for entry in entries_for(["case_manager"])]
    assert labels == ["Mein Tag", "Erstkontakt erfassen", "Offene Erstberatungen", "Meine Fälle",
                      "Steuerung", "Projektarbeitsgruppen"]


def test_a_steering_member_is_offered_the_steering_pages_and_none_with_personal_data():
    assert [e.label for e in entries_for(["steering_member"])] == [
        "Steuerung", "Projektarbeitsgruppen"]
    assert not may_open("intake.first_contact", ["steering_member"])
    assert may_open("steering.vote", ["steering_member"])
    assert not may_open("steering.decide", ["steering_member"])
    assert not may_open("admin.overview", ["steering_member"])


def test_the_administrators_are_offered_the_administration_and_may_assign_roles():
    assert [e.label for e in entries_for(["tenant_admin"])] == ["Verwaltung"]
    assert [e.label for e in entries_for(["org_admin"])] == ["Verwaltung"]
    assert may_open("admin.roles", ["org_admin"])
    assert not may_open("admin.roles", ["coordinator"])
    assert may_open("steering.decide", ["coordinator"])
    assert not may_open("steering.vote", ["coordinator"])


def test_the_administrations_forms_are_offered_to_the_roles_their_services_delegate_to():
    # identity: areas are the county administrator's; an organisation's administrator changes
    # her own organisation and creates and locks her own organisation's users
    assert may_open("admin.new_area", ["tenant_admin"])
    assert not may_open("admin.new_area", ["org_admin"])
    for endpoint in ("admin.organisation", "admin.new_user", "admin.user_access"):
        assert may_open(endpoint, ["org_admin"]) and may_open(endpoint, ["tenant_admin"])
        assert not may_open(endpoint, ["coordinator"])
    # intake: a target group's validity is the county administrator's and the office's
    assert may_open("admin.target_group", ["coordinator"])
    assert not may_open("admin.target_group", ["org_admin"])
    # the network: the office and organisations' administrators keep partners' entries
    assert may_open("admin.partner", ["org_admin"]) and may_open("admin.partner", ["coordinator"])
    assert not may_open("admin.partner", ["tenant_admin"])
    # none of them is in the menu: they are reached from the administration's lists
    assert [e.label for e in entries_for(["tenant_admin", "org_admin"])] == ["Verwaltung"]


@pytest.mark.parametrize(("value", "shown"), [
    ("2026-12-07", "07.12.2026"),                        # a date is the day it names
    ("2026-12-07T23:30:00+00:00", "08.12.2026"),         # already the 8th in Höxter
    ("2026-07-07T22:30:00+00:00", "08.07.2026"),         # summer time: +2 h
    ("2026-12-07T22:59:59+00:00", "07.12.2026"),
    ("2026-12-07T23:30:00", "07.12.2026"),               # no offset: the day it names
    (None, "–"),
])
def test_a_timestamp_is_shown_as_its_day_on_the_countys_clock(value, shown):
    assert german_date(value, ZoneInfo("Europe/Berlin")) == shown


def test_the_notices_page_action_is_the_case_managers_only():
    assert may_open("pages.read_notice", ["case_manager"])
    assert not may_open("pages.read_notice", ["coordinator", "provider_staff"])
    assert "pages.read_notice" not in {e.endpoint for e in entries_for(["case_manager"])}
