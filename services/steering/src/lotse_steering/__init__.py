"""The steering service: the system level of the Höxter planning process (DOMAIN.md §8) — case
reconstructions with their computed candidates and the generative themes they propose, the
participation forum, information events and the cycle view. It holds no personal data (ADR 0094)
but the participation forum's invitation list (ADR 0098).

``create_app()`` is what gunicorn runs (``lotse_steering:create_app()``); nothing connects at
import time.
"""

from __future__ import annotations


def create_app(settings=None):
    from .bootstrap import SteeringService

    return SteeringService(settings).create_app()
