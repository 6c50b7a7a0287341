"""Assessment, goal agreement and help plan (Bestandsaufnahme, Zielvereinbarung, Hilfeplan).

- An assessment puts the client's self-assessment and the case manager's view of each life area
  side by side; where they differ the disagreement is recorded, neither view overwrites the
  other. A re-assessment adds a version; versions are never changed.
- A goal is SMART: a specific statement, an indicator (measurable), the party responsible
  (assignable), a realism note and a due date (time-bound). One missing is refused, naming it.
- The help plan is versioned: the first version sets the monitoring arrangement, each review
  (Überprüfung des Hilfeplans) adds a version saying what changed and why. Steps hang under goals.
"""

from __future__ import annotations

from typing import Any

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from .errors import Incomplete, Refused
from .model import Case, now
from .vocabulary import CEFR_LEVELS, CONTACT_TYPES, LANGUAGE_EVIDENCE, RESPONSIBLE

ASSESSMENT_PHASES = ("assessment", "reassessment")
GOAL_SETTING_PHASES = ("goal_agreement", "reassessment")
PLAN_PHASES = ("goal_agreement", "linking", "monitoring", "reassessment")


# -- assessment -----------------------------------------------------------------------------------
@dataclass
class Assessment:
    case_id: uuid.UUID
    version: int
    recorded_by: str
    life_areas: list[dict[str, Any]] = field(default_factory=list)
    resources: list[dict[str, Any]] = field(default_factory=list)
    network: list[dict[str, Any]] = field(default_factory=list)
    # per language: language (BCP 47), level (CEFR), evidence, assessed_on (004 L144)
    language_levels: list[dict[str, Any]] = field(default_factory=list)
    recorded_at: datetime = field(default_factory=now)
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    tenant_id: uuid.UUID | None = None

    @classmethod
    def record(cls, case: Case, previous_version: int, by: str, life_areas: list[dict[str, Any]],
               resources: list[dict[str, Any]], network: list[dict[str, Any]],
               language_levels: list[dict[str, Any]] | None = None,
               today: date | None = None) -> Assessment:
        case.require_open()
        case.require_phase(ASSESSMENT_PHASES, "an assessment")
        problems: dict[str, str] = _language_level_problems(language_levels or [], today)
        seen = set()
        for n, entry in enumerate(life_areas):
            if entry["area"] in seen:
                problems[f"life_areas.{n}.area"] = "each life area once"
            seen.add(entry["area"])
            differs = _differs(entry.get("client_view"), entry.get("case_manager_view"))
            if differs and not (entry.get("disagreement") or "").strip():
                problems[f"life_areas.{n}.disagreement"] = (
                    "the views differ: record the disagreement (both views are kept)")
        if not life_areas:
            problems["life_areas"] = "at least one life area"
        if problems:
            raise Incomplete("the assessment is incomplete: " + ", ".join(problems), problems)
        areas = [{**entry, "disagreement": (entry.get("disagreement") or "").strip() or None}
                 for entry in life_areas]
        levels = [{"language": entry["language"], "level": entry["level"],
                   "evidence": entry["evidence"], "assessed_on": entry["assessed_on"].isoformat()}
                  for entry in language_levels or []]
        return cls(case_id=case.id, version=previous_version + 1, recorded_by=by,
                   life_areas=areas, resources=list(resources), network=list(network),
                   language_levels=levels)

    @property
    def disagreements(self) -> list[str]:
        return [e["area"] for e in self.life_areas if e.get("disagreement")]


def _language_level_problems(levels: list[dict[str, Any]], today: date | None) -> dict[str, str]:
    """Each language once, a CEFR level, known evidence, a day not in the future."""
    problems: dict[str, str] = {}
    seen: set[str] = set()
    for n, entry in enumerate(levels):
        language = str(entry.get("language") or "").strip().lower()
        if language in seen:
            problems[f"language_levels.{n}.language"] = "each language once"
        seen.add(language)
        if entry.get("level") not in CEFR_LEVELS:
            problems[f"language_levels.{n}.level"] = f"one of {', '.join(CEFR_LEVELS)}"
        if entry.get("evidence") not in LANGUAGE_EVIDENCE:
            problems[f"language_levels.{n}.evidence"] = (
                f"one of {', '.join(LANGUAGE_EVIDENCE)}")
        assessed_on = entry.get("assessed_on")
        if not isinstance(assessed_on, date):
            problems[f"language_levels.{n}.assessed_on"] = "a date"
        elif today is not None and assessed_on > today:
            problems[f"language_levels.{n}.assessed_on"] = "not in the future"
    return problems


