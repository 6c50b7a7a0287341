"""Target groups (*Zielgruppen*, DOMAIN.md §2): set by the steering group per county, optionally
per municipality, possibly time-limited — and checkable by machine where the decision allows.

A group's :class:`Conditions` refer to facts recorded at screening (:class:`ScreeningFacts`):
residence status, age, years in Germany, unaccompanied minor at entry, region of origin, a
multiple support need established by a named specialised counselling service, social
disadvantage, arrival in the county, the household, and the §4 TIIntG definition of an
international family history.
All conditions a group sets must hold; a fact that was not recorded never satisfies one. The
case manager may still confirm or override the result with a note (see ``Intake.complete_screening``).

Examples (tests and demo data): Mettmann's five groups, the fifth valid 2023-05-10 – 2024-12-31;
Höxter's groups per town.
"""

from __future__ import annotations

from typing import Any

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from .errors import InvalidField
from .vocabulary import Household, RegionOfOrigin, ResidenceStatus

#: §4 TIIntG NRW: immigrated "nach dem 31. Dezember 1995" (001 L117)
TIINTG_IMMIGRATED_AFTER = date(1995, 12, 31)


def age_on(date_of_birth: date, day: date) -> int:
    """Completed years of life on ``day``."""
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - (1 if before_birthday else 0)


