"""Reading an HSDS 3.0 document back into the directory (ADR 0088): Lotse's own rules on top of
HSDS's schema — what the directory can hold (one address per location, weekly hours, one phone
per contact, exactly one kind of service, Lotse's taxonomy terms), and no person's name in a
contact. Every rejected object becomes a :class:`Rejection` naming its table, its place in the
document, its id, the field and why; the caller writes nothing unless there are none.

The document has passed HSDS's schema where this module reads it: an entry (organisation,
location, service) the schema rejected is reported by the schema and not read here. What the
directory does not keep (HSDS fields Lotse has no use for, attributes of other taxonomies) is
left out; ``own_case_management`` is derived from the legal areas and not read. No SQLAlchemy,
Flask or kombu here.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lotse_platform.errors import Unprocessable

from .directory import (
    MAX_AGE,
    WEEKDAYS,
    Contact,
    DirectoryService,
    Location,
    Organization,
    Schedule,
)
from .hsds_terms import (
    AREA_CODE,
    AREA_URI_PREFIX,
    CASE_MANAGEMENT_TAXONOMY,
    IDENTITY_SCHEME,
    LEGAL_AREA_TAXONOMY,
    LOTSE_TAXONOMIES,
    SERVICE_KIND_TAXONOMY,
    TARGET_GROUP_CODE,
    TERMS_BY_ID,
    TOPIC_AREA_TAXONOMY,
)

Path = tuple[str | int, ...]

_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_POSTAL_CODE = re.compile(r"^[0-9A-Za-z -]{3,10}$")
_PHONE = re.compile(r"^\+?[0-9 ()/-]{3,40}$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                   r"[0-9a-fA-F]{12}$")
_HOURS = re.compile(r"^(([01]\d|2[0-3]):[0-5]\d|24:00)(:00)?$")
#: schedule fields of recurrences other than weekly hours, which the directory cannot hold
_NOT_WEEKLY = ("dtstart", "until", "count", "byweekno", "bymonthday", "byyearday")


def pointer(path: Path) -> str:
    """The JSON pointer (RFC 6901) of ``path``."""
    return "".join(f"/{str(p).replace('~', '~0').replace('/', '~1')}" for p in path)


@dataclass(frozen=True)
class Rejection:
    """One rejected object of an import: its HSDS table, where it is (a JSON pointer), its id
    (``row``), the field and the reason."""

    table: str | None
    path: str
    row: str | None
    field: str | None
    reason: str

    def as_error(self) -> dict[str, Any]:
        # ``message`` as every problem document of the platform names it, ``reason`` as the
        # issue does: the same text
        return {"table": self.table, "path": self.path, "row": self.row, "field": self.field,
                "reason": self.reason, "message": self.reason}


class ImportRejected(Unprocessable):
    """422: the file has rejected rows; nothing was changed."""

    type_suffix = "hsds-import-rejected"

    def __init__(self, rejections: Sequence[Rejection]) -> None:
        super().__init__(f"{len(rejections)} row(s) of the HSDS file are rejected; nothing was "
                         "changed", errors=[r.as_error() for r in rejections])


@dataclass(frozen=True)
class Reference:
    """An id of another service the import names (an area, an organisation), to be checked
    against the replica, with where it was named."""

    kind: str
    id: str
    table: str
    path: str
    row: str | None
    field: str


@dataclass
class ImportPlan:
    """What the file holds, read as directory entries, and what is left to check against the
    tenant's data (references, service locations not in the file)."""

    organizations: list[Organization] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    services: list[DirectoryService] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    #: (service's path, its id, the index, the location id) of each service_at_location
    placements: list[tuple[str, str, int, uuid.UUID]] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


class _Entry:
    """The rejections of one object being read."""

    def __init__(self, plan: ImportPlan, table: str, path: Path, obj: Mapping[str, Any]):
        self.plan, self.table, self.path = plan, table, pointer(path)
        self.row = obj.get("id") if isinstance(obj.get("id"), str) else None
        self.failed = False

    def reject(self, name: str | None, reason: str, path: str | None = None) -> None:
        self.failed = True
        self.plan.rejections.append(Rejection(self.table, path or self.path, self.row, name,
                                              reason))

    def refer(self, kind: str, ref_id: str, name: str) -> None:
        self.plan.references.append(Reference(kind, ref_id, self.table, self.path, self.row,
                                              name))

    def text(self, obj: Mapping[str, Any], name: str, limit: int, *, required: bool = False
             ) -> str | None:
        value = obj.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.reject(name, "the directory needs this field")
            return None
        if len(value) > limit:
            self.reject(name, f"at most {limit} characters")
        return str(value)


