"""Goal systems (*Zielsysteme*, seed 001 L628–L637; DOMAIN.md §8 step 4).

A goal system is a tree of four levels: one principle goal (*Grundsatz-* or *Leitziel*: the
improvement of the problem in general), framework goals (*Rahmenziele*: the fields of work),
result goals (*Ergebnisziele*: what the fields of work should look like) and activities
(*Aktivitäten*: the concrete steps that reach a result goal). Each goal carries indicators (how
reaching it shows), sources of verification (where that can be checked) and critical
assumptions; an activity names the organisation responsible for it.

What is a rule (422 naming the node's field, ``nodes.<i>.<field>``):

- exactly one principle goal, at the root; every other node hangs under a node of the level
  directly above it (levels strictly in order — an activity only under a result goal);
- every goal has at least one indicator;
- every activity has a responsible organisation (checked against identity's directory);
- node keys are unique and a parent is a node of the same tree.

What is advice only (a warning in the answer, never a refusal): "goals are phrased as reached
states, activities as instructions" (seed 001 L637). Language cannot be checked cheaply and
reliably, so only unmistakable signs are flagged — a goal ending in "!" or "?", opening with an
imperative ("Erstelle …", "Bitte …") or a modal of obligation ("… soll", "… muss"); an activity
ending in "?" or read as a finished state ("… ist erfolgt", "… liegt vor").
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lotse_platform.errors import Unprocessable

PRINCIPLE, FRAMEWORK, RESULT, ACTIVITY = "principle", "framework", "result", "activity"
#: the levels from the root down
LEVELS = (PRINCIPLE, FRAMEWORK, RESULT, ACTIVITY)
GOAL_LEVELS = (PRINCIPLE, FRAMEWORK, RESULT)
LEVEL_LABELS_DE = {PRINCIPLE: "Leitziel (Grundsatzziel)", FRAMEWORK: "Rahmenziel",
                   RESULT: "Ergebnisziel", ACTIVITY: "Aktivität"}

#: first words that make a sentence an instruction, not a reached state (German imperatives and
#: the polite request); a goal opening with one of them is flagged
IMPERATIVE_OPENINGS = frozenset({
    "bitte", "erstelle", "erstellt", "schaffe", "schafft", "sorge", "sorgt", "stelle",
    "initiiere", "initiiert", "prüfe", "entwickle", "entwickelt", "führe", "kläre", "klärt",
    "organisiere", "baue", "richte", "vereinbare", "informiere", "biete", "sichere", "sichert",
    "schließe", "lege", "mache", "macht", "beantrage", "starte", "plane", "plant", "setze",
    "verbessere", "verbessert", "stärke", "stärkt", "fördere", "fördert", "unterstütze",
})
#: last words that make a goal an obligation rather than a reached state
OBLIGATION_ENDINGS = frozenset({"soll", "sollen", "sollte", "sollten", "muss", "müssen",
                                "müsste", "müssten"})
#: endings that read an activity as a finished state rather than an instruction
STATE_ENDINGS = ("ist erfolgt", "sind erfolgt", "liegt vor", "liegen vor", "ist erreicht",
                 "sind erreicht", "wurde erreicht", "wurden erreicht")
_WORD = re.compile(r"[\wäöüÄÖÜß]+")


class InvalidGoalSystem(Unprocessable):
    """422 naming every node field that breaks a rule of the tree."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("the goal system breaks a rule; see errors", errors=errors)


@dataclass(frozen=True)
class GoalNode:
    """One node of a goal system as a client sends it (flat, with its parent's key)."""

    key: str
    parent: str | None
    level: str
    title: str
    indicators: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()  # sources of verification (Quellen der Überprüfung)
    assumptions: tuple[str, ...] = ()  # critical assumptions (kritische Annahmen)
    responsible_organisation_id: str | None = None

    def document(self) -> dict[str, Any]:
        return {"key": self.key, "parent": self.parent, "level": self.level,
                "title": self.title, "indicators": list(self.indicators),
                "sources": list(self.sources), "assumptions": list(self.assumptions),
                "responsible_organisation_id": self.responsible_organisation_id}


