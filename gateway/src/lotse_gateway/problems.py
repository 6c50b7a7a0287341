"""The gateway's own answers as RFC 9457 problem documents, written as HAProxy ``lf-string``s.

They have the shape every service answers with (:mod:`lotse_platform.http.problems`)::

    {"type": "urn:lotse:problem:unauthenticated", "title": "Unauthorized", "status": 401,
     "detail": "token has expired", "instance": "/api/v1/example/tallies",
     "request_id": "4c5f10d4-65b7-4852-8aa1-9fe6844d5bf0"}

``instance`` and ``request_id`` are filled in by HAProxy per request (``txn.instance`` is the
path, JSON-escaped, set first thing in the frontend). The refusal reasons of the token check use
the words of :class:`lotse_platform.auth.TokenVerifier`, so a client sees the same reason whether
the gateway or the service refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from lotse_platform.http.problems import PROBLEM_MEDIA_TYPE, PROBLEM_TYPE_PREFIX

_TITLES = {
    400: ("Bad Request", "bad-request"),
    401: ("Unauthorized", "unauthenticated"),
    403: ("Forbidden", "forbidden"),
    404: ("Not Found", "not-found"),
    405: ("Method Not Allowed", "method-not-allowed"),
    408: ("Request Timeout", "request-timeout"),
    413: ("Content Too Large", "content-too-large"),
    429: ("Too Many Requests", "rate-limited"),
    431: ("Request Header Fields Too Large", "bad-request"),
    500: ("Internal Server Error", "internal"),
    501: ("Not Implemented", "not-implemented"),
    502: ("Bad Gateway", "bad-gateway"),
    503: ("Service Unavailable", "unavailable"),
    504: ("Gateway Timeout", "upstream-timeout"),
}

CHALLENGE = 'Bearer realm="lotse"'
INVALID_REQUEST = 'Bearer realm="lotse", error="invalid_request"'
INVALID_TOKEN = 'Bearer realm="lotse", error="invalid_token"'


def problem_body(status: int, detail: str) -> str:
    """The lf-string of a problem document (HAProxy log-format: ``%[...]`` is evaluated)."""
    if any(c in detail for c in "'\"%\\"):
        raise ValueError("a problem detail may not contain quotes, % or backslashes")
    title, suffix = _TITLES[status]
    return ('{"type":"%s%s","title":"%s","status":%d,"detail":"%s",'
            '"instance":"%%[var(txn.instance)]","request_id":"%%[var(txn.request_id)]"}'
            % (PROBLEM_TYPE_PREFIX, suffix, title, status, detail))


def quoted(text: str) -> str:
    """A single-quoted configuration word (no expansion of ``$`` or escapes inside)."""
    if "'" in text:
        raise ValueError(f"{text!r} cannot be quoted for HAProxy")
    return f"'{text}'"


def return_problem(status: int, detail: str, headers: dict[str, str] | None = None,
                   condition: str = "") -> str:
    """An ``http-request return`` rule that answers with a problem document."""
    parts = [f"http-request return status {status} content-type {PROBLEM_MEDIA_TYPE}",
             f"lf-string {quoted(problem_body(status, detail))}"]
    for name, value in (headers or {}).items():
        parts.append(f"hdr {name} {quoted(value)}")
    if condition:
        parts.append(condition)
    return " ".join(parts)


def error_problem(status: int, detail: str, headers: dict[str, str] | None = None) -> str:
    """An ``http-error`` directive: HAProxy's own errors (no server, timeouts) as problems."""
    parts = [f"http-error status {status} content-type {PROBLEM_MEDIA_TYPE}",
             f"lf-string {quoted(problem_body(status, detail))}"]
    for name, value in (headers or {}).items():
        parts.append(f"hdr {name} {quoted(value)}")
    return " ".join(parts)


@dataclass(frozen=True)
class Refusal:
    code: str  # the value of txn.auth_error, also the access log's "refusal"
    status: int
    detail: str
    challenge: str | None = INVALID_TOKEN


#: every reason the token check can refuse for, in the order the checks run
REFUSALS = (
    Refusal("no_token", 401, "no access token", CHALLENGE),
    Refusal("not_bearer", 401, "the Authorization header must carry a Bearer token",
            INVALID_REQUEST),
    Refusal("malformed", 401, "access token is malformed"),
    Refusal("algorithm", 401, "token signing algorithm is not allowed"),
    Refusal("no_kid", 401, "token does not name its signing key (kid)"),
    Refusal("issuer", 401, "token issuer is not accepted"),
    Refusal("keys_unavailable", 503,
            "the signing keys of the token issuer are not available yet; try again shortly",
            None),
    Refusal("unknown_key", 401, "token signing key is unknown"),
    Refusal("signature", 401, "token signature is invalid"),
    Refusal("no_exp", 401, "token lacks required claim(s): exp"),
    Refusal("expired", 401, "token has expired"),
    Refusal("not_yet_valid", 401, "token is not yet valid"),
    Refusal("issued_in_future", 401, "token was issued in the future"),
    Refusal("no_sub", 401, "token lacks required claim(s): sub"),
    Refusal("audience", 401, "token audience is not accepted"),
)

#: HAProxy's own errors; 503 when no server of a route is up, 504 when it did not answer in time
HAPROXY_ERRORS = {
    400: "The request could not be read.",
    403: "The request was refused.",
    405: "The method is not allowed.",
    408: "The request was not received in time.",
    413: "The request body is too large.",
    500: "The gateway failed; quote the request id when reporting it.",
    501: "The request uses something the gateway does not implement.",
    502: "The service gave no valid answer; try again shortly.",
    503: "The service is temporarily unavailable; try again shortly.",
    504: "The service did not answer in time; try again shortly.",
}
RETRY_AFTER_SECONDS = 5