def read_document(document: Sequence[Mapping[str, Any]], schema_failed: Iterable[Path]
                  ) -> ImportPlan:
    """The directory entries of a document that passed HSDS's schema, except the entries the
    schema rejected (``schema_failed``: the paths of the objects with schema errors)."""
    failed = list(schema_failed)

    def tainted(path: Path, *, own_only: bool = False) -> bool:
        for p in failed:
            if p[:len(path)] == path and not (
                    own_only and len(p) > len(path) and p[len(path)] in ("locations",
                                                                         "services")):
                return True
        return False

    plan = ImportPlan()
    seen: dict[tuple[str, str], str] = {}
    for i, org in _objects(document):
        org_path: Path = (i,)
        if not tainted(org_path, own_only=True):
            _organization(plan, org_path, org, seen)
        for j, loc in _objects(org.get("locations")):
            if not tainted((i, "locations", j)):
                _location(plan, (i, "locations", j), loc, org.get("id"), seen)
        for j, svc in _objects(org.get("services")):
            if not tainted((i, "services", j)):
                _service(plan, (i, "services", j), svc, org.get("id"), seen)
    return plan


def _objects(value: Any) -> Iterable[tuple[int, Mapping[str, Any]]]:
    """The objects of a list (what is not one, the schema has reported)."""
    if isinstance(value, list):
        yield from ((i, obj) for i, obj in enumerate(value) if isinstance(obj, dict))


def _unique(entry: _Entry, seen: dict[tuple[str, str], str], obj: Mapping[str, Any]) -> None:
    key = (entry.table, str(obj["id"]).lower())
    if key in seen:
        entry.reject("id", f"the same id as {seen[key]}")
    else:
        seen[key] = entry.path


def _owner(entry: _Entry, obj: Mapping[str, Any], owner_id: Any) -> None:
    if obj.get("organization_id") not in (None, owner_id):
        entry.reject("organization_id", "not the organization it is nested in")


def _organization(plan: ImportPlan, path: Path, obj: Mapping[str, Any],
                  seen: dict[tuple[str, str], str]) -> None:
    entry = _Entry(plan, "organization", path, obj)
    _unique(entry, seen, obj)
    name = entry.text(obj, "name", 200, required=True)
    description = entry.text(obj, "description", 4000, required=True)
    email = entry.text(obj, "email", 254)
    website = entry.text(obj, "website", 500)
    links = [x for x in obj.get("organization_identifiers") or ()
             if x.get("identifier_scheme") == IDENTITY_SCHEME]
    if len(links) > 1:
        entry.reject("organization_identifiers", f"at most one identifier of the scheme "
                                                 f"{IDENTITY_SCHEME}")
    identity_org_id = links[0]["identifier"] if links else None
    if identity_org_id:
        entry.refer("organisation", identity_org_id, "organization_identifiers")
    if not entry.failed and name and description:
        plan.organizations.append(Organization(
            name=name, description=description, identity_org_id=identity_org_id, email=email,
            website=website, id=uuid.UUID(obj["id"])))


def _location(plan: ImportPlan, path: Path, obj: Mapping[str, Any], owner_id: Any,
              seen: dict[tuple[str, str], str]) -> None:
    entry = _Entry(plan, "location", path, obj)
    _unique(entry, seen, obj)
    _owner(entry, obj, owner_id)
    name = entry.text(obj, "name", 200, required=True)
    addresses = obj.get("addresses") or []
    address: Mapping[str, Any] = {}
    if len(addresses) != 1:
        entry.reject("addresses", "the directory keeps exactly one address of a location")
    else:
        address = addresses[0]
        if len(address["address_1"]) > 200:
            entry.reject("addresses.0.address_1", "at most 200 characters")
        if not _POSTAL_CODE.match(address["postal_code"]):
            entry.reject("addresses.0.postal_code", "a postal code")
        if len(address["city"]) > 100:
            entry.reject("addresses.0.city", "at most 100 characters")
    towns = []
    for attribute in obj.get("attributes") or ():
        term = TERMS_BY_ID.get(attribute.get("taxonomy_term_id", ""))
        if term is not None and term.code == AREA_CODE:
            towns.append(attribute.get("value"))
        elif term is not None or _lotse_taxonomy(attribute):
            entry.reject("attributes", "a location carries only the term "
                                       f"{AREA_CODE} of Lotse's taxonomy")
    if len(towns) != 1 or not towns[0]:
        entry.reject("attributes", f"exactly one attribute {AREA_CODE} whose value is the town "
                                   "(area id) the location lies in")
    else:
        entry.refer("area", towns[0], "attributes")
    if not entry.failed and name and address:
        plan.locations.append(Location(
            organization_id=uuid.UUID(owner_id), name=name, address_1=address["address_1"],
            postal_code=address["postal_code"], city=address["city"],
            municipality_id=towns[0], location_type=obj["location_type"],
            id=uuid.UUID(obj["id"])))


