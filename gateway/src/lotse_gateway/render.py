"""The route table and the issuers' keys → ``haproxy.cfg``.

What a request meets, in order (frontend ``api``, then the route's backend):

1. ``X-Request-ID`` kept when it is a plain token, else HAProxy's ``unique-id`` (a UUID);
   ``traceparent`` kept when valid W3C trace context, else a new one. Both go upstream and come
   back on every answer, the gateway's own included.
2. Per client address: ``http_req_rate`` in a stick table, 429 with ``Retry-After`` over the limit.
3. CORS preflight: 204 for the configured origins, 403 for every other.
4. The route: the longest prefix wins; no route is 404. A route of pages (the whole prefix
   public, the web console) answers its bare prefix with a redirect to ``<prefix>/``, and the
   console's route takes ``/`` (ADR 0099).
5. In the route's backend: paths blocked at the gateway (``/metrics``) are 404; unless the path
   is public, the bearer token is checked — algorithm on the allow-list (``none`` never is), a
   known ``kid`` of a trusted issuer, the signature (``jwt_verify``, one rule per key), ``exp``,
   ``nbf``, ``iat`` (with leeway), ``sub``, ``aud`` — and refused with 401 and
   ``WWW-Authenticate`` (HAProxy 2.6's ``jwt_verify`` checks the signature only; the claims are
   checked here with ``jwt_payload_query`` and ``date()``).
6. Per user (issuer + subject, hashed): 429 with ``Retry-After``.
7. ``Content-Length`` over the route's limit: 413. No server up: 503 with ``Retry-After``
   (HAProxy's own, as a problem document).
8. The prefix is stripped (services serve at their root) and sent as ``X-Forwarded-Prefix``.

HAProxy's own failures (no server, upstream timeout) are problem documents too (``http-error``).
Connections to the services are kept alive and reused (``option http-keep-alive``, ``http-reuse
safe``; the services' gunicorn workers keep them open): no TCP connection per forwarded request.
The access log is one JSON line per request: route, method, path with ids replaced, status,
timings, the refusal reason — no query string, no client address, no token, no user.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .keys import IssuerKeys
from .problems import HAPROXY_ERRORS, RETRY_AFTER_SECONDS, error_problem, quoted, return_problem
from .routes import EffectiveRoute, RouteTable
from .token_rules import token_rules

DOCS_BACKEND = "gateway-docs"
UNROUTED_BACKEND = "gateway-unrouted"
USER_TABLE = "gateway-users"
CLIENT_TABLE = "gateway-clients"
_REQUEST_ID = r"^[A-Za-z0-9._:-]{1,100}$"
_TRACEPARENT = r"^(?!ff)[0-9a-f]{2}-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$"
_DOT_SEGMENT = r"(^|/)\.{1,2}(/|$)"
_UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"

_LOG_FORMAT = (
    '{"ts":%Ts.%ms,"request_id":"%[var(txn.request_id)]","route":"%b","method":"%HM",'
    '"path":"%[var(txn.log_path)]","status":%ST,"duration_ms":%Ta,"upstream_ms":%Tr,'
    '"bytes_sent":%B,"termination":"%tsc","refusal":"%[var(txn.auth_error)]"}'
)


@dataclass(frozen=True)
class RenderOptions:
    bind: str = "127.0.0.1:8080"
    metrics_bind: str = "127.0.0.1:8405"
    docs_address: str = "127.0.0.1:8099"
    state_dir: Path = Path("/tmp/lotse-gateway")
    threads: int = 1
    leeway: int = 30
    maxconn: int = 4096
    hard_stop_after: int = 60
    #: HAProxy >= 2.7: idle keep-alive connections are closed after their next answer on reload
    idle_close_on_response: bool = False

    @property
    def key_dir(self) -> Path:
        return self.state_dir / "keys"


def render(table: RouteTable, issuers: Sequence[IssuerKeys], options: RenderOptions) -> str:
    routes = table.effective_routes()
    sections = [
        _header(),
        _global(options),
        _defaults(),
        _frontend(table, routes, options),
        *(_route_backend(route, table, issuers, options) for route in routes),
        _docs_backend(options),
        _unrouted_backend(),
        _tables(table),
        _metrics_frontend(options),
    ]
    return "\n".join(sections)


def _section(title: str, lines: Sequence[str]) -> str:
    return "\n".join([title, *(f"    {line}" if line else "" for line in lines)]) + "\n"


def _header() -> str:
    return ("# Written by `lotse-gateway render` from the route table and the issuers' JWKS.\n"
            "# Do not edit: it is rewritten whenever routes or keys change.\n")


def _global(options: RenderOptions) -> str:
    lines = [
        "log stdout format raw daemon",
        f"nbthread {options.threads}",
        f"maxconn {options.maxconn}",
        f"hard-stop-after {options.hard_stop_after}s",
        # the new worker takes the listening sockets over from the old one: no refused connects
        f"stats socket {options.state_dir / 'admin.sock'} mode 600 level admin "
        "expose-fd listeners",
    ]
    if options.idle_close_on_response:
        lines.append("idle-close-on-response")
    return _section("global", lines)


def _defaults() -> str:
    lines = [
        "mode http",
        "log global",
        "option dontlognull",
        f"log-format {quoted(_LOG_FORMAT)}",
        "option forwardfor",
        # connections to the services are kept and reused, not one per request: their gunicorn
        # workers keep a connection alive for 65 s (lotse_platform.http.gunicorn_conf), longer
        # than HAProxy normally leaves one idle (pool-purge-delay, 5 s, closes idle connections
        # down to what the traffic needs). Never httpclose or http-server-close here
        "option http-keep-alive",
        "http-reuse safe",
        # a refused connect is retried (nothing was sent); a connection that dies before any
        # answer only for idempotent methods (disable-l7-retry in each route), so a GET racing
        # an upstream's death gets the 503 of a route without servers, not a 502
        "retries 1",
        "retry-on conn-failure empty-response",
        "option redispatch 1",
        "timeout connect 3s",
        "timeout client 30s",
        "timeout server 30s",
        "timeout http-request 10s",
        "timeout http-keep-alive 10s",
        "timeout queue 5s",
        "timeout check 2s",
        *(error_problem(status, detail,
                        {"Retry-After": str(RETRY_AFTER_SECONDS)} if status == 503 else None)
          for status, detail in HAPROXY_ERRORS.items()),
    ]
    return _section("defaults", lines)


def _frontend(table: RouteTable, routes: Sequence[EffectiveRoute],
              options: RenderOptions) -> str:
    client = table.limits.per_client
    cors = table.cors
    origins = " ".join(quoted(origin) for origin in cors.origins)
    lines = [
        # defer-accept: a connection is handed over only with its request, so a reload never
        # closes one that is still silent
        f"bind {options.bind} defer-accept",
        f"maxconn {options.maxconn}",
        "unique-id-format %[uuid()]",
        "",
        "# request id and trace context: kept when well-formed, else made here",
        "http-request set-var(txn.request_id) req.fhdr(x-request-id) "
        f"if {{ req.fhdr(x-request-id) -m reg {quoted(_REQUEST_ID)} }}",
        "http-request set-var(txn.request_id) unique-id unless { var(txn.request_id) -m found }",
        "http-request set-header X-Request-ID %[var(txn.request_id)]",
        "http-request set-header traceparent "
        "00-%[uuid(),regsub(-,,g)]-%[uuid(),regsub(-,,g),bytes(0,16)]-00 "
        f"unless {{ req.fhdr(traceparent) -m reg {quoted(_TRACEPARENT)} }}",
        "http-request set-var(txn.traceparent) req.fhdr(traceparent)",
        "http-request set-var(txn.instance) path,json(utf8s)",
        f"http-request set-var(txn.log_path) path,regsub({quoted(_UUID)},:id,g),"
        "regsub(/[0-9]+/,/:n/,g),regsub(/[0-9]+$,/:n),json(utf8s)",
        # a dot segment could lead from a public path to another: such paths are not taken
        return_problem(400, "The path may not contain dot segments or encoded slashes.", None,
                       f"if {{ path -m reg {quoted(_DOT_SEGMENT)} }} "
                       "|| { path -m sub -i %2e %2f %5c }"),
        "",
        # the gateway's liveness, for orchestrators: not counted against any client
        "http-request return status 200 content-type application/json "
        "string '{\"status\":\"ok\"}' if { path /healthz }",
        "",
        "# per client address (the trusted ones — the console — are held to the per-user limit)",
        f"acl trusted_client src {' '.join(str(n) for n in table.limits.trusted_clients)}"
        if table.limits.trusted_clients else "acl trusted_client always_false",
        f"http-request track-sc0 src table {CLIENT_TABLE} unless trusted_client",
        return_problem(429, "Too many requests from this client; slow down.",
                       {"Retry-After": str(client.retry_after_seconds)},
                       f"if !trusted_client {{ sc_http_req_rate(0) gt {client.requests} }}"),
        "",
        "# CORS: the console's origin(s) only",
        f"acl cors_origin req.fhdr(origin) -m str -- {origins}" if origins
        else "acl cors_origin always_false",
        # (acl lines of one name are alternatives, so the three conditions get three names)
        "acl options_method method OPTIONS",
        "acl asks_method req.fhdr(access-control-request-method) -m found",
        "acl has_origin req.fhdr(origin) -m found",
        "http-request set-var(txn.cors_origin) req.fhdr(origin) if cors_origin",
        "http-request return status 204 "
        "hdr Access-Control-Allow-Origin %[var(txn.cors_origin)] "
        f"hdr Access-Control-Allow-Methods {quoted(', '.join(cors.methods))} "
        f"hdr Access-Control-Allow-Headers {quoted(', '.join(cors.allow_headers))} "
        f"hdr Access-Control-Max-Age {cors.max_age} hdr Vary Origin "
        "if options_method asks_method cors_origin",
        return_problem(403, "This origin may not call the API from a browser.",
                       {"Vary": "Origin"},
                       "if options_method asks_method has_origin !cors_origin"),
        "",
        "# the gateway itself",
        f"use_backend {DOCS_BACKEND} if {{ path /openapi.json }} || {{ path /docs }} "
        "|| { path_beg /docs/ }",
        "",
        *_page_redirects(routes),
        "# routes, longest prefix first",
    ]
    for route in sorted(routes, key=lambda r: len(r.prefix), reverse=True):
        lines.append(f"use_backend {route.name} if {{ path {route.prefix} }} "
                     f"|| {{ path_beg {route.prefix}/ }}")
    lines += [
        f"default_backend {UNROUTED_BACKEND}",
        "",
        "# on every answer, the gateway's own too",
        "http-after-response set-header X-Request-ID %[var(txn.request_id)] "
        "unless { res.hdr(x-request-id) -m found }",
        "http-after-response set-header traceparent %[var(txn.traceparent)] "
        "unless { res.hdr(traceparent) -m found }",
        "http-after-response set-header Access-Control-Allow-Origin %[var(txn.cors_origin)] "
        "if { var(txn.cors_origin) -m found }",
        "http-after-response set-header Access-Control-Expose-Headers "
        f"{quoted(', '.join(cors.expose_headers))} if {{ var(txn.cors_origin) -m found }}",
        "http-after-response add-header Vary Origin if { var(txn.cors_origin) -m found } "
        "!{ res.hdr(vary) -m sub -i origin }",
    ]
    return _section("frontend api", lines)


def _metrics_frontend(options: RenderOptions) -> str:
    # its own defaults: it is not logged and has nothing to do with the API's
    plain = _section("defaults metrics", ["mode http", "timeout client 10s",
                                          "timeout http-request 5s"])
    return plain + "\n" + _section("frontend gateway-metrics", [
        f"bind {options.metrics_bind}",
        "no log",
        "http-request use-service prometheus-exporter if { path /metrics }",
        "http-request return status 404 content-type text/plain string 'not found'",
    ])


def _path_acls(name: str, prefix: str, paths: Sequence[str]) -> list[str]:
    lines = []
    for path in paths:
        full = prefix + path if path != "/" else prefix + "/"
        if path.endswith("/"):
            lines.append(f"acl {name} path_beg {full}")
            if path != "/":
                lines.append(f"acl {name} path {full.rstrip('/')}")
        else:
            lines.append(f"acl {name} path {full}")
    return lines or [f"acl {name} always_false"]


def _route_backend(route: EffectiveRoute, table: RouteTable, issuers: Sequence[IssuerKeys],
                   options: RenderOptions) -> str:
    user = table.limits.per_user
    prefix_pattern = route.prefix.replace(".", "\\.")
    lines = [
        f"# {route.prefix} -> {', '.join(route.upstreams)}",
        f"timeout connect {route.timeouts.connect}ms",
        f"timeout server {route.timeouts.server}ms",
        *_health_check(route),
        *_path_acls("open_path", route.prefix, route.public),
        *_path_acls("blocked_path", route.prefix, route.blocked),
        return_problem(404, "This path is not served through the gateway.", None,
                       "if blocked_path"),
        "http-request disable-l7-retry unless { method GET HEAD OPTIONS PUT DELETE }",
        "",
        *token_rules(issuers, options.key_dir, options.leeway),
        "",
        "# per user",
        "http-request set-var(txn.user_key) var(txn.jwt_iss),concat(|,txn.jwt_sub),sha1 "
        "if { var(txn.jwt_sub) -m found }",
        f"http-request track-sc1 var(txn.user_key) table {USER_TABLE} "
        "if { var(txn.user_key) -m found }",
        return_problem(429, "Too many requests for this user; slow down.",
                       {"Retry-After": str(user.retry_after_seconds)},
                       f"if {{ var(txn.user_key) -m found }} "
                       f"{{ sc_http_req_rate(1) gt {user.requests} }}"),
        "",
        return_problem(413, f"The request body may be at most {route.max_body_bytes} bytes.",
                       None, f"if {{ req.hdr_val(content-length) gt {route.max_body_bytes} }}"),
        # no server up: HAProxy's own 503 (http-error above), at once. Not `nbsrv lt 1` here: a
        # worker that is stopping after a reload counts no servers while it finishes requests
        "",
        f"http-request set-header X-Forwarded-Prefix {route.prefix}",
        f"http-request replace-path ^{prefix_pattern}/?(.*)$ /\\1",
    ]
    lines += [f"server {route.name}-{number} {address}"
              for number, address in enumerate(route.upstreams, start=1)]
    return _section(f"backend {route.name}", lines)


def _health_check(route: EffectiveRoute) -> list[str]:
    health = route.health
    if not health.enabled:
        return ["# no health checks on this route"]
    return [
        f"option httpchk GET {health.path}",
        "http-check expect status 200",
        # observe: a refused connect marks the server down at once, not after the next checks
        f"default-server check inter {health.interval}ms downinter {health.down_interval}ms "
        f"fastinter {health.down_interval}ms rise {health.rise} fall {health.fall} "
        "observe layer4 error-limit 1 on-error mark-down",
    ]


def _docs_backend(options: RenderOptions) -> str:
    return _section(f"backend {DOCS_BACKEND}", [
        "# the control plane: aggregated OpenAPI and Swagger UI (no token needed)",
        "option httpchk GET /healthz",
        "http-check expect status 200",
        f"server docs {options.docs_address} check inter 2s downinter 500ms rise 1 fall 2",
    ])


def _unrouted_backend() -> str:
    return _section(f"backend {UNROUTED_BACKEND}", [
        return_problem(404, "No service is routed at this path."),
    ])


def _tables(table: RouteTable) -> str:
    client, user = table.limits.per_client, table.limits.per_user
    return "\n".join([
        _section(f"backend {CLIENT_TABLE}", [
            f"stick-table type ipv6 size 200k expire {max(client.per, 60_000)}ms "
            f"store http_req_rate({client.per}ms)"]),
        _section(f"backend {USER_TABLE}", [
            # the key is a SHA-1 of issuer and subject: no user id in the gateway's memory
            f"stick-table type binary len 20 size 200k expire {max(user.per, 60_000)}ms "
            f"store http_req_rate({user.per}ms)"]),
    ])


#: the route whose pages the gateway's ``/`` leads to (the web console, ADR 0099)
START_PAGE_ROUTE = "console"


def _page_redirects(routes: Sequence[EffectiveRoute]) -> list[str]:
    """Redirects to the pages of a route that is public as a whole: its bare prefix to the
    prefix with a slash, and ``/`` to the web console."""
    lines = []
    for route in routes:
        if "/" not in route.public:
            continue
        if route.name == START_PAGE_ROUTE:
            lines.append(f"http-request redirect location {route.prefix}/ code 302 "
                         "if { path / }")
        lines.append(f"http-request redirect location {route.prefix}/ code 302 "
                     f"if {{ path {route.prefix} }}")
    return [*lines, ""] if lines else []
