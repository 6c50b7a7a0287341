"""``GET /api/v1/<service>/data-map`` (ADR 0100): the record of processing activities as JSON,
mounted by the platform on every service — here on the example service against the real
PostgreSQL and RabbitMQ. The data-protection officer and those who keep the record for the
county read it; a case manager does not."""

from __future__ import annotations

import uuid

import pytest

from lotse_example.bootstrap import ExampleService
from lotse_example.settings import ExampleSettings
from lotse_platform.auth import (
    AUDITOR,
    CASE_MANAGER,
    COORDINATOR,
    DATA_PROTECTION_OFFICER,
    STEERING_MEMBER,
    TENANT_ADMIN,
)
from lotse_platform.auth.devtokens import DevIssuer
from lotse_platform.testing import TokenCaller, ready_for_tests

pytestmark = pytest.mark.integration

PATH = "/data-map"  # the service's own app; the gateway serves it as /api/v1/example/data-map


@pytest.fixture(scope="module")
def issuer() -> DevIssuer:
    return DevIssuer()


@pytest.fixture(scope="module")
def app(databases, broker_url, issuer):
    database = databases.create("datamapapi")
    container = ExampleService(ExampleSettings(database_url=database.app_url,
                                               migration_database_url=database.owner_url,
                                               broker_url=broker_url))
    ready_for_tests(container, issuer, broker_url)
    yield container.create_app()
    container.engine.dispose()


def caller(app, issuer, role: str) -> TokenCaller:
    return TokenCaller(app.test_client(),
                       issuer.issue("u-1", uuid.uuid4(), "org-kreis", [role], areas=[]))


def test_the_data_protection_officer_reads_every_table_and_column_of_the_service(app, issuer):
    answer = caller(app, issuer, DATA_PROTECTION_OFFICER).get(PATH)
    assert answer.status_code == 200
    record = answer.json
    assert record["service"] == "example"
    tables = {t["name"]: t for t in record["tables"]}
    assert set(tables) == {"notes", "area_tallies", "outbox", "inbox", "audit_log",
                           "audit_note", "known_reference", "signed_copy",
                           "subject_access_part", "subject_access_request",
                           "subject_access_answer", "erasure_done", "erasure_request",
                           "erasure_answer", "retention_policy", "retention_sweep"}
    text = {c["name"]: c for c in tables["notes"]["columns"]}["text"]
    assert (text["data_class"], text["kind"]) == ("special_category", "free_text")
    assert text["legal_basis"] == "task_sgb_special"
    assert {b["key"] for b in record["legal_bases"]} >= {"task_sgb_special", "accountability"}
    assert all(label["label_de"] and label["label_en"] for label in record["retention_classes"])


@pytest.mark.parametrize("role", [COORDINATOR, TENANT_ADMIN, AUDITOR])
def test_those_who_keep_the_record_for_the_county_read_it(app, issuer, role):
    assert caller(app, issuer, role).get(PATH).status_code == 200


@pytest.mark.parametrize("role", [CASE_MANAGER, STEERING_MEMBER])
def test_other_roles_are_refused(app, issuer, role):
    answer = caller(app, issuer, role).get(PATH)
    assert answer.status_code == 403
    assert answer.mimetype == "application/problem+json"


def test_without_a_token_the_record_is_not_shown(app):
    assert app.test_client().get(PATH).status_code == 401
