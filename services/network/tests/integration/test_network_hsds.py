"""The directory as Open Referral HSDS 3.0 (issue 11, "Directory"; ADR 0088) on PostgreSQL: the
demo county's directory exports as a document and as a tabular data package that HSDS's own
schema accepts, object by object and row by row; an export imported into an empty tenant
exports the same again; a file with bad rows is refused as a whole, each row named, and the
directory stays as it was; only the coordinating office exports and imports.

The schema is the one the specification publishes (openreferral/specification, tag v3.0),
vendored in ``lotse_network/adapters/hsds_schema`` and read here with ``jsonschema`` directly,
not through the code under test."""

from __future__ import annotations

import copy
import csv
import io
import json
import uuid
import zipfile
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from lotse_demo import COUNTY
from lotse_network.service_layer.seed_directory import SERVICES
from lotse_platform.references import from_directory
from lotse_platform.testing import put_directory
from network_helpers import audit_entries, events

pytestmark = pytest.mark.integration

SCHEMA_DIR = (Path(__import__("lotse_network").__file__).parent / "adapters" / "hsds_schema")
#: which HSDS schema the objects under a key are
CHILD_SCHEMAS = {
    "organization_identifiers": "organization_identifier", "locations": "location",
    "services": "service", "addresses": "address", "attributes": "attribute",
    "languages": "language", "service_areas": "service_area",
    "service_at_locations": "service_at_location", "schedules": "schedule",
    "contacts": "contact", "phones": "phone", "taxonomy_term": "taxonomy_term",
    "taxonomy_detail": "taxonomy",
}


def _schema(name: str) -> dict:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def hsds_validators():
    registry = Registry().with_resources(
        (p.name, Resource(contents=json.loads(p.read_text()), specification=DRAFT202012))
        for p in SCHEMA_DIR.glob("*.json") if p.name != "datapackage.json")
    names = {*CHILD_SCHEMAS.values(), "organization"}
    return {name: Draft202012Validator({"$ref": f"{name}.json"}, registry=registry,
                                       format_checker=Draft202012Validator.FORMAT_CHECKER)
            for name in names}


def _objects(obj: dict, name: str):
    """Every HSDS object of a document, with the name of its schema."""
    yield name, obj
    for key, value in obj.items():
        if key in CHILD_SCHEMAS:
            for child in value if isinstance(value, list) else [value]:
                yield from _objects(child, CHILD_SCHEMAS[key])


def _token(issuer, tenant, roles, org="kreis") -> dict:
    organisation = str(COUNTY.organisation(org).id) if tenant == COUNTY.tenant_id else org
    token = issuer.issue(f"user-{roles[0]}", tenant, organisation, list(roles), [])
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def demo_client(network_pg, issuer):
    """The demo county's directory on PostgreSQL (seeded once; seeding again writes nothing)."""
    network_pg.seed_demo(COUNTY)
    network_pg.trust(issuer.keys(), issuer.issuer)
    return network_pg.create_app().test_client()


@pytest.fixture(scope="module")
def demo_export(demo_client, issuer) -> list:
    answer = demo_client.get("/directory/export.json",
                             headers=_token(issuer, COUNTY.tenant_id, ["coordinator"]))
    assert answer.status_code == 200, answer.get_json()
    assert answer.headers["Content-Disposition"] == 'attachment; filename="hsds-directory.json"'
    return json.loads(answer.data)


@pytest.fixture
def county_of(network, app, issuer):
    """The directory API of a fresh tenant of another database than the demo county's, as its
    coordinating office calls it; its replica knows the demo county's towns and organisations."""
    def county(tenant):
        put_directory(network, tenant, from_directory(COUNTY.directory(),
                                                      COUNTY.organisation_names()))
        client = app.test_client()
        coordinator = _token(issuer, tenant, ["coordinator"], org="org-kreis")

        def call(method, path, body=None, query=None):
            return client.open(path, method=method, json=body, query_string=query,
                               headers=coordinator)

        return call

    return county


@pytest.fixture
def empty_county(county_of, tenant):
    return county_of(tenant)


