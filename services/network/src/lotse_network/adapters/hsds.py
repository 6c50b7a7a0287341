"""HSDS 3.0's own schema, vendored in ``hsds_schema/`` (see its README: source, tag, licence),
checked with the ``jsonschema`` library (ADR 0088).

- :func:`document_errors`: a document of organisations (the form of HSDS's
  ``compiled/organization_package.json``: each ``organization.json`` with its ``services`` as
  ``service.json``) against the canonical modular schemas, their ``$ref``\\ s resolved among the
  vendored files; types, required fields, enumerations and formats (``uuid``, ``date``, …).
- :func:`package_columns` and :func:`row_errors`: the tables of HSDS's tabular data package
  (``datapackage.json``) and a row of one against ``compiled/tabular.json``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).parent / "hsds_schema"
HSDS_VERSION = "3.0"

#: the document Lotse exports and imports: a list of organisations with their services nested,
#: as HSDS's compiled organization.json adds them to the canonical organization.json
ORGANIZATION_PACKAGE: dict[str, Any] = {
    "type": "array",
    "items": {"allOf": [{"$ref": "organization.json"}],
              "properties": {"services": {"type": "array", "items": {"$ref": "service.json"}}}},
}


def _load(name: str) -> Any:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


@cache
def _registry() -> Registry:
    resources = [(p.name, Resource(contents=_load(p.name), specification=DRAFT202012))
                 for p in sorted(SCHEMA_DIR.glob("*.json")) if p.name != "datapackage.json"]
    return Registry().with_resources(resources)  # type: ignore[no-any-return]


@cache
def _package_validator() -> Draft202012Validator:
    return Draft202012Validator(ORGANIZATION_PACKAGE, registry=_registry(),
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


@cache
def _tabular() -> Mapping[str, Any]:
    return _load("compiled/tabular.json")["properties"]  # type: ignore[no-any-return]


@cache
def _table_validator(table: str) -> Draft202012Validator:
    return Draft202012Validator(_tabular()[table]["items"],
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


@cache
def datapackage() -> Mapping[str, Any]:
    """HSDS's package descriptor (``datapackage.json``), as the spec publishes it."""
    return _load("datapackage.json")  # type: ignore[no-any-return]


def package_columns() -> dict[str, list[str]]:
    """Each table of the tabular data package with its columns, in the descriptor's order."""
    return {r["name"]: [f["name"] for f in r["schema"]["fields"]]
            for r in datapackage()["resources"]}


def package_types() -> dict[str, dict[str, str]]:
    """Each table's columns with their Table Schema types (string, number, date, time…)."""
    return {r["name"]: {f["name"]: f["type"] for f in r["schema"]["fields"]}
            for r in datapackage()["resources"]}


def package_paths() -> dict[str, str]:
    """Each table's file name in the package (``organizations.csv`` …)."""
    return {r["name"]: r["path"] for r in datapackage()["resources"]}


def _reason(error: ValidationError) -> str:
    """Why, in HSDS's words, without repeating the value (it may be long, or anything)."""
    if error.validator == "type":
        return f"HSDS's type is {error.validator_value}"
    if error.validator == "enum":
        return "HSDS allows " + ", ".join(map(str, error.validator_value))
    if error.validator == "format":
        return f"HSDS's format is {error.validator_value}"
    return error.message[:200]


def _located(error: ValidationError) -> tuple[tuple[str | int, ...], str | None, str]:
    """The object an error is about, the field, and why (for a missing field: the field)."""
    path = tuple(error.absolute_path)
    if error.validator == "required":
        missing = next((p for p in error.validator_value
                        if isinstance(error.instance, dict) and p not in error.instance
                        and error.message.startswith(repr(p))), None)
        return path, missing, "required by HSDS"
    if path and isinstance(path[-1], str):
        return path[:-1], path[-1], _reason(error)
    if len(path) >= 2 and isinstance(path[-2], str):  # an item of a list of values
        return path[:-2], f"{path[-2]}.{path[-1]}", _reason(error)
    return path, None, _reason(error)


def document_errors(document: Any) -> Iterator[tuple[tuple[str | int, ...], str | None, str]]:
    """Each place the document breaks HSDS's schema: (the object's path, the field, why)."""
    for error in sorted(_package_validator().iter_errors(document),
                        key=lambda e: [str(p) for p in e.absolute_path]):
        yield _located(error)


def row_errors(table: str, row: Mapping[str, Any]) -> list[tuple[str | None, str]]:
    """Each place a row of ``table`` breaks HSDS's schema: (the field, why)."""
    return [_located(e)[1:] for e in _table_validator(table).iter_errors(row)]
