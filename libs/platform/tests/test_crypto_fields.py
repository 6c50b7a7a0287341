"""Encrypted columns (lotse_platform.crypto, ADR 0104) without a service: the format, the binding
to tenant and column, the data keys a process keeps, rotation and shredding, and the column
types in tenant sessions (SQLite; the services' tests run the same on PostgreSQL)."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from lotse_platform.crypto import (
    EncryptedJSON,
    EncryptedText,
    FieldCipher,
    FieldUnreadable,
    NoFieldKeys,
    encrypted_columns,
    fields_of,
    key_id_of,
)
from lotse_platform.crypto.store import key_store_path
from lotse_platform.db import create_engine, session_factory
from lotse_platform.sealing import LocalKeyDirectory

TENANT = uuid.UUID("6f1c1e4e-8a52-4a57-9d43-0d7d3c1c2a11")
OTHER = uuid.UUID("0b0e6a4c-58b4-4a0f-9d5e-2a7b8f1c3d42")


@pytest.fixture
def keys(tmp_path) -> LocalKeyDirectory:
    return LocalKeyDirectory(tmp_path / "keys")


def test_a_value_is_bound_to_its_tenant_and_column(keys):
    cipher = FieldCipher(keys)
    stored = cipher.encrypt(TENANT, "contacts.notes", "Depression, Aufenthalt unsicher")
    assert stored.startswith("lotse1$") and "Depression" not in stored
    assert key_id_of(stored) == keys.key_ids(TENANT)[0]
    assert cipher.decrypt(TENANT, "contacts.notes", stored) == "Depression, Aufenthalt unsicher"
    cipher.current_key_id(OTHER)
    for tenant, place in ((OTHER, "contacts.notes"), (TENANT, "transfers.note")):
        with pytest.raises(FieldUnreadable):
            cipher.decrypt(tenant, place, stored)
    altered = stored[:-3] + ("A" if stored[-3] != "A" else "B") + stored[-2:]
    with pytest.raises(FieldUnreadable):
        cipher.decrypt(TENANT, "contacts.notes", altered)
    with pytest.raises(FieldUnreadable):
        cipher.decrypt(TENANT, "contacts.notes", "lotse1$garbage")


def test_the_same_text_encrypts_differently_each_time(keys):
    cipher = FieldCipher(keys)
    first, second = (cipher.encrypt(TENANT, "contacts.notes", "gleich") for _ in range(2))
    assert first != second
    assert first.split("$")[2] == second.split("$")[2], "one data key per process and tenant"


def test_without_cache_every_value_has_its_own_data_key(keys):
    cipher = FieldCipher(keys, cache_seconds=0)
    first, second = (cipher.encrypt(TENANT, "contacts.notes", "gleich") for _ in range(2))
    assert first.split("$")[2] != second.split("$")[2]
    assert cipher.decrypt(TENANT, "contacts.notes", first) == "gleich"


def test_plaintext_from_before_encryption_is_read_as_it_is(keys):
    assert FieldCipher(keys).decrypt(TENANT, "contacts.notes", "alte Notiz") == "alte Notiz"
    assert key_id_of("alte Notiz") is None


def test_rotation_new_values_take_the_new_key_old_ones_stay_readable(keys):
    cipher = FieldCipher(keys)
    old = cipher.encrypt(TENANT, "contacts.notes", "alt")
    new_key = keys.rotate(TENANT)
    assert key_id_of(cipher.encrypt(TENANT, "contacts.notes", "x")) != new_key, \
        "within the cache time the process keeps its data key"
    cipher.forget(TENANT)
    new = cipher.encrypt(TENANT, "contacts.notes", "neu")
    assert key_id_of(new) == new_key != key_id_of(old)
    assert cipher.decrypt(TENANT, "contacts.notes", old) == "alt"
    assert FieldCipher(keys).decrypt(TENANT, "contacts.notes", old) == "alt"


def test_shredding_makes_every_value_unreadable(keys):
    cipher = FieldCipher(keys)
    stored = cipher.encrypt(TENANT, "contacts.notes", "geheim")
    keys.shred(TENANT)
    cipher.forget(TENANT)
    with pytest.raises(FieldUnreadable) as refused:
        cipher.decrypt(TENANT, "contacts.notes", stored)
    assert refused.value.status == 410 and "geheim" not in str(refused.value.detail)


def test_a_key_store_is_named_by_a_file_url():
    assert str(key_store_path("file:/var/lib/lotse/keys")) == "/var/lib/lotse/keys"
    assert str(key_store_path("file:///var/lib/lotse/keys")) == "/var/lib/lotse/keys"
    for wrong in ("vault:lotse", "/var/lib/keys", "file:"):
        with pytest.raises(ValueError):
            key_store_path(wrong)


metadata = sa.MetaData()
notes = sa.Table("notes", metadata, sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("tenant_id", sa.Uuid, nullable=False),
                 sa.Column("text", EncryptedText("notes.text"), nullable=True),
                 sa.Column("facts", EncryptedJSON("notes.facts"), nullable=True))


@pytest.fixture
def engine(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'fields.db'}")
    metadata.create_all(engine)
    yield engine
    engine.dispose()


def test_the_column_types_encrypt_in_a_tenant_session(engine, keys):
    cipher = FieldCipher(keys)
    sessions = session_factory(engine, cipher)
    session = sessions()
    session.set_tenant(TENANT)
    with session.begin():
        session.execute(notes.insert().values(id=1, tenant_id=TENANT, text="Schulden",
                                              facts={"status": "Duldung", "n": [1, 2]}))
    with session.begin():
        row = session.execute(sa.select(notes.c.text, notes.c.facts)).one()
    assert (row.text, row.facts) == ("Schulden", {"status": "Duldung", "n": [1, 2]})
    with engine.connect() as connection:
        raw = connection.execute(sa.text("SELECT text, facts FROM notes")).one()
    assert raw.text.startswith("lotse1$") and "Duldung" not in raw.facts
    assert encrypted_columns(metadata) == [notes.c.text, notes.c.facts]
    session.close()


def test_writing_without_keys_is_refused_and_reading_after_the_session_does_not_leak(engine,
                                                                                 keys):
    with pytest.raises(sa.exc.StatementError) as refused, engine.begin() as connection:
        connection.execute(notes.insert().values(id=2, tenant_id=TENANT, text="ohne Schlüssel"))
    assert isinstance(refused.value.orig, NoFieldKeys)
    unkeyed = session_factory(engine)()
    unkeyed.set_tenant(TENANT)
    with pytest.raises(sa.exc.StatementError), unkeyed.begin():
        unkeyed.execute(notes.insert().values(id=3, tenant_id=TENANT, text="ohne Schlüssel"))
    with fields_of(FieldCipher(keys), TENANT), engine.begin() as connection:
        connection.execute(notes.insert().values(id=4, tenant_id=TENANT, text="mit"))
    with engine.connect() as connection, pytest.raises(FieldUnreadable):
        connection.execute(sa.select(notes.c.text)).all()


def test_the_keys_command_makes_rotates_lists_and_destroys_a_tenants_keys(tmp_path, capsys):
    import argparse
    from types import SimpleNamespace

    from lotse_platform.cli import EXIT_CONFIGURATION, _keys

    container = SimpleNamespace(settings=SimpleNamespace(key_directory=tmp_path / "keys",
                                                         field_key_cache_seconds=60.0))

    def keys(action: str, **more) -> int:
        return _keys("example", container, argparse.Namespace(
            action=action, tenant=TENANT, yes=more.get("yes", False), batch_size=500))

    assert keys("new") == 0
    assert keys("new") == EXIT_CONFIGURATION, "a second first key is refused"
    assert keys("rotate") == 0
    capsys.readouterr()
    assert keys("list") == 0
    listed = capsys.readouterr().out.split()
    assert listed == LocalKeyDirectory(tmp_path / "keys").key_ids(TENANT) and len(listed) == 2
    assert keys("destroy") == EXIT_CONFIGURATION, "not without --yes"
    assert LocalKeyDirectory(tmp_path / "keys").key_ids(TENANT) == listed
    assert keys("destroy", yes=True) == 0
    assert LocalKeyDirectory(tmp_path / "keys").key_ids(TENANT) == []
    container.settings.key_directory = None
    assert keys("list") == EXIT_CONFIGURATION


def test_the_key_store_setting_names_a_directory_or_is_refused_with_its_name(tmp_path,
                                                                             capsys):
    from lotse_platform.settings import ConfigurationError, ServiceSettings, load_settings

    chosen = load_settings(ServiceSettings, database_url="sqlite://",
                           key_store=f"file:{tmp_path}", key_dir=tmp_path / "older")
    assert chosen.key_directory == tmp_path, "LOTSE_KEY_STORE before LOTSE_KEY_DIR"
    assert load_settings(ServiceSettings, database_url="sqlite://",
                         key_dir=tmp_path).key_directory == tmp_path
    assert load_settings(ServiceSettings, database_url="sqlite://").key_directory is None
    with pytest.raises(ConfigurationError):
        load_settings(ServiceSettings, database_url="sqlite://", key_store="vault:lotse")
    assert "LOTSE_KEY_STORE is invalid" in capsys.readouterr().err