def renewed(document: list) -> list:
    """The document with new ids for its organisations, locations and services (an id is one
    entry of a database: the demo export is imported as it is once in this module)."""
    text = json.dumps(document)
    for org in document:
        for entry in (org, *org.get("locations", []), *org.get("services", [])):
            text = text.replace(entry["id"], str(uuid.uuid4()))
    return json.loads(text)


# -- export ------------------------------------------------------------------------------------------
def test_the_demo_directory_exports_as_hsds_json_that_the_standards_schema_accepts_object_by_object(
        demo_export, hsds_validators):
    assert sum(len(o.get("services", [])) for o in demo_export) == len(SERVICES)
    seen = {}
    for organization in demo_export:
        for name, obj in _objects(organization, "organization"):
            errors = [e.message for e in hsds_validators[name].iter_errors(obj)]
            assert errors == [], (name, obj["id"], errors)
            allowed = set(_schema(f"{name}.json")["properties"]) | (
                {"services"} if name == "organization" else set())
            assert set(obj) <= allowed, (name, set(obj) - allowed)
            seen[name] = seen.get(name, 0) + 1
    assert {"organization", "location", "address", "service", "service_at_location",
            "schedule", "language", "service_area", "contact", "phone", "attribute",
            "taxonomy_term", "taxonomy", "organization_identifier"} <= set(seen)


def test_lotses_taxonomy_is_exported_as_hsds_terms_of_documented_taxonomies(demo_export):
    services = [s for o in demo_export for s in o.get("services", [])]
    jmd = next(s for s in services if s["name"] == "Jugendmigrationsdienst (JMD) Höxter")
    terms = {(a["taxonomy_term"]["taxonomy"], a["taxonomy_term"]["code"])
             for a in jmd["attributes"]}
    assert ("lotse-service-kind", "SERVICE_KIND_YOUTH_MIGRATION_SERVICE") in terms
    assert {t for t, _ in terms} <= {"lotse-service-kind", "lotse-kim-topic-area",
                                     "lotse-legal-area", "lotse-case-management",
                                     "lotse-reference"}
    assert jmd["minimum_age"] == 12 and jmd["status"] == "active"
    assert all(s["byday"] in ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
               and s["freq"] == "WEEKLY" for s in jmd["schedules"])
    # organisational contacts only: HSDS's contact.name (a person) is never filled
    assert all("name" not in c for s in services for c in s.get("contacts", []))


def test_the_export_is_audited_and_only_the_coordinating_office_exports(
        demo_client, demo_export, issuer, network_pg):
    exported = [e for e in audit_entries(network_pg, COUNTY.tenant_id)
                if e.action == "export" and e.record_type == "directory"]
    assert exported, "the export leaves an audit entry"
    for roles in (["case_manager"], ["provider_staff"], ["steering_member"], ["org_admin"]):
        for path in ("/directory/export.json", "/directory/export.zip"):
            answer = demo_client.get(path, headers=_token(issuer, COUNTY.tenant_id, roles))
            assert answer.status_code == 403, (roles, path)
        answer = demo_client.post("/directory/import", json=demo_export,
                                  headers=_token(issuer, COUNTY.tenant_id, roles))
        assert answer.status_code == 403, roles


def test_another_countys_coordinating_office_exports_its_own_empty_directory(
        demo_client, issuer):
    answer = demo_client.get("/directory/export.json",
                             headers=_token(issuer, uuid.uuid4(), ["coordinator"], "org-x"))
    assert answer.status_code == 200
    assert answer.get_json() == []


def _cast(value: str, kind: str):
    if value == "":
        return None
    if kind == "number":
        return float(value) if "." in value else int(value)
    return value


