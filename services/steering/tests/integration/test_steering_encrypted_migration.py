"""The migration that encrypts steering's statements, notes and invitation list (ADR 0104) on
the real PostgreSQL, on a database of its own: its downgrade decrypts the rows and gives the
invitation list its lengths back, and the upgrade encrypts them again with their tenant's
keys."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from test_steering_invitations import E164, NAME, entry

pytestmark = pytest.mark.integration


def test_the_migration_encrypts_existing_rows_and_its_downgrade_decrypts_them(
        steering, superuser, tenant, as_user):
    from alembic import command
    from lotse_platform.db.engine import FIELD_CIPHER
    from lotse_platform.db.migrations import alembic_config

    office = as_user("ks-koch")
    forum_id = office.post("/forums", {"name": "Beteiligungsforum"}).get_json()["id"]
    added = office.post(f"/forums/{forum_id}/invitations", entry())
    assert added.status_code == 201, added.get_json()

    def migrate(step, target: str) -> None:
        config = alembic_config(steering.migrations, steering.settings.owner_database_url)
        config.attributes[FIELD_CIPHER] = steering.field_cipher
        step(config, target)

    def stored() -> tuple:
        with superuser.connect() as connection:
            return tuple(connection.execute(sa.text(
                "SELECT name, phone FROM forum_invitees WHERE tenant_id = :t"),
                {"t": tenant}).one())

    def phone_type() -> tuple:
        with superuser.connect() as connection:
            return tuple(connection.execute(sa.text(
                "SELECT data_type, character_maximum_length FROM information_schema.columns "
                "WHERE table_name = 'forum_invitees' AND column_name = 'phone'")).one())

    assert all(value.startswith("lotse1$") for value in stored())
    migrate(command.downgrade, "0005")
    assert stored() == (NAME, E164)
    assert phone_type() == ("character varying", 20)
    migrate(command.upgrade, "0006")
    assert all(value.startswith("lotse1$") for value in stored())
    assert phone_type() == ("text", None)
    listed = office.get(f"/forums/{forum_id}/invitations").get_json()
    assert [(i["name"], i["phone"]) for i in listed] == [(NAME, E164)]
