"""Is the current set of contracts backward compatible with the committed baseline?

Events outlive the code that wrote them: they sit in queues, dead-letter queues and replays, and
every consumer decodes them with the generated code it was built with. So a change is breaking
when bytes written under the baseline would mean something else under the current contracts, or
when a name that generated code refers to disappears. Removing a field is breaking even when it is
reserved: consumers still read it. Such changes go into a new version package (``v2``).

Both arguments are ``FileDescriptorSet``s without imports, as ``codegen`` produces them.
"""

from __future__ import annotations

from typing import Any

from collections.abc import Iterable, Iterator, Sequence

from google.protobuf.descriptor_pb2 import (
    DescriptorProto,
    EnumDescriptorProto,
    FieldDescriptorProto,
    FileDescriptorSet,
    MessageOptions,
)

from lotse import options_pb2


def breaking_changes(baseline: FileDescriptorSet, current: FileDescriptorSet) -> list[str]:
    """Every breaking change from ``baseline`` to ``current``, one readable line each."""
    current_files = {file.name: file for file in current.file}
    changes: list[str] = []
    for old in baseline.file:
        new = current_files.get(old.name)
        if new is None:
            changes.append(f"{old.name}: file removed (package {old.package})")
            continue
        if old.package != new.package:
            # Every name in the file changes with it; listing them all would hide the cause.
            changes.append(f"{old.name}: package changed from {old.package} to {new.package}")
            continue
        found = [
            *_message_changes(old.message_type, new.message_type, old.package),
            *_enum_changes(old.enum_type, new.enum_type, old.package),
            *_field_changes(old.extension, new.extension, old.package, noun="extension"),
        ]
        changes.extend(f"{old.name}: {change}" for change in found)
    return changes


def _message_changes(old_messages: Iterable[DescriptorProto],
                     new_messages: Iterable[DescriptorProto],
                     scope: str, nested: bool = False) -> Iterator[str]:
    new_by_name = {message.name: message for message in new_messages}
    for old in old_messages:
        full_name = _join(scope, old.name)
        new = new_by_name.get(old.name)
        if new is None:
            yield f"{'nested message' if nested else 'message'} {full_name} removed"
            continue
        old_type, new_type = _event_type(old), _event_type(new)
        # Adding an event type to a plain message is harmless; changing one moves its routing key.
        if old_type and not new_type:
            yield f"{full_name}: event_type option removed (was {old_type!r})"
        elif old_type and old_type != new_type:
            yield f"{full_name}: event_type changed from {old_type!r} to {new_type!r}"
        yield from _field_changes(old.field, new.field, full_name, old, new)
        yield from _field_changes(old.extension, new.extension, full_name, noun="extension")
        yield from _message_changes(old.nested_type, new.nested_type, full_name, nested=True)
        yield from _enum_changes(old.enum_type, new.enum_type, full_name, nested=True)


def _field_changes(old_fields: Sequence[FieldDescriptorProto],
                   new_fields: Sequence[FieldDescriptorProto], scope: str,
                   old_message: DescriptorProto | None = None,
                   new_message: DescriptorProto | None = None,
                   noun: str = "field") -> Iterator[str]:
    new_by_name = {field.name: field for field in new_fields}
    new_by_number = {field.number: field for field in new_fields}
    for old in old_fields:
        label = f"{scope} {noun} '{old.name}' ({old.number})"
        new = new_by_name.get(old.name)
        reuser = new_by_number.get(old.number)
        if reuser is not None and reuser.name == old.name:
            reuser = None
        if new is None:
            yield f"{label} removed" + (f", number reused by '{reuser.name}'" if reuser else "")
            continue
        if new.number != old.number:
            yield f"{label}: number changed from {old.number} to {new.number}"
            if reuser is not None:
                yield f"{label}: number {old.number} reused by '{reuser.name}'"
        if _type(old) != _type(new):
            yield f"{label}: type changed from {_type(old)} to {_type(new)}"
        if _cardinality(old) != _cardinality(new):
            yield f"{label}: cardinality changed from {_cardinality(old)} to {_cardinality(new)}"
        if old.extendee != new.extendee:
            yield (f"{label}: extends {new.extendee.lstrip('.')} "
                   f"instead of {old.extendee.lstrip('.')}")
        old_oneof, new_oneof = _oneof(old, old_message), _oneof(new, new_message)
        if old_oneof != new_oneof:
            # Fields sharing a oneof clear each other, so moving a field in or out changes meaning.
            yield (f"{label}: oneof changed from {old_oneof or '(none)'} "
                   f"to {new_oneof or '(none)'}")


def _enum_changes(old_enums: Iterable[EnumDescriptorProto],
                  new_enums: Iterable[EnumDescriptorProto],
                  scope: str, nested: bool = False) -> Iterator[str]:
    new_by_name = {enum.name: enum for enum in new_enums}
    for old in old_enums:
        full_name = _join(scope, old.name)
        new = new_by_name.get(old.name)
        if new is None:
            yield f"{'nested enum' if nested else 'enum'} {full_name} removed"
            continue
        new_numbers = {value.name: value.number for value in new.value}
        for value in old.value:
            number = new_numbers.get(value.name)
            if number is None:
                yield f"{full_name} value {value.name} ({value.number}) removed"
            elif number != value.number:
                yield f"{full_name} value {value.name} renumbered from {value.number} to {number}"


def _event_type(message: DescriptorProto) -> str:
    # A set parsed before lotse.options was imported keeps the option among the unknown fields;
    # parsing the options again resolves it against the now registered extension.
    options = MessageOptions.FromString(message.options.SerializeToString())
    extensions: Any = options.Extensions  # see registry.event_type_of
    return str(extensions[options_pb2.event_type])


def _type(field: FieldDescriptorProto) -> str:
    if field.type_name:
        return field.type_name.lstrip(".")
    return FieldDescriptorProto.Type.Name(field.type).removeprefix("TYPE_").lower()


def _cardinality(field: FieldDescriptorProto) -> str:
    if field.label == FieldDescriptorProto.LABEL_REPEATED:
        return "repeated"
    if field.label == FieldDescriptorProto.LABEL_REQUIRED:
        return "required"
    return "optional" if field.proto3_optional else "singular"


def _oneof(field: FieldDescriptorProto, message: DescriptorProto | None) -> str | None:
    # proto3 `optional` is a synthetic oneof of one field: presence, reported as cardinality.
    if message is None or not field.HasField("oneof_index") or field.proto3_optional:
        return None
    return message.oneof_decl[field.oneof_index].name


def _join(scope: str, name: str) -> str:
    return f"{scope}.{name}" if scope else name
