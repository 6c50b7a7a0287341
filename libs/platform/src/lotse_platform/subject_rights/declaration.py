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
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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


@dataclass(frozen=True)
class SubjectKeys:
    """The keys a service finds a person's rows by, derived in order from the person's intake
    id; ``root`` is the table and column that hold the person's intake id as its own (intake's
    ``intakes.id``), where the service has one."""

    derived: tuple[Derived, ...]
    root: tuple[str, str] | None = None

    def __init__(self, derived: Iterable[Derived] = (), *,
                 root: tuple[str, str] | None = None) -> None:
        object.__setattr__(self, "derived", tuple(derived))
        object.__setattr__(self, "root", root)
        known = {PERSON_KEY}
        for rule in self.derived:
            if rule.by not in known:
                raise ValueError(f"{rule.key} is derived by {rule.by}, which is not derived "
                                 "before it")
            known.add(rule.key)

    @property
    def names(self) -> tuple[str, ...]:
        return (PERSON_KEY, *(rule.key for rule in self.derived))

    def own_columns(self) -> dict[str, tuple[str, str]]:
        """table -> (its id column, the key it belongs to): a case's row by its ``id``."""
        found = {rule.table: (rule.column, rule.key) for rule in self.derived}
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
