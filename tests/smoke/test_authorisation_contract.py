"""One service contract (issue 9): every view of every service says who may call it, in one
way — ``@requires(roles…)`` (checked before the body is read; area and organisation after
loading with ``authorize``) or ``@public`` (login, discovery, JWKS) — so no view can forget its
authorisation and no service invents its own guard."""

from __future__ import annotations

from lotse_platform.auth.web import PUBLIC_PATHS
from lotse_platform.service import installed_services

_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def handlers(app):
    """(method, rule, the function that handles it) of every route of ``app``."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        view_class = getattr(view, "view_class", None)
        for method in sorted(set(rule.methods or ()) & set(_METHODS)):
            function = getattr(view_class, method.lower(), None) if view_class else view
            yield method, rule.rule, function


def test_every_view_of_every_service_requires_roles_or_is_marked_public(service_apps):
    unguarded = [
        f"{name} {method} {rule}"
        for name, app in service_apps.items()
        for method, rule, function in handlers(app)
        if rule not in PUBLIC_PATHS and not rule.startswith("/openapi")
        and not getattr(function, "required_roles", None)
        and not getattr(function, "lotse_public", False)
        and not getattr(app.view_functions.get(rule), "lotse_public", False)
    ]

    assert unguarded == [], "views without @requires or @public:\n" + "\n".join(unguarded)


def test_the_check_sees_the_views_of_every_service(service_apps):
    """The walk above reaches into blueprints and method views (a check that finds nothing to
    check would pass on anything)."""
    with_api = {cls.name for cls in installed_services() if cls.describes_api}
    for name, app in service_apps.items():
        guarded = [rule for _, rule, function in handlers(app)
                   if getattr(function, "required_roles", None)]
        # a service with an API has its audit trail; the web console (ADR 0099) keeps none:
        # every read it shows is audited by the service it reads
        assert "/audit-trail" in guarded or name not in with_api, name
        assert len(guarded) >= 3, name
