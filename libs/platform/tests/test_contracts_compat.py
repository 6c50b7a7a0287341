"""What counts as a breaking contract change (ARCHITECTURE.md, Events; docs/adr/0002).

Each test compiles a small contract with the real protoc, changes it, and asks ``compat``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from google.protobuf.descriptor_pb2 import FileDescriptorSet

from lotse_platform.contracts import codegen
from lotse_platform.contracts.compat import breaking_changes

ROOT = Path(__file__).resolve().parents[3]
FILE = "lotse/sample/v1/events.proto"

BASELINE = """\
syntax = "proto3";
package lotse.sample.v1;
import "lotse/options.proto";

message CaseAdmitted {
  option (lotse.options.event_type) = "sample.case.admitted.v1";
  string case_id = 1;
  int32 length = 2;
  repeated string tags = 3;
  CounsellingDepth counselling_depth = 4;
}

enum CounsellingDepth {
  COUNSELLING_DEPTH_UNSPECIFIED = 0;
  COUNSELLING_DEPTH_BRIEF = 1;
  COUNSELLING_DEPTH_INTENSIVE = 2;
}

message CaseClosed {
  option (lotse.options.event_type) = "sample.case.closed.v1";
  string case_id = 1;
}
"""


@pytest.fixture
def compile_contract(tmp_path):
    """Source text → FileDescriptorSet, the way `make proto-lock` builds one."""
    def compile_(source: str, name: str = FILE) -> FileDescriptorSet:
        proto_dir = tmp_path / f"proto{len(list(tmp_path.iterdir()))}"
        path = proto_dir / name
        path.parent.mkdir(parents=True)
        path.write_text(source)
        return codegen.descriptor_set(proto_dir, includes=(ROOT / "proto",))
    return compile_


@pytest.fixture
def changes_after(compile_contract):
    """The breaking changes from BASELINE to BASELINE with ``old`` replaced by ``new``."""
    baseline = compile_contract(BASELINE)

    def changes(old: str, new: str) -> list[str]:
        assert old in BASELINE, old
        return breaking_changes(baseline, compile_contract(BASELINE.replace(old, new)))
    return changes


def test_current_contracts_are_compatible_with_the_committed_baseline():
    baseline = codegen.read_baseline(ROOT)
    assert baseline is not None, "proto/descriptors/lotse.binpb is missing: run `make proto-lock`"
    assert breaking_changes(baseline, codegen.descriptor_set(ROOT / "proto")) == []


def test_unchanged_contracts_are_compatible(changes_after):
    assert changes_after("string case_id = 1;", "string case_id = 1;  // why it matters") == []


def test_adding_fields_messages_and_enum_values_is_compatible(changes_after):
    added = changes_after("  COUNSELLING_DEPTH_INTENSIVE = 2;\n", """\
  COUNSELLING_DEPTH_INTENSIVE = 2;
  COUNSELLING_DEPTH_FOLLOW_UP = 3;
}
message HelpPlanAgreed {
  option (lotse.options.event_type) = "sample.help_plan.agreed.v1";
  string help_plan_id = 1;
  optional string case_id = 2;
""")
    assert added == []
    assert changes_after("int32 length = 2;", "int32 length = 2;\n  string area_id = 5;") == []


def test_adding_a_new_file_is_compatible(compile_contract):
    baseline = compile_contract(BASELINE)
    current = compile_contract(BASELINE)
    current.file.add(name="lotse/other/v1/events.proto", package="lotse.other.v1")
    assert breaking_changes(baseline, current) == []


def test_removing_a_field_is_a_breaking_change(changes_after):
    assert changes_after("  int32 length = 2;\n", "") == [
        f"{FILE}: lotse.sample.v1.CaseAdmitted field 'length' (2) removed"
    ]


def test_reserving_a_removed_field_does_not_make_the_removal_compatible(changes_after):
    assert changes_after("int32 length = 2;", 'reserved 2; reserved "length";') == [
        f"{FILE}: lotse.sample.v1.CaseAdmitted field 'length' (2) removed"
    ]


def test_renumbering_a_field_is_a_breaking_change(changes_after):
    assert changes_after("int32 length = 2;", "int32 length = 6;") == [
        f"{FILE}: lotse.sample.v1.CaseAdmitted field 'length' (2): number changed from 2 to 6"
    ]


def test_reusing_a_number_for_another_field_is_a_breaking_change(changes_after):
    assert changes_after("int32 length = 2;", "int32 size = 2;") == [
        f"{FILE}: lotse.sample.v1.CaseAdmitted field 'length' (2) removed, "
        "number reused by 'size'"
    ]


def test_changing_a_field_type_is_a_breaking_change(changes_after):
    assert changes_after("int32 length = 2;", "string length = 2;") == [
        f"{FILE}: lotse.sample.v1.CaseAdmitted field 'length' (2): "
        "type changed from int32 to string"
    ]


def test_changing_the_enum_type_of_a_field_is_a_breaking_change(changes_after):
    changes = changes_after("CounsellingDepth counselling_depth = 4;",
                            "CaseClosed counselling_depth = 4;")
    assert changes == [
        f"{FILE}: lotse.sample.v1.CaseAdmitted field 'counselling_depth' (4): type changed from "
        "lotse.sample.v1.CounsellingDepth to lotse.sample.v1.CaseClosed"
    ]


@pytest.mark.parametrize(("old", "new", "was", "now"), [
    ("repeated string tags = 3;", "string tags = 3;", "repeated", "singular"),
    ("int32 length = 2;", "repeated int32 length = 2;", "singular", "repeated"),
    ("int32 length = 2;", "optional int32 length = 2;", "singular", "optional"),
])
def test_changing_cardinality_is_a_breaking_change(changes_after, old, new, was, now):
    (change,) = changes_after(old, new)
    assert change.startswith(f"{FILE}: lotse.sample.v1.CaseAdmitted field '")
    assert change.endswith(f": cardinality changed from {was} to {now}")


def test_moving_a_field_into_a_oneof_is_a_breaking_change(changes_after):
    (change,) = changes_after("  int32 length = 2;\n", "  oneof size { int32 length = 2; }\n")
    assert change.endswith("field 'length' (2): oneof changed from (none) to size")


def test_removing_an_enum_value_is_a_breaking_change(changes_after):
    assert changes_after("  COUNSELLING_DEPTH_INTENSIVE = 2;\n", "") == [
        f"{FILE}: lotse.sample.v1.CounsellingDepth value COUNSELLING_DEPTH_INTENSIVE (2) removed"
    ]


def test_renumbering_an_enum_value_is_a_breaking_change(changes_after):
    renumbered = changes_after("COUNSELLING_DEPTH_INTENSIVE = 2;",
                               "COUNSELLING_DEPTH_INTENSIVE = 3;")
    assert renumbered == [
        f"{FILE}: lotse.sample.v1.CounsellingDepth value COUNSELLING_DEPTH_INTENSIVE "
        "renumbered from 2 to 3"
    ]


def test_removing_a_message_is_a_breaking_change(changes_after):
    removed = BASELINE[BASELINE.index("message CaseClosed"):]
    assert changes_after(removed, "") == [f"{FILE}: message lotse.sample.v1.CaseClosed removed"]


def test_removing_a_nested_message_is_a_breaking_change(compile_contract):
    nested = BASELINE.replace("string case_id = 1;\n}",
                              "string case_id = 1;\n  message Reason {}\n}")
    changes = breaking_changes(compile_contract(nested), compile_contract(BASELINE))
    assert changes == [f"{FILE}: nested message lotse.sample.v1.CaseClosed.Reason removed"]


def test_removing_a_file_is_a_breaking_change(compile_contract):
    baseline = compile_contract(BASELINE)
    current = compile_contract(BASELINE, name="lotse/sample/v1/renamed.proto")
    assert breaking_changes(baseline, current) == [
        f"{FILE}: file removed (package lotse.sample.v1)"
    ]


def test_changing_the_package_is_a_breaking_change(changes_after):
    assert changes_after("package lotse.sample.v1;", "package lotse.sample.v2;") == [
        f"{FILE}: package changed from lotse.sample.v1 to lotse.sample.v2"
    ]


def test_changing_the_event_type_is_a_breaking_change(changes_after):
    assert changes_after('"sample.case.closed.v1"', '"sample.case.finished.v1"') == [
        f"{FILE}: lotse.sample.v1.CaseClosed: event_type changed from "
        "'sample.case.closed.v1' to 'sample.case.finished.v1'"
    ]


def test_removing_the_event_type_is_a_breaking_change(changes_after):
    option = '  option (lotse.options.event_type) = "sample.case.closed.v1";\n'
    assert changes_after(option, "") == [
        f"{FILE}: lotse.sample.v1.CaseClosed: event_type option removed "
        "(was 'sample.case.closed.v1')"
    ]


def test_every_breaking_change_is_reported_not_only_the_first(changes_after):
    changes = changes_after("int32 length = 2;\n  repeated string tags = 3;",
                            "string length = 2;\n  string tags = 7;")
    assert len(changes) == 3


def test_removing_a_custom_option_is_a_breaking_change(compile_contract):
    options = """\
syntax = "proto3";
package lotse.sample.v1;
import "google/protobuf/descriptor.proto";
extend google.protobuf.MessageOptions {
  string audience = 50002;
  string retention = 50003;
}
"""
    without = options.replace("  string audience = 50002;\n", "")
    changes = breaking_changes(compile_contract(options), compile_contract(without))
    assert changes == [f"{FILE}: lotse.sample.v1 extension 'audience' (50002) removed"]
