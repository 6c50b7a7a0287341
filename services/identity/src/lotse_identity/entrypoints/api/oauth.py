"""The public OAuth 2 / OIDC endpoints: token, authorize (login page), revoke, discovery, JWKS.

They answer in OAuth's own JSON error format (RFC 6749 §5.2: ``error``, ``error_description``),
which OAuth clients expect, not in problem documents. Authlib writes the answers of the token
and revocation endpoints itself (headers and all, as the RFCs ask); their schemas here describe
those answers. The login page is HTML, for the browser of the authorization code flow.
"""

from __future__ import annotations

import html

import marshmallow as ma
from authlib.oauth2.rfc6749.errors import OAuth2Error
from flask import Response, request
from lotse_platform.http import Blueprint

from lotse_platform.auth import public
from lotse_platform.http import accepts
from lotse_platform.http.problems import PROBLEM_MEDIA_TYPE, ProblemSchema
from lotse_platform.service import current_service

from ...domain.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from ...oauth.grants import (
    AccountLockedError,
    NewPasswordRejectedError,
    PasswordChangeRequiredError,
    authenticate_password,
)

blp = Blueprint("oauth", __name__, url_prefix="/",
                description="OAuth 2 token issuing, login, logout, discovery and signing keys")

FORM = "application/x-www-form-urlencoded"
HTML = "text/html"
LOCATION = {"Location": {"description": "the client's registered redirect URI, with ``code`` "
                                        "and ``state`` or with ``error``",
                         "schema": {"type": "string", "format": "uri"}}}
PAGE = {"type": "string", "description": "an HTML page"}
#: a form or query value the platform refuses before OAuth reads it (a control character, not
#: one line: ADR 0060), answered as a problem document like every service's 422
REFUSED_INPUT = {"description": "a form or query value refused before the OAuth endpoint reads "
                                "it (a problem document naming it)"}


class AuthorizationServerMetadataSchema(ma.Schema):
    """Authorization server metadata (RFC 8414), also served as OpenID Connect Discovery."""

    issuer = ma.fields.String(required=True)
    authorization_endpoint = ma.fields.String(required=True)
    token_endpoint = ma.fields.String(required=True)
    revocation_endpoint = ma.fields.String(required=True)
    jwks_uri = ma.fields.String(required=True)
    response_types_supported = ma.fields.List(ma.fields.String(), required=True)
    response_modes_supported = ma.fields.List(ma.fields.String(), required=True)
    grant_types_supported = ma.fields.List(ma.fields.String(), required=True)
    token_endpoint_auth_methods_supported = ma.fields.List(ma.fields.String(), required=True)
    revocation_endpoint_auth_methods_supported = ma.fields.List(ma.fields.String(),
                                                                required=True)
    code_challenge_methods_supported = ma.fields.List(ma.fields.String(), required=True)
    service_documentation = ma.fields.String(required=True)
    access_token_signing_alg_values_supported = ma.fields.List(
        ma.fields.String(), required=True,
        metadata={"description": "how the access tokens (RFC 9068 JWTs) are signed"})
    claims_supported = ma.fields.List(ma.fields.String(), required=True,
                                      metadata={"description": "what the access tokens carry"})


class JwksSchema(ma.Schema):
    """The public signing keys (RFC 7517 JWK Set): next, current and retired."""

    keys = ma.fields.List(ma.fields.Dict(keys=ma.fields.String()), required=True, metadata={
        "description": "public JSON Web Keys: kty, kid, use, alg and the key's own members"})


class TokenSchema(ma.Schema):
    """A successful token response (RFC 6749 §5.1; more members may come, as §5.1 allows)."""

    class Meta:
        unknown = ma.INCLUDE

    access_token = ma.fields.String(required=True, metadata={
        "description": "a signed JWT (RFC 9068); send it as 'Authorization: Bearer <token>'"})
    token_type = ma.fields.String(required=True, metadata={"description": "Bearer"})
    expires_in = ma.fields.Integer(metadata={"description": "seconds the access token lives"})
    refresh_token = ma.fields.String(metadata={
        "description": "for people (not for client credentials); it works once"})
    scope = ma.fields.String()


