"""The handover package (Übergabe) from intake, read into the case's own copy.

Intake's ``GET /handovers/<intake_id>`` answers with the person's minimal data, the screening,
the consents and the counselling-depth history (docs/casework.md, "Opening a case"). Casework
keeps only what it needs for the case; a package it cannot read is an error of the peer, never
guessed around.
"""

from __future__ import annotations

from typing import Any

import uuid
from dataclasses import dataclass
from datetime import date

from .model import Consent, Person
from .vocabulary import CONSENT_KINDS, TOPIC_AREAS


class MalformedHandover(ValueError):
    """The package lacks what a case needs, or is not shaped as agreed."""


@dataclass(frozen=True)
class HandoverPackage:
    intake_id: str
    person: dict[str, Any]
    screening: dict[str, Any]
    consents: list[dict[str, Any]]
    counselling_history: list[dict[str, Any]]
    #: the household (Bedarfsgemeinschaft) the intake is linked to: household_id, kind,
    #: relation — or None (a package of an intake before households, or of none)
    household: dict[str, str] | None = None

    @classmethod
    def parse(cls, document: object, intake_id: str) -> HandoverPackage:
        if not isinstance(document, dict):
            raise MalformedHandover("the handover package is not a JSON object")
        person = document.get("person")
        if not isinstance(person, dict):
            raise MalformedHandover("the handover package has no person")
        if str(document.get("intake_id", intake_id)) != intake_id:
            raise MalformedHandover("the handover package is about another intake")
        name = person.get("name") or " ".join(
            p for p in (person.get("given_name"), person.get("family_name")) if p)
        if not isinstance(name, str) or not name.strip():
            raise MalformedHandover("the handover package has no name of the person")
        consents = document.get("consents") or []
        history = document.get("counselling_history") or []
        screening = document.get("screening") or {}
        if not (isinstance(consents, list) and isinstance(history, list)
                and isinstance(screening, dict)):
            raise MalformedHandover("consents, history or screening are not shaped as agreed")
        return cls(intake_id, {**person, "name": name.strip()}, screening, consents, history,
                   _household(document.get("household")))

    def person_for(self, case_id: uuid.UUID) -> Person:
        p = self.person
        contact: dict[str, Any] = p["contact"] if isinstance(p.get("contact"), dict) else {
            k: p[k] for k in ("phone", "email", "address") if p.get(k)}
        return Person(case_id=case_id, name=p["name"], date_of_birth=_date(p.get("date_of_birth")),
                      contact=dict(contact), languages=[str(x) for x in p.get("languages") or []],
                      interpreter_needed=bool(p.get("interpreter_needed")),
                      language_levels=[
                          {k: str(level[k]) for k in ("language", "level", "evidence",
                                                      "assessed_on") if level.get(k)}
                          for level in p.get("language_levels") or []
                          if isinstance(level, dict)],
                      screening=dict(self.screening),
                      counselling_history=[dict(h) for h in self.counselling_history
                                           if isinstance(h, dict)])

    def consents_for(self, case_id: uuid.UUID, today: date) -> list[Consent]:
        kept = []
        for n, c in enumerate(self.consents):
            if not isinstance(c, dict) or _kind(c.get("kind")) not in CONSENT_KINDS:
                raise MalformedHandover(f"consent {n} has no known kind")
            withdrawn_on = _date(c.get("withdrawn_on"))
            if c.get("withdrawn") and withdrawn_on is None:
                withdrawn_on = today
            kept.append(Consent(
                case_id=case_id, consent_id=str(c.get("consent_id") or c.get("id") or uuid.uuid4()),
                kind=_kind(c["kind"]), partner_org_id=str(c.get("partner_org_id") or ""),
                topic_areas=[t for t in (_topic(x) for x in c.get("topic_areas") or []) if t],
                valid_from=_date(c.get("valid_from")), valid_until=_date(c.get("valid_until")),
                withdrawn_on=withdrawn_on))
        return kept


def _date(value: object) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise MalformedHandover(f"not an ISO date: {str(value)[:20]!r}") from None


def _kind(value: object) -> str:
    text = str(value or "").lower()
    return text.removeprefix("consent_kind_")


def _topic(value: object) -> str | None:
    text = str(value or "").lower().removeprefix("topic_area_")
    return text if text in TOPIC_AREAS else None


def _household(value: object) -> dict[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not all(
            isinstance(value.get(k), str) and value.get(k) for k in (
                "household_id", "kind", "relation")):
        raise MalformedHandover("the household is not shaped as agreed")
    return {k: str(value[k])[:100] for k in ("household_id", "kind", "relation")}
