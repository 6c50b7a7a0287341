"""Checking a password, with lockout after repeated failures (*Kontosperre*).

Failures are counted per (tenant, username) — for unknown usernames too, and by a hash of the
name, never the name itself — so a locked answer says nothing about whether an account exists.
After ``lockout_max_failures`` failures within ``lockout_window`` seconds the name is locked for
``lockout_duration`` seconds; while locked not even the right password opens it.
"""

from __future__ import annotations

import logging
import math
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..adapters.crypto import username_digest, verify_password
from ..domain.model import LoginFailures, User, now
from ..settings import IdentitySettings
from .unit_of_work import IdentityUnitOfWork

log = logging.getLogger("lotse.identity.login")


class InvalidCredentials(Exception):
    """Unknown username, wrong password or disabled account: the same answer for all three."""


@dataclass
class AccountLocked(Exception):
    retry_after: int  # seconds


def check_password(uow: IdentityUnitOfWork, username: str, password: str,
                   settings: IdentitySettings, *, at: datetime | None = None) -> User:
    """The active user with this username and password in the unit of work's tenant."""
    at = at or now()
    digest = username_digest(uow.tenant_id, username)
    with uow:
        failures = uow.login_failures(digest)
        if failures and failures.locked_until and failures.locked_until > at:
            raise AccountLocked(_seconds(failures.locked_until - at))
        user = uow.user_by_username(username) if username else None
        # verify even for unknown users (against a dummy hash): the same time for both answers
        matches = verify_password(user.password_hash if user else None, password)
        if matches and user is not None and user.active:
            if failures is not None:
                uow.forget_login_failures(failures)
                uow.commit()
            return user
        if matches:  # right password, disabled account: not a guess, not counted
            raise InvalidCredentials()
        locked = _count_failure(uow, failures, digest, settings, at)
        # False when a parallel failure of the same name counted first: the answer is the same
        uow.commit_unless_counted_already()
    if locked:
        log.info("identity.login_locked")
        raise AccountLocked(settings.lockout_duration)
    raise InvalidCredentials()


def _count_failure(uow: IdentityUnitOfWork, failures: LoginFailures | None, digest: str,
                   settings: IdentitySettings, at: datetime) -> bool:
    window = timedelta(seconds=settings.lockout_window)
    if failures is None:
        failures = LoginFailures(username_hash=digest, count=0, window_start=at,
                                 tenant_id=uuid.UUID(str(uow.tenant_id)))
        uow.add(failures)
    elif at - failures.window_start > window or failures.locked_until is not None:
        failures.count, failures.window_start, failures.locked_until = 0, at, None
    failures.count += 1
    if failures.count >= settings.lockout_max_failures:
        failures.locked_until = at + timedelta(seconds=settings.lockout_duration)
        return True
    return False


def _seconds(delta: timedelta) -> int:
    return max(1, math.ceil(delta.total_seconds()))
