"""HSDS's tabular data package read back as the JSON document (ADR 0088): the rows of the
tables the directory reads, nested by their foreign keys as the compiled ``organization.json``
nests them, so an imported package goes through exactly the checks of an imported document.

Each object remembers its row (``services.csv#row=4``, RFC 7111: the header is row 1), so a
rejection names the CSV row, not a place in a document the user never saw. Rows of tables the
directory does not keep (programs, funding, …) are left out, as the JSON import leaves their
fields out; a row of a table it reads that belongs to nothing in the file is rejected. No
SQLAlchemy, Flask or kombu here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .hsds_import import Rejection, pointer

_CHILDREN: dict[str, tuple[str, str, str]] = {
    # child table: (its foreign key, parent table, the parent's list)
    "organization_identifier": ("organization_id", "organization", "organization_identifiers"),
    "location": ("organization_id", "organization", "locations"),
    "service": ("organization_id", "organization", "services"),
    "address": ("location_id", "location", "addresses"),
    "language": ("service_id", "service", "languages"),
    "service_area": ("service_id", "service", "service_areas"),
    "service_at_location": ("service_id", "service", "service_at_locations"),
    "schedule": ("service_id", "service", "schedules"),
    "contact": ("service_id", "service", "contacts"),
    "phone": ("contact_id", "contact", "phones"),
}
#: the tables read, parents first
READ_TABLES = ("organization", "organization_identifier", "location", "address", "service",
               "language", "service_area", "service_at_location", "schedule", "contact",
               "phone", "attribute", "taxonomy_term", "taxonomy")

Row = tuple[int, dict[str, Any]]


@dataclass
class PackageDocument:
    document: list[dict[str, Any]] = field(default_factory=list)
    #: the JSON pointer of each object of the document → its CSV row (``file#row=n``)
    rows: dict[str, str] = field(default_factory=dict)
    rejections: list[Rejection] = field(default_factory=list)

    def located(self, rejection: Rejection) -> Rejection:
        """``rejection`` of the document, naming the CSV row of its object instead."""
        row = self.rows.get(rejection.path)
        return rejection if row is None else Rejection(
            rejection.table, row, rejection.row, rejection.field, rejection.reason)


def as_document(tables: Mapping[str, Sequence[Row]], paths: Mapping[str, str]
                ) -> PackageDocument:
    """The document of the package's rows (``tables``: each table's rows with their row
    numbers; ``paths``: each table's file name)."""
    result = PackageDocument()
    objects: dict[str, dict[str, tuple[dict[str, Any], str]]] = {t: {} for t in READ_TABLES}
    for table in READ_TABLES:
        for number, row in tables.get(table, ()):
            objects[table][row["id"]] = (dict(row), f"{paths[table]}#row={number}")

    taxonomies = {i: obj for i, (obj, _) in objects["taxonomy"].items()}
    for obj, _ in objects["taxonomy_term"].values():
        if obj.get("taxonomy_id") in taxonomies:
            obj["taxonomy_detail"] = taxonomies[obj["taxonomy_id"]]
    terms = {i: obj for i, (obj, _) in objects["taxonomy_term"].items()}
    attributes: dict[str, list[tuple[dict[str, Any], str]]] = {}
    for obj, where in objects["attribute"].values():
        if obj.get("taxonomy_term_id") in terms:
            obj["taxonomy_term"] = terms[obj["taxonomy_term_id"]]
        attributes.setdefault(obj.get("link_id", ""), []).append((obj, where))

    def orphan(table: str, where: str, obj: Mapping[str, Any], key: str, parent: str) -> None:
        result.rejections.append(Rejection(table, where, obj.get("id"), key,
                                           f"no {parent} of the file has this id"))

    for child in READ_TABLES:
        if child not in _CHILDREN:
            continue
        key, parent, listed = _CHILDREN[child]
        for obj, where in objects[child].values():
            owner = objects[parent].get(obj.get(key, ""))
            if owner is None:
                orphan(child, where, obj, key, parent)
            else:
                owner[0].setdefault(listed, []).append(obj)
    linked = {i for t in ("organization", "location", "service") for i in objects[t]}
    for link_id, found in attributes.items():
        for obj, where in found:
            if link_id not in linked:
                orphan("attribute", where, obj, "link_id", "organization, location or service")
            else:
                entity = next(objects[t][link_id][0] for t in ("organization", "location",
                                                               "service")
                              if link_id in objects[t])
                entity.setdefault("attributes", []).append(obj)

    locate = {id(obj): where for t in READ_TABLES for obj, where in objects[t].values()}
    for obj, _ in objects["organization"].values():
        result.document.append(obj)
    _remember(result, result.document, (), locate)
    return result


def _remember(result: PackageDocument, value: Any, path: tuple[str | int, ...],
              locate: Mapping[int, str]) -> None:
    if isinstance(value, dict):
        if id(value) in locate and pointer(path) not in result.rows:
            result.rows[pointer(path)] = locate[id(value)]
        for key, item in value.items():
            _remember(result, item, (*path, key), locate)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _remember(result, item, (*path, i), locate)
