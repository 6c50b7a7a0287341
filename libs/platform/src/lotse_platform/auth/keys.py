"""Where the verifier gets the identity service's public signing keys from.

:class:`JWKSCache` fetches a JWKS document over HTTP(S) and keeps it. A token signed with a key
it does not know (the identity service rotated its keys) makes it fetch once more — but at most
once per ``min_refresh_interval``, so tokens with made-up ``kid`` values cannot turn every request
into a request to the identity service. :class:`StaticKeys` holds a fixed set (embedded mode,
tests).

Each :class:`JWKSCache` fetches through its own pooled HTTP client (:mod:`lotse_platform.outgoing`),
so a refetch reuses the connection while it is open; :meth:`JWKSCache.close` ends it.
"""

from __future__ import annotations

import logging
import threading
import time
import urllib.parse
from collections.abc import Callable
from typing import Any, Protocol

from cachetools import TTLCache
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from .. import outgoing
from ..errors import ServiceUnavailable

log = logging.getLogger("lotse.auth")


class KeySource(Protocol):
    def key_set(self) -> KeySet:
        """The keys known now; raises :class:`ServiceUnavailable` when there are none."""

    def refresh(self) -> bool:
        """Look for new keys because a token named an unknown one; True when a fetch happened.

        Callers look the key up again afterwards either way: another thread may just have
        fetched it.
        """


def _import_jwks(document: object) -> KeySet:
    keys = document.get("keys") if isinstance(document, dict) else None
    if not isinstance(keys, list):
        raise ValueError("not a JWKS document (no 'keys' list)")
    return KeySet.import_key_set({"keys": keys})  # the only member it reads


class StaticKeys:
    """A fixed key set, e.g. ``StaticKeys(dev_issuer.jwks())``."""

    def __init__(self, jwks: dict[str, Any] | KeySet) -> None:
        self._keys = jwks if isinstance(jwks, KeySet) else _import_jwks(jwks)

    def key_set(self) -> KeySet:
        return self._keys

    def refresh(self) -> bool:
        return False


class JWKSCache:
    """The JWKS at ``url``, fetched on first use and cached.

    - a token with an unknown ``kid`` triggers :meth:`refresh`, which fetches only if the last
      attempt is at least ``min_refresh_interval`` seconds old;
    - keys older than ``max_age`` seconds are fetched again on next use, so a key the identity
      service withdrew stops being accepted; if that fetch fails the old keys stay in use;
    - without any keys (identity unreachable at start) :meth:`key_set` raises
      :class:`ServiceUnavailable` and retries at most once a second.

    Thread-safe; one fetch at a time.
    """

    def __init__(self, url: str, *, min_refresh_interval: float = 30, timeout: float = 5,
                 max_age: float = 3600, max_bytes: int = 512_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise ValueError("the JWKS URL must be http(s)")
        self.url = url
        self.min_refresh_interval = min_refresh_interval
        self.timeout = timeout
        self.max_bytes = max_bytes
        self._clock = clock
        self._lock = threading.Lock()
        # the keys while younger than max_age; the last ones fetched stay in use beside them
        # while fetching anew fails
        self._fresh: TTLCache[str, KeySet] = TTLCache(maxsize=1, ttl=max_age, timer=clock)
        self._keys: KeySet | None = None
        self._attempted_at: float | None = None
        self.fetches = 0  # attempts so far, for metrics and tests
        self._http = outgoing.http_client(timeout=timeout)

    @property
    def max_age(self) -> float:
        ttl: float = self._fresh.ttl  # cachetools types it Any (its timer's unit)
        return ttl

    def key_set(self) -> KeySet:
        with self._lock:
            keys = self._fresh.get("keys")
            if keys is None:
                now = self._clock()
                if self._keys is None:
                    retry_after = min(1.0, self.min_refresh_interval)
                    if self._attempted_at is None or now - self._attempted_at >= retry_after:
                        self._fetch(now)
                elif self._may_fetch(now):
                    self._fetch(now)
                keys = self._keys
            if keys is None:
                raise ServiceUnavailable("the signing keys of the identity service are unavailable")
            return keys

    def refresh(self) -> bool:
        with self._lock:
            now = self._clock()
            if not self._may_fetch(now):
                log.info("auth.jwks_refresh_suppressed")
                return False
            self._fetch(now)
            return True

    def close(self) -> None:
        """Close the connection to the JWKS endpoint (the keys fetched stay usable)."""
        self._http.close()

    def __enter__(self) -> JWKSCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _may_fetch(self, now: float) -> bool:
        return self._attempted_at is None or now - self._attempted_at >= self.min_refresh_interval

    def _fetch(self, now: float) -> None:
        self._attempted_at = now
        self.fetches += 1
        try:
            keys = _import_jwks(outgoing.get_json(self._http, self.url, max_bytes=self.max_bytes))
        except (outgoing.RequestFailed, ValueError, JoseError) as error:
            # no answer, another status than 2xx, too large, not JSON, not a key set
            log.warning("auth.jwks_fetch_failed", extra={"error": outgoing.reason(error)})
            return
        self._keys = self._fresh["keys"] = keys
        log.info("auth.jwks_fetched", extra={"keys": len(keys.keys)})