def _lotse_taxonomy(attribute: Mapping[str, Any]) -> bool:
    term = attribute.get("taxonomy_term") or {}
    return term.get("taxonomy") in LOTSE_TAXONOMIES


def _age(entry: _Entry, obj: Mapping[str, Any], name: str) -> int | None:
    value = obj.get(name)
    if value is None:
        return None
    if value != int(value) or not 0 <= value <= MAX_AGE:
        entry.reject(name, f"a whole age from 0 to {MAX_AGE}")
        return None
    return int(value)


def _service(plan: ImportPlan, path: Path, obj: Mapping[str, Any], owner_id: Any,
             seen: dict[tuple[str, str], str]) -> None:
    entry = _Entry(plan, "service", path, obj)
    _unique(entry, seen, obj)
    _owner(entry, obj, owner_id)
    name = entry.text(obj, "name", 200, required=True)
    description = entry.text(obj, "description", 4000, required=True)
    fees = entry.text(obj, "fees_description", 1000)
    url = entry.text(obj, "url", 500)
    email = entry.text(obj, "email", 254)
    # HSDS's defunct and temporarily closed are inactive for a referral (ADR 0083)
    status = "active" if obj["status"] == "active" else "inactive"
    languages = []
    for k, language in enumerate(obj.get("languages") or ()):
        code = language.get("code")
        if not code or not _LANGUAGE.match(code):
            entry.reject(f"languages.{k}.code", "a language tag such as 'ar', 'ti' or 'fa-AF'")
        else:
            languages.append(code)
    areas = []
    for k, area in enumerate(obj.get("service_areas") or ()):
        uri = area.get("uri") or ""
        if not uri.startswith(AREA_URI_PREFIX) or len(uri) == len(AREA_URI_PREFIX):
            entry.reject(f"service_areas.{k}.uri", f"{AREA_URI_PREFIX} and the id of an area "
                                                   "of the county")
        else:
            areas.append(uri[len(AREA_URI_PREFIX):])
            entry.refer("area", areas[-1], f"service_areas.{k}.uri")
    location_ids = []
    for k, placed in enumerate(obj.get("service_at_locations") or ()):
        if not placed.get("location_id"):
            entry.reject(f"service_at_locations.{k}.location_id", "the directory needs this "
                                                                  "field")
        else:
            location_ids.append(uuid.UUID(placed["location_id"]))
            plan.placements.append((entry.path, entry.row or "", k, location_ids[-1]))
    schedules = [s for k, raw in enumerate(obj.get("schedules") or ())
                 if (s := _schedule(entry, k, raw)) is not None]
    contacts = [c for k, raw in enumerate(obj.get("contacts") or ())
                if (c := _contact(entry, k, raw)) is not None]
    facets = _facets(entry, obj.get("attributes") or ())
    minimum_age, maximum_age = _age(entry, obj, "minimum_age"), _age(entry, obj, "maximum_age")
    if entry.failed or not (name and description):
        return
    service = DirectoryService(
        organization_id=uuid.UUID(owner_id), name=name, description=description,
        kind=facets["kind"][0], status=status, topic_areas=tuple(facets["topic_areas"]),
        legal_areas=tuple(facets["legal_areas"]), fees_description=fees,
        target_group_ids=tuple(facets["target_group_ids"]), minimum_age=minimum_age,
        maximum_age=maximum_age, languages=tuple(dict.fromkeys(languages)),
        service_area_ids=tuple(dict.fromkeys(areas)),
        location_ids=tuple(dict.fromkeys(location_ids)), schedules=tuple(schedules),
        contacts=tuple(contacts), url=url, email=email, id=uuid.UUID(obj["id"]))
    try:
        plan.services.append(service.validate())
    except Unprocessable as refused:
        for error in refused.errors:
            entry.reject(error["field"], error["message"])


