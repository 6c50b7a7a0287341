"""The control plane: keep HAProxy's configuration in step with the route table and the keys.

    gateway = Gateway(settings)
    gateway.start()                 # fetch keys, render, docs server, haproxy
    gateway.run_until(stop_event)   # poll JWKS and route table; re-render and reload on change

Every ``LOTSE_GATEWAY_JWKS_POLL_INTERVAL`` seconds the JWKS of every trusted issuer is fetched.
When the usable keys changed (a key published, one withdrawn) or the route table file did, new
key files and a new ``haproxy.cfg`` are written, checked with ``haproxy -c`` and loaded with a
reload of the master: the new worker takes the listening sockets over, the old one finishes what
it serves. A JWKS that cannot be fetched keeps the keys last seen. ``status.json`` in the state
directory says what is loaded (keys by issuer and kid, never key material) and whether old workers
are still draining.

Rotation protocol this relies on (identity follows it, see docs/gateway.md): a new key is
published well before it signs (longer than the poll interval), and a withdrawn key stopped
signing longer ago than the lifetime of its tokens.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from datetime import UTC, datetime
from pathlib import Path

from lotse_platform import outgoing

from .docs import create_app
from .haproxy import HAProxy, HAProxyError, check_config, find_binary, version
from .keys import IssuerKeys, fetch_issuer_keys, remove_key_files, write_key_files
from .openapi import AggregatedOpenAPI
from .render import RenderOptions, render
from .routes import RouteTable, RouteTableError, load_routes
from .settings import GatewaySettings

log = logging.getLogger("lotse.gateway")


class Gateway:
    def __init__(self, settings: GatewaySettings, *, table: RouteTable | None = None) -> None:
        self.settings = settings
        self.state_dir = settings.state_dir.resolve()
        self.config_path = self.state_dir / "haproxy.cfg"
        self.table = table or load_routes(settings.routes)
        self._routes_stamp = _stamp(settings.routes)
        self.binary = find_binary(settings.haproxy)
        self.haproxy_version = version(self.binary)
        self.keys: dict[str, IssuerKeys] = {i.issuer: IssuerKeys(i) for i in settings.issuers()}
        # the JWKS polls' connections (to identity and the trusted issuers), closed by stop()
        self.http = outgoing.http_client(timeout=settings.jwks_timeout)
        self.haproxy = HAProxy(self.binary, self.config_path, self.state_dir)
        self.openapi = AggregatedOpenAPI(lambda: self.table.effective_routes(),
                                         max_age=settings.openapi_cache_seconds)
        self.generation = 0
        self._status: dict = {}
        self._docs_server = None

    # -- rendering ---------------------------------------------------------------------------------
    @property
    def options(self) -> RenderOptions:
        s = self.settings
        return RenderOptions(bind=s.bind, metrics_bind=s.metrics_bind, docs_address=s.docs_bind,
                             state_dir=self.state_dir, threads=s.threads, leeway=s.token_leeway,
                             hard_stop_after=s.hard_stop_after,
                             idle_close_on_response=self.haproxy_version >= (2, 7))

    def refresh_keys(self) -> bool:
        """Fetch every issuer's JWKS; True when the usable keys changed."""
        changed = False
        for issuer_name, known in list(self.keys.items()):
            fresh = fetch_issuer_keys(known.issuer, known, client=self.http)
            if (fresh.keys, fresh.available) != (known.keys, known.available):
                log.info("gateway.keys_changed", extra={
                    "issuer": issuer_name, "kids": sorted({k.kid for k in fresh.keys})})
                changed = True
            self.keys[issuer_name] = fresh
        return changed

    def write_config(self) -> Path:
        """Key files and haproxy.cfg, checked by HAProxy before they replace the running ones."""
        options = self.options
        self.state_dir.mkdir(parents=True, exist_ok=True)
        keys = [key for entry in self.keys.values() for key in entry.keys]
        write_key_files(options.key_dir, keys)
        candidate = self.config_path.with_suffix(".cfg.new")
        candidate.write_text(render(self.table, list(self.keys.values()), options))
        check_config(self.binary, candidate)
        candidate.replace(self.config_path)
        self.generation += 1
        return self.config_path

    def forget_old_key_files(self) -> None:
        # HAProxy reads key files when it parses; the running configuration needs only its own
        remove_key_files(self.options.key_dir,
                         {key.file_name for entry in self.keys.values() for key in entry.keys})

    # -- running -----------------------------------------------------------------------------------
    def start(self) -> None:
        self.refresh_keys()
        self.write_config()
        self.forget_old_key_files()
        self._start_docs_server()
        self.haproxy.start()
        self.write_status()
        log.info("gateway.started", extra={"bind": self.settings.bind,
                                           "routes": len(self.table.routes),
                                           "haproxy": ".".join(map(str, self.haproxy_version))})

    def step(self) -> bool:
        """One round of the control loop; True when HAProxy was reloaded."""
        changed = self.refresh_keys()
        stamp = _stamp(self.settings.routes)
        if stamp != self._routes_stamp:
            self._routes_stamp = stamp
            try:
                table = load_routes(self.settings.routes)
            except RouteTableError as error:
                log.error("gateway.routes_rejected", extra={"error": str(error)})
            else:
                changed = changed or table != self.table
                self.table = table
        reloaded = False
        if changed:
            try:
                self.write_config()
                self.haproxy.reload()
                self.forget_old_key_files()
                reloaded = True
            except HAProxyError as error:
                log.error("gateway.reload_failed", extra={"error": str(error)})
        self.write_status()
        return reloaded

    def run_until(self, stop: threading.Event) -> int:
        while not stop.wait(self.settings.jwks_poll_interval):
            if not self.haproxy.running:
                log.error("gateway.haproxy_exited")
                return 1
            self.step()
        return 0

    def stop(self) -> None:
        self.haproxy.stop()
        if self._docs_server is not None:
            self._docs_server.close()
        self.openapi.close()
        self.http.close()

    def _start_docs_server(self) -> None:
        from waitress import create_server

        host, port = self.settings.docs_bind.rsplit(":", 1)
        app = create_app(self.openapi, lambda: self._status)
        self._docs_server = create_server(app, host=host.strip("[]"), port=int(port), threads=4,
                                          ident="lotse-gateway")
        threading.Thread(target=self._docs_server.run, name="gateway-docs", daemon=True).start()

    # -- status ------------------------------------------------------------------------------------
    def write_status(self) -> dict:
        try:
            workers = self.haproxy.workers() if self.haproxy.running else None
        except OSError:
            workers = None
        self._status = {
            "generation": self.generation,
            "updated": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "haproxy": {"running": self.haproxy.running,
                        "reloads": workers.reloads if workers else None,
                        "draining": len(workers.old) if workers else None},
            "issuers": {name: {"available": entry.available,
                               "keys": [{"kid": k.kid, "algorithm": k.algorithm}
                                        for k in entry.keys]}
                        for name, entry in self.keys.items()},
            "routes": [route.name for route in self.table.routes],
        }
        target = self.state_dir / "status.json"
        temporary = target.with_suffix(".json.tmp")
        temporary.write_text(json.dumps(self._status, indent=2))
        temporary.replace(target)
        return self._status


def _stamp(path: Path) -> tuple[float, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_mtime, stat.st_size)

