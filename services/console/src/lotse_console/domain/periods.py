"""The 2-week report period a day belongs to (*2-Wochen-Bericht*, docs/reporting.md): named by
the odd ISO week it ends with; after a 53-week year ``YYYY-W01`` is one week."""

from __future__ import annotations

from datetime import date, timedelta


def period_of(day: date) -> tuple[str, date]:
    """(label, last day) of the period ``day`` is in: ``("2026-W47", 2026-11-22)``."""
    year, week, weekday = day.isocalendar()
    sunday = day + timedelta(days=7 - weekday)
    if week % 2 == 0:
        sunday += timedelta(days=7)
        year, week, _ = sunday.isocalendar()
    return f"{year}-W{week:02d}", sunday



def previous_period(day: date) -> tuple[str, date]:
    """The period before the one ``day`` is in: the last one already due, whose reports the
    office checks (a period is one or two weeks, so at most 14 days back)."""
    current, _ = period_of(day)
    earlier = day
    while period_of(earlier)[0] == current:
        earlier -= timedelta(days=1)
    return period_of(earlier)
