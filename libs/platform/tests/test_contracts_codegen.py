"""Generated contract code, the baseline lock, and the runtime that uses the generated code."""

from __future__ import annotations

import shutil
import uuid
from datetime import datetime, timezone
from pathlib import Path

import pytest

from lotse.example.v1 import events_pb2
from lotse_platform.contracts import ContractViolation, Envelope, EventRegistry, codegen

ROOT = Path(__file__).resolve().parents[3]
EVENTS_PROTO = "proto/lotse/example/v1/events.proto"
EVENTS_MODULE = "libs/contracts/src/lotse/example/v1/events_pb2.py"


@pytest.fixture
def repo(tmp_path) -> Path:
    """A copy of the contracts and the committed generated code, safe to change."""
    shutil.copytree(ROOT / "proto", tmp_path / "proto")
    shutil.copytree(ROOT / codegen.OUTPUT_DIR, tmp_path / codegen.OUTPUT_DIR,
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    (tmp_path / "Makefile").touch()
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new))


def test_committed_generated_code_is_what_make_proto_generates():
    stale = codegen.stale_files(ROOT)
    assert stale == [], "generated code is out of date, run `make proto`:\n" + "\n".join(stale)


def test_editing_a_contract_without_regenerating_is_detected(repo):
    edit(repo / EVENTS_PROTO, "int32 length = 4;", "int32 length = 4;\n  string area_kind = 5;")
    assert codegen.stale_files(repo) == [
        f"stale: {EVENTS_MODULE}", f"stale: {EVENTS_MODULE}i",
    ]


def test_a_new_contract_without_regenerating_is_detected(repo):
    shutil.copy(repo / EVENTS_PROTO, repo / "proto/lotse/example/v1/more.proto")
    edit(repo / "proto/lotse/example/v1/more.proto", "NoteRecorded", "NoteRemoved")
    assert codegen.stale_files(repo) == [
        "missing: libs/contracts/src/lotse/example/v1/more_pb2.py",
        "missing: libs/contracts/src/lotse/example/v1/more_pb2.pyi",
    ]


def test_generating_is_reproducible_to_the_byte(repo):
    edit(repo / EVENTS_PROTO, "int32 length = 4;", "int32 length = 4;\n  string area_kind = 5;")
    written, _ = codegen.generate(repo)
    assert written == ["lotse/example/v1/events_pb2.py", "lotse/example/v1/events_pb2.pyi"]
    first = codegen.generated_files(repo / codegen.OUTPUT_DIR)
    assert codegen.generate(repo) == ([], [])
    assert codegen.generated_files(repo / codegen.OUTPUT_DIR) == first
    assert codegen.stale_files(repo) == []


def test_generating_removes_code_of_deleted_contracts_but_keeps_packaging_metadata(repo):
    out = repo / codegen.OUTPUT_DIR
    (out / "lotse_contracts.egg-info").mkdir()
    (out / "lotse_contracts.egg-info/SOURCES.txt").write_text("lotse/example/v1/events_pb2.py\n")
    shutil.rmtree(repo / "proto/lotse/example")

    written, removed = codegen.generate(repo)

    assert written == []
    assert removed == ["lotse/example/v1/events_pb2.py", "lotse/example/v1/events_pb2.pyi"]
    assert not (out / "lotse/example").exists()
    assert (out / "lotse/options_pb2.py").is_file()
    assert (out / "lotse_contracts.egg-info/SOURCES.txt").is_file()


def test_check_fails_on_stale_code_and_says_to_run_make_proto(repo, capsys):
    edit(repo / EVENTS_PROTO, "int32 length = 4;", "int32 length = 4;\n  string area_kind = 5;")
    assert codegen.main(["--root", str(repo), "check"]) == 1
    output = capsys.readouterr().out
    assert f"stale: {EVENTS_MODULE}" in output
    assert "run `make proto`" in output


def test_check_fails_on_a_breaking_change_and_lists_it(repo, capsys):
    edit(repo / EVENTS_PROTO, "int32 length = 4;", "string length = 4;")
    codegen.generate(repo)
    assert codegen.main(["--root", str(repo), "check"]) == 1
    assert ("lotse/example/v1/events.proto: lotse.example.v1.NoteRecorded field 'length' (4): "
            "type changed from int32 to string") in capsys.readouterr().out


