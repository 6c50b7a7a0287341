"""The data map (Art. 30 GDPR): every column of every service's tables classified — not
personal, personal, special category — with purpose, retention class and legal basis, checked
against the schema by the build and written as each service's record of processing activities
(ADR 0100)."""

from .check import (
    differences,
    load_encryption_exemptions,
    load_service_map,
    map_module_name,
    unencrypted_special_columns,
)
from .model import (
    NOT_PERSONAL,
    PERSONAL,
    ClassifiedColumn,
    Column,
    DataMap,
    DataMapError,
    Table,
    not_personal,
    personal,
    special,
)
from .platform_map import PLATFORM_MAP
from .render import as_json, as_markdown
from .vocabulary import DATA_CLASS_LABELS, LEGAL_BASES, RETENTION_CLASSES, SPECIAL_KINDS, DataClass

__all__ = [
    "ClassifiedColumn", "Column", "DATA_CLASS_LABELS", "DataClass", "DataMap", "DataMapError",
    "LEGAL_BASES", "NOT_PERSONAL", "PERSONAL", "PLATFORM_MAP", "RETENTION_CLASSES",
    "SPECIAL_KINDS", "Table", "as_json", "as_markdown", "differences", "load_encryption_exemptions", "load_service_map",
    "map_module_name", "not_personal", "personal", "special", "unencrypted_special_columns",
]
