"""What every casework view shares: the roles and the purpose of a supervision read. Refusals
are the platform's problem classes (domain/errors.py) and need no handler here."""

from __future__ import annotations

from flask import request

from lotse_platform.auth import CASE_MANAGER, COORDINATOR


READERS = (CASE_MANAGER, COORDINATOR)
WRITERS = (CASE_MANAGER,)


def purpose() -> str | None:
    """The purpose of a supervision read (``?purpose=`` or ``X-Lotse-Purpose``)."""
    return request.args.get("purpose") or request.headers.get("X-Lotse-Purpose")
