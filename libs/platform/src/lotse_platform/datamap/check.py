"""The build's check of a service's map against its schema (ADR 0100): a table or column of the
mapped schema without a classification, or one the map names and the schema no longer has."""

from __future__ import annotations

import importlib
from types import ModuleType

import sqlalchemy as sa

from ..crypto.fields import encrypted_columns
from .model import DataMap
from .platform_map import NOT_ENCRYPTED, PLATFORM_MAP
from .vocabulary import DataClass


def map_module_name(service_module: str) -> str:
    """Where a service's map lives: ``<its package>.adapters.data_map`` (next to its ORM)."""
    return f"{service_module.split('.')[0]}.adapters.data_map"


def map_module(service_module: str) -> ModuleType | None:
    """The module of the service's map, or None where its package has none (a service made up
    in a test); an error inside the module is raised as it is."""
    name = map_module_name(service_module)
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as missing:
        if missing.name is not None and name.startswith(missing.name):
            return None
        raise


def load_service_map(service_module: str, metadata: sa.MetaData) -> DataMap:
    """The service's own map (``DATA_MAP`` of its module) and the platform's for the shared
    tables its schema has."""
    own: DataMap = importlib.import_module(map_module_name(service_module)).DATA_MAP
    return PLATFORM_MAP.only(metadata.tables) | own


def differences(metadata: sa.MetaData, data_map: DataMap) -> list[str]:
    """What the map and the schema disagree on, one line each; empty when every column of
    every table is classified and the map names nothing else."""
    found: list[str] = []
    for name in sorted(set(metadata.tables) | set(data_map.tables)):
        table, mapped = metadata.tables.get(name), data_map.tables.get(name)
        if mapped is None:
            found.append(f"table {name} has no classification")
            continue
        if table is None:
            found.append(f"table {name} is classified but not in the schema")
            continue
        columns = {column.name for column in table.columns}
        found += [f"column {name}.{c} has no classification"
                  for c in sorted(columns - set(mapped.columns))]
        found += [f"column {name}.{c} is classified but not in the schema"
                  for c in sorted(set(mapped.columns) - columns)]
    return found


def load_encryption_exemptions(service_module: str, metadata: sa.MetaData) -> dict[str, str]:
    """``table.column`` -> why it is stored unencrypted though special-category (ADR 0104): the
    service map module's ``NOT_ENCRYPTED`` and the platform's for the shared tables it has."""
    own: dict[str, str] = getattr(importlib.import_module(map_module_name(service_module)),
                                  "NOT_ENCRYPTED", {})
    shared = {name: why for name, why in NOT_ENCRYPTED.items()
              if name.split(".")[0] in metadata.tables}
    return shared | own


def unencrypted_special_columns(metadata: sa.MetaData, data_map: DataMap,
                                exempt: dict[str, str]) -> list[str]:
    """Special-category columns neither encrypted (:mod:`lotse_platform.crypto`) nor exempt
    with a reason, and exemptions that name no such column; empty when all is in order."""
    encrypted = {f"{c.table.name}.{c.name}" for c in encrypted_columns(metadata)}
    special = {f"{table.name}.{column.name}" for table in data_map.tables.values()
               for column in table.classified()
               if column.data_class is DataClass.special_category}
    found = [f"column {name} is special-category data but neither encrypted nor exempt"
             for name in sorted(special - encrypted - set(exempt))]
    found += [f"exemption {name} names no unencrypted special-category column"
              for name in sorted(set(exempt) - (special - encrypted))]
    found += [f"exemption {name} gives no reason" for name, why in sorted(exempt.items())
              if not why.strip()]
    return found
