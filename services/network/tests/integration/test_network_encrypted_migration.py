"""The migration that encrypts network's free text (ADR 0104) on the real PostgreSQL, on a
database of its own (no tenant's keys destroyed there): it encrypts existing rows with their
tenant's keys, its downgrade decrypts them, and without a key store it changes the column types
only."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from test_network_encrypted_fields import referred, stored
from test_network_referrals import ABH, REASON

pytestmark = pytest.mark.integration


@pytest.fixture
def orgs(network, tenant):
    from lotse_platform.references import ORGANISATION, Known
    from lotse_platform.testing import put_directory

    put_directory(network, tenant, [Known(ORGANISATION, ABH)])


def test_the_migration_encrypts_existing_rows_and_its_downgrade_decrypts_them(
        network, intake, orgs, broker_url, tenant, superuser, as_user):
    from alembic import command
    from lotse_platform.db.engine import FIELD_CIPHER
    from lotse_platform.db.migrations import alembic_config

    lea = as_user("cm-lea")
    referral_id = referred(network, intake, broker_url, tenant, superuser, lea)

    def migrate(step, target: str, cipher) -> None:
        config = alembic_config(network.migrations, network.settings.owner_database_url)
        config.attributes[FIELD_CIPHER] = cipher
        step(config, target)

    def column_type() -> str:
        with superuser.connect() as connection:
            return connection.execute(sa.text(
                "SELECT data_type FROM information_schema.columns WHERE table_name = "
                "'referrals' AND column_name = 'shared'")).scalar_one()

    migrate(command.downgrade, "0004", network.field_cipher)
    assert stored(superuser, "referrals", "reason", referral_id) == REASON, "decrypted"
    assert column_type() == "json"
    migrate(command.upgrade, "0005", None)  # without a key store: the types only
    assert stored(superuser, "referrals", "reason", referral_id) == REASON
    assert column_type() == "text"
    assert lea.get(f"/referrals/{referral_id}").get_json()["reason"] == REASON, \
        "plaintext from before is read as it is"
    migrate(command.downgrade, "0004", None)  # nothing encrypted: no key store needed
    migrate(command.upgrade, "0005", network.field_cipher)
    assert stored(superuser, "referrals", "reason", referral_id).startswith("lotse1$")
    assert lea.get(f"/referrals/{referral_id}").get_json()["reason"] == REASON
    with superuser.connect() as connection:  # row-level security is forced again
        assert connection.execute(sa.text(
            "SELECT relforcerowsecurity FROM pg_class WHERE relname = 'referrals'")).scalar_one()
