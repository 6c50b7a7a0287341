"""The JWKS cache: fetched once, fetched again for a rotated key, but never faster than
``min_refresh_interval`` however many made-up key ids arrive."""

from __future__ import annotations

import uuid

import pytest

from lotse_platform.auth import CASE_MANAGER, JWKSCache, TokenVerifier
from lotse_platform.auth.devtokens import DevIssuer
from lotse_platform.errors import ServiceUnavailable, Unauthenticated
from lotse_platform.testing import JwksServer

TENANT = uuid.uuid4()
ISSUER = "http://localhost/dev"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def old_key() -> DevIssuer:
    return DevIssuer(ISSUER, kid="2024-old")


@pytest.fixture(scope="module")
def new_key() -> DevIssuer:
    return DevIssuer(ISSUER, kid="2025-new")


def token(issuer: DevIssuer) -> str:
    return issuer.issue("user-17", TENANT, "org-awo", [CASE_MANAGER])


def test_keys_are_fetched_once_and_cached(old_key):
    with JwksServer(old_key.jwks()) as identity:
        verifier = TokenVerifier(JWKSCache(identity.url), issuer=ISSUER, audience="lotse")

        for _ in range(5):
            assert verifier.verify(token(old_key)).subject == "user-17"

        assert identity.fetches == 1


def test_a_rotated_key_is_fetched_and_a_second_unknown_kid_soon_after_is_not(old_key, new_key):
    clock = FakeClock()
    with JwksServer(old_key.jwks()) as identity:
        keys = JWKSCache(identity.url, min_refresh_interval=30, clock=clock)
        verifier = TokenVerifier(keys, issuer=ISSUER, audience="lotse")
        verifier.verify(token(old_key))
        assert identity.fetches == 1

        # identity rotates: both keys published, new tokens signed with the new one
        identity.document = {"keys": old_key.jwks()["keys"] + new_key.jwks()["keys"]}
        clock.now += 31
        assert verifier.verify(token(new_key)).subject == "user-17"
        assert identity.fetches == 2

        forged = DevIssuer(ISSUER, kid="made-up")
        for _ in range(3):
            with pytest.raises(Unauthenticated, match="token signing key is unknown"):
                verifier.verify(token(forged))
        assert identity.fetches == 2

        clock.now += 31
        with pytest.raises(Unauthenticated, match="token signing key is unknown"):
            verifier.verify(token(forged))
        assert identity.fetches == 3
        assert verifier.verify(token(old_key)).subject == "user-17"


def test_an_unknown_kid_right_after_start_waits_for_the_interval(old_key, new_key):
    clock = FakeClock()
    with JwksServer(old_key.jwks()) as identity:
        verifier = TokenVerifier(JWKSCache(identity.url, clock=clock), issuer=ISSUER,
                                 audience="lotse")
        verifier.verify(token(old_key))
        identity.document = new_key.jwks()

        with pytest.raises(Unauthenticated, match="token signing key is unknown"):
            verifier.verify(token(new_key))
        assert identity.fetches == 1


def test_an_unreachable_identity_service_is_503_not_401(old_key):
    clock = FakeClock()
    with JwksServer(old_key.jwks()) as identity:
        identity.failing = True
        keys = JWKSCache(identity.url, clock=clock, timeout=2)
        verifier = TokenVerifier(keys, issuer=ISSUER, audience="lotse")

        with pytest.raises(ServiceUnavailable):
            verifier.verify(token(old_key))
        with pytest.raises(ServiceUnavailable):
            verifier.verify(token(old_key))
        assert identity.fetches == 1  # retried at most once a second

        identity.failing = False
        clock.now += 1
        assert verifier.verify(token(old_key)).subject == "user-17"


def test_old_keys_stay_in_use_when_a_scheduled_refetch_fails(old_key):
    clock = FakeClock()
    with JwksServer(old_key.jwks()) as identity:
        keys = JWKSCache(identity.url, clock=clock, max_age=600)
        verifier = TokenVerifier(keys, issuer=ISSUER, audience="lotse")
        verifier.verify(token(old_key))

        identity.failing = True
        clock.now += 601
        assert verifier.verify(token(old_key)).subject == "user-17"
        assert identity.fetches == 2


def test_keys_are_fetched_again_when_exactly_max_age_old(old_key):
    clock = FakeClock()
    with JwksServer(old_key.jwks()) as identity:
        keys = JWKSCache(identity.url, clock=clock, max_age=600)
        keys.key_set()
        clock.now += 599.5
        keys.key_set()
        assert identity.fetches == 1
        clock.now += 0.5
        keys.key_set()
        assert identity.fetches == 2
        keys.key_set()
        assert identity.fetches == 2, "the keys fetched anew are kept for max_age again"


def test_after_a_failed_scheduled_refetch_the_next_waits_for_the_refresh_interval(old_key):
    clock = FakeClock()
    with JwksServer(old_key.jwks()) as identity:
        keys = JWKSCache(identity.url, clock=clock, max_age=600, min_refresh_interval=30)
        first = keys.key_set()
        identity.failing = True
        clock.now += 600
        assert keys.key_set() is first and identity.fetches == 2
        clock.now += 29.5
        assert keys.key_set() is first and identity.fetches == 2
        identity.failing = False
        clock.now += 0.5
        assert keys.key_set() is not first and identity.fetches == 3


def test_a_withdrawn_key_stops_working_after_max_age(old_key, new_key):
    clock = FakeClock()
    with JwksServer(old_key.jwks()) as identity:
        verifier = TokenVerifier(JWKSCache(identity.url, clock=clock, max_age=600),
                                 issuer=ISSUER, audience="lotse")
        verifier.verify(token(old_key))

        identity.document = new_key.jwks()
        clock.now += 601
        with pytest.raises(Unauthenticated, match="token signing key is unknown"):
            verifier.verify(token(old_key))


def test_only_http_urls_are_accepted():
    with pytest.raises(ValueError):
        JWKSCache("file:///etc/passwd")


def test_refetches_reuse_one_connection_to_the_jwks_endpoint(old_key):
    clock = FakeClock()
    with JwksServer(old_key.jwks(), keep_alive=True) as identity:
        with JWKSCache(identity.url, clock=clock, max_age=600) as keys:
            keys.key_set()
            clock.now += 600
            keys.key_set()
            assert identity.fetches == 2
        assert identity.connections == 1


def test_a_document_larger_than_max_bytes_is_not_read_as_keys(old_key):
    with JwksServer(old_key.jwks()) as identity:
        with JWKSCache(identity.url, max_bytes=200) as keys:
            with pytest.raises(ServiceUnavailable):
                keys.key_set()
            assert identity.fetches == 1


@pytest.mark.parametrize("document", [[1, 2], {"keys": "none"}, {"keys": [{"kty": "nope"}]}])
def test_a_document_that_is_no_key_set_leaves_the_keys_unavailable(document):
    with JwksServer(document) as identity, JWKSCache(identity.url) as keys:
        with pytest.raises(ServiceUnavailable):
            keys.key_set()


def test_an_identity_service_that_is_not_listening_is_503(old_key):
    with JwksServer(old_key.jwks()) as identity:
        url = identity.url
    with JWKSCache(url, timeout=2) as keys, pytest.raises(ServiceUnavailable):
        keys.key_set()
