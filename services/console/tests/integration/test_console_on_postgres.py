"""The console's own database on the real PostgreSQL, as the app role (no owner rights): the
migration, the start-up check, the session store, the shared signing key and the purge of the
worker."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from lotse_console.adapters.sessions import EXPIRES
from lotse_console.bootstrap import ConsoleService
from lotse_console.settings import ConsoleSettings
from lotse_platform import clock
from lotse_platform.testing import poll

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def console(databases):
    database = databases.create("console")
    service = ConsoleService(ConsoleSettings(database_url=database.app_url,
                                             migration_database_url=database.owner_url,
                                             mode="local"))
    service.migrate()
    yield service
    service.engine.dispose()


def test_the_migrated_database_passes_the_start_up_check(console):
    console.check_database()  # raises when unsafe or not at head


def test_sessions_are_kept_for_the_app_role_and_end_on_time(console):
    store, now = console.session_store, clock.now()
    store.save("a-cookie", {"user": {"subject": "u-1"}}, now, now + timedelta(minutes=30))
    store.save("a-cookie", {"user": {"subject": "u-1"}, "more": 1}, now,
               now + timedelta(minutes=40))
    assert store.load("a-cookie", now + timedelta(minutes=35)) == {
        "user": {"subject": "u-1"}, "more": 1,
        EXPIRES: (now + timedelta(minutes=40)).isoformat()}
    assert store.load("a-cookie", now + timedelta(minutes=41)) is None


def test_every_worker_signs_with_the_same_key(console):
    other = ConsoleService(console.settings)
    try:
        assert other.session_store.secret("csrf") == console.session_store.secret("csrf")
    finally:
        other.engine.dispose()


def test_the_worker_purges_ended_sessions(console):
    store, now = console.session_store, clock.now()
    store.save("ended", {}, now - timedelta(hours=2), now - timedelta(hours=1))
    # read as of before its end, the row is still there until the worker deletes it
    assert store.load("ended", now - timedelta(hours=2)) == {
        EXPIRES: (now - timedelta(hours=1)).isoformat()}
    stop = threading.Event()
    worker = threading.Thread(target=console.worker_loops()["sessions"], args=(stop,))
    worker.start()
    try:
        poll(lambda: store.load("ended", now - timedelta(hours=2)) is None,
             message="the ended session purged by the worker")
    finally:
        stop.set()
        worker.join(timeout=10)