def test_the_tabular_data_package_parses_back_and_each_row_meets_hsds(demo_client, demo_export,
                                                                      issuer):
    answer = demo_client.get("/directory/export.zip",
                             headers=_token(issuer, COUNTY.tenant_id, ["coordinator"]))
    assert answer.status_code == 200 and answer.content_type == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(answer.data))
    package = json.loads(archive.read("datapackage.json"))
    assert package == _schema("datapackage.json"), "the specification's descriptor, unchanged"
    tabular = _schema("compiled/tabular.json")["properties"]
    tables = {}
    for resource in package["resources"]:
        fields = {f["name"]: f["type"] for f in resource["schema"]["fields"]}
        reader = csv.DictReader(io.StringIO(archive.read(resource["path"]).decode("utf-8")))
        assert reader.fieldnames == list(fields), resource["path"]
        rows = []
        for row in reader:
            typed = {k: _cast(v, fields[k]) for k, v in row.items() if v != ""}
            rows.append(typed)
            validator = Draft202012Validator(tabular[resource["name"]]["items"],
                                             format_checker=Draft202012Validator.FORMAT_CHECKER)
            assert [e.message for e in validator.iter_errors(typed)] == [], (
                resource["path"], typed)
            required = [f["name"] for f in resource["schema"]["fields"]
                        if f.get("constraints", {}).get("required")]
            assert all(name in typed for name in required), (resource["path"], typed)
        ids = [r["id"] for r in rows]
        assert len(ids) == len(set(ids)), f"{resource['path']}: ids unique"
        tables[resource["name"]] = (resource, rows)
    for resource, rows in tables.values():
        for key in resource["schema"].get("foreignKeys", []):
            target = {r["id"] for r in tables[key["reference"]["resource"]][1]}
            for row in rows:
                if row.get(key["fields"]) is not None:
                    assert row[key["fields"]] in target, (resource["path"], key, row["id"])
    assert len(tables["service"][1]) == len(SERVICES)
    services = [s for o in demo_export for s in o.get("services", [])]
    assert len(tables["schedule"][1]) == sum(len(s.get("schedules", [])) for s in services)
    assert {r["name"] for r in tables["organization"][1]} == {o["name"] for o in demo_export}
    assert all(len(r["opens_at"]) == 8 for r in tables["schedule"][1]), "HH:MM:SS"


# -- import ------------------------------------------------------------------------------------------
def test_an_export_imported_into_an_empty_county_exports_the_same_and_a_second_import_changes_nothing(
        demo_export, empty_county, network, tenant):
    assert empty_county("GET", "/directory/export.json").get_json() == []
    dry = empty_county("POST", "/directory/import", demo_export, {"dry_run": "true"})
    assert dry.status_code == 200, dry.get_json()
    assert dry.get_json()["services"] == {"created": len(SERVICES), "updated": 0,
                                          "unchanged": 0}
    assert empty_county("GET", "/directory/export.json").get_json() == [], "a dry run writes "
    assert events(network, tenant) == []

    done = empty_county("POST", "/directory/import", demo_export)
    assert done.status_code == 200, done.get_json()
    report = done.get_json()
    assert report["dry_run"] is False
    assert report["organizations"]["created"] == len(demo_export)
    assert report["services"]["created"] == len(SERVICES)
    assert json.loads(empty_county("GET", "/directory/export.json").data) == demo_export
    published = events(network, tenant)
    assert len(published) == len(SERVICES), "each service created is published"
    assert all(e.change == 1 for e, _ in published)  # DIRECTORY_CHANGE_CREATED

    again = empty_county("POST", "/directory/import", demo_export).get_json()
    assert again["services"] == {"created": 0, "updated": 0, "unchanged": len(SERVICES)}
    assert again["organizations"]["unchanged"] == len(demo_export)
    assert len(events(network, tenant)) == len(SERVICES), "an unchanged file publishes nothing"


def test_an_imported_change_replaces_the_entry_by_its_hsds_id_and_is_published(
        demo_export, empty_county, network, tenant):
    original = renewed(demo_export)
    assert empty_county("POST", "/directory/import", original).status_code == 200
    changed = copy.deepcopy(original)
    service = changed[0]["services"][0]
    service["status"] = "temporarily closed"  # HSDS's; inactive for a referral (ADR 0083)
    service["fees_description"] = "kostenlos, Spenden willkommen"
    answer = empty_county("POST", "/directory/import", changed)
    assert answer.status_code == 200, answer.get_json()
    assert {(c["table"], c["change"]) for c in answer.get_json()["changes"]
            if c["id"] == service["id"]} == {("service", "updated")}
    last, _ = events(network, tenant)[-1]
    assert last.service_id == service["id"] and last.change == 3  # DEACTIVATED
    assert set(last.changed_fields) == {"status", "fees_description"}
    exported = empty_county("GET", "/directory/export.json").get_json()
    assert exported[0]["services"][0]["status"] == "inactive"


