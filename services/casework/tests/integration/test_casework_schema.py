"""The schema the migrations build is the one the code maps, every tenant-owned table is under
row-level security, and the OpenAPI description is valid, speaks the users' words and holds
for what the reads answer."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from lotse_platform import clock
from lotse_platform.auth import COORDINATOR, TENANT_ADMIN
from lotse_platform.testing import days_ago, days_ahead, frozen_clock

from casework_steps import drive, ok
from casework_support import open_test_case
from lotse_casework.adapters import orm

pytestmark = pytest.mark.integration


def test_the_migrations_build_exactly_the_mapped_schema(casework):
    with casework.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        assert compare_metadata(context, orm.metadata) == []


def test_the_start_up_check_finds_tenant_isolation_on_every_table(casework):
    casework.check_database()  # raises UnsafeDatabase otherwise
    with casework.engine.connect() as connection:
        protected = set(connection.execute(sa.text(
            "SELECT relname FROM pg_class WHERE relrowsecurity AND relforcerowsecurity"
        )).scalars())
    assert set(orm.TENANT_TABLES) | {"audit_log", "audit_note"} <= protected


def test_the_openapi_description_is_valid_and_names_the_german_labels(app):
    from openapi_spec_validator import validate

    spec = app.test_client().get("/openapi.json").get_json()
    validate(spec)
    text = str(spec)
    for label in ("Bestandsaufnahme", "Leistungssteuerung", "Hausbesuch", "Ressourcenkarte",
                  "Netzwerkkarte", "Existenzsicherung", "verzogen", "Vertretung"):
        assert label in text, label
    assert {"/cases", "/cases/{case_id}", "/cases/{case_id}/phase", "/cases/{case_id}/goals",
            "/cases/{case_id}/contacts", "/cases/{case_id}/conferences", "/cases/{case_id}/closure",
            "/cases/{case_id}/transfers", "/transfers/{transfer_id}/accept", "/my-day",
            "/caseload"} <= set(spec["paths"])
    assert "/reconstruction-candidates" not in spec["paths"], "steering's (ADR 0094)"


def _missing(spec: dict, schema: dict, value, where: str) -> list[str]:
    """Where ``value`` lacks a field ``schema`` marks required, at any depth."""
    while "$ref" in schema or "anyOf" in schema:
        if "anyOf" in schema:  # a nullable object: null, or the referenced schema
            schema = next(s for s in schema["anyOf"] if "$ref" in s)
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    if value is None:
        return []
    if schema.get("type") == "array":
        return [m for n, item in enumerate(value)
                for m in _missing(spec, schema["items"], item, f"{where}[{n}]")]
    if "properties" not in schema:
        return []
    properties = schema["properties"]
    missing = [f"{where}.{name}" for name in schema.get("required", ()) if name not in value]
    return missing + [m for name, item in value.items() if name in properties
                      for m in _missing(spec, properties[name], item, f"{where}.{name}")]


def test_every_read_answers_each_field_its_openapi_schema_requires(casework, tenant, as_user,
                                                                   app):
    # the console's client is generated from the description: a field renamed in the domain
    # and left behind in a schema would vanish from the answer without this
    admin = as_user("admin", roles=(TENANT_ADMIN,), org="org-kreis")
    ok(admin.put("/case-managers/cm-sevda", {"organisation_id": "org-stadt-warburg", "fte": 1.0,
                                             "areas": ["area-warburg"]}))
    lea, coordinator = as_user("cm-lea"), as_user("ks-koch", roles=(COORDINATOR,))
    sevda = as_user("cm-sevda", org="org-stadt-warburg", areas=("area-warburg",))
    with frozen_clock(clock.now() - timedelta(weeks=9)):  # long enough for a reconstruction
        case_id = open_test_case(casework, tenant, "cm-lea")
    goal_id = drive(lea, case_id, "monitoring")["goal_id"]
    ok(lea.patch(f"/cases/{case_id}/settings", {"difficulty": "medium", "typical": True}))
    ok(lea.post(f"/cases/{case_id}/appointments", {
        "kind": "appointment", "on": days_ago(0), "at": "09:00", "duration_minutes": 60,
        "place": "Kreishaus"}), 201)
    ok(lea.post("/consultation-hours", {"place": "Rathaus", "weekday": 0, "starts": "08:00",
                                        "ends": "10:00"}), 201)
    ok(lea.post(f"/cases/{case_id}/steps", {"goal_id": goal_id, "description": "Pass beantragen",
                                            "responsible": "client", "due_on": days_ago(1)}), 201)
    ok(lea.post(f"/cases/{case_id}/contacts", {
        "type": "appointment", "occurred_on": days_ago(0), "duration_minutes": 45,
        "topics": ["residence"], "notes": "Termin bei der ABH vorbereitet"}), 201)
    ok(lea.post(f"/cases/{case_id}/conferences", {
        "planned_on": days_ahead(7), "topics": ["residence"], "agenda": "Aufenthalt klären"}), 201)
    ok(lea.post(f"/cases/{case_id}/shares", {"colleague_id": "cm-sevda", "kind": "tandem",
                                             "valid_until": days_ahead(14)}), 201)
    transfer_id = ok(lea.post(f"/cases/{case_id}/transfers", {
        "to_case_manager_id": "cm-sevda", "to_area_id": "area-warburg"}), 201)["id"]

    spec = app.test_client().get("/openapi.json").get_json()
    reads = {"/cases": lea, "/cases/{case_id}": lea, "/cases/{case_id}/assessments": lea,
             "/cases/{case_id}/help-plans": lea, "/cases/{case_id}/contacts": lea,
             "/cases/{case_id}/effort": lea, "/my-day": sevda, "/caseload": coordinator,
             "/transfers/{transfer_id}": sevda,
             "/cases/{case_id}/appointments": lea, "/consultation-hours": coordinator}
    missing = []
    for template, caller in reads.items():
        answer = ok(caller.get(template.format(case_id=case_id, transfer_id=transfer_id)), 200)
        schema = spec["paths"][template]["get"]["responses"]["200"]["content"][
            "application/json"]["schema"]
        assert answer, template
        missing += _missing(spec, schema, answer, template)
    assert missing == []
