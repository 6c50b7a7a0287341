"""The coordinating office's administrative figures (issue 12; seeds 001 L109, L387; 002 L131):
the posts per building block of the state's KIM funding (FTE, filled or vacant), the funding of
each year (the application, the grant notice, the two calls of funds a year) and the forwarding
contracts (*Weiterleitungsverträge*) that pass the funds for posts on to the towns and providers,
twice a year.

Figures of the office's administration, not of people: a post has a function, an employer and
an area, never its holder's name; amounts are euros with cents. The rules here are pure: what a
valid post, year, call or contract is, and the summary the annual report shows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from lotse_platform.errors import Unprocessable

#: the building blocks of the state's funding (002 L131–L146), with their German names
BUILDING_BLOCKS: dict[str, str] = {
    "coordination": "Baustein I: Koordinierende Stelle",
    "case_management": "Baustein II: Case Management",
    "immigration_office": "Baustein III: Ausländer- und Einbürgerungsbehörde",
}

#: what a post is for (Stellenfunktion)
FUNCTIONS: dict[str, str] = {
    "coordinator": "Koordinierung",
    "assistant": "Assistenz",
    "case_manager": "Case Management",
    "immigration_office_staff": "Ausländer- und Einbürgerungsbehörde",
    "other": "sonstige",
}

#: the two calls of funds and transfers of a year (zweimal im Jahr, 001 L109)
HALVES = (1, 2)

MAX_FTE = Decimal("1.00")


class InvalidAdministration(Unprocessable):
    """What the office entered breaks a rule (422, naming each field)."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("the entry is not valid",
                         errors=[{"field": f, "message": m} for f, m in problems.items()])


def _fte(problems: dict[str, str], name: str, value: Decimal, *, least: Decimal) -> None:
    if value < least or value > MAX_FTE:
        problems[name] = f"a share of a full-time post between {least} and {MAX_FTE}"


def _period(problems: dict[str, str], start: date | None, end: date | None,
            end_name: str) -> None:
    if start is not None and end is not None and end < start:
        problems[end_name] = "before the start"


@dataclass
class Post:
    """One post (*Stelle*) of a building block: its share of a full-time post, how much of it is
    filled, where it sits (employer, town) and since / until when it is funded."""

    building_block: str
    function: str
    employer_org_id: str
    fte: Decimal
    filled_fte: Decimal
    valid_from: date
    area_id: str | None = None
    valid_until: date | None = None
    label: str = ""
    id: uuid.UUID = field(default_factory=uuid.uuid4)

    def check(self) -> None:
        problems: dict[str, str] = {}
        if self.building_block not in BUILDING_BLOCKS:
            problems["building_block"] = "one of " + ", ".join(BUILDING_BLOCKS)
        if self.function not in FUNCTIONS:
            problems["function"] = "one of " + ", ".join(FUNCTIONS)
        _fte(problems, "fte", self.fte, least=Decimal("0.01"))
        _fte(problems, "filled_fte", self.filled_fte, least=Decimal("0"))
        if "fte" not in problems and self.filled_fte > self.fte:
            problems["filled_fte"] = "more than the post's share"
        _period(problems, self.valid_from, self.valid_until, "valid_until")
        if problems:
            raise InvalidAdministration(problems)

    def funded_in(self, year: int) -> bool:
        return self.valid_from <= date(year, 12, 31) and (
            self.valid_until is None or self.valid_until >= date(year, 1, 1))

    @property
    def vacant_fte(self) -> Decimal:
        return self.fte - self.filled_fte


@dataclass
class FundCall:
    """One of the two calls of funds (*Mittelabruf*) of a year: due, called, received."""

    half: int
    due_on: date
    amount: Decimal | None = None
    called_on: date | None = None
    received_on: date | None = None

    def overdue(self, today: date) -> bool:
        """Due and not called by the end of its due day (the tenant's today)."""
        return self.called_on is None and today > self.due_on


