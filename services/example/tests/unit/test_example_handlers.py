"""The example's handlers against an in-memory unit of work: the rules without a database (the
same handlers run on PostgreSQL in libs/platform/tests)."""

from __future__ import annotations

import uuid

import pytest
from example_fakes import FakeExampleUnitOfWork

from lotse.example.v1.events_pb2 import NoteRecorded
from lotse_example.bootstrap import ExampleService
from lotse_example.domain.commands import RecordNote
from lotse_example.domain.model import EmptyNote
from lotse_example.service_layer.handlers import count_recorded_note, record_note
from lotse_platform.auth import CASE_MANAGER, Principal
from lotse_platform.errors import Forbidden
from lotse_platform.messagebus import MessageBus


def test_a_recorded_note_is_stored_published_without_its_text_and_audited_in_one_commit():
    uow = FakeExampleUnitOfWork()

    note_id = record_note(RecordNote("area-brakel", "cm-lea", "  Sprechstunde  "), uow)

    assert uow.commits == 1
    assert uow.get_note(note_id).text == "Sprechstunde"
    (event, aggregate, sequence), = uow.published
    assert (event.note_id, event.area_id, event.length, aggregate, sequence) == (
        str(note_id), "area-brakel", len("Sprechstunde"), note_id, 1)
    assert "Sprechstunde" not in str(event), "events carry no personal data"
    assert uow.audited == [("create", "note", note_id, None)]


def test_an_empty_note_is_refused_naming_the_field_and_nothing_is_written():
    uow = FakeExampleUnitOfWork()

    with pytest.raises(EmptyNote) as refused:
        record_note(RecordNote("area-brakel", "cm-lea", "   "), uow)

    assert (refused.value.status, refused.value.errors[0]["field"]) == (422, "text")
    assert (uow.commits, uow.notes, uow.published, uow.audited) == (0, {}, [], [])


def test_the_tally_counts_each_recorded_note_when_the_consumers_unit_commits():
    uow = FakeExampleUnitOfWork()
    with uow:
        for area in ("area-brakel", "area-brakel", "area-warburg"):
            count_recorded_note(NoteRecorded(area_id=area), None, uow)
        assert uow.tallies() == [], "nothing counts before the commit"
        uow.commit()

    assert [(t.area_id, t.notes) for t in uow.tallies()] == [("area-brakel", 2),
                                                               ("area-warburg", 1)]


def test_the_services_bus_runs_each_command_through_its_handler():
    bus = MessageBus(ExampleService.command_handlers, ExampleService.event_handlers, {})
    uow = FakeExampleUnitOfWork()

    note_id = bus.handle(RecordNote("area-hoexter", "cm-tobias", "Termin"), uow)

    assert uow.get_note(note_id).author_id == "cm-tobias"


def test_a_note_in_an_area_not_her_own_is_refused_before_anything_is_written():
    lea = Principal(subject="cm-lea", tenant=uuid.uuid4(), organisation="org-stadt-brakel",
                    areas=frozenset({"area-brakel"}), roles=frozenset({CASE_MANAGER}))
    uow = FakeExampleUnitOfWork()
    uow.principal = lea

    with pytest.raises(Forbidden):
        record_note(RecordNote("area-warburg", "cm-lea", "Termin"), uow)
    note_id = record_note(RecordNote("area-brakel", "cm-lea", "Termin"), uow)

    assert [n.id for n in uow.notes.values()] == [note_id]
    assert len(uow.published) == 1
