"""Demo data of the example service: a few notes per town of the demo county."""

from __future__ import annotations

from ..domain.commands import RecordNote
from .handlers import record_note

NOTES_PER_TOWN = 3


def seed_demo(service, county) -> int:
    with service.uow(county.tenant_id) as uow:
        if uow.list_notes(limit=1):
            return 0
    written = 0
    for town in county.towns():
        managers = [u for u in county.users_with_role("case_manager") if town.key in u.areas]
        author = str(managers[0].id) if managers else "seed"
        for n in range(NOTES_PER_TOWN):
            record_note(RecordNote(str(town.id), author, f"Sprechstunde {town.name} #{n + 1}"),
                        service.uow(county.tenant_id))
            written += 1
    return written
