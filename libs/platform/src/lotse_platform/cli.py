"""The command line every service has (``lotse-<service> …``), the same for all.

    lotse-example setup          migrate, and declare the service's queues on the broker
    lotse-example migrate        run the service's migrations as the table owner
    lotse-example check-db       the start-up check alone (tenant isolation, migration head)
    lotse-example api            the HTTP API under gunicorn (LOTSE_BIND, LOTSE_WORKERS)
    lotse-example worker         outbox relay, audit sealer, audit checkpoints (anchor, with
                                 LOTSE_AUDIT_ANCHOR_DIR), expiry of audit notes (audit_notes)
                                 and event consumers until SIGTERM
    lotse-example worker --only relay --only sealer --only audit_notes
    lotse-example seed-demo      write the demo county's data of this service (idempotent)
    lotse-example keys new --tenant <id>      the tenant's first key in the key store
                                 (LOTSE_KEY_STORE / LOTSE_KEY_DIR; else made on first use)
    lotse-example keys rotate --tenant <id>   a new newest key of the tenant (new seals and
                                 encrypted values use it; what older keys sealed stays readable)
    lotse-example keys list --tenant <id>     the tenant's key ids, oldest first
    lotse-example keys re-encrypt --tenant <id>   rewrite the tenant's encrypted columns under
                                 its newest key, in batches, while the service runs (ADR 0104)
    lotse-example keys destroy --tenant <id> --yes   crypto-shredding: the tenant's keys are
                                 destroyed, nothing encrypted or sealed for it opens again
    lotse-example retention sweep [--tenant <id>]   start the erasure of every person whose
                                 record's retention period ended (the coordinating service;
                                 its worker runs the same sweep once a day, ADR 0109)

Exit status: 0 done, 2 configuration error (one line on stderr names the variable), 3 the
database is unsafe or not migrated, 4 the database cannot be reached (one line on stderr).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import uuid
from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any

import sqlalchemy as sa

from .db.safety import UnsafeDatabase
from .sealing import LocalKeyDirectory
from .settings import ConfigurationError

EXIT_CONFIGURATION = 2
EXIT_UNSAFE_DATABASE = 3
EXIT_DATABASE_UNREACHABLE = 4


DEMO_ENTRY_POINT_GROUP = "lotse.demo"


def demo_county() -> Any | None:
    """The demo county (package ``lotse-demo``, entry point ``lotse.demo: county``), or None
    when it is not installed; the platform itself never imports it."""
    found = entry_points(group=DEMO_ENTRY_POINT_GROUP, name="county")
    return next(iter(found)).load() if found else None


def _configure_logging(service: str, settings: Any) -> None:
    from .logging import configure_logging

    configure_logging(service, level=settings.log_level, fmt=settings.log_format)


def _parser(service: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"lotse-{service}",
                                     description=f"Lotse {service} service")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("setup", help="migrate and declare the broker topology (before start)")
    commands.add_parser("declare", help="declare the broker topology only (exchanges, this "
                        "instance's queues), e.g. by the county for a provider's instance")
    commands.add_parser("migrate", help="run the migrations as the table owner")
    commands.add_parser("check-db", help="check tenant isolation and migration state")
    commands.add_parser("api", help="serve the HTTP API with gunicorn (LOTSE_BIND, LOTSE_WORKERS)")
    worker = commands.add_parser("worker", help="outbox relay, audit sealer, audit checkpoints, "
                                                "expiry of audit notes, event consumers and — "
                                                "the coordinating service — the daily "
                                                "retention sweep")
    worker.add_argument("--only", action="append", metavar="LOOP",
                        help="run only this loop (relay, sealer, anchor, audit_notes, consumer, "
                             "retention); "
                             "repeatable")
    commands.add_parser("seed-demo", help="write the demo county's data (idempotent)")
    keys = commands.add_parser("keys", help="the tenants' key-encryption keys in the key store "
                                            "(ADR 0082, ADR 0104)")
    keys.add_argument("action", choices=("new", "rotate", "list", "re-encrypt", "destroy"))
    keys.add_argument("--tenant", required=True, type=uuid.UUID, help="the tenant's id")
    keys.add_argument("--yes", action="store_true",
                      help="destroy: yes, the tenant's encrypted data is to become unreadable")
    keys.add_argument("--batch-size", type=int, default=500,
                      help="re-encrypt: rows per transaction")
    retention = commands.add_parser(
        "retention", help="the retention policy (ADR 0106): 'sweep' starts the erasure of every "
                          "person whose record's period ended (run by a timer)")
    retention.add_argument("action", choices=("sweep",))
    retention.add_argument("--tenant", action="append", type=uuid.UUID, default=None,
                           help="only this tenant (repeatable); default: every tenant")
    return parser


def _keys(service: str, container: Any, args: argparse.Namespace) -> int:
    """The tenant's keys: new, rotate, list, destroy need no database; re-encrypt does."""
    directory = container.settings.key_directory
    if directory is None:
        print(f"lotse-{service}: no key store: set LOTSE_KEY_STORE (file:/path) or LOTSE_KEY_DIR",
              file=sys.stderr)
        return EXIT_CONFIGURATION
    keys = LocalKeyDirectory(directory)
    tenant: uuid.UUID = args.tenant
    if args.action == "new":
        if keys.key_ids(tenant):
            print(f"lotse-{service}: the tenant has keys already (use rotate)", file=sys.stderr)
            return EXIT_CONFIGURATION
        print(f"new key {keys.rotate(tenant)}")
    elif args.action == "rotate":
        print(f"new key {keys.rotate(tenant)}; older keys stay readable (keys re-encrypt moves "
              "encrypted columns onto it)")
    elif args.action == "list":
        for key_id in keys.key_ids(tenant):
            print(key_id)
    elif args.action == "destroy":
        if not args.yes:
            print(f"lotse-{service}: destroying makes everything encrypted or sealed for the "
                  "tenant unreadable for good; repeat with --yes", file=sys.stderr)
            return EXIT_CONFIGURATION
        keys.shred(tenant)
        print("the tenant's keys are destroyed; destroy the key store's backups too; running "
              f"processes forget their copies within {container.settings.field_key_cache_seconds:g} s")
    else:
        return _re_encrypt(container, tenant, args.batch_size)
    return 0


