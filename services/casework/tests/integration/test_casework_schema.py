"""The schema the migrations build is the one the code maps, every tenant-owned table is under
row-level security, and the OpenAPI description is valid and speaks the users' words."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

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
    assert set(orm.TENANT_TABLES) | {"audit_log"} <= protected


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
            "/caseload", "/reconstruction-candidates"} <= set(spec["paths"])
