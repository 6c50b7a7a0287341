"""The same hostile text gets the same answer in every run mode (ADR 0060), through a service that
stores what it takes: the example's notes, on SQLite (embedded mode) and on PostgreSQL. Before,
a NUL in a note was stored on SQLite (201) and a 500 on PostgreSQL, and a lone surrogate or a
deeply nested body was a 500 on both."""

from __future__ import annotations

import uuid

import pytest

from lotse_example.bootstrap import bootstrap
from lotse_example.settings import ExampleSettings
from lotse_platform.auth.devtokens import DevIssuer

pytestmark = pytest.mark.integration

AREA = "cluster-nord"


@pytest.fixture(scope="module")
def issuer() -> DevIssuer:
    return DevIssuer()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def example_app(request, databases, tmp_path_factory, issuer):
    """The example's API on each backend, migrated once for this module (tenants keep the
    tests apart)."""
    keys = tmp_path_factory.mktemp("keys")  # of the encrypted note text (ADR 0104)
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("example") / "example.db"
        settings = ExampleSettings(database_url=f"sqlite:///{path}", mode="embedded",
                                   key_dir=keys)
    else:
        database = databases.create("hostiletext")
        settings = ExampleSettings(database_url=database.app_url,
                                   migration_database_url=database.owner_url, key_dir=keys)
    container = bootstrap(settings)
    container.migrate()
    container.trust(issuer.keys(), issuer.issuer)
    yield container.create_app()
    container.engine.dispose()


@pytest.fixture
def notes(example_app, issuer):
    """POST and GET /notes of the example as a case manager of AREA in a fresh tenant."""
    client = example_app.test_client()
    token = issuer.issue("cm-1", uuid.uuid4(), "org-awo", ["case_manager"], areas=[AREA])
    headers = {"Authorization": f"Bearer {token}"}

    class Notes:
        def post(self, body: bytes):
            return client.post("/notes", data=body, headers=headers,
                               content_type="application/json")

        def listed(self) -> list:
            answer = client.get("/notes", headers=headers)
            assert answer.status_code == 200
            return answer.get_json()

    return Notes()


@pytest.mark.parametrize(("body", "status", "field"), [
    (b'{"area_id": "cluster-nord", "text": "Anruf \\u0000 beendet"}', 422, "text"),
    (b'{"area_id": "cluster\\u0000nord", "text": "Anruf"}', 422, "area_id"),
    (b'{"area_id": "cluster-nord", "text": "Anruf \\u001b[2J"}', 422, "text"),
    (b'{"area_id": "cluster-nord", "text": "a\\ud800b"}', 400, "text"),
    (b"[" * 1000 + b"]" * 1000, 400, "body"),
    (b'{"area_id": "cluster-nord", "text": "t", "x": ' + b"[" * 950 + b"]" * 950 + b"}", 400,
     "body"),
], ids=["nul-in-text", "nul-in-id", "escape-in-text", "lone-surrogate", "nested-1000",
        "nested-950-in-a-field"])
def test_hostile_text_is_refused_naming_the_field_and_nothing_is_stored(notes, body, status,
                                                                        field):
    answer = notes.post(body)

    assert answer.status_code == status, answer.get_data(as_text=True)
    assert answer.mimetype == "application/problem+json"
    assert [error["field"] for error in answer.get_json()["errors"]] == [field]
    assert notes.listed() == []


def test_text_of_several_lines_is_stored_as_sent(notes):
    answer = notes.post('{"area_id": "cluster-nord", "text": "Anruf\\r\\n\\tbeendet 🙂"}'
                        .encode())

    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["text"] == "Anruf\r\n\tbeendet 🙂"
    assert len(notes.listed()) == 1
