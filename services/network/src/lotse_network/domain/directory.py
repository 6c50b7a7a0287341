"""The referral network's directory in the Open Referral HSDS 3.0 vocabulary (ADR 0083): the
partners (``organization``), the services they offer (``service``), where (``location``,
``service_at_location``), for whom (eligibility: target groups, age), in which languages
(``language``), in which municipalities (``service_area``), when (``schedule``: weekly opening
hours) and whom to call (``contact``: a role or department, never a client).

Organisational data only: nothing here is about a person. No SQLAlchemy, Flask or kombu here.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime

from lotse_platform.errors import Conflict, Forbidden, Unprocessable

from .vocabulary import LEGAL_AREAS, OWN_CASE_MANAGEMENT, SERVICE_KINDS, TOPIC_AREAS

#: HSDS ``service.status``; the directory keeps the two a referral can act on
SERVICE_STATUSES = ("active", "inactive")
#: HSDS ``location.location_type``
LOCATION_TYPES = ("physical", "postal", "virtual")
#: HSDS ``schedule.byday`` / ``wkst`` codes (RFC 5545), Monday first like the German week
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_LABELS = {"MO": "Montag", "TU": "Dienstag", "WE": "Mittwoch", "TH": "Donnerstag",
                  "FR": "Freitag", "SA": "Samstag", "SU": "Sonntag"}
STATUS_LABELS = {"active": "aktiv", "inactive": "inaktiv"}

_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_CLOSING_TIME = re.compile(r"^(([01]\d|2[0-3]):[0-5]\d|24:00)$")
MAX_AGE = 120


def invalid(problems: Sequence[tuple[str, str]]) -> Unprocessable:
    """One 422 problem naming every offending field."""
    return Unprocessable("the directory entry is not valid",
                         errors=[{"field": f, "message": m} for f, m in problems])


# -- value objects of a service ---------------------------------------------------------------------
@dataclass(frozen=True)
class Schedule:
    """Weekly opening hours (HSDS ``schedule`` with ``freq`` WEEKLY, one ``byday``): open on
    ``weekday`` from ``opens_at`` until ``closes_at`` (``HH:MM``, the tenant's local time;
    ``24:00`` is the end of the day), within the optional validity."""

    weekday: str
    opens_at: str
    closes_at: str
    valid_from: date | None = None
    valid_to: date | None = None
    location_id: uuid.UUID | None = None
    description: str | None = None

    def is_open(self, local: datetime) -> bool:
        """Open at the tenant's local wall-clock time ``local``."""
        day = local.date()
        if self.valid_from is not None and day < self.valid_from:
            return False
        if self.valid_to is not None and day > self.valid_to:
            return False
        return (WEEKDAYS[local.weekday()] == self.weekday
                and self.opens_at <= local.strftime("%H:%M") < self.closes_at)


@dataclass(frozen=True)
class Contact:
    """Whom to reach for the service (HSDS ``contact`` with its ``phone``): a role or
    department of the organisation — organisational contact data, never a client."""

    title: str | None = None
    department: str | None = None
    phone: str | None = None
    email: str | None = None


# -- the entries -------------------------------------------------------------------------------------
@dataclass
class Organization:
    """A partner of the network (HSDS ``organization``). ``identity_org_id`` links it to the
    Lotse organisation whose users maintain it; a partner without Lotse users (a language-course
    provider, a school, a volunteer group) has none and is kept by the coordinating office."""

    name: str
    description: str
    identity_org_id: str | None = None
    email: str | None = None
    website: str | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    version: int = 1
    updated_at: datetime | None = None
    updated_by: str | None = None


@dataclass
class Location:
    """Where a service is offered (HSDS ``location`` with one physical ``address``);
    ``municipality_id`` is the identity area (town) it lies in."""

    organization_id: uuid.UUID
    name: str
    address_1: str
    postal_code: str
    city: str
    municipality_id: str
    location_type: str = "physical"
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    version: int = 1
    updated_at: datetime | None = None
    updated_by: str | None = None


