"""The public OAuth 2 / OIDC endpoints: token, authorize (login page), revoke, discovery, JWKS.

They answer in OAuth's own JSON error format (RFC 6749 §5.2: ``error``, ``error_description``),
which OAuth clients expect, not in problem documents.
"""

from __future__ import annotations

import html

from authlib.oauth2.rfc6749.errors import OAuth2Error
from flask import Response, jsonify, request
from flask_smorest import Blueprint

from lotse_platform.auth import public
from lotse_platform.http import accepts
from lotse_platform.service import current_service

from ...oauth.grants import AccountLockedError, authenticate_password

blp = Blueprint("oauth", __name__, url_prefix="/",
                description="OAuth 2 token issuing, login, logout, discovery and signing keys")

FORM = "application/x-www-form-urlencoded"


def _server():
    return current_service().authorization_server


@blp.route("/.well-known/openid-configuration", methods=["GET"])
@public
def openid_configuration():
    """Discovery document (OpenID Connect Discovery / RFC 8414)."""
    return _json(_server().metadata(), max_age=300)


@blp.route("/.well-known/oauth-authorization-server", methods=["GET"])
@public
def oauth_authorization_server():
    """Authorization server metadata (RFC 8414): the same document."""
    return _json(_server().metadata(), max_age=300)


@blp.route("/.well-known/jwks.json", methods=["GET"])
@public
def jwks():
    """The public signing keys: next, current and retired (key rotation)."""
    return _json(current_service().keyring.jwks(), max_age=60)


@blp.route("/oauth/token", methods=["POST"])
@public
@accepts(FORM)
def token():
    """Token endpoint (form-encoded): ``grant_type`` = client_credentials, authorization_code,
    refresh_token, urn:ietf:params:oauth:grant-type:jwt-bearer, or password when enabled."""
    return _server().create_token_response()


@blp.route("/oauth/revoke", methods=["POST"])
@public
@accepts(FORM)
def revoke():
    """Revocation (RFC 7009): send the refresh token to log out (*Abmelden*)."""
    return _server().create_endpoint_response("revocation")


@blp.route("/oauth/authorize", methods=["GET", "POST"])
@public
@accepts(FORM)
def authorize():
    """Authorization endpoint for the web console: a login page (*Anmeldung*), then a redirect
    with a code (authorization code grant with PKCE S256)."""
    server = _server()
    try:
        grant = server.get_consent_grant(end_user=None)
    except OAuth2Error as error:
        if error.redirect_uri:  # the client's registered redirect URI: tell the client there
            return server.handle_response(*error())
        # no trustworthy redirect URI: show the error instead of redirecting anywhere
        return _login_page(error=error.description or error.error, status=400, form=False)
    if request.method == "GET":
        return _login_page()
    username = request.form.get("username", "")
    password = request.form.get("password", "")
    try:
        subject = authenticate_password(current_service(), grant.client.tenant_id, username,
                                        password)
    except AccountLockedError as locked:
        page = _login_page(error=locked.description, status=429)
        page.headers["Retry-After"] = str(locked.retry_after)
        return page
    except OAuth2Error:
        return _login_page(error="Benutzername oder Passwort ist falsch / "
                                 "invalid username or password", status=401)
    return server.create_authorization_response(grant_user=subject, grant=grant)


def _json(document: dict, *, max_age: int) -> Response:
    response = jsonify(document)
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    return response


def _login_page(*, error: str | None = None, status: int = 200, form: bool = True) -> Response:
    message = f'<p role="alert">{html.escape(error)}</p>' if error else ""
    fields = ("<form method=post><label>Benutzername / username <input name=username "
              "autocomplete=username required></label><label>Passwort / password <input "
              "name=password type=password autocomplete=current-password required></label>"
              "<button>Anmelden / sign in</button></form>") if form else ""
    body = (f"<!doctype html><html lang=de><meta charset=utf-8><title>Lotse – Anmeldung</title>"
            f"<h1>Lotse – Anmeldung</h1>{message}{fields}</html>")
    response = Response(body, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = "default-src 'none'; form-action 'self'"
    return response
