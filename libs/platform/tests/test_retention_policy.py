"""The retention policy's arithmetic and defaults (ADR 0106), without a database: a period ends
on the same calendar day months later (the month's last day where it has fewer), every class
with a period names its legal basis, and the classes that must never be erased by a period
(directory, statistics, the audit trail's entries) have none."""

from __future__ import annotations

from datetime import date

import pytest

from lotse_platform.datamap.vocabulary import RETENTION_CLASSES
from lotse_platform.subject_rights.retention import DEFAULTS, months_before


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2026, 12, 7), 9, date(2026, 3, 7)),
    (date(2026, 12, 7), 6, date(2026, 6, 7)),
    (date(2026, 3, 31), 1, date(2026, 2, 28)),  # February has no 31st
    (date(2028, 3, 31), 1, date(2028, 2, 29)),  # a leap year's
    (date(2026, 1, 15), 36, date(2023, 1, 15)),
    (date(2026, 1, 15), 13, date(2024, 12, 15)),
])
def test_a_period_ends_on_the_same_calendar_day_months_later(day, months, expected):
    assert months_before(day, months) == expected


def test_every_default_names_a_known_class_and_a_legal_basis():
    assert set(DEFAULTS) <= set(RETENTION_CLASSES)
    assert all(period.legal_basis for period in DEFAULTS.values())
    assert {kind for kind, period in DEFAULTS.items() if period.months is None} == {
        "directory", "statistics", "audit"}
    assert DEFAULTS["intake_without_admission"].months == 6
    assert "SGB X" in DEFAULTS["case_record"].legal_basis
