"""``lotse-network``: the platform's commands (setup, migrate, check-db, api, worker, seed-demo;
see :mod:`lotse_platform.cli`) and the network's own:

    lotse-network directory export <file> --tenant <tenant id>
                            the county's directory as HSDS 3.0 (ADR 0088): <file>.json the
                            JSON document, <file>.zip the tabular data package; "-" writes
                            the JSON to standard output. Audited as the service's own export.
    lotse-network directory import <file> --tenant <tenant id> [--dry-run]
                            import an HSDS 3.0 JSON document (or <file>.zip, the tabular
                            data package), all or nothing: the rejected rows
                            on standard error (JSON) and exit status 1, nothing changed; else
                            the report (JSON) on standard output. "-" reads standard input.
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from dataclasses import asdict
from pathlib import Path

from lotse_platform.cli import EXIT_UNSAFE_DATABASE, service_main
from lotse_platform.db.safety import UnsafeDatabase
from lotse_platform.errors import ProblemError
from lotse_platform.settings import ConfigurationError

from .bootstrap import bootstrap
from .service_layer.hsds import (
    export_document,
    export_package,
    import_document,
    import_package,
)
from .settings import SERVICE

OWN_COMMANDS = ("directory",)
EXIT_REJECTED = 1


def _directory(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog=f"lotse-{SERVICE} directory",
                                     description="the directory as Open Referral HSDS 3.0")
    parser.add_argument("action", choices=("export", "import"))
    parser.add_argument("file", help="an HSDS file: .json, or .zip (the tabular data "
                                     "package); - for JSON on standard output/input")
    parser.add_argument("--tenant", required=True, type=uuid.UUID, help="the county's tenant id")
    parser.add_argument("--dry-run", action="store_true",
                        help="import: check and report what would change, change nothing")
    args = parser.parse_args(argv)
    try:
        network = bootstrap()
    except ConfigurationError as error:
        return error.code
    try:
        network.check_database()
    except UnsafeDatabase as error:
        print(f"refusing to start: {error}", file=sys.stderr)
        return EXIT_UNSAFE_DATABASE
    uow = network.uow(args.tenant)
    if args.action == "export":
        if args.file.endswith(".zip"):
            Path(args.file).write_bytes(export_package(uow))
            return 0
        text = json.dumps(export_document(uow), ensure_ascii=False, indent=1)
        if args.file == "-":
            print(text)
        else:
            Path(args.file).write_text(text, encoding="utf-8")
        return 0
    try:
        if args.file.endswith(".zip"):
            report = import_package(uow, Path(args.file).read_bytes(), dry_run=args.dry_run)
        else:
            raw = (sys.stdin.read() if args.file == "-"
                   else Path(args.file).read_text(encoding="utf-8"))
            report = import_document(uow, json.loads(raw), dry_run=args.dry_run)
    except json.JSONDecodeError as error:
        print(f"lotse-{SERVICE}: {args.file} is not JSON: {error.msg} (line {error.lineno})",
              file=sys.stderr)
        return EXIT_REJECTED
    except ProblemError as refused:
        print(json.dumps({"detail": refused.detail, "errors": refused.errors},
                         ensure_ascii=False, indent=1), file=sys.stderr)
        return EXIT_REJECTED
    print(json.dumps({"dry_run": report.dry_run,
                      "changes": [{**asdict(c), "id": str(c.id)} for c in report.changes]},
                     ensure_ascii=False, indent=1))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__)
    if argv and argv[0] in OWN_COMMANDS:
        return _directory(argv[1:])
    return service_main(SERVICE, bootstrap, argv)


if __name__ == "__main__":
    sys.exit(main())
