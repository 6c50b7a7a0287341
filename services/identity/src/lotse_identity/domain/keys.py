"""Signing keys and their rotation: next → current → retired → removed.

- *next* is published in the JWKS but signs nothing yet, so every verifier (services, the
  gateway) has it cached before the first token it signs arrives;
- *current* signs every new access token (exactly one);
- *retired* signs nothing but stays published until every token it signed has expired;
- *removed* is withdrawn from the JWKS and its private key is erased.

:func:`plan_rotation` is the rule, without cryptography or a database: given the keys and the
time, it says what has to change. The service layer carries it out.
"""

from __future__ import annotations

from typing import Any

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta


class KeyState(str, enum.Enum):
    next = "next"
    current = "current"
    retired = "retired"
    removed = "removed"


PUBLISHED_STATES = (KeyState.next, KeyState.current, KeyState.retired)


@dataclass
class SigningKey:
    kid: str
    algorithm: str
    state: KeyState
    public_jwk: dict[str, Any]
    private_key: bytes | None  # encrypted at rest (AES-GCM with the key-encryption key)
    published_at: datetime
    signing_since: datetime | None = None
    retired_at: datetime | None = None
    remove_after: datetime | None = None
    removed_at: datetime | None = None


@dataclass(frozen=True)
class RotationPolicy:
    rotate_every: timedelta  # how long a key signs
    publish_ahead: timedelta  # how long a key is published before it signs
    keep_after_signing: timedelta  # access-token lifetime + leeway


@dataclass
class RotationPlan:
    """What to do now. ``promote``: the next key starts signing and the current one retires."""

    create_current: bool = False  # no key at all yet: the first one signs at once
    promote: SigningKey | None = None
    retire: SigningKey | None = None
    remove: list[SigningKey] = field(default_factory=list)
    create_next: bool = False
    waiting_for: str | None = None  # why a due rotation has to wait

    @property
    def changes_anything(self) -> bool:
        return bool(self.create_current or self.promote or self.remove or self.create_next)


def plan_rotation(keys: list[SigningKey], at: datetime, policy: RotationPolicy, *,
                  force: bool = False) -> RotationPlan:
    plan = RotationPlan()
    current = [k for k in keys if k.state is KeyState.current]
    upcoming = sorted((k for k in keys if k.state is KeyState.next), key=lambda k: k.published_at)
    plan.remove = [k for k in keys if k.state is KeyState.retired and k.remove_after is not None
                   and k.remove_after <= at]

    if not current:
        if upcoming:
            # a current key vanished (manual intervention): the oldest published key takes over
            plan.promote = upcoming[0]
            upcoming = upcoming[1:]
        else:
            plan.create_current = True
    else:
        signing = current[0]
        due = force or (signing.signing_since or signing.published_at) + policy.rotate_every <= at
        if due and upcoming:
            candidate = upcoming[0]
            ready_at = candidate.published_at + policy.publish_ahead
            if ready_at <= at:
                plan.promote, plan.retire = candidate, signing
                upcoming = upcoming[1:]
            else:
                plan.waiting_for = (f"key {candidate.kid} is published since "
                                    f"{candidate.published_at.isoformat()} and may sign from "
                                    f"{ready_at.isoformat()}")
        elif due:
            plan.waiting_for = "a next key has to be published first"
    plan.create_next = not upcoming
    return plan
