"""Two versions of the help plan side by side (*Hilfeplan-Versionen im Vergleich*).

A version of casework's help plan holds its monitoring arrangement and, for a review, what
changed and why; the goals are the case's, each with the day it was agreed, the day it was
reached or dropped and its earlier revisions (what it said before each). So the goals of a
version are those agreed by the day of the version (in the county's time zone) and not closed
before it, each as it read on that day. A goal agreed on the same day as a version counts to
that version (casework records the day of a goal, not its hour).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

#: the fields of a goal compared between two versions, with their German labels
GOAL_FIELDS: dict[str, str] = {
    "topic_area": "Themenbereich",
    "statement": "Ziel (spezifisch)",
    "indicator": "Indikator (messbar)",
    "responsible": "Verantwortlich (zugeordnet)",
    "responsible_org_id": "Verantwortliche Partnerorganisation",
    "realism_note": "Realistisch, weil",
    "due_on": "Erreicht bis (terminiert)",
}
#: the fields of a version compared, with their German labels
PLAN_FIELDS: dict[str, str] = {
    "monitoring_every_days": "Monitoring-Kontakt alle … Tage",
    "monitoring_contact_types": "Monitoring durch",
    "changes": "Was sich geändert hat",
    "reason": "Warum",
}


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def goal_as_of(goal: Mapping[str, Any], day: date) -> dict[str, Any] | None:
    """The goal as it read on ``day``, or None when it was not (or no longer) agreed then."""
    set_on, closed_on = _day(goal.get("set_on")), _day(goal.get("closed_on"))
    if set_on is None or set_on > day or (closed_on is not None and closed_on <= day):
        return None
    state = dict(goal)
    history = sorted((h for h in goal.get("history") or [] if isinstance(h, Mapping)),
                     key=lambda h: int(h.get("revision") or 0))
    for entry in history:
        changed_on = _day(entry.get("on"))
        if changed_on is not None and changed_on > day and isinstance(entry.get("before"),
                                                                        Mapping):
            state.update(entry["before"])  # the earliest revision after the day: as it was
            break
    return state


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    old: Any
    new: Any

    @property
    def changed(self) -> bool:
        return bool(self.old != self.new)


@dataclass(frozen=True)
class GoalRow:
    """One goal in the comparison: ``added``, ``removed``, ``changed`` or ``same``."""

    state: str
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    changes: tuple[str, ...] = ()


@dataclass
class Comparison:
    older: Mapping[str, Any]
    newer: Mapping[str, Any]
    fields: list[FieldChange] = field(default_factory=list)
    goals: list[GoalRow] = field(default_factory=list)

    @property
    def changed_fields(self) -> int:
        return sum(1 for f in self.fields if f.changed)

    def count(self, state: str) -> int:
        return sum(1 for g in self.goals if g.state == state)


def compare(older: Mapping[str, Any], older_day: date, newer: Mapping[str, Any],
            newer_day: date, goals: Sequence[Mapping[str, Any]]) -> Comparison:
    """What differs between two versions (given oldest first, with their days)."""
    result = Comparison(older, newer)
    for name, text in PLAN_FIELDS.items():
        old, new = older.get(name), newer.get(name)
        if isinstance(old, list) and isinstance(new, list):
            old, new = sorted(old), sorted(new)
        result.fields.append(FieldChange(name, text, old, new))
    for goal in goals:
        before, after = goal_as_of(goal, older_day), goal_as_of(goal, newer_day)
        if before is None and after is None:
            continue
        if before is None:
            result.goals.append(GoalRow("added", None, after))
        elif after is None:
            result.goals.append(GoalRow("removed", before, None))
        else:
            changes = tuple(name for name in GOAL_FIELDS
                            if (before.get(name) or "") != (after.get(name) or ""))
            result.goals.append(GoalRow("changed" if changes else "same", before, after,
                                        changes))
    order = {"changed": 0, "added": 1, "removed": 2, "same": 3}
    result.goals.sort(key=lambda row: order[row.state])
    return result
