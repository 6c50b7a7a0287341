"""Which periods the demo's 2-week reports are submitted for, and on which days (ADR 0102)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from lotse_demo import reports as texts
from lotse_reporting.domain.periods import FIGURES, TOPIC_AREAS, Period
from lotse_reporting.service_layer.seed_reports import _body, _submitted_on, planned_periods


def test_the_planned_periods_are_the_due_ones_of_the_year_before():
    monday = date(2026, 12, 7)  # ISO week 50: 2026-W51 is current, 2026-W49 due last night
    found = planned_periods(monday)
    assert found[-1].label == "2026-W49" and Period.parse("2026-W51") not in found
    assert found == sorted(found) and len(found) == 26
    assert all(p.start > monday - timedelta(days=365) for p in found)
    assert found[0].previous.start <= monday - timedelta(days=365)
    sunday = date(2026, 12, 6)  # the last day of 2026-W49: not due until midnight
    assert planned_periods(sunday)[-1].label == "2026-W47"


def test_a_report_is_submitted_before_the_day_of_planning():
    rng = random.Random(1)
    for period in planned_periods(date(2026, 12, 7)):
        for planned_on in (period.end + timedelta(days=1), period.end + timedelta(days=30)):
            day, at = _submitted_on(rng, period, planned_on)
            assert period.start <= day < planned_on
            assert day <= period.end + timedelta(days=3)  # late: Monday to Wednesday


def test_what_a_report_says_comes_from_the_demo_texts():
    drawn = [_body(random.Random(n)) for n in range(200)]
    for body in drawn:
        assert set(body["corrections"]) <= set(FIGURES)
        assert all(note for _, note in body["corrections"].values())
        assert all(t["topic_area"] in TOPIC_AREAS and 0 < len(t["text"]) <= 500
                   for t in body["topics"])
        low, high = texts.NETWORK_MINUTES
        assert low <= body["network_minutes"] <= high
    assert any(t["theme_candidate"] for b in drawn for t in b["topics"])
    assert any(b["corrections"] for b in drawn) and any(not b["topics"] for b in drawn)
    assert set(texts.TOPICS) == set(texts.TOPIC_AREA_WEIGHTS) <= set(TOPIC_AREAS)
    assert {figure for figure, _, _ in texts.CORRECTIONS} <= set(FIGURES)
