"""Lotse's rules of an HSDS import (ADR 0088), on plain data: what the directory cannot hold is
rejected with the object's place, id and field; an entry read back from its own HSDS form is
the entry again; the CSV rows nest into the document and a rejection names the CSV row."""

from __future__ import annotations

import copy
import uuid

from lotse_network.domain.directory import (
    Contact,
    DirectoryService,
    Location,
    Organization,
    Schedule,
)
from lotse_network.domain.hsds import as_hsds, as_tables
from lotse_network.domain.hsds_import import read_document
from lotse_network.domain.hsds_tabular import as_document
from lotse_network.domain.hsds_terms import TERMS_BY_ID, derived_id

TARGET_GROUP = "6b0f9a8e-6d1c-4f59-9a43-0f2a7c1e3b55"


def _directory():
    org = Organization(name="Caritasverband Höxter", description="Wohlfahrtsverband",
                       identity_org_id="org-caritas", website="https://caritas-hoexter.de")
    place = Location(organization_id=org.id, name="Beratungsstelle Brakel",
                     address_1="Ostheimer Straße 4", postal_code="33034", city="Brakel",
                     municipality_id="area-brakel")
    service = DirectoryService(
        organization_id=org.id, name="Migrationsberatung Brakel",
        description="Beratung zu Aufenthalt, Arbeit, Sprache",
        kind="migration_counselling_adults", topic_areas=("residence", "language"),
        legal_areas=("residence_law",), target_group_ids=(TARGET_GROUP,), minimum_age=27,
        languages=("de", "ar", "fa-AF"), service_area_ids=("area-brakel", "area-nieheim"),
        location_ids=(place.id,),
        schedules=(Schedule("TU", "09:00", "12:00", location_id=place.id),
                   Schedule("TH", "14:00", "24:00", description="offene Sprechstunde")),
        contacts=(Contact(title="Migrationsberatung", phone="+49 5272 1234",
                          email="mbe@caritas-hoexter.de"),))
    return org, place, service


def test_a_directory_read_back_from_its_hsds_document_is_the_same_directory():
    org, place, service = _directory()
    plan = read_document(as_hsds([org], [place], [service]), [])
    assert plan.rejections == []
    assert plan.organizations == [org]
    assert plan.locations == [place]
    assert plan.services == [service]
    assert {(r.kind, r.id) for r in plan.references} == {
        ("organisation", "org-caritas"), ("area", "area-brakel"), ("area", "area-nieheim")}


def test_own_case_management_is_exported_as_a_term_and_not_read_back():
    org, place, service = _directory()
    [document] = as_hsds([org], [place], [service])
    codes = {a["taxonomy_term"]["code"] for a in document["services"][0]["attributes"]}
    assert {"OWN_CASE_MANAGEMENT", "SERVICE_KIND_MIGRATION_COUNSELLING_ADULTS",
            "TOPIC_AREA_RESIDENCE", "LEGAL_AREA_RESIDENCE_LAW", "LOTSE_TARGET_GROUP"} <= codes
    assert len({t.code for t in TERMS_BY_ID.values()}) == len(TERMS_BY_ID), "codes unique"


def _rejected(document) -> set[tuple[str | None, str, str | None]]:
    return {(r.table, r.path, r.field) for r in read_document(document, []).rejections}


