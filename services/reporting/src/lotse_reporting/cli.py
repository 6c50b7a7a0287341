"""``lotse-reporting``: migrate, check-db, api, worker, seed-demo (see :mod:`lotse_platform.cli`)
and ``rebuild``: drop every projection and rebuild it from the event store (progress and rate on
stderr)."""

import sys

from lotse_platform.cli import service_main

from .bootstrap import bootstrap
from .settings import SERVICE


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["rebuild"]:
        container = bootstrap()
        container.check_database()
        replayed = container.rebuild()
        print(f"reporting: {replayed} events replayed into every projection")
        return 0
    return service_main(SERVICE, bootstrap, argv)


if __name__ == "__main__":
    sys.exit(main())
