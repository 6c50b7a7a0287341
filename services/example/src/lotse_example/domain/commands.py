from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RecordNote:
    area_id: str
    author_id: str
    text: str
