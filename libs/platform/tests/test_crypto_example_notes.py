"""The template service's pattern of encrypted columns (ADR 0104), on SQLite and PostgreSQL: the
example's note text is ciphertext in its column and text through the API; a service without a
key store answers a write of it with 503, naming no personal data."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from lotse_example.bootstrap import bootstrap
from lotse_example.settings import ExampleSettings
from lotse_platform.auth import CASE_MANAGER
from lotse_platform.auth.devtokens import DevIssuer
from lotse_platform.crypto import key_id_of
from lotse_platform.sealing import LocalKeyDirectory

pytestmark = pytest.mark.integration

TEXT = "Frau S. berichtet von Schulden und Angst vor der Ausländerbehörde"


@pytest.fixture
def issuer() -> DevIssuer:
    return DevIssuer()


def headers(issuer, tenant) -> dict[str, str]:
    token = issuer.issue("cm-lea", tenant, "org-kreis", [CASE_MANAGER], areas=["area-brakel"])
    return {"Authorization": f"Bearer {token}"}


def test_a_notes_text_is_ciphertext_in_its_column_and_text_through_the_api(any_example,
                                                                           issuer):
    tenant = uuid.uuid4()
    any_example.trust(issuer.keys(), issuer.issuer)
    client = any_example.create_app(check_database=False).test_client()
    made = client.post("/notes", headers=headers(issuer, tenant),
                       json={"area_id": "area-brakel", "text": TEXT})
    assert made.status_code == 201, made.get_json()
    note_id = made.get_json()["id"]
    with any_example.uow(tenant) as uow:  # the stored text, as the type does not see it
        stored = uow.session.execute(sa.text("SELECT text FROM notes WHERE id = :i").bindparams(
            sa.bindparam("i", uuid.UUID(note_id), type_=sa.Uuid))).scalar_one()
    assert stored.startswith("lotse1$") and "Schulden" not in stored
    keys = LocalKeyDirectory(any_example.settings.key_directory)
    assert key_id_of(stored) in keys.key_ids(tenant)
    read = client.get(f"/notes/{note_id}", headers=headers(issuer, tenant))
    assert read.status_code == 200 and read.get_json()["text"] == TEXT


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_without_a_key_store_a_note_is_refused_with_503(backend, tmp_path, issuer, databases):
    """Also on PostgreSQL, where a note is appended and written with its outbox row and audit
    entry in one pipeline, past the column types (lotse_platform.uow.pending)."""
    if backend == "sqlite":
        settings = ExampleSettings(database_url=f"sqlite:///{tmp_path / 'example.db'}",
                                   mode="embedded")
    else:
        database = databases.create("keylessnotes")
        settings = ExampleSettings(database_url=database.app_url,
                                   migration_database_url=database.owner_url)
    example = bootstrap(settings)
    example.migrate()
    example.trust(issuer.keys(), issuer.issuer)
    client = example.create_app(check_database=False).test_client()
    tenant = uuid.uuid4()
    refused = client.post("/notes", headers=headers(issuer, tenant),
                          json={"area_id": "area-brakel", "text": TEXT})
    assert refused.status_code == 503
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert "Schulden" not in refused.get_data(as_text=True)
    with example.uow(tenant) as uow:  # nothing of the tenant written
        assert uow.session.execute(sa.text("SELECT count(*) FROM notes")).scalar_one() == 0
    example.engine.dispose()
