"""The schema the migrations build is the one the code maps, every tenant-owned table is under
row-level security, and the OpenAPI description documents the German labels of every
enumeration."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from lotse_intake.adapters import orm

pytestmark = pytest.mark.integration


def test_the_migrations_build_exactly_the_mapped_schema(intake):
    with intake.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        differences = compare_metadata(context, orm.metadata)

    assert differences == []


def test_the_start_up_check_finds_tenant_isolation_on_every_table(intake):
    intake.check_database()  # raises UnsafeDatabase otherwise

    with intake.engine.connect() as connection:
        protected = set(connection.execute(sa.text(
            "SELECT relname FROM pg_class WHERE relrowsecurity AND relforcerowsecurity"
        )).scalars())
    assert set(orm.TENANT_TABLES) | {"audit_log"} <= protected


def test_the_openapi_description_is_valid_and_names_the_german_labels(intake_app):
    from openapi_spec_validator import validate

    spec = intake_app.test_client().get("/openapi.json").get_json()
    validate(spec)
    text = str(spec)

    for label in ("Zugangsweg", "Screening bei der Ausländerbehörde", "Verweisberatung",
                  "KIM-Case-Management", "Schweigepflichtentbindung", "Existenzsicherung",
                  "Beratungsvereinbarung", "Duldung"):
        assert label in text, label
    paths = set(spec["paths"])
    assert {"/intakes", "/intakes/{intake_id}", "/intakes/{intake_id}/screening",
            "/intakes/{intake_id}/decisions", "/intakes/{intake_id}/consents",
            "/intakes/{intake_id}/consents/{consent_id}/withdrawal",
            "/intakes/{intake_id}/admission", "/intakes/mine", "/intakes/awaiting-decision",
            "/consents/expiring", "/target-groups", "/target-groups/{target_group_id}",
            "/case-proposals", "/case-proposals/mine", "/case-proposals/{proposal_id}/outcome",
            "/case-proposals/{proposal_id}/decision", "/handovers/{intake_id}"} <= paths
    handover = spec["components"]["schemas"]["Handover"]
    assert set(handover["required"]) == {
        "intake_id", "operator_org_id", "area_id", "access_path", "contact_date", "person",
        "screening", "admission", "consents", "counselling_history", "released_under"}


def test_the_depth_guidance_is_labelled_as_the_concept_names_it(intake_app):
    # 001 L207: "Anleitung und Hilfen: „Anleitung und Hilfen, die sich z.B. auf das Ausfüllen
    # von Formularen beziehen …"
    from lotse_intake.domain.vocabulary import LABELS, CounsellingDepth

    spec = intake_app.test_client().get("/openapi.json").get_json()

    assert LABELS[CounsellingDepth]["guidance"] == "Anleitung und Hilfen"
    assert "`guidance` (Anleitung und Hilfen)" in str(spec)
    assert "Orientierung und Hilfestellung" not in str(spec)