def previous_language_levels(person_levels: list[dict[str, Any]],
                             assessments: list[Assessment]) -> dict[str, str]:
    """The level last known per language before a new assessment: intake's first contact
    (the handover), then each assessment version in turn — so progress can be counted."""
    known = {str(entry.get("language", "")).lower(): str(entry.get("level"))
             for entry in person_levels if entry.get("level") in CEFR_LEVELS}
    for assessment in sorted(assessments, key=lambda a: a.version):
        known.update({entry["language"].lower(): entry["level"]
                      for entry in assessment.language_levels})
    return known


def _differs(client_view: str | None, case_manager_view: str | None) -> bool:
    if not client_view or not case_manager_view:
        return False
    return client_view.strip().casefold() != case_manager_view.strip().casefold()


# -- goals ----------------------------------------------------------------------------------------
SMART_FIELDS = {
    "statement": "specific: what exactly is to be reached",
    "indicator": "measurable: how reaching it will be seen",
    "responsible": "assignable: who is responsible (client, case_manager, partner_organisation)",
    "realism_note": "realistic: why it can be reached with the resources at hand",
    "due_on": "time-bound: by when",
}


def check_smart(values: dict[str, Any], today: date) -> None:
    """Refuse a goal that is not SMART, naming every missing part."""
    missing = {name: f"missing ({why})" for name, why in SMART_FIELDS.items()
               if values.get(name) in (None, "") or (isinstance(values.get(name), str)
                                                    and not values[name].strip())}
    if values.get("responsible") and values["responsible"] not in RESPONSIBLE:
        missing["responsible"] = f"one of {', '.join(RESPONSIBLE)}"
    if values.get("responsible") == "partner_organisation" and not values.get("responsible_org_id"):
        missing["responsible_org_id"] = "missing: which partner organisation is responsible"
    due = values.get("due_on")
    if isinstance(due, date) and due < today:
        missing["due_on"] = "must not be in the past"
    if missing:
        raise Incomplete("the goal is not SMART: " + ", ".join(sorted(missing)), missing)


@dataclass
class Goal:
    case_id: uuid.UUID
    topic_area: str
    statement: str
    indicator: str
    responsible: str
    realism_note: str
    due_on: date
    set_on: date
    responsible_org_id: str = ""
    status: str = "open"  # open, reached, dropped
    revision: int = 1
    history: list[dict[str, Any]] = field(default_factory=list)
    closed_on: date | None = None
    status_reason: str | None = None
    primary: bool = False  # the case's primary goal (das primäre Ziel)
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    tenant_id: uuid.UUID | None = None

    @classmethod
    def set(cls, case: Case, values: dict[str, Any], today: date) -> Goal:
        case.require_open()
        case.require_phase(GOAL_SETTING_PHASES, "setting a goal")
        check_smart(values, today)
        return cls(case_id=case.id, topic_area=values["topic_area"],
                   statement=values["statement"].strip(), indicator=values["indicator"].strip(),
                   responsible=values["responsible"],
                   responsible_org_id=values.get("responsible_org_id") or "",
                   realism_note=values["realism_note"].strip(), due_on=values["due_on"],
                   set_on=today)

    def _require_open(self, case: Case) -> None:
        case.require_open()
        if self.status != "open":
            raise Refused(f"the goal is {self.status}")

    def revise(self, case: Case, changes: dict[str, Any], reason: str, today: date) -> None:
        self._require_open(case)
        if not (reason or "").strip():
            raise Incomplete("a revision says why", {"reason": "missing"})
        merged = {**self.smart_values(), **{k: v for k, v in changes.items() if v is not None}}
        check_smart(merged, today)
        self.history = [*self.history, {"revision": self.revision, "on": today.isoformat(),
                                        "reason": reason.strip(), "before": self._snapshot()}]
        for name in ("statement", "indicator", "realism_note"):
            setattr(self, name, merged[name].strip())
        self.responsible = merged["responsible"]
        self.responsible_org_id = merged.get("responsible_org_id") or ""
        self.due_on = merged["due_on"]
        self.topic_area = merged.get("topic_area") or self.topic_area
        self.revision += 1

    def reach(self, case: Case, today: date, reason: str | None = None) -> None:
        self._require_open(case)
        self.status, self.closed_on, self.status_reason = "reached", today, reason

    def drop(self, case: Case, today: date, reason: str) -> None:
        self._require_open(case)
        if not (reason or "").strip():
            raise Incomplete("dropping a goal says why", {"reason": "missing"})
        self.status, self.closed_on, self.status_reason = "dropped", today, reason.strip()
        if self.primary:
            self.primary, case.primary_topic_area = False, None

    def make_primary(self, case: Case, goals: list[Goal]) -> None:
        """This goal becomes the case's primary goal (*das primäre Ziel*, seed 004 L134): one
        per case, so another goal of the case that was primary is no longer."""
        self._require_open(case)
        for other in goals:
            if other.id != self.id and other.primary:
                other.primary = False
        self.primary, case.primary_topic_area = True, self.topic_area

    def follow_topic(self, case: Case) -> None:
        """A revised topic area of the primary goal is the case's primary topic."""
        if self.primary:
            case.primary_topic_area = self.topic_area

    def smart_values(self) -> dict[str, Any]:
        return {"statement": self.statement, "indicator": self.indicator,
                "responsible": self.responsible, "responsible_org_id": self.responsible_org_id,
                "realism_note": self.realism_note, "due_on": self.due_on,
                "topic_area": self.topic_area}

    def _snapshot(self) -> dict[str, Any]:
        values = self.smart_values()
        values["due_on"] = self.due_on.isoformat()
        return values


