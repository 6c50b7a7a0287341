"""Free text of a case file encrypted with the tenant's keys (issue 15 point 4, ADR 0104), on
the real PostgreSQL: the column holds ciphertext, the API gives the text back, another tenant's
keys open nothing, a rotation leaves old values readable and ``keys re-encrypt`` moves them all
onto the newest key, and after ``keys destroy`` the API answers 410 instead of the text."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from lotse_platform.cli import _keys
from lotse_platform.crypto import FieldUnreadable, key_id_of
from lotse_platform.crypto.rewrite import re_encrypt
from lotse_platform.sealing import LocalKeyDirectory
from lotse_platform.testing import days_ago

from casework_steps import ok
from casework_support import open_test_case

pytestmark = pytest.mark.integration

NOTE = "Klientin berichtet von Depression und Druck der ABH"


def record(caller, case_id, notes: str = NOTE) -> str:
    return ok(caller.post(f"/cases/{case_id}/contacts", {
        "type": "appointment", "occurred_on": days_ago(0), "duration_minutes": 30,
        "topics": ["health"], "notes": notes}), 201)["id"]


def stored_notes(superuser, contact_id: str) -> str:
    with superuser.connect() as connection:
        return connection.execute(sa.text("SELECT notes FROM contacts WHERE id = :id"),
                                  {"id": contact_id}).scalar_one()


def notes_via_api(caller, case_id) -> list[str | None]:
    return [c["notes"] for c in ok(caller.get(f"/cases/{case_id}/contacts"), 200)["contacts"]]


class Args:
    def __init__(self, action: str, tenant: uuid.UUID, **more) -> None:
        self.action, self.tenant, self.yes, self.batch_size = action, tenant, False, 500
        self.__dict__.update(more)


def test_the_column_holds_ciphertext_and_the_api_the_text(casework, tenant, as_user, superuser):
    lea = as_user("cm-lea")
    case_id = open_test_case(casework, tenant, "cm-lea")
    contact_id = record(lea, case_id)
    stored = stored_notes(superuser, contact_id)
    assert stored.startswith("lotse1$") and "Depression" not in stored and "ABH" not in stored
    assert key_id_of(stored) in LocalKeyDirectory(casework.settings.key_directory).key_ids(tenant)
    assert notes_via_api(lea, case_id) == [NOTE]
    with superuser.connect() as connection:  # the JSON of a goal's history is encrypted as well
        kinds = connection.execute(sa.text(
            "SELECT data_type FROM information_schema.columns WHERE table_name = 'goals' "
            "AND column_name IN ('history', 'statement')")).scalars().all()
    assert kinds == ["text", "text"]


def test_another_tenants_keys_and_another_column_open_nothing(casework, tenant, as_user,
                                                             superuser):
    case_id = open_test_case(casework, tenant, "cm-lea")
    stored = stored_notes(superuser, record(as_user("cm-lea"), case_id))
    cipher = casework.field_cipher
    assert cipher.decrypt(tenant, "contacts.notes", stored) == NOTE
    other = uuid.uuid4()
    cipher.current_key_id(other)  # the other tenant has keys of its own
    with pytest.raises(FieldUnreadable):
        cipher.decrypt(other, "contacts.notes", stored)
    with pytest.raises(FieldUnreadable):  # copied into another column of the same tenant
        cipher.decrypt(tenant, "transfers.note", stored)


def test_a_rotation_keeps_old_values_readable_and_re_encrypt_moves_them_all(
        casework, tenant, as_user, superuser, capsys):
    lea = as_user("cm-lea")
    case_id = open_test_case(casework, tenant, "cm-lea")
    before = [record(lea, case_id, f"vorher {n}") for n in range(3)]
    old_key = key_id_of(stored_notes(superuser, before[0]))

    assert _keys("casework", casework, Args("rotate", tenant)) == 0
    casework.field_cipher.forget(tenant)  # as every process does within its cache time
    after = record(lea, case_id, "nachher")
    new_key = key_id_of(stored_notes(superuser, after))
    assert new_key != old_key
    assert LocalKeyDirectory(casework.settings.key_directory).key_ids(tenant)[-1] == new_key
    assert sorted(notes_via_api(lea, case_id)) == ["nachher", "vorher 0", "vorher 1", "vorher 2"]

    def tenant_session():
        session = casework.sessions()
        session.set_tenant(tenant)
        return session

    moved = re_encrypt(tenant_session, casework.metadata, casework.field_cipher, tenant,
                       batch_size=2)
    assert moved["contacts"] == 3, "the three older notes, in two batches; the new one stays"
    assert {key_id_of(stored_notes(superuser, c)) for c in [*before, after]} == {new_key}
    assert sorted(notes_via_api(lea, case_id)) == ["nachher", "vorher 0", "vorher 1", "vorher 2"]
    again = re_encrypt(tenant_session, casework.metadata, casework.field_cipher, tenant)
    assert sum(again.values()) == 0
    capsys.readouterr()
    assert _keys("casework", casework, Args("re-encrypt", tenant)) == 0
    assert "contacts: 0 rows re-encrypted" in capsys.readouterr().out


def test_plaintext_from_before_the_migration_is_read_and_re_encrypted(casework, tenant,
                                                                     as_user, superuser):
    lea = as_user("cm-lea")
    case_id = open_test_case(casework, tenant, "cm-lea")
    contact_id = record(lea, case_id)
    with superuser.begin() as connection:  # as an older release wrote it
        connection.execute(sa.text("UPDATE contacts SET notes = 'alte Notiz' WHERE id = :id"),
                           {"id": contact_id})
    assert notes_via_api(lea, case_id) == ["alte Notiz"]

    def tenant_session():
        session = casework.sessions()
        session.set_tenant(tenant)
        return session

    assert re_encrypt(tenant_session, casework.metadata, casework.field_cipher,
                      tenant)["contacts"] == 1
    assert stored_notes(superuser, contact_id).startswith("lotse1$")
    assert notes_via_api(lea, case_id) == ["alte Notiz"]


def test_after_the_keys_are_destroyed_the_api_answers_410_and_nothing_decrypts(
        casework, tenant, as_user, superuser):
    lea = as_user("cm-lea")
    case_id = open_test_case(casework, tenant, "cm-lea")
    contact_id = record(lea, case_id)
    assert _keys("casework", casework, Args("destroy", tenant)) != 0, "only with --yes"
    assert notes_via_api(lea, case_id) == [NOTE]
    assert _keys("casework", casework, Args("destroy", tenant, yes=True)) == 0
    casework.field_cipher.forget(tenant)  # as every process does within its cache time

    stored = stored_notes(superuser, contact_id)
    assert stored.startswith("lotse1$") and "Depression" not in stored
    refused = lea.get(f"/cases/{case_id}/contacts")
    assert refused.status_code == 410
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert refused.get_json()["type"].endswith("encrypted-data-unreadable")
    with pytest.raises(FieldUnreadable):
        casework.field_cipher.decrypt(tenant, "contacts.notes", stored)

