"""Embedded mode (``make run``): every installed service in one process, on one port.

    lotse-embedded [--port 8080] [--host 127.0.0.1] [--data-dir .lotse] [--no-demo]
                   [--history-people N]

Same code as in the cluster, other plumbing (ARCHITECTURE.md, run modes): each service gets a
SQLite file ``<data-dir>/<service>.db``, the bus is kombu's in-memory transport, each service's
relay, consumer, audit sealer and checkpoint writer run as threads (the checkpoints in
``<data-dir>/audit-anchors``), and a path dispatcher (no proxy) mounts each API at
``/api/v1/<service>``. A service's database is seeded with the demo county when it is created,
and with the county's year of history (ADR 0093: ``LOTSE_DEMO_HISTORY_PEOPLE`` people, each
step through the services' own commands on its day).
Nothing here is for production: data lives in local files, and until the identity service
exists tokens come from a development issuer whose key lives only in this process.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, jsonify, redirect
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from lotse_demo import COUNTY
from lotse_demo.history import DEFAULT_PEOPLE, History, plan_history
from lotse_gateway.docs import register_docs
from lotse_gateway.openapi import merge
from lotse_gateway.routes import load_routes
from lotse_gateway.settings import DEFAULT_ROUTES
from lotse_platform import clock
from lotse_platform.audit import create_key_file
from lotse_platform.auth.devtokens import DevIssuer
from lotse_platform.logging import configure_logging
from lotse_platform.service import Service, installed_services
from lotse_platform.settings import ConfigurationError, load_settings

from . import demo_reports

log = logging.getLogger("lotse.embedded")

API_PREFIX = "/api/v1"
TOKEN_TTL = 12 * 3600


@dataclass
class Mounted:
    service: Service
    prefix: str
    seeded: int = 0


@dataclass
class Login:
    """How a person logs in to this embedded platform: printed in the banner, served at ``/``."""

    how: str
    tokens: dict[str, str]


class Platform:
    """The services of one embedded process: built, migrated, seeded, then served."""

    def __init__(self, data_dir: Path, *, base_url: str, demo: bool = True,
                 history_people: int = 0) -> None:
        self.data_dir = data_dir
        self.base_url = base_url
        self.demo = demo
        self.history_people = history_people
        self._history: History | None = None
        self.mounted: list[Mounted] = []
        self.stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._reports: threading.Thread | None = None
        self.login = Login("", {})
        self.docs_url: str | None = None

    def build(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        os.environ.setdefault("LOTSE_MODE", "embedded")
        os.environ.setdefault("LOTSE_BROKER_URL", "memory://")
        # the public URL, e.g. for the token issuer's ``iss`` and its discovery document
        os.environ.setdefault("LOTSE_PUBLIC_URL", self.base_url)
        self._anchor_audit_chains()
        # the tenants' keys of every service's encrypted columns and signed copies (ADR 0104,
        # ADR 0082), one file per tenant, made on first use
        os.environ.setdefault("LOTSE_KEY_DIR", str(self.data_dir / "keys"))
        classes = installed_services()
        if not classes:
            raise RuntimeError("no Lotse services are installed (entry point group lotse.services)")
        for cls in classes:  # in start order: the token issuer (identity) comes first
            database = self.data_dir / f"{cls.name}.db"
            is_new = not database.exists()
            settings = load_settings(cls.settings_class, database_url=f"sqlite:///{database}")
            service = cls(settings)
            service.migrate()
            mounted = Mounted(service, cls.prefix())
            if self.demo and is_new:
                mounted.seeded = service.seed_demo(COUNTY)
                mounted.seeded += service.seed_history(COUNTY, self.history())
                if self.history_people and demo_reports.seeds_reports(service):
                    # its 2-week reports once the workers have projected the history (ADR 0102)
                    demo_reports.plan(self.data_dir, self.history().today)
            self.mounted.append(mounted)
            log.info("embedded.service_ready",
                     extra={"service_name": cls.name, "seeded": mounted.seeded})
        issuers = [m.service for m in self.mounted if m.service.token_keys() is not None]
        if issuers:
            keys, issuer = issuers[0].token_keys()
            hint = getattr(issuers[0], "embedded_login_hint", None)
            self.login = Login(hint(self.base_url) if callable(hint) else "the identity service",
                               {})
        else:
            keys, issuer = self._dev_token_keys()
        for mounted in self.mounted:
            mounted.service.trust(keys, issuer)

    def history(self) -> History:
        """The demo county's year before today (ADR 0093), planned once for every service."""
        if self._history is None:
            self._history = plan_history(clock.today(COUNTY.tenant_id), self.history_people)
        return self._history

    def _anchor_audit_chains(self) -> None:
        """Checkpoints of the audit chains beside the SQLite files, signed with a key made on the
        first start (ADR 0066). Beside the databases they catch a change made to a database
        file alone, not one by whoever can also write this folder; LOTSE_AUDIT_ANCHOR_DIR set
        (empty: none) or LOTSE_AUDIT_ANCHOR_KEY[_FILE] set are taken as they are."""
        os.environ.setdefault("LOTSE_AUDIT_ANCHOR_DIR", str(self.data_dir / "audit-anchors"))
        if not os.environ["LOTSE_AUDIT_ANCHOR_DIR"] or os.environ.get("LOTSE_AUDIT_ANCHOR_KEY"):
            return
        key_file = Path(os.environ.setdefault("LOTSE_AUDIT_ANCHOR_KEY_FILE",
                                              str(self.data_dir / "audit-anchor.key")))
        if not key_file.exists():
            create_key_file(key_file)
            log.info("embedded.audit_anchor_key_created", extra={"file": str(key_file)})

    def _dev_token_keys(self):
        # No identity service installed: a development issuer, its tokens printed.
        issuer = DevIssuer(issuer=f"{self.base_url}/dev-issuer")
        tokens = {}
        for username in ("cm.hoexter", "ks.koch", "admin"):
            user = COUNTY.user(username)
            areas = [str(COUNTY.area(a).id) for a in user.areas]
            tokens[username] = issuer.issue(
                str(user.id), COUNTY.tenant_id, str(COUNTY.organisation(user.organisation).id),
                user.roles, areas=areas, ttl=TOKEN_TTL)
        self.login = Login(
            "development tokens (valid 12 h; restart for new ones): "
            "send them as 'Authorization: Bearer <token>'", tokens)
        return issuer.keys(), issuer.issuer

    def start_workers(self) -> None:
        # Topology before traffic (ADR 0003), as `lotse-<service> setup` does in the cluster:
        # every queue is bound before any relay starts, else an event published while its
        # consumer's thread is still starting is routed nowhere and lost.
        for mounted in self.mounted:
            mounted.service.declare_topology()
        for mounted in self.mounted:
            for loop_name, loop in mounted.service.worker_loops().items():
                thread = threading.Thread(target=self._guard(loop), daemon=True,
                                          name=f"{mounted.service.name}-{loop_name}")
                thread.start()
                self._threads.append(thread)

    def start_demo_reports(self) -> threading.Thread | None:
        """In the background, once reporting has projected the history's events: the demo case
        managers' 2-week reports of the past periods (ADR 0102); nothing when they are done."""
        reporting = next((m.service for m in self.mounted
                          if demo_reports.seeds_reports(m.service)), None)
        if reporting is None or demo_reports.pending_plan(self.data_dir) is None:
            return None
        producers = [m.service for m in self.mounted if m.service is not reporting]

        def run() -> None:
            try:
                demo_reports.submit_reports(self.data_dir, reporting, producers, COUNTY,
                                            self.stop)
            except Exception:  # the demo's reports failing must be seen; the platform serves on
                log.exception("embedded.demo_reports_failed")

        self._reports = threading.Thread(target=run, daemon=True, name="demo-reports")
        self._reports.start()
        return self._reports

    def _guard(self, loop):
        def run() -> None:
            try:
                loop(self.stop)
            except Exception:  # a dying loop must be seen, not silently stop the pipeline
                log.exception("embedded.loop_crashed")
                self.stop.set()

        return run

    def wsgi_app(self):
        mounts = {m.prefix: m.service.create_app() for m in self.mounted}
        return DispatcherMiddleware(self._index_app(mounts), mounts)

    def _index_app(self, mounts: dict[str, Flask]) -> Flask:
        app = Flask("lotse_embedded")
        self.docs_url = _serve_docs(app, self.mounted, mounts, self.base_url)

        console = next((m for m in self.mounted if not m.service.describes_api), None)

        @app.get("/")
        def start():
            """The web console where it is installed (ADR 0099), else the list of services."""
            if console is not None:
                return redirect(f"{console.prefix}/", code=302)
            return services()

        @app.get("/services")
        def services():
            return jsonify(
                platform="Lotse (embedded mode)",
                **({"docs": self.docs_url} if self.docs_url else {}),
                **({"console": f"{self.base_url}{console.prefix}/"} if console else {}),
                services={m.service.name: {
                    "api": f"{self.base_url}{m.prefix}",
                    "openapi": f"{self.base_url}{m.prefix}/openapi.json",
                } for m in self.mounted if m.service.describes_api},
                login={"how": self.login.how, "tokens": self.login.tokens},
            )

        @app.get("/healthz")
        def healthz():
            alive = not self.stop.is_set() and all(t.is_alive() for t in self._threads)
            return jsonify(status="ok" if alive else "failing"), 200 if alive else 503

        return app

    def shutdown(self) -> None:
        self.stop.set()
        if self._reports is not None:  # it ends after the report in hand
            self._reports.join(timeout=30)
        for thread in self._threads:
            thread.join(timeout=10)
        for mounted in self.mounted:
            mounted.service.engine.dispose()

    def banner(self) -> str:
        lines = ["", "Lotse is running in embedded mode (SQLite, in-memory bus, one process).", "",
                 f"  Start here:   {self.base_url}/",
                 f"  Services:     {self.base_url}/services"]
        if self.docs_url:
            lines.append(f"  API docs:     {self.docs_url} (every service, try it out with a token)")
        for m in self.mounted:
            if not m.service.describes_api:
                lines.append(f"  {m.service.name + ':':<13} {self.base_url}{m.prefix}/ (web console)")
                continue
            lines.append(f"  {m.service.name + ':':<13} {self.base_url}{m.prefix}/openapi.json")
        if demo_reports.pending_plan(self.data_dir) is not None:
            lines.append("  Reports:      the demo case managers' 2-week reports are submitted in "
                         "the background (log: embedded.demo_reports_done)")
        lines += ["", f"  Data:         {self.data_dir.resolve()} (delete it to start afresh)",
                  "", f"  Log in with {self.login.how}:"]
        for username, token in self.login.tokens.items():
            lines.append(f"    {username}: {token}")
        lines += ["", "  Stop with Ctrl-C.", ""]
        return "\n".join(lines)


