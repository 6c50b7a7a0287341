"""How a service finds a person in its tables: declared next to its data map (ADR 0100) as
``SUBJECT_KEYS`` in ``<package>.adapters.data_map``.

A request names the person by her intake id (key ``intake_id``). A service declares which
further keys follow from it — a case's id from the case whose ``intake_id`` it is, a referral's
id from the referral of that case — and the export takes from every table of the data map the
rows whose column of a key's name holds one of the key's values, and the rows of a key's own
table by its id column::

    SUBJECT_KEYS = SubjectKeys([
        Derived("case_id", table="cases", column="id", by="intake_id"),
    ])

Nothing else: which columns are personal the data map says already.

Where a key cannot be read from a column by another key's value, the service finds it with its
own code (:class:`Found`: reporting reads a case's intake id from the events it stores). Where
a person is not known by her intake id at all, the request may carry her contact details, and a
service declares the table that holds people by them (:class:`Contacts`: steering's forum
invitation list, ADR 0108)::

    SUBJECT_KEYS = SubjectKeys(contacts=Contacts("forum_invitees", phone="phone",
                                                 email="email"))
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..datamap.check import map_module

#: the key the request names the person by: her intake's id
PERSON_KEY = "intake_id"


@dataclass(frozen=True)
class Derived:
    """Key ``key`` has the values of ``table.column`` in the rows whose column ``by`` holds a
    value of the key of that name (``by`` is ``intake_id`` or a key derived before)."""

    key: str
    table: str
    column: str
    by: str


#: a service's own finder of a key: (session, tenant, the keys found so far) -> the key's values
Finder = Callable[[Any, uuid.UUID, Mapping[str, set[str]]], set[str]]


@dataclass(frozen=True)
class Found:
    """Key ``key`` has the values ``find`` returns from the keys ``by`` found before it (the
    service's own code, where no column holds the key beside another key's value); ``table``
    and ``column``, where given, are the key's own table and its id column."""

    key: str
    by: tuple[str, ...]
    find: Finder
    table: str | None = None
    column: str | None = None


@dataclass(frozen=True)
class Contacts:
    """The table that holds people by their contact details, not by an intake id (steering's
    forum invitation list): its rows whose column ``phone`` holds the phone number (E.164) or
    whose column ``email`` holds the e-mail address (in any case) the request names."""

    table: str
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class ContactKeys:
    """What a request names the person by beside her intake id, where the officer gave it: her
    phone number (E.164) and her e-mail address. Never in an event or the audit trail: a
    service fetches them from the coordinating service (ADR 0108)."""

    phone: str | None = None
    email: str | None = None

    def __bool__(self) -> bool:
        return bool(self.phone or self.email)


@dataclass(frozen=True)
class SubjectKeys:
    """The keys a service finds a person's rows by, derived in order from the person's intake
    id; ``root`` is the table and column that hold the person's intake id as its own (intake's
    ``intakes.id``), where the service has one."""

    derived: tuple[Derived | Found, ...]
    root: tuple[str, str] | None = None
    contacts: Contacts | None = None
    #: table -> what a part shows of one of its rows beside its columns, where a column's value
    #: is not readable as stored (reporting's stored events: the protobuf payload decoded)
    readable: Mapping[str, Callable[[dict[str, Any]], dict[str, Any]]] = field(
        default_factory=dict, compare=False, hash=False)

    def __init__(self, derived: Iterable[Derived | Found] = (), *,
                 root: tuple[str, str] | None = None, contacts: Contacts | None = None,
                 readable: Mapping[str, Callable[[dict[str, Any]], dict[str, Any]]]
                 | None = None) -> None:
        object.__setattr__(self, "derived", tuple(derived))
        object.__setattr__(self, "root", root)
        object.__setattr__(self, "contacts", contacts)
        object.__setattr__(self, "readable", dict(readable or {}))
        known = {PERSON_KEY}
        for rule in self.derived:
            for by in (rule.by,) if isinstance(rule, Derived) else rule.by:
                if by not in known:
                    raise ValueError(f"{rule.key} is derived by {by}, which is not derived "
                                     "before it")
            known.add(rule.key)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((PERSON_KEY, *(rule.key for rule in self.derived))))

    def own_columns(self) -> dict[str, tuple[str, str]]:
        """table -> (its id column, the key it belongs to): a case's row by its ``id``."""
        found = {rule.table: (rule.column, rule.key) for rule in self.derived
                 if rule.table is not None and rule.column is not None}
        if self.root is not None:
            found[self.root[0]] = (self.root[1], PERSON_KEY)
        return found


def load_subject_keys(service_module: str) -> SubjectKeys | None:
    """The service's declaration (``SUBJECT_KEYS`` of its data map's module), or None when it
    holds no data about people that a subject-access request asks for."""
    module = map_module(service_module)
    if module is None:
        return None
    keys = getattr(module, "SUBJECT_KEYS", None)
    if keys is not None and not isinstance(keys, SubjectKeys):
        raise TypeError(f"{module.__name__}.SUBJECT_KEYS is not a SubjectKeys")
    return keys