def test_check_passes_on_a_compatible_addition_and_suggests_locking_it(repo, capsys):
    edit(repo / EVENTS_PROTO, "int32 length = 4;", "int32 length = 4;\n  string area_kind = 5;")
    codegen.generate(repo)
    assert codegen.main(["--root", str(repo), "check"]) == 0
    assert "make proto-lock" in capsys.readouterr().out


def test_lock_refuses_a_breaking_change_unless_forced(repo):
    baseline = (repo / codegen.BASELINE).read_bytes()
    edit(repo / EVENTS_PROTO, "  int32 length = 4;", "")

    assert codegen.main(["--root", str(repo), "lock"]) == 1
    assert (repo / codegen.BASELINE).read_bytes() == baseline

    assert codegen.main(["--root", str(repo), "lock", "--force"]) == 0
    assert (repo / codegen.BASELINE).read_bytes() != baseline
    assert codegen.main(["--root", str(repo), "check"]) == 1  # the code is stale still


def test_the_committed_baseline_is_what_lock_writes_for_the_locked_contracts():
    baseline = codegen.read_baseline(ROOT)
    assert baseline is not None
    locked = sorted(file.name for file in baseline.file)
    contracts = sorted(path.relative_to(ROOT / codegen.PROTO_DIR).as_posix()
                       for path in codegen.proto_files(ROOT / codegen.PROTO_DIR))
    assert locked == contracts, "a contract in proto/ is not locked: run `make proto-lock`"
    assert codegen.serialize(baseline) == (ROOT / codegen.BASELINE).read_bytes()


def test_the_repository_root_is_found_from_a_subdirectory():
    assert codegen.find_root(ROOT / "libs/platform/src") == ROOT


# The runtime (registry and envelope) on the generated code.

def note_recorded() -> events_pb2.NoteRecorded:
    return events_pb2.NoteRecorded(note_id=str(uuid.uuid4()), area_id="north",
                                   author_id=str(uuid.uuid4()), length=42)


def envelope_of(event: events_pb2.NoteRecorded) -> Envelope:
    return Envelope(id=uuid.uuid4(), type="example.note.recorded.v1", source="/lotse/example",
                    time=datetime.now(timezone.utc), data=event.SerializeToString(),
                    tenant=uuid.uuid4(), sequence=3)


def test_the_registry_knows_the_event_types_declared_in_the_contracts():
    registry = EventRegistry.from_modules(events_pb2)
    assert "example.note.recorded.v1" in registry
    assert registry.message_class("example.note.recorded.v1") is events_pb2.NoteRecorded


def test_an_event_survives_the_trip_through_headers_and_body():
    event = note_recorded()
    sent = envelope_of(event)
    received = Envelope.from_message(sent.headers(), sent.data)
    assert received == sent
    assert received.decode(EventRegistry.from_modules(events_pb2)) == event


def test_a_body_that_is_not_the_declared_message_is_a_contract_violation():
    sent = envelope_of(note_recorded())
    received = Envelope.from_message(sent.headers(), b"\x0a\xff")
    with pytest.raises(ContractViolation, match="lotse.example.v1.NoteRecorded"):
        received.decode(EventRegistry.from_modules(events_pb2))


def test_a_missing_cloudevents_attribute_is_a_contract_violation():
    headers = envelope_of(note_recorded()).headers()
    del headers["cloudEvents:source"]
    with pytest.raises(ContractViolation, match="'source'"):
        Envelope.from_message(headers, b"")


def test_the_event_catalogue_in_docs_is_what_the_contracts_say():
    from lotse_platform.contracts import catalogue

    committed = (ROOT / catalogue.CATALOGUE).read_text(encoding="utf-8")
    assert committed == catalogue.catalogue(ROOT), "docs/events.md is stale: run `make proto`"


def test_the_event_catalogue_lists_every_event_type_with_its_field_comments():
    from lotse_platform.contracts import catalogue

    text = catalogue.catalogue(ROOT)
    assert "### `example.note.recorded.v1` — `NoteRecorded`" in text
    assert "| 4 | `length` | `int32` | characters of the note text; the text stays in the service |" \
        in text
