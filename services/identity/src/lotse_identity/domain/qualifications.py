"""Trainings and qualification records of the staff (*Schulungen*, seed 001 L361).

"Alle bis dato eingestellten Case Managerinnen und Case Manager haben die CM-Schulungen des
MKJFGFI durchlaufen … Zusätzliches Instrument zur fachlichen (Weiter-) Qualifizierung sind
bedarfsgerechte Schulungen nach Themen wie z. B. Asylrecht." The coordinating office organises
them (001 L384 "Organisation der Schulungen") and sees who still lacks a mandatory one.

A tenant keeps its **training catalogue** (:class:`Training`: a key, a German and an English
label, whether case managers must have it); a **qualification record** (:class:`Qualification`)
says that one user completed one training on a day — never in the future of the tenant's day —
with an optional certificate reference. No uploads: the certificate stays in the personnel file.

No Flask, SQLAlchemy or kombu here.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from lotse_platform.auth.principal import CASE_MANAGER

from .model import DomainError, User, now

#: a training's key: lower-case letters, digits and - (2 to 60), e.g. ``cm-mkjfgfi``
TRAINING_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{1,59}$")

#: the catalogue a new tenant starts with: (key, German label, English label, mandatory)
DEFAULT_TRAININGS: tuple[tuple[str, str, str, bool], ...] = (
    ("cm-mkjfgfi", "CM-Schulung des MKJFGFI",
     "Case-management training of the state ministry (MKJFGFI)", True),
    ("asylrecht", "Asylrecht", "Asylum law", False),
    ("aufenthaltsrecht", "Aufenthaltsrecht", "Residence law", False),
)


@dataclass
class Training:
    """One entry of the tenant's training catalogue (*Schulungskatalog*)."""

    key: str
    label_de: str
    label_en: str
    #: every active case manager must have completed it (001 L361 "CM-Schulungen des MKJFGFI")
    mandatory: bool = False
    #: retired trainings stay for the records that name them, but are no longer asked for
    active: bool = True
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    version: int = 1
    created_at: datetime = field(default_factory=now)
    updated_at: datetime = field(default_factory=now)
    tenant_id: uuid.UUID | None = None

    def __post_init__(self) -> None:
        check_training_key(self.key)

    def change(self, changes: Mapping[str, object]) -> None:
        for name in ("label_de", "label_en", "mandatory", "active"):
            if name in changes:
                setattr(self, name, changes[name])
        self.version += 1
        self.updated_at = now()


def default_catalogue() -> list[Training]:
    """A new tenant's trainings (:data:`DEFAULT_TRAININGS`)."""
    return [Training(key=key, label_de=label_de, label_en=label_en, mandatory=mandatory)
            for key, label_de, label_en, mandatory in DEFAULT_TRAININGS]


def check_training_key(key: str) -> str:
    if not TRAINING_KEY.match(key):
        raise DomainError("a training's key is 2 to 60 lower-case letters, digits and -", "key")
    return key


@dataclass
class Qualification:
    """That ``user_id`` completed ``training_id`` on ``completed_on`` (*Qualifizierungsnachweis*)."""

    user_id: uuid.UUID
    training_id: uuid.UUID
    completed_on: date
    #: who recorded it (a user id)
    recorded_by: str
    #: the certificate's number or a short note where it is filed — not the certificate itself
    reference: str | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    recorded_at: datetime = field(default_factory=now)
    tenant_id: uuid.UUID | None = None

    @classmethod
    def record(cls, user: User, training: Training, completed_on: date, *, by: str,
               today: date, reference: str | None = None) -> Qualification:
        if completed_on > today:
            raise DomainError("a training is recorded once it was completed: not a day in the "
                              "future", "completed_on")
        if not training.active:
            raise DomainError("this training is retired from the catalogue", "training_id")
        return cls(user_id=user.id, training_id=training.id, completed_on=completed_on,
                   recorded_by=by, reference=reference or None)


@dataclass(frozen=True)
class MissingTrainings:
    """An active case manager and the mandatory trainings she has no record of."""

    user: User
    trainings: tuple[Training, ...]


def missing_mandatory(users: Iterable[User], trainings: Iterable[Training],
                      qualifications: Iterable[Qualification]) -> list[MissingTrainings]:
    """Every active case manager lacking one or more active mandatory trainings (001 L361),
    in the order of ``users``; disabled users and other roles are not asked."""
    mandatory = [t for t in trainings if t.mandatory and t.active]
    done: dict[uuid.UUID, set[uuid.UUID]] = {}
    for record in qualifications:
        done.setdefault(record.user_id, set()).add(record.training_id)
    missing = []
    for user in users:
        if not user.active or CASE_MANAGER not in user.roles:
            continue
        lacking = tuple(t for t in mandatory if t.id not in done.get(user.id, set()))
        if lacking:
            missing.append(MissingTrainings(user, lacking))
    return missing
