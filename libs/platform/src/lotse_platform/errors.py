"""The one base class of every refusal, and the problem document it becomes (RFC 9457).

A service's domain errors subclass these (``class IllegalTransition(Conflict)``), so each one
knows its status and problem type, and one handler of the platform
(:mod:`lotse_platform.http.problems`) answers them all as ``application/problem+json`` — no
service maps errors to statuses itself. ``errors`` names offending fields
(``[{"field": "area_id", "message": "unknown area"}]``); ``extensions`` are further members of
the document (``{"allowed": ["planning"]}``), ids and codes only, never personal data. Pure
Python: the domain may import it.
"""

from __future__ import annotations

from typing import Any


class ProblemError(Exception):
    status = 500
    title = "Internal Server Error"
    type_suffix = "internal"

    def __init__(self, detail: str | None = None, *, errors: list[dict[str, str]] | None = None,
                 headers: dict[str, str] | None = None,
                 extensions: dict[str, Any] | None = None, reason: str | None = None) -> None:
        super().__init__(reason or detail or self.title)
        self.detail = detail or self.title
        self.errors = errors or []
        self.headers = headers or {}
        self.extensions = extensions or {}
        #: what went wrong behind a 5xx, for the log only (statuses, class names: no personal data)
        self.reason = reason


class BadRequest(ProblemError):
    status, title, type_suffix = 400, "Bad Request", "bad-request"


class Unauthenticated(ProblemError):
    status, title, type_suffix = 401, "Unauthorized", "unauthenticated"

    def __init__(self, detail: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"WWW-Authenticate": 'Bearer realm="lotse"'})
        super().__init__(detail, **kwargs)


class Forbidden(ProblemError):
    status, title, type_suffix = 403, "Forbidden", "forbidden"


class NotFound(ProblemError):
    status, title, type_suffix = 404, "Not Found", "not-found"


class Conflict(ProblemError):
    status, title, type_suffix = 409, "Conflict", "conflict"


class ContentTooLarge(ProblemError):
    status, title, type_suffix = 413, "Content Too Large", "content-too-large"


class UnsupportedMediaType(ProblemError):
    status, title, type_suffix = 415, "Unsupported Media Type", "unsupported-media-type"


class Unprocessable(ProblemError):
    status, title, type_suffix = 422, "Unprocessable Content", "validation"


class TooManyRequests(ProblemError):
    status, title, type_suffix = 429, "Too Many Requests", "rate-limited"

    def __init__(self, detail: str | None = None, *, retry_after: int = 60, **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"Retry-After": str(retry_after)})
        super().__init__(detail, **kwargs)


class ServiceUnavailable(ProblemError):
    status, title, type_suffix = 503, "Service Unavailable", "unavailable"

    def __init__(self, detail: str | None = None, *, retry_after: int = 5, **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"Retry-After": str(retry_after)})
        super().__init__(detail, **kwargs)
