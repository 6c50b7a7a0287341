"""The example service's unit of work: the platform's, plus its repositories."""

from __future__ import annotations

import uuid

from lotse_platform.db import SqlAlchemyUnitOfWork

from ..domain.model import AreaTally, Note


class ExampleUnitOfWork(SqlAlchemyUnitOfWork):
    def add_note(self, note: Note) -> None:
        self.session.add(note)

    def get_note(self, note_id: uuid.UUID) -> Note | None:
        return self.session.get(Note, note_id)

    def list_notes(self, area_id: str | None = None, limit: int = 100) -> list[Note]:
        query = self.session.query(Note).order_by(Note.recorded_at.desc())
        if area_id:
            query = query.filter(Note.area_id == area_id)
        return query.limit(limit).all()

    def tally(self, area_id: str) -> AreaTally:
        tally = self.session.get(AreaTally, (self.tenant_id, area_id))
        if tally is None:
            tally = AreaTally(area_id=area_id)
            self.session.add(tally)
        return tally

    def tallies(self) -> list[AreaTally]:
        return self.session.query(AreaTally).order_by(AreaTally.area_id).all()
