"""Errors the HTTP layer turns into RFC 9457 problem documents.

Domain code and the auth helpers raise these; :mod:`lotse_platform.http.problems` maps them to
``application/problem+json`` with the status below. ``errors`` names offending fields:
``[{"field": "area_id", "message": "unknown area"}]``.
"""

from __future__ import annotations


class ProblemError(Exception):
    status = 500
    title = "Internal Server Error"
    type_suffix = "internal"

    def __init__(self, detail: str | None = None, *, errors: list[dict] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = errors or []
        self.headers = headers or {}


class BadRequest(ProblemError):
    status, title, type_suffix = 400, "Bad Request", "bad-request"


class Unauthenticated(ProblemError):
    status, title, type_suffix = 401, "Unauthorized", "unauthenticated"

    def __init__(self, detail: str | None = None, **kwargs) -> None:
        kwargs.setdefault("headers", {"WWW-Authenticate": 'Bearer realm="lotse"'})
        super().__init__(detail, **kwargs)


class Forbidden(ProblemError):
    status, title, type_suffix = 403, "Forbidden", "forbidden"


class NotFound(ProblemError):
    status, title, type_suffix = 404, "Not Found", "not-found"


class Conflict(ProblemError):
    status, title, type_suffix = 409, "Conflict", "conflict"


class Unprocessable(ProblemError):
    status, title, type_suffix = 422, "Unprocessable Content", "validation"


class TooManyRequests(ProblemError):
    status, title, type_suffix = 429, "Too Many Requests", "rate-limited"

    def __init__(self, detail: str | None = None, *, retry_after: int = 60, **kwargs) -> None:
        kwargs.setdefault("headers", {"Retry-After": str(retry_after)})
        super().__init__(detail, **kwargs)


class ServiceUnavailable(ProblemError):
    status, title, type_suffix = 503, "Service Unavailable", "unavailable"

    def __init__(self, detail: str | None = None, *, retry_after: int = 5, **kwargs) -> None:
        kwargs.setdefault("headers", {"Retry-After": str(retry_after)})
        super().__init__(detail, **kwargs)
