"""The audit chain anchored outside its database (ADR 0066): the checkpoint writer signs each
tenant's chain head into a write-once directory, and ``lotse-audit verify`` holds the chain
against those checkpoints. The three rewrites a chain alone cannot show — an entry changed and
every later one re-computed, the last entry deleted, the last entry unsealed — fail verification
on SQLite and on PostgreSQL; an untouched trail with checkpoints verifies."""

from __future__ import annotations

import os
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations

from lotse.audit.v1.events_pb2 import CheckpointWritten
from lotse_example.bootstrap import bootstrap
from lotse_example.settings import ExampleSettings
from lotse_platform.audit import (
    AnchorDirectory,
    AuditCheckpointer,
    AuditEntry,
    AuditSealer,
    AuditTrail,
    Checkpoint,
    load_signing_key,
    public_key_text,
)
from lotse_platform.audit.anchor import new_signing_key, signing_key_text
from lotse_platform.audit.chain import entry_hash
from lotse_platform.audit.cli import main
from lotse_platform.db import create_engine, platform_tables, session_factory
from lotse_platform.db.migrations import create_platform_tables, grant_app_role
from lotse_platform.settings import ConfigurationError, load_settings
from lotse_platform.testing import poll

AUDIT_LOG = platform_tables(sa.MetaData()).audit_log
TRAIL = AuditTrail(AUDIT_LOG)
KEY = new_signing_key()
PUBLIC = public_key_text(KEY)


@dataclass
class Trail:
    """A database with the platform's tables: the application's URL and one that may tamper
    (SQLite: the same file; PostgreSQL: a superuser past the trigger and row-level security)."""

    app_url: str
    tamper_url: str
    anchors: Path

    def append(self, tenant: uuid.UUID, count: int) -> None:
        engine = create_engine(self.app_url, poolclass=sa.pool.NullPool)
        sessions = session_factory(engine)
        for n in range(count):
            with sessions() as session:
                session.set_tenant(tenant)
                TRAIL.record(session, tenant, AuditEntry(
                    actor=f"user-{n}", action="read", record_type="case", record_id=str(n)))
                session.commit()
        AuditSealer(engine, AUDIT_LOG).seal(tenant)
        engine.dispose()

    def checkpointer(self, engine: sa.Engine, key=KEY) -> AuditCheckpointer:
        return AuditCheckpointer(engine, AUDIT_LOG, service="casework",
                                 directory=AnchorDirectory(self.anchors), key=key)

    def checkpoint(self, tenant: uuid.UUID) -> list[Checkpoint]:
        """A round of the writer; the checkpoints it wrote for ``tenant`` (the PostgreSQL
        database holds the other tests' tenants too)."""
        engine = create_engine(self.app_url, poolclass=sa.pool.NullPool)
        try:
            written = self.checkpointer(engine).checkpoint_all()
        finally:
            engine.dispose()
        return [c for c in written if c.tenant_id == tenant]

    def tamper(self, *statements: sa.Executable) -> None:
        engine = create_engine(self.tamper_url, poolclass=sa.pool.NullPool)
        postgres = engine.dialect.name == "postgresql"
        with engine.begin() as connection:
            if postgres:
                connection.execute(sa.text(
                    "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
            for statement in statements:
                connection.execute(statement)
            if postgres:
                connection.execute(sa.text(
                    "ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"))
        engine.dispose()

    def rows(self, tenant: uuid.UUID) -> list[dict]:
        engine = create_engine(self.tamper_url, poolclass=sa.pool.NullPool)
        with engine.connect() as connection:
            found = [dict(r._mapping) for r in connection.execute(
                sa.select(AUDIT_LOG).where(AUDIT_LOG.c.tenant_id == tenant,
                                           AUDIT_LOG.c.seq.is_not(None))
                .order_by(AUDIT_LOG.c.seq))]
        engine.dispose()
        return found

    def verify(self, capsys, *extra: str) -> tuple[int, str, str]:
        code = main(["verify", "--database-url", self.tamper_url if "--all-tenants" in extra
                     else self.app_url, "--service", "casework", "--anchor-dir",
                     str(self.anchors), "--anchor-key", PUBLIC, *extra])
        out, err = capsys.readouterr()
        # what the command says, not the platform's log lines a handler left by an earlier
        # module's container may add (the migrations' "Context impl …")
        said = "".join(line for line in err.splitlines(keepends=True)
                       if not line.startswith('{"timestamp"'))
        return code, out, said


def _create_tables(url: str, app_role: str | None = None) -> None:
    engine = create_engine(url, poolclass=sa.pool.NullPool)
    with engine.begin() as connection:
        create_platform_tables(Operations(MigrationContext.configure(connection)))
        if app_role:
            connection.execute(sa.text(
                "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)"))
            grant_app_role(connection, app_role)
    engine.dispose()


@pytest.fixture
def sqlite_trail(tmp_path) -> Trail:
    url = f"sqlite:///{tmp_path / 'casework.db'}"
    _create_tables(url)
    return Trail(url, url, tmp_path / "anchors")


@pytest.fixture(scope="module")
def anchor_database(databases):
    db = databases.create("anchor")
    _create_tables(db.owner_url, app_role="lotse_app")
    return db


@pytest.fixture
def pg_trail(anchor_database, tmp_path) -> Trail:
    return Trail(anchor_database.app_url, anchor_database.admin_url, tmp_path / "anchors")


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.integration)])
def trail(request) -> Trail:
    return request.getfixturevalue(f"{request.param}_trail")