@dataclass
class FundingYear:
    """A year's funding: the application (*Antrag*), the grant notice (*Zuwendungsbescheid*)
    with the FTE granted per building block, and its two calls of funds."""

    year: int
    applied_on: date | None = None
    requested: Decimal | None = None
    notice_on: date | None = None
    granted: Decimal | None = None
    granted_fte: dict[str, Decimal] = field(default_factory=dict)
    calls: dict[int, FundCall] = field(default_factory=dict)

    def check(self) -> None:
        problems: dict[str, str] = {}
        if not 2020 <= self.year <= 2100:
            problems["year"] = "a funding year from 2020 to 2100"
        for name in ("requested", "granted"):
            value = getattr(self, name)
            if value is not None and value < 0:
                problems[name] = "not negative"
        for block, fte in self.granted_fte.items():
            if block not in BUILDING_BLOCKS:
                problems[f"granted_fte.{block}"] = "one of " + ", ".join(BUILDING_BLOCKS)
            elif fte < 0 or fte > 1000:
                problems[f"granted_fte.{block}"] = "FTE from 0 to 1000"
        _period(problems, self.applied_on, self.notice_on, "notice_on")
        if problems:
            raise InvalidAdministration(problems)

    def record_call(self, call: FundCall) -> None:
        problems: dict[str, str] = {}
        if call.half not in HALVES:
            problems["half"] = "1 or 2"
        if call.due_on.year != self.year:
            problems["due_on"] = f"a day of {self.year}"
        if call.amount is not None and call.amount < 0:
            problems["amount"] = "not negative"
        if call.received_on is not None and call.called_on is None:
            problems["received_on"] = "received before it was called"
        _period(problems, call.called_on, call.received_on, "received_on")
        if problems:
            raise InvalidAdministration(problems)
        self.calls[call.half] = call


@dataclass
class ForwardingContract:
    """A forwarding contract (*Weiterleitungsvertrag*, 001 L109, 002 L251): the county passes
    the funds of posts of one building block on to a town or a provider for a year, in two
    transfers."""

    year: int
    recipient_org_id: str
    building_block: str
    fte: Decimal
    amount: Decimal
    signed_on: date | None = None
    transfers: dict[int, date] = field(default_factory=dict)
    id: uuid.UUID = field(default_factory=uuid.uuid4)

    def check(self) -> None:
        problems: dict[str, str] = {}
        if self.building_block not in BUILDING_BLOCKS:
            problems["building_block"] = "one of " + ", ".join(BUILDING_BLOCKS)
        if self.fte <= 0 or self.fte > 1000:
            problems["fte"] = "FTE above 0, at most 1000"
        if self.amount < 0:
            problems["amount"] = "not negative"
        for half, day in self.transfers.items():
            if half not in HALVES:
                problems[f"transfers.{half}"] = "1 or 2"
            elif self.signed_on is not None and day < self.signed_on:
                problems[f"transfers.{half}"] = "before the contract was signed"
        if problems:
            raise InvalidAdministration(problems)


def _sum(values: Any) -> Decimal:
    return sum(values, Decimal("0"))


def summary(year: int, posts: list[Post], funding: FundingYear | None,
            contracts: list[ForwardingContract], today: date) -> dict[str, Any]:
    """The office's administrative figures of ``year`` as the annual report shows them: per
    building block the posts funded that year (FTE, filled, vacant) against the FTE granted,
    the funding (requested, granted, called, received; calls overdue) and the funds forwarded
    (contracted, transferred, transfers outstanding)."""
    funded = [p for p in posts if p.funded_in(year)]
    blocks = []
    for block, name in BUILDING_BLOCKS.items():
        mine = [p for p in funded if p.building_block == block]
        blocks.append({
            "building_block": block, "name": name, "posts": len(mine),
            "fte": _sum(p.fte for p in mine), "filled_fte": _sum(p.filled_fte for p in mine),
            "vacant_fte": _sum(p.vacant_fte for p in mine),
            "granted_fte": funding.granted_fte.get(block) if funding else None,
        })
    calls = sorted(funding.calls.values(), key=lambda c: c.half) if funding else []
    forwarded = []
    for contract in sorted(contracts, key=lambda c: (c.recipient_org_id, c.building_block)):
        forwarded.append({
            "recipient_org_id": contract.recipient_org_id,
            "building_block": contract.building_block, "fte": contract.fte,
            "amount": contract.amount, "signed_on": contract.signed_on,
            "transfers_done": sorted(contract.transfers),
            "transfers_outstanding": [h for h in HALVES if h not in contract.transfers],
        })
    return {
        "year": year,
        "posts": blocks,
        "funding": {
            "applied_on": funding.applied_on if funding else None,
            "requested": funding.requested if funding else None,
            "notice_on": funding.notice_on if funding else None,
            "granted": funding.granted if funding else None,
            "called": _sum(c.amount or 0 for c in calls if c.called_on),
            "received": _sum(c.amount or 0 for c in calls if c.received_on),
            "calls": [{"half": c.half, "due_on": c.due_on, "amount": c.amount,
                       "called_on": c.called_on, "received_on": c.received_on,
                       "overdue": c.overdue(today)} for c in calls],
        },
        "forwarded": forwarded,
        "forwarded_total": _sum(c.amount for c in contracts),
    }
