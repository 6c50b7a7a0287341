"""The intake service: first contact, screening, consent, counselling-depth decision, target
groups and case proposals (DOMAIN.md §2–§4) — run by the county, or by a welfare provider as
its own instance (``LOTSE_INTAKE_OPERATOR``).

``create_app()`` is what gunicorn runs (``lotse_intake:create_app()``); nothing connects at
import time.
"""

from __future__ import annotations


def create_app(settings=None):
    from .bootstrap import IntakeService

    return IntakeService(settings).create_app()