def test_a_file_with_bad_rows_is_refused_as_a_whole_naming_each_row_and_field(
        demo_export, empty_county, network, tenant):
    original = renewed(demo_export)
    assert empty_county("POST", "/directory/import", original).status_code == 200
    before = empty_county("GET", "/directory/export.json").data
    published = len(events(network, tenant))
    audited = len(audit_entries(network, tenant))

    bad = copy.deepcopy(original)
    bad[0]["name"] = "AWO (neu)"  # a good change, which must not be written either
    del bad[1]["description"]  # HSDS: required
    bad[0]["services"][0]["minimum_age"] = "zwölf"  # HSDS: a number
    bad[0]["services"][1]["status"] = "geschlossen"  # HSDS: not one of its statuses
    location = bad[0]["locations"][0]
    area = next(a for a in location["attributes"] if a["taxonomy_term"]["code"] == "LOTSE_AREA")
    area["value"] = "area-atlantis"  # Lotse: no town of this county
    bad[0]["services"][2]["contacts"] = [{"id": str(uuid.uuid4()), "name": "Frau Beispiel",
                                          "title": "Beratung"}]  # Lotse: no person's name

    answer = empty_county("POST", "/directory/import", bad)
    assert answer.status_code == 422
    problem = answer.get_json()
    assert answer.content_type == "application/problem+json"
    rows = {(e["table"], e["path"], e["field"]) for e in problem["errors"]}
    assert ("organization", "/1", "description") in rows
    assert ("service", "/0/services/0", "minimum_age") in rows
    assert ("service", "/0/services/1", "status") in rows
    assert ("location", "/0/locations/0", "attributes") in rows
    assert ("service", "/0/services/2", "contacts.0.name") in rows
    assert len(problem["errors"]) == 5, problem["errors"]
    by_field = {e["field"]: e for e in problem["errors"]}
    assert by_field["status"]["row"] == bad[0]["services"][1]["id"]
    assert "required" in by_field["description"]["reason"]
    assert all(e["reason"] for e in problem["errors"])

    assert empty_county("GET", "/directory/export.json").data == before, "nothing changed"
    assert len(events(network, tenant)) == published
    assert len(audit_entries(network, tenant)) == audited + 1, "only the export read since"


@pytest.mark.parametrize("body, field", [
    ({"organizations": []}, None),
    ([{"id": "not-a-uuid", "name": "X", "description": "Y"}], "id"),
    ([{"id": str(uuid.uuid4()), "name": "X\u0000", "description": "Y"}], "name"),
])
def test_what_is_not_an_hsds_document_is_refused_with_a_problem_naming_the_field(
        empty_county, body, field):
    answer = empty_county("POST", "/directory/import", body)
    assert answer.status_code == 422, answer.get_json()
    assert [e["field"] for e in answer.get_json()["errors"]] == [field]


def test_an_id_of_another_countys_directory_is_refused_and_nothing_changes(
        demo_export, county_of, tenant):
    document = renewed(demo_export)
    assert county_of(tenant)("POST", "/directory/import", document).status_code == 200
    other = county_of(uuid.uuid4())
    answer = other("POST", "/directory/import", document)
    assert answer.status_code == 409, answer.get_json()
    assert answer.get_json()["errors"][0]["field"] == "id"
    assert other("GET", "/directory/export.json").get_json() == []


