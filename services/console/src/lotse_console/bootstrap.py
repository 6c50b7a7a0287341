"""The one place that wires the web console: the platform's container (settings, database,
migrations, the ``lotse-console`` command line, the run modes) with a browser app in place of
a JSON API.

What differs from a service with an API (ADR 0099): the console is mounted at ``/console``,
not ``/api/v1/console``; it describes no API of its own; it publishes and consumes no events,
so its worker only purges ended sessions.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from lotse_platform import clock
from lotse_platform.http import database_check
from lotse_platform.service import Service
from lotse_platform.worker import Loop

from .adapters import orm
from .adapters.sessions import ServerSideSessions, SessionStore
from .settings import PREFIX, SERVICE, ConsoleSettings

if TYPE_CHECKING:
    from flask import Flask

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
#: how often the worker deletes ended sessions
PURGE_INTERVAL = 60.0

log = logging.getLogger("lotse.console")


class ConsoleService(Service):
    name = SERVICE
    title = "Lotse web console"
    settings_class = ConsoleSettings
    migrations = MIGRATIONS
    metadata = orm.metadata
    tables = orm.platform
    mount_prefix = PREFIX
    describes_api = False
    # after every service with an API: its pages read theirs
    start_order = 90
    local_port = 8109
    settings: ConsoleSettings

    @cached_property
    def session_store(self) -> SessionStore:
        return SessionStore(self.engine)

    def session_interface(self) -> ServerSideSessions:
        s = self.settings
        return ServerSideSessions(self.session_store,
                                  idle=timedelta(minutes=s.session_idle_minutes),
                                  max_age=timedelta(hours=s.session_max_hours),
                                  secure=s.secure_cookies())

    def readiness(self) -> dict[str, Callable[[], None]]:
        return {"database": database_check(self.engine)}

    def create_app(self, *, check_database: bool = True) -> Flask:
        from .entrypoints.web.app import create_console_app

        return create_console_app(self)

    def declare_topology(self) -> None:
        """Nothing: the console neither publishes nor consumes events."""

    def worker_loops(self) -> dict[str, Loop]:
        return {"sessions": self._purge_sessions}

    def _purge_sessions(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                ended = self.session_store.purge(clock.now())
            except Exception:  # the database away for a while: try again on the next round
                log.warning("console.session_purge_failed", exc_info=True)
            else:
                if ended:
                    log.info("console.sessions_purged", extra={"count": ended})
            stop.wait(PURGE_INTERVAL)


def bootstrap(settings: ConsoleSettings | None = None) -> ConsoleService:
    return ConsoleService(settings)