# -- the three rewrites of a chain's end -----------------------------------------------------------

def edit_and_rechain(trail: Trail, tenant: uuid.UUID) -> None:
    """Entry 3 changed, then 3, 4, 5 re-computed: the chain is intact in itself."""
    rows = trail.rows(tenant)
    statements, previous = [], rows[1]["hash"]
    for row in rows[2:]:
        values = dict(row, prev_hash=previous)
        if row["seq"] == 3:
            values["action"] = "export"
        previous = entry_hash(values)
        statements.append(sa.update(AUDIT_LOG).where(AUDIT_LOG.c.id == row["id"]).values(
            action=values["action"], prev_hash=values["prev_hash"], hash=previous))
    trail.tamper(*statements)


def last(tenant: uuid.UUID) -> sa.ColumnElement[bool]:
    return sa.and_(AUDIT_LOG.c.tenant_id == tenant, AUDIT_LOG.c.seq == 5)


def delete_last(trail: Trail, tenant: uuid.UUID) -> None:
    trail.tamper(sa.delete(AUDIT_LOG).where(last(tenant)))


def unseal_last(trail: Trail, tenant: uuid.UUID) -> None:
    trail.tamper(sa.update(AUDIT_LOG).where(last(tenant)).values(seq=None, prev_hash=None,
                                                                 hash=None))


@pytest.mark.parametrize("attack, broken", [
    (edit_and_rechain, "chain broken at entry 5: entry 5 differs from the checkpoint of "),
    (delete_last, "chain broken at entry 5: entry 5 missing: the checkpoint of "),
    (unseal_last, "chain broken at entry 5: entry 5 missing: the checkpoint of "),
], ids=["edit-and-rechain", "delete-last", "unseal-last"])
def test_a_rewritten_end_of_the_chain_fails_verification(capsys, trail, attack, broken):
    tenant = uuid.uuid4()
    trail.append(tenant, 5)
    assert [c.seq for c in trail.checkpoint(tenant)] == [5]
    capsys.readouterr()

    attack(trail, tenant)

    code, out, _ = trail.verify(capsys, "--tenant", str(tenant))
    assert code == 1
    assert out.startswith(f"tenant {tenant}: {broken}"), out
    assert main(["verify", "--database-url", trail.app_url, "--tenant", str(tenant)]) == 0, \
        "the chain alone cannot tell"


def test_an_untouched_trail_with_checkpoints_verifies(capsys, trail):
    tenant = uuid.uuid4()
    trail.append(tenant, 3)
    trail.checkpoint(tenant)
    trail.append(tenant, 2)
    [second] = trail.checkpoint(tenant)
    trail.append(tenant, 1)

    code, out, err = trail.verify(capsys, "--tenant", str(tenant))

    assert (code, err) == (0, "")
    at = second.at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert out == (f"tenant {tenant}: 6 entries, chain intact; anchored at entry 5 (checkpoint "
                   f"of {at}, 1 entries after it)\n")


def test_a_tenant_whose_every_entry_is_gone_is_found_through_its_checkpoints(capsys,
                                                                            sqlite_trail):
    kept, wiped = sorted([uuid.uuid4(), uuid.uuid4()])
    sqlite_trail.append(kept, 1)
    sqlite_trail.append(wiped, 2)
    sqlite_trail.checkpoint(wiped)
    sqlite_trail.tamper(sa.delete(AUDIT_LOG).where(AUDIT_LOG.c.tenant_id == wiped))

    code, out, _ = sqlite_trail.verify(capsys, "--all-tenants")

    assert code == 1
    assert out.splitlines()[1].startswith(
        f"tenant {wiped}: chain broken at entry 1: entries 1 to 2 missing: the checkpoint of ")