def test_what_the_directory_cannot_hold_is_rejected_naming_the_field():
    org, place, service = _directory()
    [good] = as_hsds([org], [place], [service])
    bad = copy.deepcopy(good)
    svc, loc = bad["services"][0], bad["locations"][0]
    svc["schedules"][0]["freq"] = "MONTHLY"
    svc["schedules"][1]["bymonthday"] = "1"
    svc["contacts"][0]["phones"].append({"id": str(uuid.uuid4()), "number": "05272 999"})
    svc["contacts"].append({"id": str(uuid.uuid4()), "name": "Frau Beispiel",
                            "email": "x@example.org"})
    svc["attributes"] = [a for a in svc["attributes"]
                         if a["taxonomy_term"]["taxonomy"] != "lotse-service-kind"]
    svc["attributes"][0]["taxonomy_term_id"] = str(uuid.uuid4())  # unknown, lotse-* taxonomy
    target = next(a for a in svc["attributes"] if a["taxonomy_term"]["code"]
                  == "LOTSE_TARGET_GROUP")
    target["value"] = "Geflüchtete"
    svc["minimum_age"] = 12.5
    loc["addresses"].append(copy.deepcopy(loc["addresses"][0]))
    loc["organization_id"] = str(uuid.uuid4())
    assert _rejected([bad]) >= {
        ("service", "/0/services/0", "schedules.0.freq"),
        ("service", "/0/services/0", "schedules.1.bymonthday"),
        ("service", "/0/services/0", "contacts.0.phones"),
        ("service", "/0/services/0", "contacts.1.name"),
        ("service", "/0/services/0", "attributes"),
        ("service", "/0/services/0", "attributes.0.taxonomy_term_id"),
        ("service", "/0/services/0", "minimum_age"),
        ("location", "/0/locations/0", "addresses"),
        ("location", "/0/locations/0", "organization_id"),
    }
    assert any(f and f.endswith(".value") for _, _, f in _rejected([bad]))


def test_the_same_id_twice_and_a_location_without_its_town_are_rejected():
    org, place, service = _directory()
    [good] = as_hsds([org], [place], [service])
    twice = copy.deepcopy(good)
    twice["services"].append(copy.deepcopy(twice["services"][0]))
    assert ("service", "/0/services/1", "id") in _rejected([twice])
    townless = copy.deepcopy(good)
    townless["locations"][0]["attributes"] = []
    assert ("location", "/0/locations/0", "attributes") in _rejected([townless])


def test_a_schema_rejected_entry_is_not_read_again_by_lotses_rules():
    org, place, service = _directory()
    [good] = as_hsds([org], [place], [service])
    plan = read_document([good], [(0, "services", 0, "contacts", 0)])
    assert plan.services == [] and plan.rejections == []
    assert plan.organizations == [org] and plan.locations == [place]


def test_the_rows_of_a_package_nest_back_into_the_document_naming_their_csv_rows():
    org, place, service = _directory()
    document = as_hsds([org], [place], [service])
    columns = {"organization": ["id", "name", "description", "website"],
               "organization_identifier": ["id", "organization_id", "identifier_scheme",
                                           "identifier_type", "identifier"],
               "location": ["id", "location_type", "organization_id", "name"],
               "address": ["id", "location_id", "address_1", "city", "state_province",
                           "postal_code", "country", "address_type"],
               "service": ["id", "organization_id", "name", "description", "status",
                           "minimum_age"],
               "language": ["id", "service_id", "code"],
               "service_area": ["id", "service_id", "uri"],
               "service_at_location": ["id", "service_id", "location_id"],
               "schedule": ["id", "service_id", "location_id", "wkst", "freq", "interval",
                            "byday", "description", "opens_at", "closes_at"],
               "contact": ["id", "service_id", "title", "email"],
               "phone": ["id", "contact_id", "number"],
               "attribute": ["id", "link_id", "link_type", "link_entity", "taxonomy_term_id",
                             "value"],
               "taxonomy_term": ["id", "code", "name", "description", "taxonomy", "language",
                                 "taxonomy_id"],
               "taxonomy": ["id", "name", "description", "uri", "version"]}
    tables = as_tables(document, columns)
    numbered = {t: [(i + 2, row) for i, row in enumerate(rows)] for t, rows in tables.items()}
    paths = {t: f"{t}s.csv" for t in columns}
    package = as_document(numbered, paths)
    assert package.rejections == []
    plan = read_document(package.document, [])
    assert plan.rejections == []
    assert plan.services == [service] and plan.locations == [place]
    assert package.rows["/0/services/0"] == "services.csv#row=2"
    assert package.rows["/0/services/0/schedules/1"] == "schedules.csv#row=3"

    orphan = dict(numbered)
    orphan["language"] = [*numbered["language"], (9, {"id": derived_id("x", "language"),
                                                      "service_id": str(uuid.uuid4()),
                                                      "code": "ti"})]
    [rejection] = as_document(orphan, paths).rejections
    assert (rejection.table, rejection.path, rejection.field) == (
        "language", "languages.csv#row=9", "service_id")
