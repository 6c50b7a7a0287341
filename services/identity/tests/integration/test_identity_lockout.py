"""Lockout after repeated failed passwords (*Kontosperre*): 429 with Retry-After and a reason,
the same for unknown usernames, so the answer reveals nothing about who has an account."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from identity_support import password_login

from lotse_demo import COUNTY, DEMO_PASSWORD
from lotse_identity.adapters.crypto import username_digest
from lotse_identity.domain.model import LoginFailures, now
from lotse_identity.service_layer.login import AccountLocked, InvalidCredentials, check_password

pytestmark = pytest.mark.integration


def fail(client, username: str, times: int) -> list:
    return [password_login(client, username, "not-the-password") for _ in range(times)]


def test_five_failed_passwords_lock_the_account_with_a_clear_429(client):
    answers = fail(client, "cm.nieheim", 5)
    assert [a.status_code for a in answers] == [400, 400, 400, 400, 429]
    assert answers[0].json["error"] == "invalid_grant"
    locked = password_login(client, "cm.nieheim")  # even the right password
    assert locked.status_code == 429
    assert locked.json["error"] == "account_locked"
    assert "locked" in locked.json["error_description"]
    assert 0 < int(locked.headers["Retry-After"]) <= 900


def test_an_unknown_username_is_locked_the_same_way(client):
    known = fail(client, "cm.steinheim", 5)[-1]
    unknown = fail(client, "nobody.at.all", 5)[-1]
    assert unknown.status_code == known.status_code == 429
    assert unknown.json == known.json
    assert unknown.headers["Retry-After"] == known.headers["Retry-After"]


def test_the_lock_holds_for_its_duration_and_then_the_right_password_works_again(identity):
    user = COUNTY.user("cm.borgentreich")
    duration = identity.settings.lockout_duration
    start = now()

    def log_in(password: str, at):
        return check_password(identity.uow(COUNTY.tenant_id), user.username, password,
                              identity.settings, at=at)

    for _ in range(4):
        with pytest.raises(InvalidCredentials):
            log_in("wrong-password", start)
    with pytest.raises(AccountLocked) as locked:
        log_in("wrong-password", start)
    assert locked.value.retry_after == duration
    with pytest.raises(AccountLocked) as still_locked:  # even the right password, a second early
        log_in(DEMO_PASSWORD, start + timedelta(seconds=duration - 1))
    assert still_locked.value.retry_after == 1

    assert log_in(DEMO_PASSWORD, start + timedelta(seconds=duration)).id == user.id


def test_a_first_failure_counted_by_a_parallel_login_is_not_counted_twice(identity):
    """Two failed logins of a name without failures both insert its first row: the one that
    commits second learns that the other counted (False) instead of failing the login."""
    digest = username_digest(COUNTY.tenant_id, f"race.{uuid.uuid4()}")

    def first_failure() -> LoginFailures:
        return LoginFailures(username_hash=digest, count=1, window_start=now(),
                             tenant_id=COUNTY.tenant_id)

    with identity.uow(COUNTY.tenant_id) as slower:
        assert slower.login_failures(digest) is None
        slower.add(first_failure())
        with identity.uow(COUNTY.tenant_id) as faster:
            faster.add(first_failure())
            assert faster.commit_unless_counted_already()
        assert not slower.commit_unless_counted_already()

    with identity.uow(COUNTY.tenant_id) as uow:
        assert uow.login_failures(digest).count == 1
