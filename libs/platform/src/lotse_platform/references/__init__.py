"""References to what another service owns — organisations, areas and users of the tenant,
published by identity — checked against this service's own replica (ADR 0054).

A command that names an organisation, an area or a user is checked before anything is written::

    check(uow.references, [
        Wanted("partner_org_id", ORGANISATION, cmd.partner_org_id),
        Wanted("case_manager_id", USER, cmd.case_manager_id, role="case_manager",
               organisation=cmd.case_manager_org_id),
    ])

An id the replica does not know, or knows as disabled, refuses the whole command with one 422
problem document naming every offending field (:class:`UnknownReference`); the id itself is not
repeated (it may be anything a client typed). What was recorded earlier with a reference that
is disabled later stays as it was and stays readable: only new references are checked.

The replica is kept from identity's events by :mod:`.replica` (a service opts in with
``Service.directory_replica``) and stored by :mod:`.store`. This module is plain Python: the
service layer imports it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from ..errors import Unprocessable


class Kind(StrEnum):
    ORGANISATION = "organisation"
    AREA = "area"
    USER = "user"


ORGANISATION, AREA, USER = Kind.ORGANISATION, Kind.AREA, Kind.USER


@dataclass(frozen=True)
class Known:
    """What the replica keeps of one reference: ids, codes and flags, and an organisation's or an
    area's name (an institution's, a place's, for what the services print and report: ADR 0086)
    — never a person's."""

    kind: Kind
    id: str
    active: bool = True
    #: a user's employer; an organisation's parent; an area's parent area
    parent_id: str | None = None
    #: a user's roles
    roles: tuple[str, ...] = ()
    version: int = 0
    #: an organisation's or an area's name (None for users)
    name: str | None = None


@dataclass(frozen=True)
class Wanted:
    """One reference a command makes: the field that names it, what it must be, its id (None
    or empty: not given, nothing to check). ``role``: a user must hold it; ``organisation``: a
    user must belong to it (named in the message by ``organisation_field``)."""

    field: str
    kind: Kind
    id: str | None
    role: str | None = None
    organisation: str | None = None
    organisation_field: str | None = None


class ReferenceLookup(Protocol):
    """What the check needs of the replica (a unit of work's ``references``)."""

    def known(self, kind: Kind, ids: Iterable[str]) -> Mapping[str, Known]: ...


class ReferenceReplica(ReferenceLookup, Protocol):
    """The replica as a unit of work offers it: read, and kept (events, a demo seed)."""

    def put(self, known: Known, *, columns: Iterable[str] = ...) -> None: ...
    def put_all(self, known: Iterable[Known]) -> int: ...


class UnknownReference(Unprocessable):
    """422: a referenced organisation, area or user is unknown here, or disabled."""

    type_suffix = "unknown-reference"


@dataclass
class _Problems:
    errors: list[dict[str, str]] = field(default_factory=list)

    def add(self, name: str, message: str) -> None:
        self.errors.append({"field": name, "message": message})


def check(lookup: ReferenceLookup, wanted: Iterable[Wanted]) -> None:
    """Refuse with :class:`UnknownReference` unless every reference given is known and active
    (and a user holds the role and belongs to the organisation asked for)."""
    wanted = [w for w in wanted if w.id]
    if not wanted:
        return
    found: dict[Kind, Mapping[str, Known]] = {}
    for kind in {w.kind for w in wanted}:
        found[kind] = lookup.known(kind, {str(w.id) for w in wanted if w.kind is kind})
    problems = _Problems()
    for w in wanted:
        known = found[w.kind].get(str(w.id))
        if known is None:
            problems.add(w.field, f"no {w.kind} of this tenant has this id (known to this "
                                  "service from identity's directory)")
        elif not known.active:
            problems.add(w.field, f"this {w.kind} is disabled")
        elif w.role is not None and w.role not in known.roles:
            problems.add(w.field, f"this user does not hold the role {w.role}")
        elif w.organisation and known.parent_id != w.organisation:
            problems.add(w.field, "this user does not belong to the organisation in "
                                  f"{w.organisation_field or 'the request'}")
    if problems.errors:
        raise UnknownReference("A reference names nothing this service knows; see errors.",
                               errors=problems.errors)


def wanted_all(name: str, kind: Kind, ids: Iterable[str] | None) -> list[Wanted]:
    """One :class:`Wanted` per id of a list field, named as validation names list items
    (``area_ids.1``)."""
    return [Wanted(f"{name}.{index}", kind, value) for index, value in enumerate(ids or ())]


def from_directory(entries: Iterable[tuple[str, str, str | None, Iterable[str]]],
                   names: Mapping[str, str] | None = None) -> list[Known]:
    """``(kind, id, parent id, roles)`` entries (a demo county's directory) as replica records
    of version 0, organisations and areas with their ``names``: identity's own events, numbered
    from 1, replace them."""
    names = names or {}
    return [Known(Kind(kind), ref_id, True, parent_id, tuple(roles),
                  name=names.get(ref_id) if kind != USER.value else None)
            for kind, ref_id, parent_id, roles in entries]


def _names(lookup: ReferenceLookup, kind: Kind, ids: Iterable[str | None]) -> dict[str, str]:
    known = lookup.known(kind, [i for i in ids if i])
    return {ref_id: k.name for ref_id, k in known.items() if k.name}


def organisation_names(lookup: ReferenceLookup, ids: Iterable[str | None]) -> dict[str, str]:
    """The names of the organisations ``ids`` as identity published them; an organisation
    without a known name is left out (the caller shows what it has, never a guess)."""
    return _names(lookup, ORGANISATION, ids)


def area_names(lookup: ReferenceLookup, ids: Iterable[str | None]) -> dict[str, str]:
    """The names of the areas ``ids`` (towns, cluster regions) as identity published them;
    one without a known name is left out."""
    return _names(lookup, AREA, ids)


__all__ = ["AREA", "ORGANISATION", "USER", "Kind", "Known", "ReferenceLookup", "ReferenceReplica",
           "UnknownReference", "Wanted", "area_names", "check", "from_directory",
           "organisation_names", "wanted_all"]
