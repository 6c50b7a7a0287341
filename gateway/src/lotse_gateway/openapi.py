"""One OpenAPI description for the whole platform, from each service's ``/openapi.json``.

Each service describes itself at its root (``/notes``); through the gateway it is reached under
its route's prefix (``/api/v1/example/notes``). Merging therefore

- prefixes every path with the route's prefix;
- renames every component ``Note`` → ``example.Note`` (and every ``$ref`` to it), tag ``notes``
  → ``example: notes`` and operation id ``x`` → ``example.x``, so two services' names never clash;
- declares the bearer token once and marks the route's public paths as needing none.

A service that does not answer is left out and named in ``x-lotse-unavailable``; the description
of the others is still served. The descriptions are fetched through one pooled HTTP client
(:mod:`lotse_platform.outgoing`) that :class:`AggregatedOpenAPI` keeps until :meth:`close`.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from cachetools import TTLCache
from lotse_platform import outgoing

from .routes import EffectiveRoute

if TYPE_CHECKING:
    import httpx2

log = logging.getLogger("lotse.gateway.openapi")

OPENAPI_VERSION = "3.0.3"
_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PUBLIC = [{}]  # an empty requirement: no token needed
BEARER = {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
          "description": "An access token of identity or of a trusted external issuer."}


def merge(documents: Mapping[str, tuple[EffectiveRoute, dict]], unavailable: Sequence[str] = (),
          *, title: str = "Lotse API", version: str = "v1") -> dict:
    merged: dict[str, Any] = {
        "openapi": OPENAPI_VERSION,
        "info": {"title": title, "version": version,
                 "description": _description(documents, unavailable)},
        "servers": [{"url": "/"}],
        "paths": {},
        "components": {"securitySchemes": {"bearer": BEARER}},
        "security": [{"bearer": []}],
        "tags": [],
        "x-lotse-unavailable": list(unavailable),
    }
    for name, (route, document) in sorted(documents.items()):
        renamed = _rename_refs(document, name)
        for kind, components in (renamed.get("components") or {}).items():
            if kind == "securitySchemes":
                continue  # one scheme for all: the gateway's
            target = merged["components"].setdefault(kind, {})
            for component, value in components.items():
                target[f"{name}.{component}"] = value
        for tag in renamed.get("tags") or []:
            merged["tags"].append({**tag, "name": f"{name}: {tag['name']}"})
        for path, item in (renamed.get("paths") or {}).items():
            merged["paths"][_joined(route.prefix, path)] = _operations(name, route, path, item)
    return merged


def _description(documents: Mapping[str, tuple[EffectiveRoute, dict]],
                 unavailable: Sequence[str]) -> str:
    lines = ["Every Lotse service, as reached through the gateway."]
    for name, (route, document) in sorted(documents.items()):
        info = document.get("info") or {}
        lines.append(f"- `{route.prefix}`: {info.get('title', name)} {info.get('version', '')}")
    if unavailable:
        lines.append("")
        lines.append(f"Not available right now: {', '.join(unavailable)}.")
    return "\n".join(lines)


def _joined(prefix: str, path: str) -> str:
    return prefix + (path if path != "/" else "/")


def _is_public(route: EffectiveRoute, path: str) -> bool:
    for public in route.public:
        if public.endswith("/") and (path.startswith(public) or path == public.rstrip("/")):
            return True
        if path == public:
            return True
    return False


def _operations(name: str, route: EffectiveRoute, path: str, item: dict) -> dict:
    item = dict(item)
    for method in _HTTP_METHODS:
        operation = item.get(method)
        if not isinstance(operation, dict):
            continue
        operation = dict(operation)
        operation["tags"] = [f"{name}: {tag}" for tag in operation.get("tags") or [name]]
        if "operationId" in operation:
            operation["operationId"] = f"{name}.{operation['operationId']}"
        if _is_public(route, path):
            operation["security"] = _PUBLIC
        item[method] = operation
    return item


def _rename_refs(node: Any, name: str) -> Any:
    if isinstance(node, dict):
        renamed = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/components/"):
                _, _, kind, component = value.split("/", 3)
                renamed[key] = f"#/components/{kind}/{name}.{component}"
            else:
                renamed[key] = _rename_refs(value, name)
        return renamed
    if isinstance(node, list):
        return [_rename_refs(item, name) for item in node]
    return node


MAX_DOCUMENT_BYTES = 5_000_000
FETCH_TIMEOUT = 3.0


def fetch_document(route: EffectiveRoute, timeout: float = FETCH_TIMEOUT, *,
                   client: httpx2.Client | None = None) -> dict:
    """The route's first upstream's ``/openapi.json``, through ``client`` (else a client of its
    own); raises OSError (no answer, a status other than 2xx) or ValueError."""
    if client is None:
        with outgoing.http_client(timeout=timeout) as own:
            return fetch_document(route, client=own)
    url = f"http://{route.upstreams[0]}/openapi.json"
    document = outgoing.get_json(client, url, max_bytes=MAX_DOCUMENT_BYTES)
    if not isinstance(document, dict) or "paths" not in document:
        raise ValueError("not an OpenAPI document")
    return document


class AggregatedOpenAPI:
    """The merged description, rebuilt at most every ``max_age`` seconds."""

    def __init__(self, routes: Callable[[], Sequence[EffectiveRoute]], *, max_age: float = 10.0,
                 fetch: Callable[[EffectiveRoute], dict] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._routes = routes
        self._http = None if fetch is not None else outgoing.http_client(timeout=FETCH_TIMEOUT)
        self._fetch = fetch or functools.partial(fetch_document, client=self._http)
        self._lock = threading.Lock()
        self._document: TTLCache[str, dict] = TTLCache(maxsize=1, ttl=max_age, timer=clock)

    @property
    def max_age(self) -> float:
        return self._document.ttl

    def close(self) -> None:
        """Close the connections to the services (when fetching with the own client)."""
        if self._http is not None:
            self._http.close()

    def document(self) -> dict:
        with self._lock:
            document = self._document.get("document")
            if document is None:
                document = self._document["document"] = self._build()
            return document

    def _build(self) -> dict:
        routes = [route for route in self._routes() if route.openapi]
        documents: dict[str, tuple[EffectiveRoute, dict]] = {}
        unavailable: list[str] = []

        def one(route: EffectiveRoute):
            try:
                return route, self._fetch(route)
            except (OSError, ValueError) as error:
                log.info("gateway.openapi_unavailable",
                         extra={"route": route.name, "error": outgoing.reason(error)})
                return route, None

        with ThreadPoolExecutor(max_workers=max(1, min(8, len(routes)))) as pool:
            for route, document in pool.map(one, routes):
                if document is None:
                    unavailable.append(route.name)
                else:
                    documents[route.name] = (route, document)
        return merge(documents, sorted(unavailable))
