"""Render RabbitMQ's boot-time definitions: the committed topology plus the users' passwords.

    python render_definitions.py definitions.json out/definitions.json [--owner 999:999]

``definitions.json`` (committed) names each user's password by the environment variable that holds
it (``"password_env"``); this script replaces that with the password (from the variable, or from
the file named by ``<VARIABLE>_FILE``, as docker secrets provide it) and writes the result, readable
by its owner only. RabbitMQ hashes the cleartext ``password`` on import. Standard library only: it
runs in the plain Python image before the broker starts (docker-compose.yml, broker-definitions).

Exit status 0 written, 2 a password is missing, empty or still the example's ``change-me``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

PLACEHOLDERS = frozenset({"", "change-me", "changeme", "guest"})


class MissingPassword(Exception):
    pass


def password_from_environment(variable: str, environ=os.environ) -> str:
    value = environ.get(variable)
    path = environ.get(f"{variable}_FILE")
    if value is None and path:
        value = Path(path).read_text().strip()
    if value is None or value.strip().lower() in PLACEHOLDERS:
        raise MissingPassword(f"{variable} is not set to a real password (see .env.example)")
    return value


def render(definitions: dict, environ=os.environ) -> dict:
    """``definitions`` with every user's ``password_env`` replaced by its ``password``."""
    rendered = json.loads(json.dumps(definitions))
    for user in rendered.get("users", []):
        variable = user.pop("password_env", None)
        if not variable:
            raise MissingPassword(f"user {user.get('name')!r} names no password_env")
        user["password"] = password_from_environment(variable, environ)
    return rendered


def write_private(path: Path, text: str, owner: tuple[int, int] | None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".definitions-")
    try:
        with os.fdopen(handle, "w") as out:
            out.write(text)
        os.chmod(temporary, 0o400)
        if owner is not None:
            os.chown(temporary, *owner)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--owner", help="uid:gid of the broker that reads the file (999:999)")
    args = parser.parse_args(argv)
    owner = tuple(int(part) for part in args.owner.split(":")) if args.owner else None
    try:
        rendered = render(json.loads(args.source.read_text()))
    except MissingPassword as error:
        print(f"render_definitions: {error}", file=sys.stderr)
        return 2
    write_private(args.target, json.dumps(rendered, indent=2) + "\n", owner)
    print(f"render_definitions: {len(rendered.get('users', []))} users written to {args.target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