@dataclass(frozen=True)
class ScreeningFacts:
    """Facts for the target-group check. Special-category data (residence, origin): they stay
    in intake, are read and written under audit, and never appear in an event."""

    residence_statuses: tuple[ResidenceStatus, ...] = ()
    stated_age: int | None = None  # only when the date of birth is not known
    arrived_in_germany_on: date | None = None
    unaccompanied_minor_at_entry: bool | None = None
    region_of_origin: RegionOfOrigin | None = None
    multiple_support_need_established: bool | None = None  # by a Fachberatungsstelle …
    #: … this one (an organisation of identity's directory, checked: ADR 0054)
    multiple_support_need_established_by: str | None = None
    disadvantaged: bool | None = None  # the case manager's assessment (benachteiligt)
    arrived_in_county_on: date | None = None  # came to the county (Zuzug in den Kreis)
    household: Household | None = None
    born_abroad: bool | None = None  # outside today's Germany (§4 TIIntG no. 2)
    parent_immigrated_after_1995: bool | None = None  # a parent meets §4 no. 2 (no. 3)

    def international_family_history(self) -> bool:
        """§4 TIIntG NRW (001 L115–118): not German (Art. 116 (1) GG), or born abroad and
        immigrated after 31 Dec 1995, or a parent who was. A fact not recorded satisfies none."""
        not_german = (bool(self.residence_statuses)
                      and ResidenceStatus.GERMAN_CITIZEN not in self.residence_statuses)
        immigrated = (self.born_abroad is True and self.arrived_in_germany_on is not None
                      and self.arrived_in_germany_on > TIINTG_IMMIGRATED_AFTER)
        return not_german or immigrated or self.parent_immigrated_after_1995 is True

    def as_dict(self) -> dict[str, Any]:
        return {
            "multiple_support_need_established_by": self.multiple_support_need_established_by,
            "arrived_in_county_on": (self.arrived_in_county_on.isoformat()
                                     if self.arrived_in_county_on else None),
            "household": str(self.household) if self.household else None,
            "born_abroad": self.born_abroad,
            "parent_immigrated_after_1995": self.parent_immigrated_after_1995,
            "residence_statuses": [str(s) for s in self.residence_statuses],
            "stated_age": self.stated_age,
            "arrived_in_germany_on": (self.arrived_in_germany_on.isoformat()
                                      if self.arrived_in_germany_on else None),
            "unaccompanied_minor_at_entry": self.unaccompanied_minor_at_entry,
            "region_of_origin": str(self.region_of_origin) if self.region_of_origin else None,
            "multiple_support_need_established": self.multiple_support_need_established,
            "disadvantaged": self.disadvantaged,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> ScreeningFacts:
        data = data or {}
        arrived = data.get("arrived_in_germany_on")
        region = data.get("region_of_origin")
        county = data.get("arrived_in_county_on")
        household = data.get("household")
        return cls(
            multiple_support_need_established_by=data.get("multiple_support_need_established_by"),
            arrived_in_county_on=date.fromisoformat(county) if county else None,
            household=Household(household) if household else None,
            born_abroad=data.get("born_abroad"),
            parent_immigrated_after_1995=data.get("parent_immigrated_after_1995"),
            residence_statuses=tuple(ResidenceStatus(s) for s in data.get("residence_statuses") or ()),
            stated_age=data.get("stated_age"),
            arrived_in_germany_on=date.fromisoformat(arrived) if arrived else None,
            unaccompanied_minor_at_entry=data.get("unaccompanied_minor_at_entry"),
            region_of_origin=RegionOfOrigin(region) if region else None,
            multiple_support_need_established=data.get("multiple_support_need_established"),
            disadvantaged=data.get("disadvantaged"),
        )


@dataclass(frozen=True)
class Conditions:
    """What a person must fulfil to belong to a group. Unset conditions do not restrict."""

    residence_statuses: tuple[ResidenceStatus, ...] = ()  # any of them
    min_age: int | None = None  # inclusive, completed years on the screening date
    max_age: int | None = None  # inclusive
    years_in_germany_under: int | None = None  # fewer than this many years since arrival
    unaccompanied_minor_at_entry: bool = False  # True: required
    regions_of_origin: tuple[RegionOfOrigin, ...] = ()  # any of them
    multiple_support_need_established: bool = False  # True: required, by a named service
    disadvantaged: bool = False  # True: required
    arrived_in_county_since: date | None = None  # came to the county on or after this day
    households: tuple[Household, ...] = ()  # any of them
    international_family_history: bool = False  # True: §4 TIIntG required

    def __post_init__(self) -> None:
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise InvalidField("conditions.max_age", "must not be below min_age")

    def is_empty(self) -> bool:
        return self == Conditions()

    def hold_for(self, facts: ScreeningFacts, age: int | None, day: date) -> bool:
        if self.residence_statuses and not set(self.residence_statuses) & set(facts.residence_statuses):
            return False
        if self.min_age is not None and (age is None or age < self.min_age):
            return False
        if self.max_age is not None and (age is None or age > self.max_age):
            return False
        if self.years_in_germany_under is not None:
            arrived = facts.arrived_in_germany_on
            if arrived is None or age_on(arrived, day) >= self.years_in_germany_under:
                return False
        if self.unaccompanied_minor_at_entry and facts.unaccompanied_minor_at_entry is not True:
            return False
        if self.regions_of_origin and facts.region_of_origin not in self.regions_of_origin:
            return False
        if self.multiple_support_need_established and not (
                facts.multiple_support_need_established is True
                and facts.multiple_support_need_established_by):
            return False
        if self.arrived_in_county_since is not None and (
                facts.arrived_in_county_on is None
                or facts.arrived_in_county_on < self.arrived_in_county_since):
            return False
        if self.households and facts.household not in self.households:
            return False
        if self.international_family_history and not facts.international_family_history():
            return False
        if self.disadvantaged and facts.disadvantaged is not True:
            return False
        return True

    def as_dict(self) -> dict[str, Any]:
        return {
            "residence_statuses": [str(s) for s in self.residence_statuses],
            "min_age": self.min_age,
            "max_age": self.max_age,
            "years_in_germany_under": self.years_in_germany_under,
            "unaccompanied_minor_at_entry": self.unaccompanied_minor_at_entry,
            "regions_of_origin": [str(r) for r in self.regions_of_origin],
            "multiple_support_need_established": self.multiple_support_need_established,
            "disadvantaged": self.disadvantaged,
            "arrived_in_county_since": (self.arrived_in_county_since.isoformat()
                                        if self.arrived_in_county_since else None),
            "households": [str(h) for h in self.households],
            "international_family_history": self.international_family_history,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Conditions:
        data = data or {}
        since = data.get("arrived_in_county_since")
        return cls(
            arrived_in_county_since=date.fromisoformat(since) if since else None,
            households=tuple(Household(h) for h in data.get("households") or ()),
            international_family_history=bool(data.get("international_family_history")),
            residence_statuses=tuple(ResidenceStatus(s) for s in data.get("residence_statuses") or ()),
            min_age=data.get("min_age"),
            max_age=data.get("max_age"),
            years_in_germany_under=data.get("years_in_germany_under"),
            unaccompanied_minor_at_entry=bool(data.get("unaccompanied_minor_at_entry")),
            regions_of_origin=tuple(RegionOfOrigin(r) for r in data.get("regions_of_origin") or ()),
            multiple_support_need_established=bool(data.get("multiple_support_need_established")),
            disadvantaged=bool(data.get("disadvantaged")),
        )


@dataclass
class TargetGroup:
    """A target group of the tenant; ``area_ids`` empty means the whole tenant."""

    name: str
    conditions: Conditions
    valid_from: date
    valid_until: date | None = None
    area_ids: list[str] = field(default_factory=list)
    description: str | None = None
    steering_decision_ref: str | None = None  # e.g. "Lenkungsgruppe 2023-05-10, TOP 3"
    created_by: str | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    tenant_id: uuid.UUID | None = None

    @classmethod
    def define(cls, name: str, conditions: Conditions, valid_from: date, *,
               valid_until: date | None = None, area_ids: list[str] | None = None,
               description: str | None = None, steering_decision_ref: str | None = None,
               created_by: str | None = None, id: uuid.UUID | None = None) -> TargetGroup:
        if not name.strip():
            raise InvalidField("name", "a target group needs a name")
        if valid_until is not None and valid_until < valid_from:
            raise InvalidField("valid_until", "must not be before valid_from")
        return cls(name=name.strip(), conditions=conditions, valid_from=valid_from,
                   valid_until=valid_until, area_ids=sorted(set(area_ids or [])),
                   description=description, steering_decision_ref=steering_decision_ref,
                   created_by=created_by, id=id or uuid.uuid4())

    def end(self, valid_until: date) -> None:
        """The steering group ended (or extended) the group."""
        if valid_until < self.valid_from:
            raise InvalidField("valid_until", "must not be before valid_from")
        self.valid_until = valid_until

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def applies_to(self, area_id: str) -> bool:
        return not self.area_ids or area_id in self.area_ids

    def admits(self, area_id: str, day: date) -> bool:
        """The group can be used for a person of ``area_id`` on ``day`` (scope and validity)."""
        return self.applies_to(area_id) and self.is_valid_on(day)

    def matches(self, facts: ScreeningFacts, age: int | None, area_id: str, day: date) -> bool:
        return self.admits(area_id, day) and self.conditions.hold_for(facts, age, day)


def matching_groups(groups: list[TargetGroup], facts: ScreeningFacts, age: int | None,
                    area_id: str, day: date) -> list[str]:
    """Ids of the groups the person falls into on ``day``, in a stable order."""
    return sorted(str(g.id) for g in groups if g.matches(facts, age, area_id, day))
