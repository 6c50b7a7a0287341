"""One OpenAPI description for the whole platform, from each service's ``/openapi.json``.

Each service describes itself at its root (``/notes``); through the gateway it is reached under
its route's prefix (``/api/v1/example/notes``). Merging therefore

- prefixes every path with the route's prefix;
- renames every component ``Note`` → ``example.Note`` (and every ``$ref`` to it), tag ``notes``
  → ``example: notes`` and operation id ``x`` → ``example.x``, so two services' names never clash;
- declares the bearer token once and marks the route's public paths as needing none.

A service that does not answer is left out and named in ``x-lotse-unavailable``; the description
of the others is still served.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from cachetools import TTLCache

from .routes import EffectiveRoute

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


def fetch_document(route: EffectiveRoute, timeout: float = 3.0) -> dict:
    """The route's first upstream's ``/openapi.json``."""
    url = f"http://{route.upstreams[0]}/openapi.json"
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http only
        document = json.loads(response.read(5_000_000))
    if not isinstance(document, dict) or "paths" not in document:
        raise ValueError("not an OpenAPI document")
    return document


class AggregatedOpenAPI:
    """The merged description, rebuilt at most every ``max_age`` seconds."""

    def __init__(self, routes: Callable[[], Sequence[EffectiveRoute]], *, max_age: float = 10.0,
                 fetch: Callable[[EffectiveRoute], dict] = fetch_document,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._routes = routes
        self._fetch = fetch
        self._lock = threading.Lock()
        self._document: TTLCache[str, dict] = TTLCache(maxsize=1, ttl=max_age, timer=clock)

    @property
    def max_age(self) -> float:
        return self._document.ttl

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
                         extra={"route": route.name, "error": type(error).__name__})
                return route, None

        with ThreadPoolExecutor(max_workers=max(1, min(8, len(routes)))) as pool:
            for route, document in pool.map(one, routes):
                if document is None:
                    unavailable.append(route.name)
                else:
                    documents[route.name] = (route, document)
        return merge(documents, sorted(unavailable))