class OAuthErrorSchema(ma.Schema):
    """An error of the OAuth endpoints (RFC 6749 §5.2), not a problem document."""

    class Meta:
        unknown = ma.INCLUDE

    error = ma.fields.String(required=True, metadata={
        "description": "invalid_request, invalid_client, invalid_grant, unauthorized_client, "
                       "unsupported_grant_type, invalid_scope, …"})
    error_description = ma.fields.String()
    error_uri = ma.fields.String()
    state = ma.fields.String()


class RevocationSchema(ma.Schema):
    """RFC 7009: an empty JSON object, whether or not the token was known."""


# What the OAuth endpoints read from their form. Authlib reads and checks it (answering in
# OAuth's error format, not with a problem document): these schemas only describe it, in the
# OpenAPI description a client is generated from.
class TokenRequestSchema(ma.Schema):
    """A token request (RFC 6749 §4; RFC 7523 for the jwt-bearer exchange)."""

    grant_type = ma.fields.String(required=True, metadata={
        "enum": ["client_credentials", "authorization_code", "refresh_token",
                 "urn:ietf:params:oauth:grant-type:jwt-bearer", "password"],
        "description": "password only where it is enabled (embedded mode, the demo)"})
    client_id = ma.fields.String(metadata={"description": "or HTTP Basic authentication"})
    client_secret = ma.fields.String(metadata={"description": "confidential clients"})
    code = ma.fields.String(metadata={"description": "authorization_code"})
    redirect_uri = ma.fields.String(metadata={"description": "authorization_code"})
    code_verifier = ma.fields.String(metadata={"description": "authorization_code (PKCE)"})
    refresh_token = ma.fields.String(metadata={"description": "refresh_token"})
    assertion = ma.fields.String(metadata={"description": "jwt-bearer: the external token"})
    username = ma.fields.String(metadata={"description": "password"})
    password = ma.fields.String(metadata={"description": "password"})
    scope = ma.fields.String()


class RevocationRequestSchema(ma.Schema):
    """A revocation request (RFC 7009 §2.1)."""

    token = ma.fields.String(required=True, metadata={"description": "the refresh token"})
    token_type_hint = ma.fields.String(metadata={"enum": ["refresh_token", "access_token"]})
    client_id = ma.fields.String(metadata={"description": "or HTTP Basic authentication"})
    client_secret = ma.fields.String(metadata={"description": "confidential clients"})


class LoginFormSchema(ma.Schema):
    """The login page's form (*Anmeldung*)."""

    username = ma.fields.String(required=True)
    password = ma.fields.String(required=True)
    new_password = ma.fields.String(metadata={
        "description": "to change the password while logging in (a temporary one must be)"})


def _form(schema: type[ma.Schema]) -> dict:
    return {"requestBody": {"required": True, "content": {FORM: {"schema": schema}}}}


#: the authorization request (RFC 6749 §4.1.1 with PKCE, RFC 7636), in the query of both the
#: login page and the login form sent
AUTHORIZATION_REQUEST = {"parameters": [
    {"in": "query", "name": name, "required": required, "schema": schema,
     "description": description}
    for name, required, schema, description in (
        ("response_type", True, {"type": "string", "enum": ["code"]}, "code"),
        ("client_id", True, {"type": "string"}, "the web console's client id"),
        ("redirect_uri", False, {"type": "string", "format": "uri"},
         "one of the client's registered redirect URIs"),
        ("state", False, {"type": "string"}, "returned unchanged"),
        ("scope", False, {"type": "string"}, ""),
        ("code_challenge", True, {"type": "string"}, "PKCE (RFC 7636)"),
        ("code_challenge_method", True, {"type": "string", "enum": ["S256"]}, "PKCE: S256"),
    )]}


