"""The example service's unit of work on SQLAlchemy: the platform's (transaction, outbox, audit)
plus what the handlers ask for (:class:`~lotse_example.service_layer.unit_of_work.ExampleUnitOfWork`)."""

from __future__ import annotations

import uuid
from collections import Counter

from sqlalchemy.dialects import postgresql, sqlite

from lotse_platform.uow import SqlAlchemyUnitOfWork

from ..domain.model import AreaTally, Note
from .orm import area_tallies, notes


class SqlAlchemyExampleUnitOfWork(SqlAlchemyUnitOfWork):
    def __enter__(self) -> SqlAlchemyExampleUnitOfWork:
        super().__enter__()
        self._notes_counted: Counter[str] = Counter()
        return self

    def add_note(self, note: Note) -> None:
        """A note is never changed once recorded: it is appended (written at ``commit()`` with
        the outbox row and the audit entry, one round trip), not tracked by the ORM. So it cannot
        be read back before the commit."""
        self.append(notes, {"id": note.id, "area_id": note.area_id, "author_id": note.author_id,
                            "text": note.text, "recorded_at": note.recorded_at})

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

    def count_note(self, area_id: str) -> None:
        """One more note in the area's tally, added when the unit of work commits.

        A read model's counter needs no read: the counts of a whole consumer batch go out as one
        ``INSERT … ON CONFLICT DO UPDATE SET notes = notes + n`` per unit of work (instead of a
        SELECT and an UPDATE per area), and two consumers counting the same new area cannot
        collide on its first row."""
        self._notes_counted[area_id] += 1

    def tallies(self) -> list[AreaTally]:
        return self.session.query(AreaTally).order_by(AreaTally.area_id).all()

    def commit(self) -> None:
        if self._notes_counted:
            self.session.execute(self._add_counts(), [
                {"tenant_id": self.tenant_id, "area_id": area, "notes": n}
                for area, n in sorted(self._notes_counted.items())])
            self._notes_counted.clear()
        super().commit()

    def rollback(self) -> None:
        self._notes_counted.clear()
        super().rollback()

    def _add_counts(self):
        """The upsert, built once per dialect: a statement built at every commit costs
        SQLAlchemy its construction and cache key each time (bench/profiles/README.md)."""
        dialect = self.session.get_bind().dialect.name
        found = _ADD_COUNTS.get(dialect)
        if found is None:
            insert = (postgresql if dialect == "postgresql" else sqlite).insert(area_tallies)
            found = _ADD_COUNTS[dialect] = insert.on_conflict_do_update(
                index_elements=[area_tallies.c.tenant_id, area_tallies.c.area_id],
                set_={"notes": area_tallies.c.notes + insert.excluded.notes})
        return found


_ADD_COUNTS: dict[str, object] = {}
