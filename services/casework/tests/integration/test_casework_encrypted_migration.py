"""The migration that encrypts casework's free text (ADR 0104) on the real PostgreSQL, on a
database of its own: it encrypts existing rows with their tenant's keys, its downgrade decrypts
them, and without a key store it changes the column types only."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from casework_support import open_test_case
from test_casework_encrypted_fields import NOTE, notes_via_api, record, stored_notes

pytestmark = pytest.mark.integration


def test_the_migration_encrypts_existing_rows_and_its_downgrade_decrypts_them(
        casework, tenant, as_user, superuser):
    from alembic import command
    from lotse_platform.db.engine import FIELD_CIPHER
    from lotse_platform.db.migrations import alembic_config

    lea = as_user("cm-lea")
    case_id = open_test_case(casework, tenant, "cm-lea")
    contact_id = record(lea, case_id)

    def migrate(step, target: str, cipher) -> None:
        config = alembic_config(casework.migrations, casework.settings.owner_database_url)
        config.attributes[FIELD_CIPHER] = cipher
        step(config, target)

    def column_type(column: str) -> str:
        with superuser.connect() as connection:
            return connection.execute(sa.text(
                "SELECT data_type FROM information_schema.columns WHERE table_name = 'goals' "
                "AND column_name = :c"), {"c": column}).scalar_one()

    migrate(command.downgrade, "0016", casework.field_cipher)
    assert stored_notes(superuser, contact_id) == NOTE, "the downgrade decrypts"
    assert column_type("history") == "json"
    migrate(command.upgrade, "0017", None)  # without a key store: the types only
    assert stored_notes(superuser, contact_id) == NOTE and column_type("history") == "text"
    assert notes_via_api(lea, case_id) == [NOTE], "plaintext from before is read as it is"
    migrate(command.downgrade, "0016", None)  # nothing encrypted: no key store needed
    migrate(command.upgrade, "0017", casework.field_cipher)
    stored = stored_notes(superuser, contact_id)
    assert stored.startswith("lotse1$") and "Depression" not in stored
    assert notes_via_api(lea, case_id) == [NOTE]
    with superuser.connect() as connection:  # row-level security is forced again
        forced = connection.execute(sa.text(
            "SELECT relforcerowsecurity FROM pg_class WHERE relname = 'contacts'")).scalar_one()
    assert forced