def test_a_checkpoint_not_signed_with_the_anchor_key_or_unreadable_fails_verification(
        capsys, sqlite_trail):
    tenant = uuid.uuid4()
    sqlite_trail.append(tenant, 2)
    engine = create_engine(sqlite_trail.app_url, poolclass=sa.pool.NullPool)
    sqlite_trail.checkpointer(engine, key=new_signing_key()).checkpoint_all()  # a forger's
    engine.dispose()

    code, out, _ = sqlite_trail.verify(capsys, "--tenant", str(tenant))

    assert code == 1
    assert out.splitlines()[0].startswith(
        f"tenant {tenant}: checkpoint 00000000000000000002.json: signature does not verify "
        "with the given key")
    (sqlite_trail.anchors / "casework" / str(tenant) / "00000000000000000009.json").write_text("{")
    code, out, _ = sqlite_trail.verify(capsys, "--tenant", str(tenant))
    assert code == 1
    assert f"tenant {tenant}: checkpoint 00000000000000000009.json: unreadable" in out


# -- the writer --------------------------------------------------------------------------------------

def test_the_writer_anchors_a_head_once_read_only_and_only_when_it_moved(trail):
    tenant = uuid.uuid4()
    trail.append(tenant, 2)

    [first] = trail.checkpoint(tenant)
    assert trail.checkpoint(tenant) == [], "the head did not move"
    assert AnchorDirectory(trail.anchors).write(first) is False, "a second worker was first"
    trail.append(tenant, 1)
    [second] = trail.checkpoint(tenant)

    folder = trail.anchors / "casework" / str(tenant)
    assert sorted(p.name for p in folder.iterdir()) == [
        "00000000000000000002.json", "00000000000000000003.json"]
    assert all(not os.access(p, os.W_OK) or os.geteuid() == 0 for p in folder.iterdir())
    assert (first.seq, second.seq) == (2, 3)
    assert second.head_hash == trail.rows(tenant)[-1]["hash"]


def test_the_writer_signs_no_head_a_rewrite_produced(trail):
    tenant = uuid.uuid4()
    trail.append(tenant, 5)
    trail.checkpoint(tenant)
    edit_and_rechain(trail, tenant)
    trail.append(tenant, 1)

    assert trail.checkpoint(tenant) == [], "not anchored again"
    folder = trail.anchors / "casework" / str(tenant)
    assert [p.name for p in folder.iterdir()] == ["00000000000000000005.json"]


def test_the_worker_runs_the_writer_when_an_anchor_directory_is_set(tmp_path):
    settings = ExampleSettings(database_url=f"sqlite:///{tmp_path / 'example.db'}",
                               mode="embedded", audit_anchor_dir=tmp_path / "anchors",
                               audit_anchor_key=signing_key_text(KEY), audit_anchor_interval=1)
    example = bootstrap(settings)
    example.migrate()
    tenant = uuid.uuid4()
    with example.uow(tenant) as uow:
        uow.audit("read", "note", "n-1")
        uow.commit()
    loops = example.worker_loops()
    assert {"relay", "sealer", "anchor", "audit_notes"} <= set(loops)
    stop = threading.Event()
    thread = threading.Thread(target=loops["anchor"], args=(stop,))
    thread.start()
    try:
        folder = tmp_path / "anchors" / "example" / str(tenant)
        poll(lambda: folder.is_dir() and any(folder.iterdir()), message="a checkpoint")
    finally:
        stop.set()
        thread.join(timeout=10)
    [written] = [Checkpoint.from_json(p.read_text()) for p in folder.iterdir()]
    outbox = example.tables.outbox
    with example.engine.connect() as connection:
        [event] = connection.execute(sa.select(outbox).where(outbox.c.tenant_id == tenant)).all()
    example.engine.dispose()
    copy = CheckpointWritten.FromString(event.payload)
    assert (event.event_type, event.source) == ("audit.checkpoint.written.v1", "/lotse/example")
    assert (copy.seq, copy.head_hash, copy.signature) == (1, written.head_hash,
                                                          written.signature)


def test_an_anchor_directory_without_a_key_stops_the_start_naming_the_variables(capsys,
                                                                               monkeypatch):
    monkeypatch.delenv("LOTSE_AUDIT_ANCHOR_KEY_FILE", raising=False)
    monkeypatch.delenv("LOTSE_AUDIT_ANCHOR_KEY", raising=False)
    monkeypatch.setenv("LOTSE_AUDIT_ANCHOR_DIR", "/var/lib/lotse/anchors")

    with pytest.raises(ConfigurationError) as refused:
        load_settings(ExampleSettings, database_url="sqlite://")

    assert "LOTSE_AUDIT_ANCHOR_DIR needs LOTSE_AUDIT_ANCHOR_KEY" in str(refused.value)
    monkeypatch.setenv("LOTSE_AUDIT_ANCHOR_KEY", "not a key")
    with pytest.raises(ConfigurationError) as refused:
        load_settings(ExampleSettings, database_url="sqlite://")
    assert str(refused.value).startswith("configuration error: LOTSE_AUDIT_ANCHOR_KEY is invalid")


