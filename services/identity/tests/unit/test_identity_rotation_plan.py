"""The rotation rule without a database: a key is published before it signs, signs for the
rotation period, and stays published after it stopped signing until its tokens have expired."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from lotse_identity.domain.keys import KeyState, RotationPolicy, SigningKey, plan_rotation

T0 = datetime(2026, 1, 1, tzinfo=UTC)
POLICY = RotationPolicy(rotate_every=timedelta(days=30), publish_ahead=timedelta(hours=2),
                        keep_after_signing=timedelta(minutes=15))


def key(kid: str, state: KeyState, published: datetime, **kwargs) -> SigningKey:
    return SigningKey(kid=kid, algorithm="RS256", state=state, public_jwk={}, private_key=b"",
                      published_at=published, **kwargs)


def test_a_fresh_database_gets_a_signing_key_and_a_published_successor():
    plan = plan_rotation([], T0, POLICY)
    assert plan.create_current and plan.create_next and plan.promote is None


def test_a_current_key_that_is_not_due_keeps_signing():
    keys = [key("a", KeyState.current, T0, signing_since=T0), key("b", KeyState.next, T0)]
    plan = plan_rotation(keys, T0 + timedelta(days=29), POLICY)
    assert not plan.changes_anything


def test_a_due_rotation_promotes_the_next_key_and_retires_the_current_one():
    keys = [key("a", KeyState.current, T0, signing_since=T0), key("b", KeyState.next, T0)]
    plan = plan_rotation(keys, T0 + timedelta(days=30), POLICY)
    assert plan.promote.kid == "b" and plan.retire.kid == "a" and plan.create_next


def test_a_next_key_published_too_recently_does_not_sign_even_when_forced():
    published = T0 + timedelta(days=30)
    keys = [key("a", KeyState.current, T0, signing_since=T0),
            key("b", KeyState.next, published)]
    plan = plan_rotation(keys, published + timedelta(hours=1), POLICY, force=True)
    assert plan.promote is None and "may sign from" in plan.waiting_for
    plan = plan_rotation(keys, published + timedelta(hours=2), POLICY, force=True)
    assert plan.promote.kid == "b"


def test_a_retired_key_is_removed_only_after_its_tokens_have_expired():
    retired = key("a", KeyState.retired, T0, retired_at=T0 + timedelta(days=30),
                  remove_after=T0 + timedelta(days=30, minutes=15))
    current = key("b", KeyState.current, T0, signing_since=T0 + timedelta(days=30))
    upcoming = key("c", KeyState.next, T0 + timedelta(days=30))
    keys = [retired, current, upcoming]
    assert plan_rotation(keys, T0 + timedelta(days=30, minutes=14), POLICY).remove == []
    assert plan_rotation(keys, T0 + timedelta(days=30, minutes=15), POLICY).remove == [retired]