def test_the_command_line_exports_and_imports_for_a_county(
        demo_export, network, tenant, monkeypatch, tmp_path, capsys):
    """``lotse-network directory export|import <file> --tenant <id>``: the service's own export
    and import (no caller: the audit names the service)."""
    from lotse_network.cli import main

    put_directory(network, tenant, from_directory(COUNTY.directory(),
                                                  COUNTY.organisation_names()))
    for name, value in {"LOTSE_NETWORK_DATABASE_URL": network.settings.database_url,
                        "LOTSE_NETWORK_BROKER_URL": network.settings.broker_url}.items():
        monkeypatch.setenv(name, value)
    document = tmp_path / "hsds.json"
    document.write_text(json.dumps(renewed(demo_export)), encoding="utf-8")
    assert main(["directory", "import", str(document), "--tenant", str(tenant),
                 "--dry-run"]) == 0
    assert json.loads(capsys.readouterr().out)["dry_run"] is True
    assert main(["directory", "import", str(document), "--tenant", str(tenant)]) == 0
    capsys.readouterr()
    exported = tmp_path / "export.json"
    assert main(["directory", "export", str(exported), "--tenant", str(tenant)]) == 0
    assert len(json.loads(exported.read_text())) == len(demo_export)
    package = tmp_path / "export.zip"
    assert main(["directory", "export", str(package), "--tenant", str(tenant)]) == 0
    assert "services.csv" in zipfile.ZipFile(package).namelist()

    bad = json.loads(document.read_text())
    bad[0]["services"][0]["status"] = "geschlossen"
    document.write_text(json.dumps(bad), encoding="utf-8")
    assert main(["directory", "import", str(document), "--tenant", str(tenant)]) == 1
    err = capsys.readouterr().err  # after the service's own log lines
    refused = json.loads(err[err.index('{\n "detail"'):])
    assert [(e["path"], e["field"]) for e in refused["errors"]] == [("/0/services/0", "status")]


# -- the tabular data package imported --------------------------------------------------------------
def _import_zip(county, archive: bytes, query=None):
    return county("POST_ZIP", "/directory/import", archive, query)


@pytest.fixture
def zip_county(county_of, tenant, app, issuer):
    """The fresh county's API, with a ZIP body for the import."""
    json_calls = county_of(tenant)
    client = app.test_client()
    coordinator = _token(issuer, tenant, ["coordinator"], org="org-kreis")

    def call(method, path, body=None, query=None):
        if method == "POST_ZIP":
            return client.post(path, data=body, query_string=query, headers={
                **coordinator, "Content-Type": "application/zip"})
        return json_calls(method, path, body, query)

    return call


def _rezip(archive: bytes, change) -> bytes:
    """The package with one CSV file changed (``change(name, text) -> text``)."""
    source = zipfile.ZipFile(io.BytesIO(archive))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            target.writestr(name, change(name, source.read(name).decode("utf-8")))
    return out.getvalue()


def test_a_package_exported_and_imported_into_an_empty_county_gives_the_same_directory(
        demo_client, demo_export, network_pg, issuer, zip_county):
    """The tabular form's round trip: a county's ZIP imported into an empty county of another
    database exports the same document; imported again into the first, it changes nothing."""
    assert zip_county("POST", "/directory/import", renewed(demo_export)).status_code == 200
    archive = zip_county("GET", "/directory/export.zip").data
    expected = zip_county("GET", "/directory/export.json").get_json()
    again = _import_zip(zip_county, archive)
    assert again.status_code == 200, again.get_json()
    assert again.get_json()["services"]["unchanged"] == len(SERVICES)

    empty = uuid.uuid4()  # in the demo county's database, where these ids are new
    put_directory(network_pg, empty, from_directory(COUNTY.directory(),
                                                    COUNTY.organisation_names()))
    coordinator = _token(issuer, empty, ["coordinator"], org="org-kreis")
    answer = demo_client.post("/directory/import", data=archive, headers={
        **coordinator, "Content-Type": "application/zip"})
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["services"]["created"] == len(SERVICES)
    exported = demo_client.get("/directory/export.json", headers=coordinator)
    assert exported.get_json() == expected