def test_the_key_is_given_as_a_file_or_a_variable_and_verify_needs_only_its_public_half(
        tmp_path, capsys, monkeypatch, sqlite_trail):
    key_file = tmp_path / "anchor.key"
    assert main(["anchor-key", "new", str(key_file)]) == 0
    public = capsys.readouterr().out.strip()
    assert key_file.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    assert main(["anchor-key", "new", str(key_file)]) == 2, "a key is never replaced"
    key = load_signing_key(key_file.read_text())
    assert public_key_text(key) == public
    tenant = uuid.uuid4()
    sqlite_trail.append(tenant, 2)
    engine = create_engine(sqlite_trail.app_url, poolclass=sa.pool.NullPool)
    sqlite_trail.checkpointer(engine, key=key).checkpoint_all()
    engine.dispose()
    verify = ["verify", "--database-url", sqlite_trail.app_url, "--tenant", str(tenant),
              "--service", "casework", "--anchor-dir", str(sqlite_trail.anchors)]
    capsys.readouterr()

    for given in ([], ["--anchor-key", public], ["--anchor-key", str(key_file)]):
        for variable, value in (("LOTSE_AUDIT_ANCHOR_KEY_FILE", str(key_file)),
                                ("LOTSE_AUDIT_ANCHOR_KEY", signing_key_text(key)),
                                ("LOTSE_AUDIT_ANCHOR_PUBLIC_KEY", public)):
            with monkeypatch.context() as env:
                for name in ("LOTSE_AUDIT_ANCHOR_KEY_FILE", "LOTSE_AUDIT_ANCHOR_KEY",
                             "LOTSE_AUDIT_ANCHOR_PUBLIC_KEY"):
                    env.delenv(name, raising=False)
                env.setenv(variable, value)
                assert main(verify + given) == 0, (given, variable)
                assert "anchored at entry 2" in capsys.readouterr().out
    assert main(verify + ["--anchor-key", PUBLIC]) == 1, "another key's checkpoints are refused"


def test_a_public_key_beginning_with_a_dash_is_taken_as_the_key_not_as_an_option(
        capsys, sqlite_trail):
    key = next(k for k in iter(new_signing_key, None) if public_key_text(k).startswith("-"))
    tenant = uuid.uuid4()
    sqlite_trail.append(tenant, 2)
    engine = create_engine(sqlite_trail.app_url, poolclass=sa.pool.NullPool)
    sqlite_trail.checkpointer(engine, key=key).checkpoint_all()
    engine.dispose()
    verify = ["verify", "--database-url", sqlite_trail.app_url, "--tenant", str(tenant),
              "--service", "casework", "--anchor-dir", str(sqlite_trail.anchors)]

    assert main(verify + ["--anchor-key", public_key_text(key)]) == 0, capsys.readouterr().err
    assert main(verify + [f"--anchor-key={public_key_text(key)}"]) == 0


@pytest.mark.parametrize("argv, message", [
    (["--anchor-dir", "."], "--service names the service"),
    (["--anchor-dir", "/nonexistent/anchors", "--service", "casework"], "does not exist"),
    (["--anchor-dir", ".", "--service", "casework", "--anchor-key", "nonsense"],
     "--anchor-key is not an Ed25519 public key"),
])
def test_anchor_arguments_that_cannot_work_exit_2(capsys, sqlite_trail, argv, message):
    code = main(["verify", "--database-url", sqlite_trail.app_url, "--tenant",
                 str(uuid.uuid4()), *argv])

    assert code == 2 and message in capsys.readouterr().err


def test_without_an_anchor_directory_verify_warns_what_it_cannot_see(capsys, sqlite_trail,
                                                                      monkeypatch):
    monkeypatch.delenv("LOTSE_AUDIT_ANCHOR_DIR", raising=False)
    tenant = uuid.uuid4()
    sqlite_trail.append(tenant, 1)

    code = main(["verify", "--database-url", sqlite_trail.app_url, "--tenant", str(tenant)])

    out, err = capsys.readouterr()
    assert (code, out) == (0, f"tenant {tenant}: 1 entries, chain intact\n")
    assert "cannot be detected" in err
