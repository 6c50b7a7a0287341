"""What a service declares about its tables (ADR 0100): for every column its class of data,
purpose, retention class and legal basis, in one module next to its ORM
(``<package>.adapters.data_map``, ``DATA_MAP``).

A table names the purpose, retention class and legal basis its columns share; each column is
named with its class, and may name its own purpose, retention or legal basis::

    DATA_MAP = DataMap([
        Table("notes", "Notizen zu Gebieten", "notes about areas", "operational", "none", {
            "id": NOT_PERSONAL,
            "text": special("free_text", legal_basis="task_sgb_special"),
        }),
    ])

Every column is named: a table's defaults give what a column shares, never its class.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .vocabulary import (
    LEGAL_BASES,
    RETENTION_CLASSES,
    SPECIAL_CATEGORY_BASES,
    SPECIAL_KINDS,
    DataClass,
)


class DataMapError(ValueError):
    """A map names a key the vocabulary does not know, or a table twice."""


@dataclass(frozen=True)
class Column:
    """One column's classification; what it leaves ``None`` its table says."""

    data_class: DataClass
    kind: str | None = None
    purpose_de: str | None = None
    purpose_en: str | None = None
    retention: str | None = None
    legal_basis: str | None = None
    #: why the column is classified so, where that is not obvious (English)
    note: str | None = None

    def __post_init__(self) -> None:
        if (self.data_class is DataClass.special_category) != (self.kind is not None):
            raise DataMapError("a special-category column names its kind, no other does")
        if self.kind is not None and self.kind not in SPECIAL_KINDS:
            raise DataMapError(f"unknown kind of special-category data: {self.kind}")
        if self.retention is not None and self.retention not in RETENTION_CLASSES:
            raise DataMapError(f"unknown retention class: {self.retention}")
        if self.legal_basis is not None and self.legal_basis not in LEGAL_BASES:
            raise DataMapError(f"unknown legal basis: {self.legal_basis}")


NOT_PERSONAL = Column(DataClass.not_personal)
PERSONAL = Column(DataClass.personal)


def not_personal(note: str) -> Column:
    """A column that is not personal, with the reason (where a reader might think it is)."""
    return Column(DataClass.not_personal, note=note)


def personal(*, purpose: tuple[str, str] | None = None, retention: str | None = None,
             legal_basis: str | None = None, note: str | None = None) -> Column:
    """A personal column with its own purpose, retention, legal basis or note."""
    de, en = purpose if purpose else (None, None)
    return Column(DataClass.personal, None, de, en, retention, legal_basis, note)


def special(kind: str, *, purpose: tuple[str, str] | None = None, retention: str | None = None,
            legal_basis: str | None = None, note: str | None = None) -> Column:
    """A special-category column (Art. 9 GDPR) of this ``kind``. Without a legal basis of its
    own it takes its table's where that is one for Art. 9 data, else ``task_sgb_special``."""
    de, en = purpose if purpose else (None, None)
    return Column(DataClass.special_category, kind, de, en, retention, legal_basis, note)


@dataclass(frozen=True)
class ClassifiedColumn:
    """A column with everything its table gave it: what the record and the API show."""

    table: str
    name: str
    data_class: DataClass
    kind: str | None
    purpose_de: str
    purpose_en: str
    retention: str
    legal_basis: str
    note: str | None = None


@dataclass(frozen=True)
class Table:
    name: str
    purpose_de: str
    purpose_en: str
    retention: str
    legal_basis: str
    columns: Mapping[str, Column] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.retention not in RETENTION_CLASSES:
            raise DataMapError(f"{self.name}: unknown retention class {self.retention}")
        if self.legal_basis not in LEGAL_BASES:
            raise DataMapError(f"{self.name}: unknown legal basis {self.legal_basis}")

    def classified(self) -> list[ClassifiedColumn]:
        return [ClassifiedColumn(
            self.name, name, column.data_class, column.kind,
            column.purpose_de or self.purpose_de, column.purpose_en or self.purpose_en,
            column.retention or self.retention, column.legal_basis or self._basis_of(column),
            column.note)
            for name, column in self.columns.items()]

    def _basis_of(self, column: Column) -> str:
        if column.data_class is DataClass.special_category \
                and self.legal_basis not in SPECIAL_CATEGORY_BASES:
            return "task_sgb_special"
        return self.legal_basis

    @property
    def data_class(self) -> DataClass:
        """The most sensitive class among its columns."""
        order = list(DataClass)
        return max((c.data_class for c in self.columns.values()), key=order.index,
                   default=DataClass.not_personal)


@dataclass(frozen=True)
class DataMap:
    """The tables of one service (or of the platform) by name."""

    tables: Mapping[str, Table]

    def __init__(self, tables: Iterable[Table]) -> None:
        by_name: dict[str, Table] = {}
        for table in tables:
            if table.name in by_name:
                raise DataMapError(f"table {table.name} is mapped twice")
            by_name[table.name] = table
        object.__setattr__(self, "tables", by_name)

    def __or__(self, other: DataMap) -> DataMap:
        return DataMap([*self.tables.values(), *other.tables.values()])

    def only(self, names: Iterable[str]) -> DataMap:
        """The tables of these names (the platform's that a service's schema has)."""
        wanted = set(names)
        return DataMap([t for n, t in self.tables.items() if n in wanted])
