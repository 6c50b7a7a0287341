"""The replica of identity's directory, kept from its events (ADR 0054).

Every service that checks references (``Service.directory_replica = True``) gets these handlers
beside its own; its queue is bound to identity's organisation, area and user events. Each event
carries the record's ``version``; an event not newer than what is kept changes nothing
(redelivery, reordering), and a change of a record whose creation has not arrived yet is kept
with what it says. Only ids, codes, flags and an organisation's name are kept: identity's events
carry no person's name (ADR 0086).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

from lotse.identity.v1 import events_pb2 as identity

from . import AREA, ORGANISATION, USER, Known


class _Store(Protocol):
    def put(self, known: Known, *, columns: Iterable[str] = ...) -> None: ...


class _WithReferences(Protocol):
    @property
    def references(self) -> _Store: ...


def organisation(event: identity.OrganisationCreated | identity.OrganisationChanged,
                 envelope: object, uow: _WithReferences) -> None:
    uow.references.put(Known(ORGANISATION, event.organisation_id, event.active,
                             event.parent_organisation_id or None, (), event.version,
                             event.name or None))


def area_created(event: identity.AreaCreated, envelope: object, uow: _WithReferences) -> None:
    uow.references.put(Known(AREA, event.area_id, True, event.parent_area_id or None, (),
                             event.version or 1, event.name or None))


def area_changed(event: identity.AreaChanged, envelope: object, uow: _WithReferences) -> None:
    uow.references.put(Known(AREA, event.area_id, event.active, event.parent_area_id or None,
                             (), event.version, event.name or None))


def user_created(event: identity.UserCreated, envelope: object, uow: _WithReferences) -> None:
    uow.references.put(Known(USER, event.user_id, True, event.organisation_id,
                             tuple(event.roles), event.version))


def _user_change(columns: tuple[str, ...], active: Callable[[Any], bool] | None = None,
                 roles: bool = False) -> Callable[[Any, object, _WithReferences], None]:
    """A handler of a partial change of a user: sets ``columns`` only (a user not known yet is
    kept with the organisation the event names)."""

    def handle(event: Any, envelope: object, uow: _WithReferences) -> None:
        uow.references.put(Known(USER, event.user_id, active(event) if active else True,
                                 event.organisation_id, tuple(event.roles) if roles else (),
                                 event.version), columns=columns)

    return handle


HANDLERS: dict[str, Callable[..., None]] = {
    "identity.organisation.created.v1": organisation,
    "identity.organisation.changed.v1": organisation,
    "identity.area.created.v1": area_created,
    "identity.area.changed.v1": area_changed,
    "identity.user.created.v1": user_created,
    "identity.user.disabled.v1": _user_change(("active",), active=lambda e: False),
    "identity.user.enabled.v1": _user_change(("active",), active=lambda e: True),
    "identity.user.roles_changed.v1": _user_change(("roles",), roles=True),
    "identity.user.membership_changed.v1": _user_change(("parent_id",)),
}

EVENT_MODULES = (identity,)
