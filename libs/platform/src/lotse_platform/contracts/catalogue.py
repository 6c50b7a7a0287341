"""The event catalogue (``docs/events.md``), written from the contracts in ``proto/``.

    python -m lotse_platform.contracts.catalogue write   (part of `make proto`)
    python -m lotse_platform.contracts.catalogue check   (a test fails when it is stale)

One section per service and version: every integration event with its type (the routing key),
its fields with their types and the comments written beside them in the ``.proto`` files, then
the enumerations. The catalogue is generated, never edited, so it cannot drift from the contracts.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from google.protobuf.descriptor_pb2 import (
    DescriptorProto,
    EnumDescriptorProto,
    FieldDescriptorProto,
    FileDescriptorProto,
    FileDescriptorSet,
)

from .codegen import PROTO_DIR, CodegenError, find_root, run_protoc
from .compat import _event_type

CATALOGUE = Path("docs/events.md")

# SourceCodeInfo paths: field numbers of FileDescriptorProto / DescriptorProto / EnumDescriptorProto
_MESSAGE, _ENUM = 4, 5
_FIELD, _NESTED_MESSAGE, _NESTED_ENUM = 2, 3, 4
_VALUE = 2


def _with_source_info(proto_dir: Path) -> FileDescriptorSet:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "set.binpb"
        run_protoc(proto_dir, [f"--descriptor_set_out={out}", "--include_source_info"])
        return FileDescriptorSet.FromString(out.read_bytes())


def _comments(file: FileDescriptorProto) -> dict[tuple[int, ...], str]:
    found = {}
    for location in file.source_code_info.location:
        text = (location.leading_comments or location.trailing_comments).strip()
        if text:
            found[tuple(location.path)] = " ".join(line.strip() for line in text.splitlines())
    return found


def _type(field: FieldDescriptorProto) -> str:
    name = (field.type_name.lstrip(".") if field.type_name else
            FieldDescriptorProto.Type.Name(field.type).removeprefix("TYPE_").lower())
    return f"repeated {name}" if field.label == FieldDescriptorProto.LABEL_REPEATED else name


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _message(lines: list[str], message: DescriptorProto, path: tuple[int, ...], scope: str,
             comments: dict[tuple[int, ...], str]) -> None:
    event_type = _event_type(message)
    title = f"`{event_type}`" if event_type else f"`{scope}.{message.name}`"
    lines.append(f"### {title}" + (f" — `{message.name}`" if event_type else ""))
    lines.append("")
    if comments.get(path):
        lines += [comments[path], ""]
    if message.field:
        lines += ["| # | field | type | meaning |", "|---:|---|---|---|"]
        for index, field in enumerate(message.field):
            meaning = comments.get(path + (_FIELD, index), "")
            lines.append(f"| {field.number} | `{field.name}` | `{_type(field)}` | "
                         f"{_cell(meaning)} |")
        lines.append("")
    for index, enum in enumerate(message.enum_type):
        _enum(lines, enum, path + (_NESTED_ENUM, index), f"{scope}.{message.name}", comments)


def _enum(lines: list[str], enum: EnumDescriptorProto, path: tuple[int, ...], scope: str,
          comments: dict[tuple[int, ...], str]) -> None:
    lines.append(f"#### enum `{scope}.{enum.name}`")
    lines.append("")
    if comments.get(path):
        lines += [comments[path], ""]
    values = []
    for index, value in enumerate(enum.value):
        note = comments.get(path + (_VALUE, index))
        values.append(f"`{value.name}` = {value.number}" + (f" ({note})" if note else ""))
    lines += ["; ".join(values), ""]


def render(descriptors: FileDescriptorSet) -> str:
    lines = ["# Event catalogue", "",
             "Generated from `proto/` by `make proto` (`lotse_platform.contracts.catalogue`); "
             "do not edit. Each event travels on the topic exchange `lotse.events` with its type "
             "as routing key (a provider's own intake appends `.<provider>`), CloudEvents "
             "attributes as headers and the protobuf message as body (docs/adr/0002, 0003). "
             "Events carry ids and facts, never names or other personal data.", ""]
    for file in sorted(descriptors.file, key=lambda f: f.name):
        if file.name == "lotse/options.proto":
            continue
        comments = _comments(file)
        lines += [f"## `{file.package}` — `proto/{file.name}`", ""]
        for index, message in enumerate(file.message_type):
            _message(lines, message, (_MESSAGE, index), file.package, comments)
        for index, enum in enumerate(file.enum_type):
            _enum(lines, enum, (_ENUM, index), file.package, comments)
    return "\n".join(lines).rstrip() + "\n"


def catalogue(root: Path) -> str:
    return render(_with_source_info(root / PROTO_DIR))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lotse_platform.contracts.catalogue",
                                     description="write or check docs/events.md")
    parser.add_argument("command", choices=["write", "check"])
    parser.add_argument("--root", type=Path)
    args = parser.parse_args(argv)
    try:
        root = args.root.resolve() if args.root else find_root()
        text = catalogue(root)
    except CodegenError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    path = root / CATALOGUE
    if args.command == "check":
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            print(f"{CATALOGUE} is out of date: run `make proto`")
            return 1
        print(f"{CATALOGUE} is current")
        return 0
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        print(f"{CATALOGUE} unchanged")
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {CATALOGUE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
