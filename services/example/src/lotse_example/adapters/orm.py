"""Tables of the example service and their mapping onto the domain classes. A note's text is
free text, special-category data by the data map's rule: it is stored encrypted with the
tenant's keys (``EncryptedText``, ADR 0104) — a column type and a migration
(``encrypt_columns``) are all a service writes for it."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import registry

from lotse_platform.crypto import EncryptedText
from lotse_platform.db import platform_tables
from lotse_platform.db.tables import Timestamp

from ..domain.model import AreaTally, Note

metadata = sa.MetaData()
mapper_registry = registry(metadata=metadata)
platform = platform_tables(metadata)

notes = sa.Table(
    "notes",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
    sa.Column("area_id", sa.String(100), nullable=False),
    sa.Column("author_id", sa.String(100), nullable=False),
    sa.Column("text", EncryptedText("notes.text"), nullable=False),
    sa.Column("recorded_at", Timestamp, nullable=False),
)

area_tallies = sa.Table(
    "area_tallies",
    metadata,
    sa.Column("tenant_id", sa.Uuid, primary_key=True, index=True),
    sa.Column("area_id", sa.String(100), primary_key=True),
    sa.Column("notes", sa.Integer, nullable=False),
)

_mapped = False


def start_mappers() -> None:
    global _mapped
    if _mapped:
        return
    mapper_registry.map_imperatively(Note, notes)
    mapper_registry.map_imperatively(AreaTally, area_tallies)
    _mapped = True