def _server():
    return current_service().authorization_server


@blp.route("/.well-known/openid-configuration", methods=["GET"])
@public
@blp.response(200, AuthorizationServerMetadataSchema)
def openid_configuration():
    """Discovery document (OpenID Connect Discovery / RFC 8414)."""
    return _server().metadata(), _cached(300)


@blp.route("/.well-known/oauth-authorization-server", methods=["GET"])
@public
@blp.response(200, AuthorizationServerMetadataSchema)
def oauth_authorization_server():
    """Authorization server metadata (RFC 8414): the same document."""
    return _server().metadata(), _cached(300)


@blp.route("/.well-known/jwks.json", methods=["GET"])
@public
@blp.response(200, JwksSchema)
def jwks():
    """The public signing keys: next, current and retired (key rotation)."""
    return current_service().keyring.jwks(), _cached(60)


@blp.route("/oauth/token", methods=["POST"])
@public
@accepts(FORM)
@blp.response(200, TokenSchema)
@blp.alt_response(400, schema=OAuthErrorSchema, description="refused (invalid_grant, …)")
@blp.alt_response(401, schema=OAuthErrorSchema, description="invalid_client")
@blp.doc(**_form(TokenRequestSchema))
@blp.alt_response(422, "UNPROCESSABLE_ENTITY", **REFUSED_INPUT)
def token():
    """Token endpoint (form-encoded): ``grant_type`` = client_credentials, authorization_code,
    refresh_token, urn:ietf:params:oauth:grant-type:jwt-bearer, or password when enabled."""
    return _server().create_token_response()


@blp.route("/oauth/revoke", methods=["POST"])
@public
@accepts(FORM)
@blp.response(200, RevocationSchema)
@blp.alt_response(400, schema=OAuthErrorSchema, description="refused (invalid_request, …)")
@blp.alt_response(401, schema=OAuthErrorSchema, description="invalid_client")
@blp.doc(**_form(RevocationRequestSchema))
@blp.alt_response(422, "UNPROCESSABLE_ENTITY", **REFUSED_INPUT)
def revoke():
    """Revocation (RFC 7009): send the refresh token to log out (*Abmelden*)."""
    return _server().create_endpoint_response("revocation")


@blp.route("/oauth/authorize", methods=["GET"])
@public
@blp.response(200, PAGE, content_type=HTML, description="the login page (Anmeldung)")
@blp.alt_response(302, headers=LOCATION, description="a refused authorization request, "
                  "told to the client at its redirect URI")
@blp.alt_response(400, schema=PAGE, content_type=HTML,
                  description="a refused authorization request without a trustworthy "
                              "redirect URI")
@blp.doc(**AUTHORIZATION_REQUEST)
@blp.alt_response(422, "UNPROCESSABLE_ENTITY", **REFUSED_INPUT)
def login_page():
    """Authorization endpoint for the web console: the login page (*Anmeldung*) of the
    authorization code grant with PKCE S256."""
    grant = _consent_grant()
    if isinstance(grant, Response):
        return grant
    return _login_page()


@blp.route("/oauth/authorize", methods=["POST"])
@public
@accepts(FORM)
@blp.response(302, headers=LOCATION, description="logged in: back to the client with a code")
@blp.alt_response(400, schema=PAGE, content_type=HTML,
                  description="a refused authorization request without a trustworthy "
                              "redirect URI")
@blp.alt_response(401, schema=PAGE, content_type=HTML,
                  description="the login page again: wrong username or password")
@blp.alt_response(403, schema=PAGE, content_type=HTML,
                  description="the page to change a temporary password set by an "
                              "administrator (Kennwortänderung): the login needs a new one")
@blp.alt_response(429, schema=PAGE, content_type=HTML,
                  description="the login page again: the account is locked for a while "
                              "(Retry-After)")
