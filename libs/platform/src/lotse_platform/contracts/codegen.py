"""Python code and the compatibility baseline generated from the contracts in ``proto/``.

    python -m lotse_platform.contracts.codegen generate   (make proto)
    python -m lotse_platform.contracts.codegen check      (make proto-check)
    python -m lotse_platform.contracts.codegen lock       (make proto-lock)

The generated modules in ``libs/contracts/src`` are committed, so services install them like any
package; ``check`` (and the stale test) proves they are exactly what the pinned grpcio-tools makes
of ``proto/``. ``proto/descriptors/lotse.binpb`` is the last locked contracts; ``check`` and
``lock`` refuse changes that break them (see ``compat``). grpcio-tools is a development tool, so it
is imported only when protoc runs.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from importlib import resources
from pathlib import Path

from google.protobuf.descriptor_pb2 import FileDescriptorSet

from .compat import breaking_changes

PROTO_DIR = Path("proto")
OUTPUT_DIR = Path("libs/contracts/src")
BASELINE = PROTO_DIR / "descriptors" / "lotse.binpb"
GENERATED_SUFFIXES = ("_pb2.py", "_pb2.pyi")
ADR = "docs/adr/0002-contracts-and-codegen.md"


class CodegenError(RuntimeError):
    """protoc refused the contracts, or the repository is not where we expect it."""


def find_root(start: Path | None = None) -> Path:
    """The repository root: the nearest directory with ``proto/`` and a ``Makefile``."""
    start = (start or Path.cwd()).resolve()
    for directory in (start, *start.parents):
        if (directory / PROTO_DIR).is_dir() and (directory / "Makefile").is_file():
            return directory
    raise CodegenError(f"no repository root (a directory with proto/ and Makefile) above {start}")


def proto_files(proto_dir: Path) -> list[Path]:
    # Sorted so protoc sees the same order on every machine.
    return sorted(proto_dir.rglob("*.proto"))


def run_protoc(proto_dir: Path, arguments: list[str], includes: tuple[Path, ...] = ()) -> None:
    """Compile every contract under ``proto_dir``; ``includes`` only resolve imports."""
    from grpc_tools import protoc

    # descriptor.proto (for our custom options) ships with grpc_tools, matching its protoc.
    bundled = Path(str(resources.files("grpc_tools") / "_proto"))
    paths = [f"--proto_path={path}" for path in (proto_dir, *includes, bundled)]
    files = [str(path) for path in proto_files(proto_dir)]
    if not files:
        raise CodegenError(f"no .proto files under {proto_dir}")
    code = protoc.main(["protoc", *paths, *arguments, *files])
    if code != 0:
        raise CodegenError(f"protoc failed with exit code {code} (its messages are above)")


def compile_python(proto_dir: Path, out_dir: Path) -> None:
    run_protoc(proto_dir, [f"--python_out={out_dir}", f"--pyi_out={out_dir}"])


def descriptor_set(proto_dir: Path, includes: tuple[Path, ...] = ()) -> FileDescriptorSet:
    """The contracts under ``proto_dir``, without imports or source info (so not comments)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "set.binpb"
        run_protoc(proto_dir, [f"--descriptor_set_out={out}"], includes)
        return FileDescriptorSet.FromString(out.read_bytes())


def serialize(descriptors: FileDescriptorSet) -> bytes:
    return descriptors.SerializeToString(deterministic=True)


def generated_files(src_dir: Path) -> dict[str, bytes]:
    """Generated modules below ``src_dir`` by relative path; packaging metadata is not ours."""
    found = {}
    for path in src_dir.rglob("*"):
        parts = path.relative_to(src_dir).parts
        if any(part.endswith(".egg-info") or part == "__pycache__" for part in parts):
            continue
        if path.is_file() and path.name.endswith(GENERATED_SUFFIXES):
            found[Path(*parts).as_posix()] = path.read_bytes()
    return dict(sorted(found.items()))


