"""Flask integration: who is calling, taken from ``Authorization: Bearer <token>``.

``install_authentication(app, verifier)`` makes every request authenticated by default: before
the view runs the token is verified and the principal put on ``g.principal``; a missing or
invalid token ends the request with 401. Exempt are the probe and documentation endpoints
(``/healthz``, ``/readyz``, ``/metrics``, ``/openapi.json``), paths passed as ``public_paths``,
views marked with :func:`public`, and Flask's automatic answers to CORS preflight ``OPTIONS``.
On those the token is only verified if the view asks for :func:`current_principal`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from flask import Flask, current_app, g, request

from ..errors import Forbidden, Unauthenticated
from .principal import Principal

PUBLIC_PATHS = frozenset({"/healthz", "/readyz", "/metrics", "/openapi.json"})
_EXTENSION = "lotse.auth"
# RFC 6750 §3: a request without credentials gets the bare challenge, a bad one its error code.
_INVALID_REQUEST = {"WWW-Authenticate": 'Bearer realm="lotse", error="invalid_request"'}
_INVALID_TOKEN = {"WWW-Authenticate": 'Bearer realm="lotse", error="invalid_token"'}


View = TypeVar("View", bound=Callable[..., object])


class Verifier(Protocol):
    """Turns a bearer token into its principal or raises :class:`Unauthenticated`: a
    :class:`~.tokens.TokenVerifier`, or :class:`~.issuers.TrustedIssuers` choosing among several."""

    def verify(self, token: str) -> Principal: ...


@dataclass(frozen=True)
class _Authentication:
    verifier: Verifier
    public_paths: frozenset[str]


def install_authentication(app: Flask, verifier: Verifier, *,
                           public_paths: Iterable[str] = ()) -> None:
    app.extensions[_EXTENSION] = _Authentication(verifier, PUBLIC_PATHS | frozenset(public_paths))
    app.before_request(_authenticate_request)


def public(view: View) -> View:
    """Mark a view as reachable without a token (login, JWKS, OIDC discovery)."""
    setattr(view, "lotse_public", True)  # the marker _is_public reads
    return view


def current_principal() -> Principal:
    """The verified caller of this request; :class:`Unauthenticated` when there is none."""
    principal: Principal | None = g.get("principal")
    if principal is None:
        principal = g.principal = _principal_from_request()
    return principal


def _authenticate_request() -> None:
    g.principal = None
    if not _is_public():
        g.principal = _principal_from_request()
        _check_roles_first(g.principal)


def _check_roles_first(principal: Principal) -> None:
    # A view guarded by @requires refuses a caller without any of its roles before flask-smorest
    # parses the body: a 403 comes before a 422, whatever the decorators' order. Organisation
    # and area are still checked by @requires itself, with the view's arguments.
    from ..http.views import current_view_attribute

    required = current_view_attribute("required_roles")
    if required and principal.roles.isdisjoint(required):
        raise Forbidden(f"this action requires one of the roles: {', '.join(sorted(required))}")


def _is_public() -> bool:
    auth: _Authentication = current_app.extensions[_EXTENSION]
    if request.path in auth.public_paths:
        return True
    rule = request.url_rule
    if request.method == "OPTIONS" and getattr(rule, "provide_automatic_options", False):
        return True
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return bool(getattr(view, "lotse_public", False))


def _principal_from_request() -> Principal:
    auth: _Authentication | None = current_app.extensions.get(_EXTENSION)
    if auth is None:
        raise RuntimeError("install_authentication(app, verifier) has not been called")
    header = request.headers.get("Authorization", "")
    if not header:
        raise Unauthenticated("no access token")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated("the Authorization header must carry a Bearer token",
                              headers=dict(_INVALID_REQUEST))
    try:
        return auth.verifier.verify(token)
    except Unauthenticated as refusal:
        raise Unauthenticated(refusal.detail, headers=dict(_INVALID_TOKEN)) from None
