"""The web console (*Lotse-Konsole*): German pages for the people of DOMAIN.md §1, rendered on
the server (Flask, Jinja2), working without JavaScript, a client of the public APIs with the
user's own token (ADR 0099).

``create_app()`` is what gunicorn runs (``lotse_console:create_app()``); nothing connects at
import time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

    from .settings import ConsoleSettings


def create_app(settings: ConsoleSettings | None = None) -> Flask:
    from .bootstrap import ConsoleService

    return ConsoleService(settings).create_app()