def fresh_files(root: Path) -> dict[str, bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        compile_python(root / PROTO_DIR, Path(tmp))
        return generated_files(Path(tmp))


def generate(root: Path) -> tuple[list[str], list[str]]:
    """Bring the committed modules in line with ``proto/``; the paths written and removed."""
    out_dir = root / OUTPUT_DIR
    fresh, committed = fresh_files(root), generated_files(out_dir)
    written = []
    for name, content in fresh.items():
        # Unchanged files are left alone so their timestamps don't suggest a change.
        if committed.get(name) != content:
            (out_dir / name).parent.mkdir(parents=True, exist_ok=True)
            (out_dir / name).write_bytes(content)
            written.append(name)
    removed = [name for name in committed if name not in fresh]
    for name in removed:
        (out_dir / name).unlink()
        _prune_empty_packages((out_dir / name).parent, out_dir)
    return written, removed


def _prune_empty_packages(directory: Path, stop: Path) -> None:
    # A removed contract package leaves directories behind that would still import as namespaces.
    while directory != stop and all(entry.name == "__pycache__" for entry in directory.iterdir()):
        shutil.rmtree(directory)
        directory = directory.parent


def stale_files(root: Path) -> list[str]:
    """What differs between the committed modules and a fresh generation, one line per file."""
    fresh, committed = fresh_files(root), generated_files(root / OUTPUT_DIR)
    lines = []
    for name in sorted(fresh.keys() | committed.keys()):
        path = (OUTPUT_DIR / name).as_posix()
        if name not in committed:
            lines.append(f"missing: {path}")
        elif name not in fresh:
            lines.append(f"extra (its .proto is gone): {path}")
        elif fresh[name] != committed[name]:
            lines.append(f"stale: {path}")
    return lines


def read_baseline(root: Path) -> FileDescriptorSet | None:
    path = root / BASELINE
    return FileDescriptorSet.FromString(path.read_bytes()) if path.is_file() else None


def _grpc_tools_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("grpcio-tools")
    except PackageNotFoundError:
        return "not installed"


def _check(root: Path) -> int:
    failed = False
    stale = stale_files(root)
    if stale:
        failed = True
        print("generated contract code is out of date:")
        print("\n".join(f"  {line}" for line in stale))
        print(f"run `make proto` (grpcio-tools here: {_grpc_tools_version()}, "
              "the pin is in requirements/dev.txt)")
    baseline, current = read_baseline(root), descriptor_set(root / PROTO_DIR)
    if baseline is None:
        failed = True
        print(f"no compatibility baseline at {BASELINE}: run `make proto-lock`")
    else:
        changes = breaking_changes(baseline, current)
        if changes:
            failed = True
            print(f"breaking changes against {BASELINE}:")
            print("\n".join(f"  {change}" for change in changes))
            print(f"put them in a new version package (v2) instead, see {ADR}")
        elif serialize(baseline) != serialize(current):
            print(f"note: compatible additions not yet in {BASELINE}; "
                  "`make proto-lock` records them")
    if not failed:
        print("contracts ok: generated code is current and compatible with the baseline")
    return 1 if failed else 0


def _lock(root: Path, force: bool) -> int:
    baseline, current = read_baseline(root), descriptor_set(root / PROTO_DIR)
    if baseline is not None:
        changes = breaking_changes(baseline, current)
        if changes:
            print(f"breaking changes against {BASELINE}:")
            print("\n".join(f"  {change}" for change in changes))
            if not force:
                print("not locked; use a new version package (v2), or --force if nothing "
                      "has ever consumed these contracts")
                return 1
            print("locking anyway (--force)")
    content = serialize(current)
    path = root / BASELINE
    if path.is_file() and path.read_bytes() == content:
        print(f"{BASELINE} unchanged")
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    print(f"wrote {BASELINE} ({len(current.file)} files)")
    return 0


def _generate(root: Path) -> int:
    written, removed = generate(root)
    for name in written:
        print(f"wrote {(OUTPUT_DIR / name).as_posix()}")
    for name in removed:
        print(f"removed {(OUTPUT_DIR / name).as_posix()}")
    if not written and not removed:
        print("generated code already up to date")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lotse_platform.contracts.codegen",
                                     description="generate and check the event contracts")
    parser.add_argument("--root", type=Path, help="repository root (default: found above cwd)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("generate", help="regenerate libs/contracts/src from proto/")
    commands.add_parser("check", help="fail on stale generated code or breaking changes")
    lock = commands.add_parser("lock", help=f"record the current contracts in {BASELINE}")
    lock.add_argument("--force", action="store_true", help="lock even a breaking change")
    args = parser.parse_args(argv)

    try:
        root = args.root.resolve() if args.root else find_root()
        if args.command == "generate":
            return _generate(root)
        if args.command == "check":
            return _check(root)
        return _lock(root, args.force)
    except CodegenError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