@blp.doc(**_form(LoginFormSchema), **AUTHORIZATION_REQUEST, responses={"422": {
    "description": "the page to change the password again: the new password breaks a rule, "
                   "which the page names; or, as a problem document, a form or query value "
                   "refused before the login reads it",
    "content": {HTML: {"schema": PAGE}, PROBLEM_MEDIA_TYPE: {"schema": ProblemSchema}}}})
def authorize():
    """The login form sent (``username``, ``password``, and ``new_password`` to change it
    while logging in, as a temporary password must): a redirect to the client with a code
    (authorization code grant with PKCE S256)."""
    grant = _consent_grant()
    if isinstance(grant, Response):
        return grant
    username = request.form.get("username", "")
    password = request.form.get("password", "")
    new_password = request.form.get("new_password")
    try:
        subject = authenticate_password(current_service(), grant.client.tenant_id, username,
                                        password, new_password)
    except AccountLockedError as locked:
        page = _login_page(error=locked.description, status=429)
        page.headers["Retry-After"] = str(locked.retry_after)
        return page
    except PasswordChangeRequiredError:
        return _login_page(error=CHANGE_REQUIRED, status=403, username=username, change=True)
    except NewPasswordRejectedError as rejected:
        return _login_page(error=rejected.description, status=422, username=username,
                           change=True)
    except OAuth2Error:
        return _login_page(error="Benutzername oder Passwort ist falsch / "
                                 "invalid username or password", status=401,
                           change=new_password is not None)
    return _server().create_authorization_response(grant_user=subject, grant=grant)


def _consent_grant():
    """The grant of this authorization request, or the answer refusing the request."""
    server = _server()
    try:
        return server.get_consent_grant(end_user=None)
    except OAuth2Error as error:
        if error.redirect_uri:  # the client's registered redirect URI: tell the client there
            return server.handle_response(*error())
        # no trustworthy redirect URI: show the error instead of redirecting anywhere
        return _login_page(error=error.description or error.error, status=400, form=False)


def _cached(max_age: int) -> dict[str, str]:
    return {"Cache-Control": f"public, max-age={max_age}"}


CHANGE_REQUIRED = ("Ihr Passwort wurde von der Verwaltung gesetzt und muss jetzt geändert werden "
                   "/ your password was set by an administrator: choose a new one")


def _login_page(*, error: str | None = None, status: int = 200, form: bool = True,
                username: str = "", change: bool = False) -> Response:
    """The login form; with ``change`` also the new password (*Kennwortänderung*)."""
    message = f'<p role="alert">{html.escape(error)}</p>' if error else ""
    current = "Bisheriges Passwort / current password" if change else "Passwort / password"
    new = (f"<label>Neues Passwort / new password ({MIN_PASSWORD_LENGTH} bis "
           f"{MAX_PASSWORD_LENGTH} Zeichen, am besten einige Wörter / {MIN_PASSWORD_LENGTH} to "
           f"{MAX_PASSWORD_LENGTH} characters, a few words are best) <input name=new_password "
           f"type=password autocomplete=new-password minlength={MIN_PASSWORD_LENGTH} "
           "required></label>") if change else ""
    fields = ("<form method=post><label>Benutzername / username <input name=username "
              f'autocomplete=username value="{html.escape(username)}" required></label>'
              f"<label>{current} <input name=password type=password "
              f"autocomplete=current-password required></label>{new}"
              "<button>Anmelden / sign in</button></form>") if form else ""
    # the icon declared empty (data:), else a browser asks for /favicon.ico, which this page's
    # policy forbids (Firefox reports that as a CSP error on every login)
    body = (f"<!doctype html><html lang=de><meta charset=utf-8><title>Lotse – Anmeldung</title>"
            '<link rel=icon href="data:,">'
            f"<h1>Lotse – Anmeldung</h1>{message}{fields}</html>")
    response = Response(body, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = "default-src 'none'; img-src data:; form-action 'self'"
    return response
