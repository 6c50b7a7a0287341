"""``LOTSE_REPORTING_EXACT_ROLES``: which roles see exact counts (issue 12; ADR 0091)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from lotse_reporting.settings import ReportingSettings

URL = "sqlite:///:memory:"


def test_the_coordinating_office_sees_exact_counts_by_default():
    assert ReportingSettings(database_url=URL).exact_roles == ("coordinator",)


def test_the_exact_roles_come_comma_separated_from_the_environment(monkeypatch):
    monkeypatch.setenv("LOTSE_REPORTING_EXACT_ROLES", "coordinator, coordination_assistant")
    assert ReportingSettings(database_url=URL).exact_roles == ("coordinator",
                                                               "coordination_assistant")
    monkeypatch.setenv("LOTSE_REPORTING_EXACT_ROLES", "")
    assert ReportingSettings(database_url=URL).exact_roles == ()


@pytest.mark.parametrize("roles, message", [("coordinator,chief", "unknown roles ['chief']"),
                                            ("steering_member", "suppressed figures only")])
def test_an_unknown_role_or_the_steering_group_is_refused(monkeypatch, roles, message):
    monkeypatch.setenv("LOTSE_REPORTING_EXACT_ROLES", roles)
    with pytest.raises(ValidationError, match=message.replace("[", r"\[").replace("]", r"\]")):
        ReportingSettings(database_url=URL)
