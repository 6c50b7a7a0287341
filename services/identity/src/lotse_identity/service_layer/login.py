"""Checking a password, with lockout after repeated failures (*Kontosperre*), and replacing it.

Failures are counted per (tenant, username) — for unknown usernames too, and by a hash of the
name, never the name itself — so a locked answer says nothing about whether an account exists.
After ``lockout_max_failures`` failures within ``lockout_window`` seconds the name is locked for
``lockout_duration`` seconds; while locked not even the right password opens it. A wrong
current password given to change one's own password counts the same (ADR 0063).

Passwords are compared and hashed NFKC-normalised (:func:`~lotse_identity.domain.passwords
.normalise`). A new one must pass :func:`~lotse_identity.domain.passwords.check_new_password`;
replacing it ends every session of the user (her refresh tokens are revoked, her token
generation raised). An administrator's reset is a temporary password: the next login with it
answers :class:`PasswordChangeRequired` until it names a new password as well.
"""

from __future__ import annotations

import logging
import math
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from lotse_platform.audit import UPDATE
from lotse_platform.auth.principal import Principal
from lotse_platform.errors import Forbidden, TooManyRequests

from ..adapters.crypto import hash_password, username_digest, verify_password
from ..domain.model import LoginFailures, User, now
from ..domain.passwords import PasswordRejected, check_new_password, context_words, normalise
from ..settings import IdentitySettings
from .unit_of_work import IdentityUnitOfWork

log = logging.getLogger("lotse.identity.login")


class InvalidCredentials(Exception):
    """Unknown username, wrong password or disabled account: the same answer for all three."""


@dataclass
class AccountLocked(Exception):
    retry_after: int  # seconds


class PasswordChangeRequired(Exception):
    """The right password, but a temporary one an administrator set: the login must choose a
    new one (send it along as ``new_password``)."""


class WrongCurrentPassword(Forbidden):
    """Her own password is changed only with the current one (403)."""

    def __init__(self) -> None:
        message = "the current password is wrong"
        super().__init__(message, errors=[{"field": "current_password", "message": message}])


class CurrentPasswordLocked(TooManyRequests):
    """Too many wrong passwords for this account, at login or here (429, Retry-After)."""

    def __init__(self, retry_after: int) -> None:
        message = (f"too many wrong passwords for this account; it is locked for {retry_after} "
                   "seconds (Kontosperre)")
        super().__init__(message, retry_after=retry_after,
                         errors=[{"field": "current_password", "message": message}])


def check_password(uow: IdentityUnitOfWork, username: str, password: str,
                   settings: IdentitySettings, *, new_password: str | None = None,
                   at: datetime | None = None) -> User:
    """The active user with this username and password in the unit of work's tenant.

    With ``new_password`` her password is replaced by it in the same step (the login of a
    temporary password must; anybody may): :class:`PasswordRejected` when it breaks a rule.
    """
    at = at or now()
    with uow:
        user = _authenticated(uow, username, password, settings, at)
        if new_password is not None:
            uow.principal = principal_of(user, uow.tenant_id)  # she changes it herself
            replace_password(uow, user, new_password, temporary=False, current=password, at=at)
        elif user.password_change_required:
            uow.commit()  # the right password: earlier failures are forgotten all the same
            raise PasswordChangeRequired()
        uow.commit()
    return user


def verify_current_password(uow: IdentityUnitOfWork, user: User, password: str,
                            settings: IdentitySettings, *, at: datetime | None = None) -> None:
    """Inside the caller's unit: ``password`` is the user's current one, or the failure is
    counted (and committed) like a failed login and :class:`WrongCurrentPassword` /
    :class:`CurrentPasswordLocked` is raised."""
    try:
        _authenticated(uow, user.username, password, settings, at or now())
    except InvalidCredentials:
        raise WrongCurrentPassword() from None
    except AccountLocked as locked:
        raise CurrentPasswordLocked(locked.retry_after) from None


def replace_password(uow: IdentityUnitOfWork, user: User, new_password: str, *,
                     temporary: bool, current: str | None = None,
                     at: datetime | None = None) -> None:
    """Inside the caller's unit: check ``new_password`` against the rules and the user's
    context, store its hash, end all her sessions and audit it (not committed).
    ``temporary``: an administrator's reset, which her next login must change."""
    normalised = check_new_password(new_password, password_context(uow, user))
    if current is not None and normalised == normalise(current):
        raise PasswordRejected("the new password is the current one", "new_password")
    at = at or now()
    user.replace_password(hash_password(normalised), change_required=temporary)
    uow.revoke_refresh_tokens_of_user(user.id, at)
    uow.audit(UPDATE, "user", user.id, reason="password reset" if temporary else "password")


def password_context(uow: IdentityUnitOfWork, user: User) -> list[str]:
    """The words a password of this person must not be built from: her username, names and
    e-mail address, her organisation's and her county's names, and the service's."""
    organisation = uow.get_organisation(user.organisation_id)
    tenant = uow.tenant()
    return context_words(user.username, user.display_name, user.email,
                         organisation.name if organisation else None,
                         tenant.name if tenant else None, tenant.key if tenant else None)


def principal_of(user: User, tenant_id: uuid.UUID | None) -> Principal:
    """The user as the actor of what she does while logging in (before she has a token)."""
    return Principal(subject=str(user.id), tenant=uuid.UUID(str(tenant_id)),
                     organisation=str(user.organisation_id), roles=frozenset(user.roles),
                     areas=frozenset(user.area_ids))


def _authenticated(uow: IdentityUnitOfWork, username: str, password: str,
                   settings: IdentitySettings, at: datetime) -> User:
    """Inside an open unit: the active user, or the failure counted (and committed)."""
    digest = username_digest(uow.tenant_id, username)
    failures = uow.login_failures(digest)
    if failures and failures.locked_until and failures.locked_until > at:
        raise AccountLocked(_seconds(failures.locked_until - at))
    user = uow.user_by_username(username) if username else None
    # verify even for unknown users (against a dummy hash): the same time for both answers
    matches = _matches(user.password_hash if user else None, password)
    if matches and user is not None and user.active:
        if failures is not None:
            uow.forget_login_failures(failures)
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


def _matches(password_hash: str | None, password: str) -> bool:
    normalised = normalise(password)
    if verify_password(password_hash, normalised):
        return True
    # a password set before passwords were normalised was hashed as it was typed
    return normalised != password and verify_password(password_hash, password)


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