def test_a_package_with_bad_rows_is_refused_naming_each_csv_row_and_field(
        demo_client, issuer, zip_county):
    document = renewed(json.loads(demo_client.get(
        "/directory/export.json", headers=_token(issuer, COUNTY.tenant_id,
                                                 ["coordinator"])).data))
    assert zip_county("POST", "/directory/import", document).status_code == 200
    before = zip_county("GET", "/directory/export.json").data
    archive = zip_county("GET", "/directory/export.zip").data

    def spoil(name: str, text: str) -> str:
        rows = list(csv.reader(io.StringIO(text)))
        header = rows[0]
        if name == "services.csv":
            rows[1][header.index("status")] = "geschlossen"  # not an HSDS status
            rows[2][header.index("minimum_age")] = "zwölf"  # not a number
            rows[3][header.index("name")] = ""  # required
        if name == "organizations.csv":
            rows[1][header.index("description")] = "Neue Beschreibung"  # good, not written
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(rows)
        return out.getvalue()

    answer = _import_zip(zip_county, _rezip(archive, spoil))
    assert answer.status_code == 422, answer.get_json()
    errors = {(e["table"], e["path"], e["field"]) for e in answer.get_json()["errors"]}
    assert errors == {("service", "services.csv#row=2", "status"),
                      ("service", "services.csv#row=3", "minimum_age"),
                      ("service", "services.csv#row=4", "name")}
    assert zip_county("GET", "/directory/export.json").data == before


def test_a_package_row_breaking_lotses_rules_is_named_by_its_csv_row(
        demo_client, issuer, zip_county):
    document = renewed(json.loads(demo_client.get(
        "/directory/export.json", headers=_token(issuer, COUNTY.tenant_id,
                                                 ["coordinator"])).data))
    assert zip_county("POST", "/directory/import", document).status_code == 200
    archive = zip_county("GET", "/directory/export.zip").data

    def unknown_town(name: str, text: str) -> str:
        if name != "attributes.csv":
            return text
        rows = list(csv.reader(io.StringIO(text)))
        header = rows[0]
        row = next(r for r in rows[1:] if r[header.index("link_entity")] == "location")
        row[header.index("value")] = "area-atlantis"
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(rows)
        return out.getvalue()

    answer = _import_zip(zip_county, _rezip(archive, unknown_town))
    assert answer.status_code == 422, answer.get_json()
    [error] = answer.get_json()["errors"]
    assert error["table"] == "location" and error["field"] == "attributes"
    assert error["path"].startswith("locations.csv#row=")


@pytest.mark.parametrize("body", [b"not a zip", b""])
def test_what_is_not_a_package_is_refused(zip_county, body):
    answer = _import_zip(zip_county, body)
    assert answer.status_code == 422


# -- both engines (PostgreSQL and the embedded SQLite) ----------------------------------------------
def test_an_edit_by_import_and_an_id_of_another_county_behave_alike_on_both_engines(
        api, directory_network, backend):
    """The import writes through the directory's store on either engine; an id another
    county's entry has is refused on SQLite too, which has no row-level security."""
    from lotse_platform.testing import known_directory
    from network_helpers import AREAS, ORGANISATIONS as DIRECTORY_ORGANISATIONS

    org = api.organization()
    place = api.location(org["id"])
    service = api.service(org["id"], location_ids=[place["id"]])
    coordinator = api.actors.coordinator()
    document = api.get("/directory/export.json", coordinator).get_json()
    document[0]["services"][0]["name"] = "Migrationsberatung Höxter (MBE)"
    answer = api.post("/directory/import", coordinator, document)
    assert answer.status_code == 200, answer.get_json()
    assert {(c["table"], c["change"]) for c in answer.get_json()["changes"]} == {
        ("organization", "unchanged"), ("location", "unchanged"), ("service", "updated")}
    assert api.get(f"/services/{service['id']}", coordinator).get_json()["name"] == (
        "Migrationsberatung Höxter (MBE)")

    other = uuid.uuid4()
    put_directory(directory_network, other, known_directory(
        organisations=DIRECTORY_ORGANISATIONS, areas=AREAS))
    theirs = api.actors.token("ks-other", "org-kreis", ["coordinator"], tenant=other)
    refused = api.post("/directory/import", theirs, document)
    assert refused.status_code == 409, refused.get_json()
    assert api.get("/directory/export.json", theirs).get_json() == []
    mine = api.get(f"/directory/organizations/{org['id']}", coordinator).get_json()
    assert mine["name"] == org["name"] and mine["version"] == 1, "not taken over"