def _re_encrypt(container: Any, tenant: uuid.UUID, batch_size: int) -> int:
    from .crypto.rewrite import re_encrypt

    def tenant_session() -> Any:
        session = container.sessions()
        session.set_tenant(tenant)
        return session

    done = re_encrypt(tenant_session, container.metadata, container.field_cipher, tenant,
                      batch_size=batch_size)
    for table, rows in done.items():
        print(f"{table}: {rows} rows re-encrypted")
    return 0


def service_main(service: str, bootstrap: Callable[[], Any],
                 argv: list[str] | None = None) -> int:
    args = _parser(service).parse_args(argv)
    try:
        container = bootstrap()
    except ConfigurationError:
        return EXIT_CONFIGURATION
    _configure_logging(service, container.settings)
    log = logging.getLogger(f"lotse.{service}")

    if args.command == "keys":
        return _keys(service, container, args)
    if args.command == "declare":
        container.declare_topology()
        log.info("topology.declared")
        return 0
    if args.command in ("migrate", "setup"):
        container.migrate()
        log.info("migrate.done")
        if args.command == "setup":
            container.declare_topology()
            log.info("topology.declared")
        return 0
    try:
        container.check_database()
    except UnsafeDatabase as error:
        print(f"refusing to start: {error}", file=sys.stderr)
        return EXIT_UNSAFE_DATABASE
    except sa.exc.OperationalError as error:
        # the driver's reason on one line (never the URL: it may hold a password)
        reason = " ".join(str(error.orig).split())
        print(f"refusing to start: cannot reach the database: {reason}", file=sys.stderr)
        return EXIT_DATABASE_UNREACHABLE
    if args.command == "check-db":
        print("database ok: tenant isolation in place, schema at head")
        return 0
    if args.command == "seed-demo":
        county = demo_county()
        if county is None:
            print(f"lotse-{service}: no demo county is installed (package lotse-demo)",
                  file=sys.stderr)
            return EXIT_CONFIGURATION
        written = container.seed_demo(county)
        print(f"{service}: {written} demo records written" if written
              else f"{service}: demo data already present")
        return 0
    if args.command == "api":
        return _exec_gunicorn(service, container)
    if args.command == "retention":
        started = container.retention_sweep(args.tenant)
        log.info("retention.swept", extra={"tenants": len(started),
                                           "erasures": sum(started.values())})
        print(f"{service}: {sum(started.values())} erasures started in {len(started)} tenants")
        return 0

    from .worker import run_loops

    loops = container.worker_loops() if hasattr(container, "worker_loops") else {
        "relay": container.relay().run, "consumer": container.consumer().run}
    if args.only:
        unknown = [name for name in args.only if name not in loops]
        if unknown:
            print(f"lotse-{service}: this service has no {unknown[0]} loop (it has "
                  f"{', '.join(sorted(loops))})", file=sys.stderr)
            return EXIT_CONFIGURATION
        loops = {name: loops[name] for name in args.only}
    run_loops(loops)
    return 0


def _exec_gunicorn(service: str, container: Any) -> int:
    """Replace this process with gunicorn serving ``lotse_<service>:create_app()``."""
    from .http import gunicorn_conf

    package = type(container).__module__.split(".")[0]
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", f"/tmp/lotse-metrics-{service}-{os.getpid()}")
    # the settings as a file, not as ``python:lotse_platform.http.gunicorn_conf``: a module path
    # would import the package (Flask and the rest of the platform) into gunicorn's master,
    # which only supervises its workers — about 30 MB of every API (issue 16, ADR 0111)
    argv = [sys.executable, "-m", "gunicorn", "-c", gunicorn_conf.__file__,
            "--name", f"lotse-{service}", f"{package}:create_app()"]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, argv)
    return 0  # pragma: no cover - execv does not return
