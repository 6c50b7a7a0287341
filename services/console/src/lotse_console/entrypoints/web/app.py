"""The console's Flask app: the platform's service app (request ids, access logs, metrics,
``/healthz`` and ``/readyz``) with server-side sessions, CSRF protection on every form, the
OAuth client of identity, German error pages and the pages' blueprints."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from authlib.integrations.flask_client import OAuth
from flask.typing import ResponseReturnValue
from flask import Flask, Response, render_template, session
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from lotse_platform import clock
from lotse_platform.http import create_service_app
from lotse_platform.settings import RunMode

from ...adapters.apis import Apis, ServiceUnavailable, SessionEnded, Throttled
from ...adapters.sessions import EXPIRES
from ...domain import vocabulary
from ...domain.navigation import entries_for
from . import admin, auth, case_work, cases, groups, intake, office, pages, partner, steering
from .common import TOKEN, USER, PageForbidden, User

if TYPE_CHECKING:
    from ...bootstrap import ConsoleService

log = logging.getLogger("lotse.console")

#: what a page may load: only this console's own files (no inline script, no other site)
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; "
                           "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; "
                           "base-uri 'none'; object-src 'none'")


def create_console_app(service: ConsoleService) -> Flask:
    settings = service.settings
    app, _api = create_service_app(service.name, settings, readiness=service.readiness(),
                                   title=service.title)
    # Flask("lotse_console"): templates/ and static/ of this package, served at /static
    app.jinja_env.autoescape = True
    app.jinja_env.globals.update(labels=vocabulary, label=vocabulary.label)
    app.jinja_env.filters["datum"] = _german_date
    app.session_interface = service.session_interface()
    app.config.update(
        SESSION_COOKIE_NAME="lotse_console",
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        WTF_CSRF_SSL_STRICT=settings.secure_cookies(),
        LOTSE_API_TIMEOUT=settings.api_timeout,
        LOTSE_WARNING_SECONDS=settings.session_warning_minutes * 60,
        PREFERRED_URL_SCHEME="https" if settings.secure_cookies() else "http",
    )
    if settings.mode is RunMode.local:
        # behind the gateway: it strips /console and says so in X-Forwarded-Prefix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1,  # type: ignore[method-assign]
                                x_prefix=1)

    @app.before_request
    def signing_key() -> None:
        # made on first use, in the database: every worker and replica signs alike
        if not app.config.get("SECRET_KEY"):
            app.config["SECRET_KEY"] = service.session_store.secret("csrf")

    CSRFProtect(app)
    oauth = OAuth(app, update_token=_keep_refreshed_token)
    oauth.register(
        "identity", client_id=settings.client_id,
        server_metadata_url=f"{settings.identity_base()}/.well-known/openid-configuration",
        # the code is exchanged where the console reaches identity, which inside a cluster
        # need not be the public address the discovery document names
        access_token_url=f"{settings.identity_base()}/oauth/token",
        client_kwargs={"code_challenge_method": "S256", "token_endpoint_auth_method": "none",
                       "timeout": settings.api_timeout})
    app.extensions["lotse_console.apis"] = Apis(oauth, settings.api_base(), settings.api_timeout)
    app.extensions["lotse_console.verifier"] = lambda: service.verifier
    app.config["LOTSE_REVOCATION_URL"] = f"{settings.identity_base()}/oauth/revoke"

    for blueprint in (auth.bp, pages.bp, intake.bp, cases.bp, case_work.bp, partner.bp, office.bp,
                      steering.bp, groups.bp, admin.bp):
        app.register_blueprint(blueprint)
    _register_error_pages(app)

    @app.context_processor
    def layout() -> dict[str, Any]:
        user = User.from_session()
        return {"user": user, "navigation": entries_for(user.roles) if user else [],
                "session_ends": _session_ends(),
                # the page's script writes later ends on the same clock (not the browser's)
                "time_zone": clock.zone(user.tenant).key if user else None,
                "warning_seconds": app.config["LOTSE_WARNING_SECONDS"]}

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if response.mimetype == "text/html":
            response.headers["Cache-Control"] = "no-store"
        return response

    return app


def _keep_refreshed_token(name: str, token: dict[str, Any], refresh_token: str | None = None,
                          access_token: str | None = None) -> None:
    """Authlib refreshed the access token quietly: the session keeps the new pair."""
    if TOKEN in session:
        session[TOKEN] = dict(token)


def _german_date(value: object) -> str:
    """The ``datum`` filter: a date as users write it, a timestamp's day on the tenant's clock."""
    user = User.from_session()
    return vocabulary.german_date(value, clock.zone(user.tenant if user else None))


def _session_ends() -> str | None:
    """The time the session ends, as the page shows it (HH:MM, the tenant's clock)."""
    user, expires = User.from_session(), session.get(EXPIRES)
    if user is None or not expires:
        return None
    zone = clock.zone(user.tenant)
    return datetime.fromisoformat(expires).astimezone(zone).strftime("%H:%M")


_MESSAGES = {
    400: ("Anfrage nicht verstanden", "Die Anfrage konnte nicht verarbeitet werden."),
    403: ("Kein Zugriff", "Sie haben für diese Seite keine Berechtigung."),
    404: ("Nicht gefunden", "Diese Seite oder dieser Eintrag existiert nicht (mehr) – oder er "
                            "gehört nicht zu Ihrem Zuständigkeitsbereich."),
    405: ("Nicht möglich", "Diese Aktion ist hier nicht möglich."),
    413: ("Zu umfangreich", "Die gesendeten Angaben sind zu umfangreich."),
    422: ("Eingabe nicht angenommen", "Die Eingabe enthält Zeichen, die nicht angenommen werden."),
    429: ("Zu viele Anfragen", "Bitte warten Sie einen Moment und versuchen Sie es dann erneut."),
}


def _register_error_pages(app: Flask) -> None:
    @app.errorhandler(PageForbidden)
    def forbidden(error: PageForbidden) -> ResponseReturnValue:
        return render_template("forbidden.html", title="Kein Zugriff",
                               reason=error.reason), 403

    @app.errorhandler(CSRFError)
    def csrf(error: CSRFError) -> ResponseReturnValue:
        return render_template("error.html", title="Formular abgelaufen",
                               message="Das Formular ist abgelaufen oder wurde nicht von dieser "
                                       "Seite gesendet. Bitte laden Sie die Seite neu und senden "
                                       "Sie es noch einmal."), 400

    @app.errorhandler(SessionEnded)
    def session_ended(error: SessionEnded) -> ResponseReturnValue:
        session.pop(TOKEN, None)
        session.pop(USER, None)
        return render_template("error.html", title="Sitzung abgelaufen",
                               message="Ihre Anmeldung ist abgelaufen. Bitte melden Sie sich "
                                       "erneut an.", login=True), 401

    @app.errorhandler(ServiceUnavailable)
    def unavailable(error: ServiceUnavailable) -> ResponseReturnValue:
        return render_template("error.html", title="Dienst nicht erreichbar",
                               message="Ein Dienst der Plattform antwortet gerade nicht. Bitte "
                                       "versuchen Sie es in einigen Minuten noch einmal."), 503

    @app.errorhandler(Throttled)
    def throttled(error: Throttled) -> ResponseReturnValue:
        page = render_template("error.html", title="Zu viele Anfragen",
                               message="Die Plattform bekommt gerade zu viele Anfragen. Bitte "
                                       "warten Sie einen Moment und laden Sie die Seite dann "
                                       "neu.")
        headers = {"Retry-After": error.retry_after} if error.retry_after else {}
        return page, 429, headers

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        if error.code == 403:
            return forbidden(PageForbidden())
        title, message = _MESSAGES.get(error.code or 500, ("Fehler", "Das hat nicht geklappt."))
        return render_template("error.html", title=title, message=message), error.code or 500

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> ResponseReturnValue:
        log.exception("console.unexpected_error")
        return render_template("error.html", title="Unerwarteter Fehler",
                               message="Das hat nicht geklappt. Bitte versuchen Sie es noch "
                                       "einmal; wenn es wieder geschieht, melden Sie es mit der "
                                       "Uhrzeit Ihrer Administration."), 500
