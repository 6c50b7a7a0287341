"""What every page needs: the logged-in user, her token, the APIs, the German refusal."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from flask import current_app, redirect, request, session, url_for
from werkzeug.exceptions import Forbidden, NotFound

from ...adapters.apis import Answer, Apis, ServiceUnavailable
from ...domain.navigation import ENTRIES, may_open

F = TypeVar("F", bound=Callable[..., Any])

USER, TOKEN = "user", "token"


@dataclass(frozen=True)
class User:
    """Who is logged in, from her verified access token: ids and roles, never a name."""

    subject: str
    tenant: str
    organisation: str
    roles: tuple[str, ...]
    areas: tuple[str, ...]

    @classmethod
    def from_session(cls) -> User | None:
        data = session.get(USER)
        return cls(**data) if isinstance(data, dict) else None


class PageForbidden(Forbidden):
    """A page the user's roles do not open, or an API that refused her (shown in German)."""

    def __init__(self, reason: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason


def apis() -> Apis:
    return cast(Apis, current_app.extensions["lotse_console.apis"])


def token() -> dict[str, Any]:
    return cast(dict[str, Any], session[TOKEN])


def logged_in(view: F) -> F:
    """The view needs a login; without one the browser goes to the login and back here."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if User.from_session() is None or TOKEN not in session:
            # back to this page after the login: its path below the console's own prefix
            here = request.script_root + request.full_path.rstrip("?")
            return redirect(url_for("auth.login", next=here))
        return view(*args, **kwargs)

    return cast(F, wrapper)


def for_roles_of(endpoint: str) -> Callable[[F], F]:
    """The page is one of the navigation's: 403 with a German explanation for other roles."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            user = User.from_session()
            if user is None or not may_open(endpoint, user.roles):
                raise PageForbidden("Diese Seite ist für Ihre Rolle nicht vorgesehen.")
            return view(*args, **kwargs)

        guarded = logged_in(cast(F, wrapper))
        # who may open it, in the attribute every service's guard sets (the authorisation
        # contract test reads it); the console checks the session's roles, not a bearer token
        setattr(guarded, "required_roles", tuple(sorted(
            role for entry in ENTRIES if entry.endpoint == endpoint for role in entry.roles)))
        return guarded

    return decorate


@dataclass
class Block:
    """One block of a page: its data, or why there is none (German)."""

    data: Any = None
    failure: str | None = None


def block(service: str, path: str, **params: Any) -> Block:
    """A block's data from one API call; a refusal or an absent service is the block's own
    German line, and the page's other blocks still show."""
    try:
        answer = apis().get(token(), service, path, **params)
    except ServiceUnavailable:
        return Block(failure="Der Dienst antwortet gerade nicht.")
    if answer.status == 403:
        return Block(failure="Für Ihre Rolle nicht freigegeben.")
    if not answer.ok:
        return Block(failure="Konnte nicht geladen werden.")
    return Block(answer.body)


def refused(answer: Answer) -> None:
    """An API's 403 becomes the German 403 page; its 404 the German 404 page."""
    refused_status(answer.status)


def refused_status(status: int) -> None:
    if status == 403:
        raise PageForbidden("Der zuständige Dienst hat den Zugriff abgelehnt: Ihre Rolle oder "
                            "Ihre Gebiete erlauben diese Daten nicht.")
    if status == 404:
        raise NotFound()
