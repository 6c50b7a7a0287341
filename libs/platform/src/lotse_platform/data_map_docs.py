"""``python -m lotse_platform.data_map_docs write|check`` (``make data-map``): the record of
processing activities of every installed service, ``docs/data-map/<service>.md``, written from its map, or
checked to be current and the map to match the schema."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .contracts.codegen import CodegenError, find_root
from .datamap import as_markdown, differences, load_service_map
from .service import installed_services

DATA_MAP_DIR = Path("docs/data-map")


def records() -> dict[str, str]:
    """Each installed service's record in Markdown, by service name."""
    return {service.name: as_markdown(service.name,
                                      load_service_map(service.__module__, service.metadata))
            for service in installed_services()}


def problems() -> list[str]:
    """Every disagreement between an installed service's map and its schema."""
    return [f"{service.name}: {line}" for service in installed_services()
            for line in differences(service.metadata,
                                    load_service_map(service.__module__, service.metadata))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lotse_platform.data_map_docs",
                                     description="write or check docs/data-map/<service>.md")
    parser.add_argument("command", choices=["write", "check"])
    parser.add_argument("--root", type=Path)
    args = parser.parse_args(argv)
    try:
        root = args.root.resolve() if args.root else find_root()
    except CodegenError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    unclassified = problems()
    if unclassified:
        print("the data map does not match the schema:\n  " + "\n  ".join(unclassified),
              file=sys.stderr)
        return 1
    directory = root / DATA_MAP_DIR
    stale = 0
    for name, text in records().items():
        path = directory / f"{name}.md"
        current = path.is_file() and path.read_text(encoding="utf-8") == text
        if args.command == "check":
            if not current:
                print(f"{path.relative_to(root)} is out of date: run `make data-map`")
                stale += 1
            continue
        if not current:
            directory.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"{path.relative_to(root)} written")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
