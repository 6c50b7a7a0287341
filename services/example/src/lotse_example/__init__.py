"""The example service: a stand-in that exercises the platform until the real services exist.

``create_app()`` is what gunicorn runs (``lotse_example:create_app()``); nothing connects at
import time.
"""

from __future__ import annotations


def create_app(settings=None):
    from .bootstrap import ExampleService

    return ExampleService(settings).create_app()
