"""The route table (``gateway/routes.yaml``): which prefix goes to which upstream, and how.

    routes:
      - name: example
        prefix: /api/v1/example
        upstreams: ["${LOTSE_EXAMPLE_UPSTREAM:-127.0.0.1:8190}"]
        public: [/oauth/, /.well-known/]     # relative to the prefix; a trailing / means "below"

``${NAME}`` and ``${NAME:-default}`` are taken from the environment when the file is read, so the
same table serves ``make up``, containers and Kubernetes. Everything is validated here; a mistake
becomes one :class:`RouteTableError` line naming the file and the place (``routes[2].prefix``).
Durations are ``500ms``, ``3s``, ``2m`` or a number of seconds.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    BaseModel,
    IPvAnyNetwork,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$")
_UNITS_MS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, None: 1000}
_VARIABLE = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?\}")

#: paths the gateway answers itself; no route may take them
RESERVED_PATHS = ("/healthz", "/docs", "/openapi.json")


class RouteTableError(ValueError):
    """The route table is missing, unreadable or invalid (one line, safe to print)."""


def _milliseconds(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("not a duration")
    if isinstance(value, int | float):
        return int(value * 1000)
    match = _DURATION.match(str(value))
    if match is None:
        raise ValueError("not a duration (e.g. 500ms, 3s, 2m)")
    return int(float(match.group(1)) * _UNITS_MS[match.group(2)])


#: a duration, held in milliseconds
Duration = Annotated[int, BeforeValidator(_milliseconds), Field(ge=1, le=24 * 3_600_000)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Timeouts(_Model):
    connect: Duration = 3000
    server: Duration = 30_000


class HealthCheck(_Model):
    #: false: no health checks (the route's servers count as up; refused connects still fail)
    enabled: bool = True
    path: str = Field(default="/healthz", pattern=r"^/[A-Za-z0-9._~/-]*$")
    interval: Duration = 2000
    #: how often a server that is down is probed (so it is back soon after it returns)
    down_interval: Duration = 500
    rise: int = Field(default=1, ge=1, le=10)
    fall: int = Field(default=2, ge=1, le=10)


class RateLimit(_Model):
    requests: int = Field(ge=1, le=1_000_000)
    per: Duration = Field(le=3_600_000)

    @property
    def retry_after_seconds(self) -> int:
        return max(1, -(-self.per // 1000))


class RateLimits(_Model):
    #: per client address (before the token is looked at)
    per_client: RateLimit = RateLimit(requests=600, per="10s")
    #: per user: issuer and subject of a verified token
    per_user: RateLimit = RateLimit(requests=300, per="10s")
    #: addresses (or networks, CIDR) exempt from the per-client limit, not from the per-user
    #: one: the console, which calls the APIs for all its users from one address, each call
    #: with its user's token (ADR 0099)
    trusted_clients: tuple[IPvAnyNetwork, ...] = ()

    @field_validator("trusted_clients", mode="before")
    @classmethod
    def _drop_empty_clients(cls, value):
        # "${LOTSE_GATEWAY_TRUSTED_CLIENTS:-}" may leave an empty entry: none
        return [v for v in value if str(v).strip()] if isinstance(value, list) else value


class Cors(_Model):
    #: origins allowed to call the API from a browser (the console), exactly as sent in ``Origin``
    origins: tuple[str, ...] = ()
    max_age: int = Field(default=600, ge=0, le=86_400)
    allow_headers: tuple[str, ...] = ("Authorization", "Content-Type", "If-Match",
                                      "If-None-Match", "X-Request-ID", "traceparent")
    expose_headers: tuple[str, ...] = ("X-Request-ID", "traceparent", "Retry-After", "Location",
                                       "ETag")
    methods: tuple[str, ...] = ("GET", "POST", "PUT", "PATCH", "DELETE")

    @field_validator("origins", mode="before")
    @classmethod
    def _drop_empty(cls, value):
        # "${LOTSE_CONSOLE_ORIGIN:-}" may leave an empty entry: no origin
        return tuple(origin for origin in value or () if origin)

    @field_validator("origins")
    @classmethod
    def _origins(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for origin in value:
            if not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:\d{1,5})?", origin):
                raise ValueError(f"{origin!r} is not an origin (scheme://host[:port], no path)")
        return value

    @field_validator("allow_headers", "expose_headers", "methods")
    @classmethod
    def _tokens(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for token in value:
            if not re.fullmatch(r"[A-Za-z0-9-]{1,64}", token):
                raise ValueError(f"{token!r} is not a header or method name")
        return value


class RouteDefaults(_Model):
    timeouts: Timeouts = Timeouts()
    health: HealthCheck = HealthCheck()
    max_body_bytes: int = Field(default=1_048_576, ge=1024, le=1 << 30)
    #: below every route's prefix, reachable without a token (probes, the service's own OpenAPI)
    public: tuple[str, ...] = ("/healthz", "/readyz", "/openapi.json")
    #: below every route's prefix, not reachable through the gateway at all
    blocked: tuple[str, ...] = ("/metrics",)


_PATH = r"^/[A-Za-z0-9._~-]*(/[A-Za-z0-9._~-]+)*/?$"


class Route(_Model):
    name: str = Field(pattern=r"^[a-z][a-z0-9-]{0,40}$")
    prefix: str = Field(pattern=r"^(/[a-z0-9][a-z0-9._-]*)+$", max_length=200)
    upstreams: tuple[str, ...] = Field(min_length=1, max_length=32)
    #: paths below the prefix that need no token (``/oauth/`` = everything below it)
    public: tuple[str, ...] = ()
    timeouts: Timeouts | None = None
    health: HealthCheck | None = None
    max_body_bytes: int | None = Field(default=None, ge=1024, le=1 << 30)
    #: include the upstream's ``/openapi.json`` in the aggregated description
    openapi: bool = True

    @field_validator("upstreams")
    @classmethod
    def _addresses(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for address in value:
            match = re.fullmatch(r"([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})", address)
            if match is None or not 0 < int(match.group(2)) < 65536:
                raise ValueError(f"{address!r} is not host:port")
        return value

    @field_validator("public")
    @classmethod
    def _paths(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for path in value:
            if not re.fullmatch(_PATH, path):
                raise ValueError(f"{path!r} is not a path below the prefix (starts with /)")
        return value

    def effective(self, defaults: RouteDefaults) -> EffectiveRoute:
        return EffectiveRoute(
            name=self.name, prefix=self.prefix, upstreams=self.upstreams,
            public=tuple(dict.fromkeys(defaults.public + self.public)),
            blocked=tuple(p for p in defaults.blocked if p not in self.public),
            timeouts=self.timeouts or defaults.timeouts, health=self.health or defaults.health,
            max_body_bytes=self.max_body_bytes or defaults.max_body_bytes, openapi=self.openapi,
        )


class EffectiveRoute(_Model):
    """A route with the table's defaults filled in: what the renderer works from."""

    name: str
    prefix: str
    upstreams: tuple[str, ...]
    public: tuple[str, ...]
    blocked: tuple[str, ...]
    timeouts: Timeouts
    health: HealthCheck
    max_body_bytes: int
    openapi: bool


