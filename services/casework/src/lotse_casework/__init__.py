"""The casework service: the case cycle from admission to closure (DOMAIN.md §5).

``create_app()`` is what gunicorn runs (``lotse_casework:create_app()``); nothing connects at
import time.
"""

from __future__ import annotations


def create_app(settings=None):
    from .bootstrap import CaseworkService

    return CaseworkService(settings).create_app()
