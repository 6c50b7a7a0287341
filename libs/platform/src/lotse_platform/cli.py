"""The command line every service has (``lotse-<service> …``), the same for all.

    lotse-example migrate        run the service's migrations as the table owner
    lotse-example check-db       the start-up check alone (tenant isolation, migration head)
    lotse-example worker         outbox relay and event consumers until SIGTERM
    lotse-example worker --only relay
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from typing import Any, Protocol

from .db.safety import UnsafeDatabase
from .settings import ConfigurationError


class ServiceContainer(Protocol):
    settings: Any

    def migrate(self) -> None: ...
    def check_database(self) -> None: ...
    def relay(self): ...
    def consumer(self): ...


def _configure_logging(service: str, settings) -> None:
    try:
        from .logging import configure_logging
    except ImportError:  # pragma: no cover - during bootstrap of the platform itself
        logging.basicConfig(level=settings.log_level)
        return
    configure_logging(service, level=settings.log_level, fmt=settings.log_format)


def service_main(service: str, bootstrap: Callable[[], ServiceContainer],
                 argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=f"lotse-{service}")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="run the migrations as the table owner")
    commands.add_parser("check-db", help="check tenant isolation and migration state")
    worker = commands.add_parser("worker", help="outbox relay and event consumers")
    worker.add_argument("--only", choices=["relay", "consumer"], help="run one loop only")
    args = parser.parse_args(argv)

    try:
        container = bootstrap()
    except ConfigurationError as error:
        return error.code
    _configure_logging(service, container.settings)
    log = logging.getLogger(f"lotse.{service}")

    if args.command == "migrate":
        container.migrate()
        log.info("migrate.done")
        return 0
    try:
        container.check_database()
    except UnsafeDatabase as error:
        print(f"refusing to start: {error}", file=sys.stderr)
        return 3
    if args.command == "check-db":
        print("database ok: tenant isolation in place, schema at head")
        return 0

    from .worker import run_loops

    loops = {}
    if args.only in (None, "relay"):
        loops["relay"] = container.relay().run
    if args.only in (None, "consumer"):
        loops["consumer"] = container.consumer().run
    run_loops(loops)
    return 0
