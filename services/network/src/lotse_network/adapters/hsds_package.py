"""HSDS's tabular data package as a ZIP file (ADR 0088): ``datapackage.json`` as the spec
publishes it and one CSV file per table it describes (UTF-8, a header of the table's columns in
the descriptor's order; a table the directory has nothing for holds the header alone).

Values as Table Schema reads them: numbers in decimal, dates ``YYYY-MM-DD``, times
``HH:MM:SS`` (the county's local time), empty for a missing value.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from typing import Any

from .hsds import datapackage, package_columns, package_paths, package_types, row_errors

#: a fixed time for every member of the archive: the same directory gives the same bytes
_ZIP_TIME = (2023, 6, 22, 0, 0, 0)


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "time" and isinstance(value, str) and len(value) == 5:
        return f"{value}:00"
    return str(value)


def table_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str],
              types: Mapping[str, str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c), types.get(c, "string")) for c in columns])
    return out.getvalue()


def package_zip(tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> bytes:
    """The ZIP of ``datapackage.json`` and every table's CSV (``tables``: rows by table)."""
    columns, types, paths = package_columns(), package_types(), package_paths()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        def put(name: str, text: str) -> None:
            archive.writestr(zipfile.ZipInfo(name, _ZIP_TIME), text.encode("utf-8"),
                             compress_type=zipfile.ZIP_DEFLATED)

        put("datapackage.json", json.dumps(datapackage(), indent=2, ensure_ascii=False))
        for table, path in paths.items():
            put(path, table_csv(tables.get(table, ()), columns[table], types[table]))
    return buffer.getvalue()


# -- reading a package back --------------------------------------------------------------------------
#: what an uploaded package may unpack to at most (a ZIP's members can be compressed 1000:1)
MAX_UNPACKED_BYTES = 64 * 1024 * 1024


class PackageRows:
    """The rows of an uploaded package by table, each with its row number (RFC 7111: the
    header is row 1), cast to the types of the descriptor; and what is wrong with them."""

    def __init__(self) -> None:
        self.tables: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        #: (table, file#row=n or file, the row's id, field, reason)
        self.problems: list[tuple[str | None, str, str | None, str | None, str]] = []


def _typed(value: str, kind: str) -> Any:
    if kind in ("number", "integer"):
        number = float(value)  # ValueError: not a number
        return int(number) if number.is_integer() and "." not in value else number
    return value


def read_package(archive: bytes) -> PackageRows:
    """The rows of HSDS's tabular data package in ``archive`` (a ZIP; CSV files named as HSDS's
    ``datapackage.json`` names them, a missing one is an empty table; the package's own
    descriptor is not read: HSDS's is the one that counts). Each row is checked against
    ``compiled/tabular.json`` and the descriptor's required and unique fields."""
    found = PackageRows()
    try:
        zipped = zipfile.ZipFile(io.BytesIO(archive))
        members = {info.filename: info for info in zipped.infolist()}
    except (zipfile.BadZipFile, ValueError):
        found.problems.append((None, "", None, None, "a ZIP of HSDS's tabular data package"))
        return found
    if sum(info.file_size for info in members.values()) > MAX_UNPACKED_BYTES:
        found.problems.append((None, "", None, None, "the package unpacks to more than "
                                                     f"{MAX_UNPACKED_BYTES // 2**20} MiB"))
        return found
    columns, types, paths = package_columns(), package_types(), package_paths()
    required = {r["name"]: [f["name"] for f in r["schema"]["fields"]
                            if f.get("constraints", {}).get("required")]
                for r in datapackage()["resources"]}
    for table, path in paths.items():
        if path not in members:
            continue
        try:
            text = zipped.read(path).decode("utf-8-sig")
        except (UnicodeDecodeError, zipfile.BadZipFile, RuntimeError, NotImplementedError,
                zlib.error):
            found.problems.append((table, path, None, None, "not a readable UTF-8 CSV file"))
            continue
        reader = csv.DictReader(io.StringIO(text, newline=""))
        unknown = [c for c in reader.fieldnames or () if c not in columns[table]]
        for name in unknown:
            found.problems.append((table, f"{path}#row=1", None, name,
                                   f"not a column of HSDS's {table} table"))
        seen: set[str] = set()
        rows = found.tables.setdefault(table, [])
        for number, raw in enumerate(reader, start=2):
            where = f"{path}#row={number}"
            row: dict[str, Any] = {}
            for name, value in raw.items():
                if name is None or name in unknown or value in (None, ""):
                    continue  # None: cells beyond the header (csv puts them under None)
                try:
                    row[name] = _typed(value, types[table][name])
                except ValueError:
                    found.problems.append((table, where, raw.get("id"), name, "a number"))
            if None in raw:
                found.problems.append((table, where, raw.get("id"), None,
                                       "more cells than the header has columns"))
            reported = set()
            for name, reason in row_errors(table, row):
                found.problems.append((table, where, raw.get("id"), name, reason))
                reported.add(name)
            for name in required[table]:
                if name not in row and name not in reported:
                    found.problems.append((table, where, raw.get("id"), name,
                                           "required by HSDS's data package"))
            if isinstance(row.get("id"), str):
                if row["id"] in seen:
                    found.problems.append((table, where, row["id"], "id",
                                           "the same id as an earlier row"))
                seen.add(row["id"])
            rows.append((number, row))
    return found
