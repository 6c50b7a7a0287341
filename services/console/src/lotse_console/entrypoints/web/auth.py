"""Login and logout (*Anmelden / Abmelden*): OpenID Connect's authorization code flow with PKCE
(S256) against identity, through Authlib's Flask client. The tokens stay in the server-side
session; the browser sees only the session cookie."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

import requests
from authlib.integrations.base_client.errors import OAuthError
from flask.typing import ResponseReturnValue
from flask import Blueprint, Response, current_app, jsonify, redirect, render_template, request, session, url_for

from lotse_platform import clock
from lotse_platform.auth import public
from lotse_platform.http import accepts
from lotse_platform.errors import Unauthenticated

from ...adapters.sessions import ServerSession, ServerSideSessions
from .forms import FORM
from .common import TOKEN, USER, User

log = logging.getLogger("lotse.console.auth")

bp = Blueprint("auth", __name__)
NEXT = "next_page"


def _safe_next(target: str | None) -> str | None:
    """Only a path of this console: never another site (open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.get("/anmelden")
@public
def login() -> ResponseReturnValue:
    """Off to identity's login page; back at :func:`callback` with a code."""
    session[NEXT] = _safe_next(request.args.get("next"))
    oauth = current_app.extensions["authlib.integrations.flask_client"]
    try:
        redirect_to: Response = oauth.identity.authorize_redirect(
            url_for("auth.callback", _external=True))
        return redirect_to
    except requests.RequestException:
        log.warning("console.identity_unreachable")
        return render_template("error.html", title="Anmeldung nicht möglich",
                               message="Der Anmeldedienst antwortet gerade nicht. Bitte "
                                       "versuchen Sie es in einigen Minuten noch einmal."), 503


@bp.get("/callback")
@public
def callback() -> ResponseReturnValue:
    """Identity sent the browser back: the code for tokens, the user from the access token."""
    oauth = current_app.extensions["authlib.integrations.flask_client"]
    try:
        token: dict[str, Any] = oauth.identity.authorize_access_token()
        principal = current_app.extensions["lotse_console.verifier"]().verify(
            token["access_token"])
    except (OAuthError, Unauthenticated, KeyError) as error:
        log.info("console.login_refused", extra={"error_type": type(error).__name__})
        return render_template("error.html", title="Anmeldung fehlgeschlagen",
                               message="Die Anmeldung konnte nicht abgeschlossen werden. "
                                       "Bitte melden Sie sich erneut an."), 400
    target = session.pop(NEXT, None)
    assert isinstance(session, ServerSession)
    session.regenerate()  # a new session id at login (no session fixation)
    session[TOKEN] = token
    session[USER] = {"subject": principal.subject, "tenant": str(principal.tenant),
                     "organisation": principal.organisation,
                     "roles": sorted(principal.roles), "areas": sorted(principal.areas)}
    log.info("console.logged_in")
    return redirect(target or url_for("pages.start"))


@bp.post("/abmelden")
@accepts(FORM)
@public
def logout() -> ResponseReturnValue:
    """Logout: the refresh token revoked at identity, the session deleted."""
    token = session.get(TOKEN) or {}
    refresh = token.get("refresh_token")
    if refresh:
        oauth = current_app.extensions["authlib.integrations.flask_client"]
        try:
            requests.post(current_app.config["LOTSE_REVOCATION_URL"],
                          data={"token": refresh, "token_type_hint": "refresh_token",
                                "client_id": oauth.identity.client_id},
                          timeout=current_app.config["LOTSE_API_TIMEOUT"])
        except requests.RequestException:
            log.warning("console.revocation_failed")
    assert isinstance(session, ServerSession)
    session.end()
    return redirect(url_for("auth.logged_out"))


@bp.get("/abgemeldet")
@public
def logged_out() -> ResponseReturnValue:
    return render_template("logged_out.html", title="Abgemeldet")


@bp.get("/sitzung")
@public
def session_state() -> ResponseReturnValue:
    """When the session ends (the page's timeout warning asks; asking extends it)."""
    if User.from_session() is None:
        return jsonify(active=False)
    interface = current_app.session_interface
    assert isinstance(interface, ServerSideSessions)
    return jsonify(active=True, expires=interface.expiry(session, clock.now()).isoformat())
