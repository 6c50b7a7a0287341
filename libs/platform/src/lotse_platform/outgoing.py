"""Outgoing HTTP: the one place where the platform's HTTP clients are built.

Every call a Lotse process makes to another one — a machine token from the token endpoint
(:mod:`.auth.client`), a call to another service (:class:`~.auth.client.ServiceCaller`), an
issuer's JWKS (:mod:`.auth.keys`), the gateway's JWKS and OpenAPI fetches — goes through an
``httpx2.Client`` made here (HTTPX2 is HTTPX continued under that name; Authlib's client
integration uses it)::

    client = http_client(timeout=5)               # one per owner, closed with it
    OAuth2Client(..., **client_options(timeout=5))  # Authlib's client is an httpx2.Client too

One client per owner (a caller, a key cache): it keeps its connections open for the next
request (``keepalive_expiry`` seconds, below gunicorn's and HAProxy's keep-alive), so a service
that calls another many times does not connect, and with TLS shake hands, each time. The timeout
applies to connecting and to each read and write, as ``urlopen``'s did. Redirects are followed
(a cross-origin redirect drops the Authorization header); nothing is kept between requests
(no cookies). Whatever every outgoing request should carry (a trace header, say) is added in
:func:`client_options`.

:class:`RequestFailed` is what a request that got no usable answer raises; its message and
:func:`reason` name the class of the cause (``ConnectionRefusedError``, ``TimeoutError``),
never the URL, the headers or the body.
"""

from __future__ import annotations

from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any

import httpx2

from . import json_depth

#: idle connections are closed after this many seconds, before the server's keep-alive ends
#: (gunicorn 65 s, HAProxy 10 s), so a kept connection is rarely one the server just closed
KEEPALIVE_EXPIRY = 4.0

__all__ = ["KEEPALIVE_EXPIRY", "TRANSPORT_ERRORS", "RequestFailed", "client_options", "get_json",
           "http_client", "reason", "unreachable"]


class RequestFailed(OSError):
    """No answer (unreachable, timed out, connection broken) or, from :func:`get_json`, an
    answer that is not a success: ``status`` is its HTTP status then, None without one;
    ``reason`` names the cause's class. An :class:`OSError`, as ``urlopen``'s errors were."""

    def __init__(self, reason: str, *, status: int | None = None) -> None:
        super().__init__(f"answered {status}" if status is not None else f"no answer: {reason}")
        self.reason = reason
        self.status = status


def client_options(*, timeout: float) -> dict[str, Any]:
    """The options of every outgoing client (``httpx2.Client`` keyword arguments)."""
    return {
        "timeout": httpx2.Timeout(timeout),
        "limits": httpx2.Limits(keepalive_expiry=KEEPALIVE_EXPIRY),
        "follow_redirects": True,
        # a jar that accepts no cookie: calls for different tenants share the client
        "cookies": CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
    }


def http_client(*, timeout: float) -> httpx2.Client:
    """A pooled client; its owner closes it (``close()`` or ``with``)."""
    return httpx2.Client(**client_options(timeout=timeout))


def reason(error: BaseException) -> str:
    """The class name of the innermost cause: HTTPX2 wraps the socket's error
    (``ConnectError`` ← ``ConnectionRefusedError``); the log and the message say the latter."""
    if isinstance(error, RequestFailed):
        return error.reason
    seen = {id(error)}
    inner = error.__cause__ or error.__context__
    while inner is not None and id(inner) not in seen:
        error = inner
        seen.add(id(error))
        inner = error.__cause__ or error.__context__
    return type(error).__name__


def unreachable(error: Exception) -> RequestFailed:
    """``error`` (an ``httpx2.RequestError`` or ``InvalidURL``) as :class:`RequestFailed`."""
    return RequestFailed(reason(error))


#: what a request can raise when it gets no usable answer
TRANSPORT_ERRORS: tuple[type[Exception], ...] = (httpx2.RequestError, httpx2.InvalidURL)


def get_json(client: httpx2.Client, url: str, *, max_bytes: int) -> object:
    """``GET url`` as JSON: the parsed document of a 2xx answer of at most ``max_bytes`` bytes.

    Raises :class:`RequestFailed` without an answer or for another status, ValueError for a
    larger, too deeply nested (:mod:`.json_depth`) or unreadable document. The body is read
    only up to the limit.
    """
    try:
        with client.stream("GET", url, headers={"Accept": "application/json"}) as response:
            if not response.is_success:
                raise RequestFailed("HTTPStatusError", status=response.status_code)
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > max_bytes:
                    raise ValueError(f"document larger than {max_bytes} bytes")
    except TRANSPORT_ERRORS as error:
        raise unreachable(error) from None
    return json_depth.loads(bytes(body))
