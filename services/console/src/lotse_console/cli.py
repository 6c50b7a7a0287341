"""``lotse-console``: migrate, check-db, api, worker (see :mod:`lotse_platform.cli`)."""

import sys

from lotse_platform.cli import service_main

from .bootstrap import bootstrap
from .settings import SERVICE


def main(argv: list[str] | None = None) -> int:
    return service_main(SERVICE, bootstrap, argv)


if __name__ == "__main__":
    sys.exit(main())
