"""The directory as an Open Referral HSDS 3.0 document (ADR 0088): a list of ``organization``
objects as HSDS's compiled ``organization.json`` defines them (its ``locations`` and its
``services`` nested, each service with its ``languages``, ``service_areas``,
``service_at_locations``, ``schedules``, ``contacts`` with their ``phones`` and its taxonomy
``attributes``) — the form of ``compiled/organization_package.json`` — and the same document
as the tables of HSDS's tabular data package (one CSV per object, ids as foreign keys).

Organisational data only: a directory contact is a role or a department, never a person (the
directory has no field for a person's name). No SQLAlchemy, Flask or kombu here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .directory import Contact, DirectoryService, Location, Organization, Schedule
from .hsds_terms import (
    AREA_TERM,
    AREA_URI_PREFIX,
    IDENTITY_SCHEME,
    LEGAL_AREA_TERMS,
    OWN_CASE_MANAGEMENT_TERM,
    SERVICE_KIND_TERMS,
    TARGET_GROUP_TERM,
    TOPIC_AREA_TERMS,
    Term,
    derived_id,
)

#: HSDS ``address.state_province`` and ``country`` of every county (ADR 0083)
STATE_PROVINCE, COUNTRY = "NW", "DE"

Document = list[dict[str, Any]]


def _present(obj: dict[str, Any]) -> dict[str, Any]:
    """The object without its empty optional fields (HSDS types them: ``null`` is no string)."""
    return {k: v for k, v in obj.items() if v is not None and v != []}


# -- export ------------------------------------------------------------------------------------------
def as_hsds(organizations: Sequence[Organization], locations: Sequence[Location],
            services: Sequence[DirectoryService]) -> Document:
    """The tenant's directory as HSDS organisations, by name then id (the same directory gives
    the same document)."""
    places: dict[Any, list[Location]] = {}
    for location in sorted(locations, key=lambda e: (e.name, str(e.id))):
        places.setdefault(location.organization_id, []).append(location)
    offered: dict[Any, list[DirectoryService]] = {}
    for service in sorted(services, key=lambda e: (e.name, str(e.id))):
        offered.setdefault(service.organization_id, []).append(service)
    return [organization_as_hsds(o, places.get(o.id, []), offered.get(o.id, []))
            for o in sorted(organizations, key=lambda e: (e.name, str(e.id)))]


def organization_as_hsds(organization: Organization, locations: Iterable[Location],
                         services: Iterable[DirectoryService]) -> dict[str, Any]:
    org_id = str(organization.id)
    identifiers = [] if not organization.identity_org_id else [{
        "id": derived_id(org_id, f"organization_identifier/{IDENTITY_SCHEME}"),
        "organization_id": org_id, "identifier_scheme": IDENTITY_SCHEME,
        "identifier_type": "Lotse-Organisation (identity)",
        "identifier": organization.identity_org_id}]
    return _present({
        "id": org_id, "name": organization.name, "description": organization.description,
        "email": organization.email, "website": organization.website,
        "organization_identifiers": identifiers,
        "locations": [location_as_hsds(loc) for loc in locations],
        "services": [service_as_hsds(s) for s in services]})


def location_as_hsds(location: Location) -> dict[str, Any]:
    loc_id = str(location.id)
    return _present({
        "id": loc_id, "location_type": location.location_type,
        "organization_id": str(location.organization_id), "name": location.name,
        "addresses": [{"id": derived_id(loc_id, "address"), "location_id": loc_id,
                       "address_1": location.address_1, "city": location.city,
                       "state_province": STATE_PROVINCE, "postal_code": location.postal_code,
                       "country": COUNTRY, "address_type": location.location_type}],
        "attributes": [_attribute(loc_id, "location", AREA_TERM, location.municipality_id)]})


def _attribute(link_id: str, entity: str, term: Term, value: str | None = None
               ) -> dict[str, Any]:
    return _present({"id": derived_id(link_id, f"attribute/{term.id}/{value or ''}"),
                     "link_id": link_id, "link_type": term.taxonomy, "link_entity": entity,
                     "taxonomy_term_id": term.id, "value": value,
                     "taxonomy_term": term.as_hsds()})


def service_as_hsds(service: DirectoryService) -> dict[str, Any]:
    sid = str(service.id)
    terms = [SERVICE_KIND_TERMS[service.kind], *(TOPIC_AREA_TERMS[t] for t in service.topic_areas),
             *(LEGAL_AREA_TERMS[a] for a in service.legal_areas)]
    if service.own_case_management:
        terms.append(OWN_CASE_MANAGEMENT_TERM)
    attributes = [_attribute(sid, "service", t) for t in terms] + [
        _attribute(sid, "service", TARGET_GROUP_TERM, g) for g in service.target_group_ids]
    return _present({
        "id": sid, "organization_id": str(service.organization_id), "name": service.name,
        "description": service.description, "url": service.url, "email": service.email,
        "status": service.status, "fees_description": service.fees_description,
        "minimum_age": service.minimum_age, "maximum_age": service.maximum_age,
        "languages": [{"id": derived_id(sid, f"language/{code}"), "service_id": sid,
                       "code": code} for code in service.languages],
        "service_areas": [{"id": derived_id(sid, f"service_area/{area}"), "service_id": sid,
                           "uri": f"{AREA_URI_PREFIX}{area}"}
                          for area in service.service_area_ids],
        "service_at_locations": [{"id": derived_id(sid, f"service_at_location/{loc}"),
                                  "service_id": sid, "location_id": str(loc)}
                                 for loc in service.location_ids],
        "schedules": [_schedule(sid, i, s) for i, s in enumerate(service.schedules)],
        "contacts": [_contact(sid, i, c) for i, c in enumerate(service.contacts)],
        "attributes": attributes})


def _schedule(service_id: str, position: int, s: Schedule) -> dict[str, Any]:
    """Weekly hours as HSDS (RFC 5545 terms): ``freq`` WEEKLY, one ``byday``, the county's
    local ``opens_at``/``closes_at`` (``HH:MM``; no offset: it changes with summer time)."""
    return _present({
        "id": derived_id(service_id, f"schedule/{position}"), "service_id": service_id,
        "location_id": str(s.location_id) if s.location_id else None,
        "valid_from": s.valid_from.isoformat() if s.valid_from else None,
        "valid_to": s.valid_to.isoformat() if s.valid_to else None,
        "wkst": "MO", "freq": "WEEKLY", "interval": 1, "byday": s.weekday,
        "description": s.description, "opens_at": s.opens_at, "closes_at": s.closes_at})


def _contact(service_id: str, position: int, c: Contact) -> dict[str, Any]:
    contact_id = derived_id(service_id, f"contact/{position}")
    return _present({
        "id": contact_id, "service_id": service_id, "title": c.title,
        "department": c.department, "email": c.email,
        "phones": [] if not c.phone else [{"id": derived_id(contact_id, "phone"),
                                           "contact_id": contact_id, "number": c.phone}]})


# -- the tabular data package ------------------------------------------------------------------------
#: which table the objects under a key are (HSDS's ``datapackage.json`` resource names)
NESTED_TABLES: dict[str, str] = {
    "organization_identifiers": "organization_identifier", "locations": "location",
    "services": "service", "addresses": "address", "attributes": "attribute",
    "languages": "language", "service_areas": "service_area",
    "service_at_locations": "service_at_location", "schedules": "schedule",
    "contacts": "contact", "phones": "phone", "taxonomy_term": "taxonomy_term",
    "taxonomy_detail": "taxonomy",
}


def as_tables(document: Document, columns: Mapping[str, Sequence[str]]
              ) -> dict[str, list[dict[str, Any]]]:
    """The document's objects as rows of HSDS's tables (``columns``: each table's fields, from
    the data package): scalar fields only, each object once (by id), in document order."""
    tables: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in columns}

    def walk(obj: Mapping[str, Any], table: str) -> None:
        rows = tables.setdefault(table, {})
        if obj["id"] not in rows:
            rows[obj["id"]] = {c: obj[c] for c in columns.get(table, ()) if c in obj}
        for key, value in obj.items():
            if key in NESTED_TABLES:
                for child in value if isinstance(value, list) else [value]:
                    walk(child, NESTED_TABLES[key])

    for organization in document:
        walk(organization, "organization")
    return {name: list(rows.values()) for name, rows in tables.items()}