@dataclass
class DirectoryService:
    """A service of the directory (HSDS ``service``) with its taxonomy terms (kind, topic and
    legal areas), eligibility, fees, languages, service areas, locations, schedules and
    contacts."""

    organization_id: uuid.UUID
    name: str
    description: str
    kind: str
    status: str = "active"
    topic_areas: tuple[str, ...] = ()
    legal_areas: tuple[str, ...] = ()
    fees_description: str | None = None
    target_group_ids: tuple[str, ...] = ()
    minimum_age: int | None = None
    maximum_age: int | None = None
    languages: tuple[str, ...] = ()
    service_area_ids: tuple[str, ...] = ()
    location_ids: tuple[uuid.UUID, ...] = ()
    schedules: tuple[Schedule, ...] = ()
    contacts: tuple[Contact, ...] = ()
    url: str | None = None
    email: str | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    version: int = 1
    updated_at: datetime | None = None
    updated_by: str | None = None

    @property
    def own_case_management(self) -> bool:
        """Runs its own case management (SGB II, III, VIII, XII, residence law): it gets a
        referral, never a takeover (DOMAIN.md §5)."""
        return bool(set(self.legal_areas) & set(OWN_CASE_MANAGEMENT))

    @property
    def active(self) -> bool:
        return self.status == "active"

    def is_open(self, local: datetime) -> bool:
        return any(s.is_open(local) for s in self.schedules)

    def validate(self) -> DirectoryService:
        """Refuse (422 naming each field) what the directory cannot hold."""
        problems: list[tuple[str, str]] = []
        if self.kind not in SERVICE_KINDS:
            problems.append(("kind", f"one of {', '.join(SERVICE_KINDS)}"))
        if self.status not in SERVICE_STATUSES:
            problems.append(("status", "active or inactive"))
        problems += _codes("topic_areas", self.topic_areas, TOPIC_AREAS)
        problems += _codes("legal_areas", self.legal_areas, LEGAL_AREAS)
        for name in ("minimum_age", "maximum_age"):
            age = getattr(self, name)
            if age is not None and not 0 <= age <= MAX_AGE:
                problems.append((name, f"an age from 0 to {MAX_AGE}"))
        if (self.minimum_age is not None and self.maximum_age is not None
                and self.minimum_age > self.maximum_age):
            problems.append(("maximum_age", "must not be below minimum_age"))
        for i, s in enumerate(self.schedules):
            where = f"schedules.{i}"
            if s.weekday not in WEEKDAYS:
                problems.append((f"{where}.weekday", f"one of {', '.join(WEEKDAYS)}"))
            if not _TIME.match(s.opens_at):
                problems.append((f"{where}.opens_at", "a time HH:MM"))
            if not _CLOSING_TIME.match(s.closes_at):
                problems.append((f"{where}.closes_at", "a time HH:MM (24:00: end of the day)"))
            elif _TIME.match(s.opens_at) and s.closes_at <= s.opens_at:
                problems.append((f"{where}.closes_at", "must be after opens_at"))
            if s.valid_from and s.valid_to and s.valid_to < s.valid_from:
                problems.append((f"{where}.valid_to", "must not be before valid_from"))
            if s.location_id is not None and s.location_id not in self.location_ids:
                problems.append((f"{where}.location_id", "one of the service's location_ids"))
        for i, c in enumerate(self.contacts):
            if not (c.phone or c.email):
                problems.append((f"contacts.{i}", "a contact needs a phone or an email"))
        if problems:
            raise invalid(problems)
        return self

    def changed_fields(self, other: DirectoryService) -> list[str]:
        """The fields of the entry that differ from ``other`` (names, for the event)."""
        skip = {"id", "version", "updated_at", "updated_by"}
        return [f.name for f in fields(self)
                if f.name not in skip and getattr(self, f.name) != getattr(other, f.name)]


def _codes(name: str, values: Iterable[str], allowed: Sequence[str]) -> list[tuple[str, str]]:
    unknown = [v for v in values if v not in allowed]
    return [(name, f"unknown code(s) {', '.join(sorted(unknown))}")] if unknown else []


def revise(current: DirectoryService, new: DirectoryService, by: str | None,
           at: datetime) -> DirectoryService:
    """``new`` as the next version of ``current`` (same id)."""
    return replace(new, id=current.id, version=current.version + 1, updated_at=at,
                   updated_by=by)


class IdUsedElsewhere(Conflict):
    """409: an entry's id is another county's (ids are global; an HSDS import names them)."""

    type_suffix = "directory-id-in-use"

    def __init__(self, table: str) -> None:
        # the id is not repeated: another county's, it is none of this caller's business
        super().__init__(
            "an id of this entry is used by another county's directory; give the entry a new id",
            errors=[{"field": "id", "message": f"the id of an {table.removeprefix('directory_')}"
                                              " is another county's"}])


# -- who maintains what ------------------------------------------------------------------------------
class NotYourEntry(Forbidden):
    """An organisation's administrator edits only her organisation's entries (403)."""

    def __init__(self) -> None:
        super().__init__("only the coordinating office and the organisation's own "
                         "administrator edit this directory entry")


def may_maintain(*, tenant_wide: bool, caller_org: str | None,
                 entry_org: Organization | None) -> bool:
    """The coordinating office edits every entry of its county; an organisation's
    administrator only the entries of the directory organisation linked to her organisation."""
    if tenant_wide:
        return True
    return (entry_org is not None and entry_org.identity_org_id is not None
            and entry_org.identity_org_id == caller_org)


# -- search ------------------------------------------------------------------------------------------
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class ServiceSearch:
    """What a case manager asks for in a conversation (all optional, combined with AND)."""

    q: str | None = None
    topic_area: str | None = None
    area_id: str | None = None
    language: str | None = None
    target_group_id: str | None = None
    kind: str | None = None
    #: the tenant's local wall-clock time to be open at (``open_now``), or None
    open_at: datetime | None = None
    include_inactive: bool = False
    limit: int = 20
    offset: int = 0


@dataclass(frozen=True)
class ServicePage:
    items: list[DirectoryService]
    total: int
    limit: int
    offset: int

    @property
    def next_offset(self) -> int | None:
        following = self.offset + len(self.items)
        return following if following < self.total else None


# -- commands (the actor is the unit of work's principal) -------------------------------------------
@dataclass(frozen=True)
class SaveOrganization:
    """Create (``organization_id`` None) or replace a directory organisation."""

    draft: Organization
    organization_id: uuid.UUID | None = None


@dataclass(frozen=True)
class SaveLocation:
    draft: Location
    location_id: uuid.UUID | None = None


@dataclass(frozen=True)
class SaveService:
    draft: DirectoryService
    service_id: uuid.UUID | None = None


@dataclass(frozen=True)
class SetPublicDirectory:
    """The coordinating office switches the tenant's public directory API on or off."""

    public_api: bool


@dataclass
class DirectorySettings:
    """Per tenant: whether the read-only public directory API answers (off by default)."""

    public_api: bool = False
    updated_at: datetime | None = None
    updated_by: str | None = None