def _facets(entry: _Entry, attributes: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    facets: dict[str, list[str]] = {"kind": [], "topic_areas": [], "legal_areas": [],
                                    "target_group_ids": []}
    by_taxonomy = {SERVICE_KIND_TAXONOMY: "kind", TOPIC_AREA_TAXONOMY: "topic_areas",
                   LEGAL_AREA_TAXONOMY: "legal_areas"}
    for k, attribute in enumerate(attributes):
        term = TERMS_BY_ID.get(attribute.get("taxonomy_term_id", ""))
        where = f"attributes.{k}"
        if term is None:
            if _lotse_taxonomy(attribute):
                entry.reject(f"{where}.taxonomy_term_id", "no term of Lotse's taxonomy")
            continue  # a term of another taxonomy: the directory does not keep it
        if term.taxonomy in by_taxonomy:
            facets[by_taxonomy[term.taxonomy]].append(term.value)
        elif term.code == TARGET_GROUP_CODE:
            value = attribute.get("value") or ""
            if not _UUID.match(value):
                entry.reject(f"{where}.value", "the id (a UUID) of a target group")
            else:
                facets["target_group_ids"].append(value)
        elif term.taxonomy != CASE_MANAGEMENT_TAXONOMY:  # derived: not read
            entry.reject(f"{where}.taxonomy_term_id", "not a term of a service")
    if len(facets["kind"]) != 1:
        entry.reject("attributes", f"exactly one term of {SERVICE_KIND_TAXONOMY} (the kind of "
                                   "service)")
    return {k: list(dict.fromkeys(v)) for k, v in facets.items()}


def _schedule(entry: _Entry, k: int, raw: Mapping[str, Any]) -> Schedule | None:
    where = f"schedules.{k}"
    ok = True
    for name in _NOT_WEEKLY:
        if raw.get(name) is not None:
            entry.reject(f"{where}.{name}", "the directory keeps weekly opening hours only")
            ok = False
    if raw.get("freq") not in (None, "WEEKLY") or raw.get("interval") not in (None, 1):
        entry.reject(f"{where}.freq", "weekly hours only (freq WEEKLY, interval 1)")
        ok = False
    if raw.get("byday") not in WEEKDAYS:
        entry.reject(f"{where}.byday", f"one day: {', '.join(WEEKDAYS)}")
        ok = False
    hours = {}
    for name in ("opens_at", "closes_at"):
        value = raw.get(name) or ""
        if not _HOURS.match(value):
            entry.reject(f"{where}.{name}", "the county's local time HH:MM")
            ok = False
        hours[name] = value[:5]
    days = {}
    for name in ("valid_from", "valid_to"):
        try:
            days[name] = date.fromisoformat(raw[name]) if raw.get(name) else None
        except ValueError:
            entry.reject(f"{where}.{name}", "a date YYYY-MM-DD")
            ok = False
    if not ok:
        return None
    return Schedule(weekday=raw["byday"], opens_at=hours["opens_at"],
                    closes_at=hours["closes_at"], valid_from=days["valid_from"],
                    valid_to=days["valid_to"],
                    location_id=uuid.UUID(raw["location_id"]) if raw.get("location_id")
                    else None, description=raw.get("description"))


def _contact(entry: _Entry, k: int, raw: Mapping[str, Any]) -> Contact | None:
    where = f"contacts.{k}"
    ok = True
    if raw.get("name"):
        # a directory contact is a role or a department: no person's name (ADR 0088)
        entry.reject(f"{where}.name", "the directory keeps a role or department (title, "
                                      "department), never a person's name")
        ok = False
    phones = raw.get("phones") or []
    if len(phones) > 1:
        entry.reject(f"{where}.phones", "at most one phone number per contact")
        ok = False
    phone = phones[0]["number"] if phones else None
    if phone is not None and not _PHONE.match(phone):
        entry.reject(f"{where}.phones.0.number", "a phone number")
        ok = False
    for name in ("title", "department"):
        if raw.get(name) and len(raw[name]) > 200:
            entry.reject(f"{where}.{name}", "at most 200 characters")
            ok = False
    if not ok:
        return None
    return Contact(title=raw.get("title"), department=raw.get("department"), phone=phone,
                   email=raw.get("email"))