class _MountedOpenAPI:
    """The mounted services' OpenAPI descriptions merged as the gateway merges them (paths under
    each service's prefix, components and tags named after the service), read once from the
    apps themselves: they do not change while the process runs."""

    def __init__(self, routes: dict, mounts: dict[str, Flask]) -> None:
        self._routes, self._mounts = routes, mounts
        self._document: dict | None = None
        self._lock = threading.Lock()

    def document(self) -> dict:
        with self._lock:
            if self._document is None:
                documents = {}
                for name, route in self._routes.items():
                    with self._mounts[route.prefix].test_client() as client:
                        documents[name] = (route, client.get("/openapi.json").get_json())
                self._document = merge(documents, title="Lotse API (embedded mode)")
            return self._document


def _serve_docs(app: Flask, mounted: list[Mounted], mounts: dict[str, Flask],
                base_url: str) -> str:
    """The gateway's ``/openapi.json`` and Swagger UI (``/docs/``) for the mounted services, with
    the gateway's route table telling which paths need no token."""
    known = {route.name: route for route in load_routes(DEFAULT_ROUTES).effective_routes()}
    routes = {}
    for m in mounted:
        if not m.service.describes_api:
            continue
        route = known.get(m.service.name)
        if route is None or route.prefix != m.prefix:
            log.warning("embedded.docs_without_route", extra={"service_name": m.service.name})
            continue
        routes[m.service.name] = route
    register_docs(app, _MountedOpenAPI(routes, mounts))
    return f"{base_url}/docs/"