# -- help plan and steps --------------------------------------------------------------------------
@dataclass
class HelpPlan:
    case_id: uuid.UUID
    version: int
    created_by: str
    monitoring_every_days: int
    monitoring_contact_types: list[str]
    changes: str | None = None  # a review: what changed
    reason: str | None = None  # … and why
    created_at: datetime = field(default_factory=now)
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    tenant_id: uuid.UUID | None = None

    @classmethod
    def draw_up(cls, case: Case, previous_version: int, open_goals: int, by: str,
                every_days: int, contact_types: list[str], changes: str | None,
                reason: str | None) -> HelpPlan:
        case.require_open()
        case.require_phase(PLAN_PHASES, "the help plan")
        problems: dict[str, str] = {}
        if previous_version == 0 and open_goals == 0:
            raise Refused("a help plan needs at least one agreed goal")
        if previous_version > 0:
            if not (changes or "").strip():
                problems["changes"] = "a plan review records what changed"
            if not (reason or "").strip():
                problems["reason"] = "a plan review records why"
        if not contact_types:
            problems["monitoring.contact_types"] = "by which contact types the case is followed"
        unknown = [t for t in contact_types if t not in CONTACT_TYPES]
        if unknown:
            problems["monitoring.contact_types"] = f"unknown: {', '.join(unknown)}"
        if problems:
            raise Incomplete("the help plan is incomplete: " + ", ".join(problems), problems)
        return cls(case_id=case.id, version=previous_version + 1, created_by=by,
                   monitoring_every_days=every_days, monitoring_contact_types=list(contact_types),
                   changes=(changes or "").strip() or None, reason=(reason or "").strip() or None)


@dataclass
class Step:
    case_id: uuid.UUID
    goal_id: uuid.UUID
    description: str
    responsible: str
    due_on: date
    responsible_org_id: str = ""
    status: str = "open"  # open, done, dropped
    done_on: date | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    tenant_id: uuid.UUID | None = None

    @classmethod
    def plan(cls, case: Case, goal: Goal, plan_versions: int, values: dict[str, Any]) -> Step:
        case.require_open()
        if plan_versions == 0:
            raise Refused("steps belong to a help plan: draw one up first")
        if goal.status != "open":
            raise Refused(f"the goal is {goal.status}")
        problems = {}
        if values.get("responsible") == "partner_organisation" and not values.get(
                "responsible_org_id"):
            problems["responsible_org_id"] = "missing: which partner organisation is responsible"
        if problems:
            raise Incomplete("the step is incomplete", problems)
        return cls(case_id=case.id, goal_id=goal.id, description=values["description"].strip(),
                   responsible=values["responsible"],
                   responsible_org_id=values.get("responsible_org_id") or "",
                   due_on=values["due_on"])

    def complete(self, case: Case, on: date) -> bool:
        """Mark the step done; returns whether it was overdue."""
        case.require_open()
        if self.status != "open":
            raise Refused(f"the step is {self.status}")
        self.status, self.done_on = "done", on
        return on > self.due_on

    def overdue_on(self, day: date) -> bool:
        return self.status == "open" and self.due_on < day
