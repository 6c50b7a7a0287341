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
from lotse_identity.service_layer.login import check_password

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


def test_the_lock_ends_after_its_duration(identity):
    user = COUNTY.user("cm.borgentreich")
    for _ in range(5):
        with pytest.raises(Exception):
            check_password(identity.uow(COUNTY.tenant_id), user.username, "wrong-password",
                           identity.settings)
    later = now() + timedelta(seconds=identity.settings.lockout_duration + 1)
    found = check_password(identity.uow(COUNTY.tenant_id), user.username, DEMO_PASSWORD,
                           identity.settings, at=later)
    assert found.id == user.id


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
