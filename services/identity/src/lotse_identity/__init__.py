"""The identity service: tenants, organisations, areas, users, roles and API clients, and the
OAuth 2 issuer of every access token of the platform (docs/identity.md).

``create_app()`` is what gunicorn runs (``lotse_identity:create_app()``); nothing connects at
import time.
"""

from __future__ import annotations


def create_app(settings=None):
    from .bootstrap import IdentityService

    return IdentityService(settings).create_app()
