"""The key ring's public keys without a database: read once, kept ``cache_seconds``, read again
for an unknown key id at most once a second, and at once after :meth:`KeyRing.invalidate`. The
clock is a stand-in that the tests move."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from joserfc.jwk import ECKey

from lotse_identity.service_layer.keys import KeyRing


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class PublishedKeys:
    """A unit of work factory whose units list ``keys`` as published; counts the reads."""

    def __init__(self, *keys: ECKey) -> None:
        self.keys = list(keys)
        self.reads = 0

    def __call__(self):
        return self

    def __enter__(self):
        return self

    def __exit__(self, *_exc) -> None:
        return None

    def published_keys(self):
        self.reads += 1
        return [SimpleNamespace(public_jwk=key.as_dict(private=False)) for key in self.keys]


def key(kid: str) -> ECKey:
    return ECKey.generate_key("P-256", parameters={"kid": kid})


@pytest.fixture
def clock() -> Clock:
    return Clock()


def ring(published: PublishedKeys, clock: Clock) -> KeyRing:
    return KeyRing(published, lambda: None, settings=None, cache_seconds=5.0, clock=clock)


def kids(keys) -> set[str]:
    return {k.kid for k in keys.keys}


def test_the_public_keys_are_read_once_and_kept_for_cache_seconds(clock):
    published = PublishedKeys(key("a"))
    keys = ring(published, clock)

    first = keys.key_set()
    clock.now += 4.5
    assert keys.key_set() is first and published.reads == 1

    published.keys.append(key("b"))
    clock.now += 0.5  # 5 s
    assert kids(keys.key_set()) == {"a", "b"} and published.reads == 2


def test_an_unknown_key_id_reads_them_again_at_most_once_a_second(clock):
    published = PublishedKeys(key("a"))
    keys = ring(published, clock)
    keys.key_set()

    clock.now += 0.5
    assert keys.refresh() is False and published.reads == 1
    clock.now += 0.5
    assert keys.refresh() is True and published.reads == 2
    assert keys.refresh() is False and published.reads == 2
    keys.key_set()
    assert published.reads == 2, "a refresh starts cache_seconds again"


def test_invalidated_keys_are_read_again_at_once(clock):
    published = PublishedKeys(key("a"))
    keys = ring(published, clock)
    keys.key_set()

    keys.invalidate()
    published.keys = [key("b")]

    assert kids(keys.key_set()) == {"b"} and published.reads == 2
    keys.invalidate()
    assert keys.refresh() is True and published.reads == 3