@dataclass
class GoalSystem:
    """A project group's goal system: its nodes in the order given (parents before children
    once validated), a version for ``ETag``/``If-Match``, who changed it last and when."""

    group_id: uuid.UUID
    nodes: list[dict[str, Any]]
    version: int
    updated_at: datetime
    updated_by: str
    tenant_id: uuid.UUID | None = None

    @property
    def etag(self) -> str:
        return f'"goal-system-{self.version}"'


def _error(errors: list[dict[str, str]], index: int, name: str, message: str) -> None:
    errors.append({"field": f"nodes.{index}.{name}", "message": message})


def validate(nodes: list[GoalNode]) -> None:
    """Refuse a tree that breaks a rule (see the module), naming every offending field."""
    errors: list[dict[str, str]] = []
    by_key: dict[str, GoalNode] = {}
    for i, node in enumerate(nodes):
        if node.key in by_key:
            _error(errors, i, "key", "the key is used by another node")
        by_key.setdefault(node.key, node)
    principles = [i for i, n in enumerate(nodes) if n.level == PRINCIPLE]
    if not principles:
        errors.append({"field": "nodes", "message": "a goal system has one principle goal"})
    for i in principles[1:]:
        _error(errors, i, "level", "a goal system has one principle goal")
    for i, node in enumerate(nodes):
        if node.level not in LEVELS:
            _error(errors, i, "level", f"one of {', '.join(LEVELS)}")
            continue
        _check_parent(errors, i, node, by_key)
        if node.level in GOAL_LEVELS and not any(t.strip() for t in node.indicators):
            _error(errors, i, "indicators", "every goal has at least one indicator")
        if node.level == ACTIVITY and not node.responsible_organisation_id:
            _error(errors, i, "responsible_organisation_id",
                   "an activity names the organisation responsible for it")
    if errors:
        raise InvalidGoalSystem(errors)


def _check_parent(errors: list[dict[str, str]], i: int, node: GoalNode,
                  by_key: dict[str, GoalNode]) -> None:
    if node.level == PRINCIPLE:
        if node.parent is not None:
            _error(errors, i, "parent", "the principle goal is the root (no parent)")
        return
    parent = by_key.get(node.parent) if node.parent is not None else None
    if parent is None:
        _error(errors, i, "parent", "names no node of this goal system")
        return
    above = LEVELS[LEVELS.index(node.level) - 1]
    if parent.level != above:
        message = ("an activity hangs only under a result goal" if node.level == ACTIVITY
                   else f"a {node.level} goal hangs under a {above} goal")
        _error(errors, i, "level", message)


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def phrasing_warnings(nodes: list[GoalNode]) -> list[dict[str, str]]:
    """Advice on phrasing (see the module): goals as reached states, activities as
    instructions. Only unmistakable signs; never a refusal."""
    warnings = []
    for i, node in enumerate(nodes):
        text = node.title.strip()
        words = _words(text)
        field_name = f"nodes.{i}.title"
        if node.level in GOAL_LEVELS:
            if text.endswith(("!", "?")) or (words and (words[0] in IMPERATIVE_OPENINGS
                                                        or words[-1] in OBLIGATION_ENDINGS)):
                warnings.append({
                    "field": field_name, "key": node.key, "code": "goal_not_a_state",
                    "message": "a goal is phrased as a reached state, not as an instruction "
                               "or a demand",
                    "message_de": "Ziele werden als erreichte Zustände formuliert, nicht als "
                                  "Anweisung oder Forderung."})
        elif text.endswith("?") or text.lower().rstrip(".").endswith(STATE_ENDINGS):
            warnings.append({
                "field": field_name, "key": node.key, "code": "activity_not_an_instruction",
                "message": "an activity is phrased as an instruction (what is to be done)",
                "message_de": "Aktivitäten werden als Anweisungen formuliert (was zu tun ist)."})
    return warnings


def tree(nodes: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The stored flat nodes as one nested tree from the principle goal down (``children`` in
    the order given); None while there is none."""
    children: dict[str | None, list[dict[str, Any]]] = {}
    for node in nodes:
        children.setdefault(node["parent"], []).append(node)

    def nested(node: dict[str, Any]) -> dict[str, Any]:
        return {**node, "level_de": LEVEL_LABELS_DE[node["level"]],
                "children": [nested(c) for c in children.get(node["key"], [])]}

    roots = children.get(None, [])
    return nested(roots[0]) if roots else None


def activities(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [n for n in nodes if n["level"] == ACTIVITY]
