"""What the example's handlers need of a unit of work: the platform's transaction, outbox and
audit trail (:class:`lotse_platform.uow.UnitOfWork`) and the notes and tallies of one tenant.

This is the interface; the SQLAlchemy implementation is an adapter
(:class:`lotse_example.adapters.unit_of_work.SqlAlchemyExampleUnitOfWork`), and the unit tests
use an in-memory one. The service layer never imports SQLAlchemy (``make lint`` checks it).
"""

from __future__ import annotations

import uuid
from typing import Protocol

from lotse_platform.auth.principal import Principal
from lotse_platform.uow import UnitOfWork

from ..domain.model import AreaTally, Note


class ExampleUnitOfWork(UnitOfWork, Protocol):
    #: the caller of the request (None: the service itself, e.g. the consumer or the seed)
    principal: Principal | None

    def __enter__(self) -> ExampleUnitOfWork: ...

    def add_note(self, note: Note) -> None:
        """Append a recorded note (it is never changed afterwards)."""

    def get_note(self, note_id: uuid.UUID) -> Note | None: ...

    def list_notes(self, area_id: str | None = None, limit: int = 100) -> list[Note]:
        """Newest first, of one area or of all."""
        ...

    def count_note(self, area_id: str) -> None:
        """One more note in the area's tally, added when the unit commits."""

    def tallies(self) -> list[AreaTally]: ...