class RouteTable(_Model):
    version: int = Field(default=1, ge=1, le=1)
    defaults: RouteDefaults = RouteDefaults()
    limits: RateLimits = RateLimits()
    cors: Cors = Cors()
    routes: tuple[Route, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _distinct(self):
        names, prefixes = set(), set()
        for route in self.routes:
            if route.name in names:
                raise ValueError(f"route name {route.name!r} is used twice")
            if route.prefix in prefixes:
                raise ValueError(f"prefix {route.prefix!r} is used twice")
            for reserved in RESERVED_PATHS:
                if route.prefix == reserved or route.prefix.startswith(reserved + "/"):
                    raise ValueError(f"prefix {route.prefix!r} is the gateway's own")
            names.add(route.name)
            prefixes.add(route.prefix)
        return self

    def effective_routes(self) -> tuple[EffectiveRoute, ...]:
        return tuple(route.effective(self.defaults) for route in self.routes)


def substitute(text: str, environ: Mapping[str, str]) -> str:
    """``${NAME}`` / ``${NAME:-default}`` from ``environ``; an unset ``${NAME}`` is an error."""

    def value(match: re.Match) -> str:
        name, default = match.group(1), match.group(2)
        if environ.get(name):
            return environ[name]
        if default is None:
            raise RouteTableError(f"the route table uses ${{{name}}}, which is not set")
        return default

    return _VARIABLE.sub(value, text)


def _substituted(node: Any, environ: Mapping[str, str]) -> Any:
    # in values only: a comment may mention a variable that is not set
    if isinstance(node, str):
        return substitute(node, environ)
    if isinstance(node, list):
        return [_substituted(item, environ) for item in node]
    if isinstance(node, dict):
        return {key: _substituted(value, environ) for key, value in node.items()}
    return node


def parse_routes(text: str, *, source: str = "routes.yaml",
                 environ: Mapping[str, str] | None = None) -> RouteTable:
    environ = os.environ if environ is None else environ
    try:
        document = _substituted(yaml.safe_load(text), environ)
    except RouteTableError as error:
        raise RouteTableError(f"{source}: {error}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise RouteTableError(f"{source}: not valid YAML{where}") from None
    if not isinstance(document, dict):
        raise RouteTableError(f"{source}: expected a mapping with 'routes'")
    try:
        return RouteTable.model_validate(document)
    except ValidationError as error:
        raise RouteTableError(f"{source}: {describe(error)}") from None


def load_routes(path: Path, environ: Mapping[str, str] | None = None) -> RouteTable:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise RouteTableError(f"{path}: cannot be read ({error.strerror})") from None
    return parse_routes(text, source=str(path), environ=environ)


def describe(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        where = "".join(f"[{step}]" if isinstance(step, int) else f".{step}"
                        for step in item.get("loc", ())).lstrip(".")
        message = str(item["msg"]).removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)
