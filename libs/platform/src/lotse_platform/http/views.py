"""What a view declares about itself, found for the request being handled.

Decorators mark view functions with attributes (``@accepts`` sets ``lotse_accepts``, ``@requires``
sets ``required_roles``); flask-smorest's decorators copy them outward with ``functools.wraps``.
For a ``MethodView`` the marking is on the method, not on the registered view function.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app, request

#: a view function (or method) that a decorator marks and returns as it is
View = TypeVar("View", bound=Callable[..., object])


def current_view_attribute(name: str) -> Any:
    """The attribute ``name`` of the view (method) that will handle this request, or ``None``."""
    view = current_app.view_functions.get(request.endpoint or "")
    candidates = [view]
    view_class = getattr(view, "view_class", None)
    if view_class is not None:  # a MethodView: the method's own marking comes first
        candidates.insert(0, getattr(view_class, request.method.lower(), None))
    for candidate in candidates:
        value = getattr(candidate, name, None)
        if value is not None:
            return value
    return None
