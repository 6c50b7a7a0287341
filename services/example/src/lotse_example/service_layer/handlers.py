"""One function per command and per event, each reading like the rule it implements."""

from __future__ import annotations

import uuid

from lotse.example.v1.events_pb2 import NoteRecorded
from lotse_platform.contracts import Envelope

from ..domain.commands import RecordNote
from ..domain.model import Note
from .access import authorize_area
from .unit_of_work import ExampleUnitOfWork


def record_note(cmd: RecordNote, uow: ExampleUnitOfWork) -> uuid.UUID:
    with uow:
        authorize_area(uow.principal, cmd.area_id)
        note = Note.record(cmd.area_id, cmd.author_id, cmd.text)
        uow.add_note(note)
        uow.publish(
            NoteRecorded(note_id=str(note.id), area_id=note.area_id, author_id=note.author_id,
                         length=len(note.text)),
            aggregate_id=note.id,
            sequence=1,
        )
        uow.audit("create", "note", note.id)
        uow.commit()
    return note.id


def count_recorded_note(event: NoteRecorded, envelope: Envelope, uow: ExampleUnitOfWork) -> None:
    """Consumer of ``example.note.recorded.v1``: one more note in the area's tally.

    Runs inside the consumer's transaction (the inbox row is already written); the consumer
    commits. Not idempotent by itself — the inbox makes it effectively once.
    """
    uow.count_note(event.area_id)


COMMAND_HANDLERS = {RecordNote: record_note}
EVENT_HANDLERS = {"example.note.recorded.v1": count_recorded_note}
