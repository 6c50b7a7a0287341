"""Carrying out key rotation, and the keys as the rest of the service sees them.

:func:`rotate_keys` applies :func:`~lotse_identity.domain.keys.plan_rotation` under a lock (an
advisory lock on PostgreSQL), so the API processes and the worker never rotate twice at once.
:class:`KeyRing` is identity's :class:`~lotse_platform.auth.KeySource`: it reads the published
public keys from the database (cached briefly; re-read when a token names an unknown ``kid``)
and hands the current private key to the token generator.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import NamedTuple

from cachetools import TTLCache
from cryptography.exceptions import InvalidTag
from joserfc.jwk import KeySet

from lotse_platform.errors import ServiceUnavailable

from ..adapters.crypto import KeyEncryption, generate_signing_key, load_private_key
from ..domain.keys import KeyState, RotationPlan, RotationPolicy, SigningKey, plan_rotation
from ..domain.model import now as utc_now
from ..settings import IdentitySettings
from .unit_of_work import IdentityUnitOfWork

log = logging.getLogger("lotse.identity.keys")


def rotation_policy(settings) -> RotationPolicy:
    return RotationPolicy(
        rotate_every=timedelta(days=settings.key_rotation_days),
        publish_ahead=timedelta(seconds=settings.key_publish_ahead),
        keep_after_signing=timedelta(seconds=settings.max_key_lifetime_after_signing),
    )


def _new_key(algorithm: str, encryption: KeyEncryption, at: datetime,
             state: KeyState) -> SigningKey:
    key = generate_signing_key(algorithm)
    kid = key.kid
    return SigningKey(
        kid=kid, algorithm=algorithm, state=state,
        public_jwk=key.as_dict(private=False),
        private_key=encryption.encrypt(key.as_pem(private=True), kid),
        published_at=at,
        signing_since=at if state is KeyState.current else None,
    )


def rotate_keys(uow: IdentityUnitOfWork, encryption: KeyEncryption, settings: IdentitySettings,
                *, at: datetime | None = None, force: bool = False) -> RotationPlan:
    """One step of the schedule: publish a next key, promote it when due, retire, remove."""
    at = at or utc_now()
    policy = rotation_policy(settings)
    with uow:
        uow.lock_signing_keys()
        keys = uow.signing_keys()
        plan = plan_rotation(keys, at, policy, force=force)
        if plan.create_current:
            uow.add(_new_key(settings.signing_algorithm, encryption, at, KeyState.current))
            log.info("identity.key_created", extra={"state": "current"})
        if plan.retire is not None:
            plan.retire.state = KeyState.retired
            plan.retire.retired_at = at
            plan.retire.remove_after = at + policy.keep_after_signing
            log.info("identity.key_retired", extra={"kid": plan.retire.kid})
        if plan.promote is not None:
            plan.promote.state = KeyState.current
            plan.promote.signing_since = at
            log.info("identity.key_promoted", extra={"kid": plan.promote.kid})
        for key in plan.remove:
            key.state = KeyState.removed
            key.removed_at = at
            key.private_key = None  # erased: nothing can sign with it again
            log.info("identity.key_removed", extra={"kid": key.kid})
        if plan.create_next:
            uow.add(_new_key(settings.signing_algorithm, encryption, at, KeyState.next))
            log.info("identity.key_created", extra={"state": "next"})
        uow.commit()
    if plan.waiting_for:
        log.info("identity.key_rotation_waiting", extra={"reason": plan.waiting_for})
    return plan


class _Loaded(NamedTuple):
    keys: KeySet
    at: float  # clock() when they were read


class KeyRing:
    """Identity's own keys: the published public ones (a KeySource) and the signing one."""

    def __init__(self, uow_factory: Callable, encryption: Callable[[], KeyEncryption], settings,
                 *, cache_seconds: float = 5.0, clock: Callable[[], float] = time.monotonic):
        self._uow = uow_factory
        self._encryption = encryption
        self.settings = settings
        self._clock = clock
        self._lock = threading.Lock()
        self._public: TTLCache[str, _Loaded] = TTLCache(maxsize=1, ttl=cache_seconds, timer=clock)
        self._private: dict[str, object] = {}

    @property
    def cache_seconds(self) -> float:
        return self._public.ttl

    # -- KeySource --------------------------------------------------------------------------------
    def key_set(self) -> KeySet:
        with self._lock:
            loaded = self._public.get("keys")
            if loaded is None:  # never read, invalidated, or older than cache_seconds
                loaded = self._load()
            if not loaded.keys.keys:
                raise ServiceUnavailable("identity has no signing keys yet")
            return loaded.keys

    def refresh(self) -> bool:
        with self._lock:
            loaded = self._public.get("keys")
            if loaded is not None and self._clock() - loaded.at < 1.0:
                return False
            self._load()
            return True

    def jwks(self) -> dict:
        with self._uow() as uow:
            return {"keys": [dict(k.public_jwk) for k in uow.published_keys()]}

    def _load(self) -> _Loaded:
        with self._uow() as uow:
            documents = [dict(k.public_jwk) for k in uow.published_keys()]
        loaded = self._public["keys"] = _Loaded(KeySet.import_key_set({"keys": documents}),
                                                self._clock())
        return loaded

    # -- signing ----------------------------------------------------------------------------------
    def signing_key(self):
        """The current private key (joserfc), creating the first keys on a fresh database."""
        with self._uow() as uow:
            current = uow.signing_keys([KeyState.current])
        if not current:
            rotate_keys(self._uow(), self._encryption(), self.settings)
            with self._uow() as uow:
                current = uow.signing_keys([KeyState.current])
            self.invalidate()
        key = current[0]
        cached = self._private.get(key.kid)
        if cached is None:
            try:
                pem = self._encryption().decrypt(key.private_key, key.kid)
            except InvalidTag:
                log.error("identity.key_decryption_failed", extra={"kid": key.kid})
                raise ServiceUnavailable("the signing key cannot be decrypted: is "
                                         "LOTSE_IDENTITY_KEY_ENCRYPTION_KEY the one it was "
                                         "encrypted with?", retry_after=60) from None
            cached = self._private[key.kid] = load_private_key(pem, key.kid, key.algorithm)
        return cached

    def invalidate(self) -> None:
        with self._lock:
            self._public.clear()
