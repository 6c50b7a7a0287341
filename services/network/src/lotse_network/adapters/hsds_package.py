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
from collections.abc import Mapping, Sequence
from typing import Any

from .hsds import datapackage, package_columns, package_paths, package_types

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