def _history_people(parser: argparse.ArgumentParser) -> int:
    value = os.environ.get("LOTSE_DEMO_HISTORY_PEOPLE", str(DEFAULT_PEOPLE))
    try:
        return int(value)
    except ValueError:
        parser.error(f"LOTSE_DEMO_HISTORY_PEOPLE must be a whole number, not {value!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lotse-embedded", description=__doc__.split("\n")[0])
    parser.add_argument("--host", default=os.environ.get("LOTSE_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOTSE_PORT", "8080")))
    parser.add_argument("--data-dir", type=Path,
                        default=Path(os.environ.get("LOTSE_DATA_DIR", ".lotse")))
    parser.add_argument("--no-demo", action="store_true", help="do not seed the demo county")
    parser.add_argument("--threads", type=int, default=8, help="HTTP worker threads")
    parser.add_argument("--history-people", type=int, default=_history_people(parser),
                        help="people in the demo county's year of history (0: none; "
                             f"LOTSE_DEMO_HISTORY_PEOPLE, default {DEFAULT_PEOPLE})")
    args = parser.parse_args(argv)
    if args.history_people < 0:
        parser.error("--history-people must be 0 or more")

    configure_logging("embedded", level=os.environ.get("LOTSE_LOG_LEVEL", "INFO"),
                      fmt=os.environ.get("LOTSE_LOG_FORMAT", "text"))
    base_url = f"http://{'localhost' if args.host in ('127.0.0.1', '0.0.0.0') else args.host}:{args.port}"
    platform = Platform(args.data_dir, base_url=base_url, demo=not args.no_demo,
                        history_people=args.history_people)
    try:
        platform.build()
    except ConfigurationError as error:
        return error.code

    from waitress import create_server

    try:
        server = create_server(platform.wsgi_app(), host=args.host, port=args.port,
                               threads=args.threads, ident="lotse")
    except OSError as error:
        print(f"lotse-embedded: cannot listen on {args.host}:{args.port}: {error.strerror}",
              file=sys.stderr)
        return 1
    platform.start_workers()
    platform.start_demo_reports()

    def stop(*_):
        platform.stop.set()
        server.close()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(platform.banner(), flush=True)
    try:
        server.run()
    except (OSError, ValueError):
        if not platform.stop.is_set():  # closing the server ends run() this way
            raise
    finally:
        platform.shutdown()
    log.info("embedded.stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
