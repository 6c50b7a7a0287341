"""The lockout after failed passwords (*Kontosperre*) counted in an in-memory unit of work: what
is counted, when the name is locked, and what opens it again (the HTTP answers and the race of
two failures on PostgreSQL are in tests/integration/test_identity_lockout.py); a temporary
password that must be changed at login, and passwords compared NFKC-normalised."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from identity_fakes import FakeIdentityUnitOfWork

from lotse_identity.adapters.crypto import hash_password, username_digest
from lotse_identity.domain.model import LoginFailures, RefreshToken, User, now
from lotse_identity.domain.passwords import PasswordRejected
from lotse_identity.service_layer.login import (
    AccountLocked,
    InvalidCredentials,
    PasswordChangeRequired,
    check_password,
)
from lotse_identity.settings import IdentitySettings

TENANT = uuid.uuid4()
PASSWORD = "the right password"
PASSWORD_HASH = hash_password(PASSWORD)  # once: argon2 is slow on purpose
#: three failures within ten minutes lock the name for a quarter of an hour
SETTINGS = IdentitySettings(database_url="sqlite://", issuer="http://127.0.0.1/lotse/identity",
                            lockout_max_failures=3, lockout_window=600, lockout_duration=900)
T0 = now()


def lea(**fields) -> User:
    return User(**{"username": "lea.koch", "display_name": "Lea Koch",
                   "organisation_id": uuid.uuid4(), "roles": ["case_manager"],
                   "password_hash": PASSWORD_HASH, **fields})


def attempt(uow: FakeIdentityUnitOfWork, password: str, *, username: str = "lea.koch",
            after: float = 0) -> User:
    return check_password(uow, username, password, SETTINGS, at=T0 + timedelta(seconds=after))


def counted(uow: FakeIdentityUnitOfWork, username: str = "lea.koch") -> int:
    failures = uow.failures.get(username_digest(TENANT, username))
    return failures.count if failures else 0


def test_the_right_password_opens_the_account():
    user = lea()
    uow = FakeIdentityUnitOfWork(TENANT).stored(user)

    assert attempt(uow, PASSWORD) is user


def test_the_third_failure_within_the_window_locks_the_name_even_against_the_right_password():
    uow = FakeIdentityUnitOfWork(TENANT).stored(lea())

    for second in (0, 1):
        with pytest.raises(InvalidCredentials):
            attempt(uow, "a guess", after=second)
    with pytest.raises(AccountLocked) as locked:
        attempt(uow, "another guess", after=2)
    assert locked.value.retry_after == 900

    with pytest.raises(AccountLocked) as still_locked:
        attempt(uow, PASSWORD, after=62)
    assert still_locked.value.retry_after == 900 - 60


def test_an_unknown_name_is_counted_and_locked_the_same_way_by_its_hash_only():
    uow = FakeIdentityUnitOfWork(TENANT).stored(lea())

    answers = []
    for second in (0, 1, 2):
        with pytest.raises((InvalidCredentials, AccountLocked)) as answer:
            attempt(uow, "a guess", username="nobody.at.all", after=second)
        answers.append(type(answer.value))

    assert answers == [InvalidCredentials, InvalidCredentials, AccountLocked]
    assert list(uow.failures) == [username_digest(TENANT, "nobody.at.all")]
    assert "nobody" not in str(uow.failures), "the name itself is never stored"


def test_failures_further_apart_than_the_window_start_counting_again():
    uow = FakeIdentityUnitOfWork(TENANT).stored(lea())

    for second in (0, 1, 602):
        with pytest.raises(InvalidCredentials):
            attempt(uow, "a guess", after=second)

    assert counted(uow) == 1


def test_a_successful_login_forgets_the_failures_before_it():
    uow = FakeIdentityUnitOfWork(TENANT).stored(lea())
    for second in (0, 1):
        with pytest.raises(InvalidCredentials):
            attempt(uow, "a guess", after=second)

    attempt(uow, PASSWORD, after=2)

    assert counted(uow) == 0


def test_the_lock_ends_after_its_duration():
    locked = LoginFailures(username_digest(TENANT, "lea.koch"), count=3, window_start=T0,
                           locked_until=T0 + timedelta(seconds=900), tenant_id=TENANT)
    user = lea()
    uow = FakeIdentityUnitOfWork(TENANT).stored(user, locked)

    assert attempt(uow, PASSWORD, after=901) is user
    assert counted(uow) == 0


def test_the_right_password_of_a_disabled_account_is_refused_but_not_counted_as_a_guess():
    uow = FakeIdentityUnitOfWork(TENANT).stored(lea(active=False))

    with pytest.raises(InvalidCredentials):
        attempt(uow, PASSWORD)

    assert counted(uow) == 0


# -- a temporary password (an administrator's reset) ----------------------------------------------

def test_a_temporary_password_opens_nothing_until_the_login_chooses_a_new_one():
    user = lea(password_change_required=True)
    session = RefreshToken(token_hash="h-1", client_id="lotse-console", user_id=user.id,
                           expires_at=T0 + timedelta(hours=8), tenant_id=TENANT)
    uow = FakeIdentityUnitOfWork(TENANT).stored(user, session)

    with pytest.raises(PasswordChangeRequired):
        attempt(uow, PASSWORD)
    with pytest.raises(PasswordRejected) as weak:
        check_password(uow, "lea.koch", PASSWORD, SETTINGS, new_password="lea.koch.lea.koch")
    assert weak.value.errors[0]["field"] == "new_password"
    assert user.password_change_required and user.token_generation == 0

    assert check_password(uow, "lea.koch", PASSWORD, SETTINGS,
                          new_password="Wolken über dem Teutoburger Wald") is user
    assert not user.password_change_required and user.token_generation == 1
    assert not session.usable(now()), "every session before the change has ended"
    assert uow.audited == [("update", "user", user.id, "password")]
    assert attempt(uow, "Wolken über dem Teutoburger Wald") is user
    with pytest.raises(InvalidCredentials):
        attempt(uow, PASSWORD)


def test_the_new_password_is_not_the_temporary_one_again():
    temporary = "vom Admin vergeben und bekannt"
    uow = FakeIdentityUnitOfWork(TENANT).stored(
        lea(password_hash=hash_password(temporary), password_change_required=True))

    with pytest.raises(PasswordRejected, match="the new password is the current one"):
        check_password(uow, "lea.koch", temporary, SETTINGS, new_password=temporary)


# -- Unicode ----------------------------------------------------------------------------------

def test_a_password_typed_in_another_unicode_form_still_matches():
    composed = "Käse aus dem Münsterland"
    user = lea(password_hash=hash_password(composed))
    uow = FakeIdentityUnitOfWork(TENANT).stored(user)

    assert attempt(uow, "Ka\u0308se aus dem Mu\u0308nsterland") is user


def test_a_password_hashed_as_typed_before_normalisation_still_opens_the_account():
    typed = "ﬁne ﬂour"  # ligatures: NFKC makes them "fine flour"
    user = lea(password_hash=hash_password(typed))
    uow = FakeIdentityUnitOfWork(TENANT).stored(user)

    assert attempt(uow, typed) is user
