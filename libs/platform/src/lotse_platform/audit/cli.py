"""``lotse-audit``: check, seal and anchor audit chains from the command line.

    lotse-audit verify --database-url URL --tenant UUID [--service NAME --anchor-dir DIR]
    lotse-audit verify --database-url URL --all-tenants [--service NAME --anchor-dir DIR]
    lotse-audit seal --database-url URL [--tenant UUID]
    lotse-audit checkpoint --database-url URL --service NAME --anchor-dir DIR
    lotse-audit anchor-key new FILE | public

``verify --tenant`` sets the tenant context, so the service's normal application role will do.
``verify --all-tenants`` first lists the tenants in ``audit_log``, which row-level security hides
from the application role: it needs a role that bypasses RLS (a superuser or one with
``BYPASSRLS``, e.g. the database administrator's URL) and refuses to run with any other. The URL
can also come from ``LOTSE_AUDIT_DATABASE_URL`` (keeps a password out of the process list).

With an anchor directory (``--anchor-dir`` or ``LOTSE_AUDIT_ANCHOR_DIR``) and the service whose
checkpoints to read (``--service``), ``verify`` holds each chain against its signed checkpoints
(ADR 0066): an entry a checkpoint counted that is missing, unsealed or different breaks the
chain, and so does a checkpoint file that is unreadable or not signed by the anchor key. The key
to check signatures with is ``--anchor-key`` (the public key, base64url, or a PEM file, public or
private; may be repeated after a key change), else ``LOTSE_AUDIT_ANCHOR_PUBLIC_KEY``, else the
public half of ``LOTSE_AUDIT_ANCHOR_KEY`` or ``LOTSE_AUDIT_ANCHOR_KEY_FILE``. ``--all-tenants`` then also checks
the tenants that have checkpoints but no entries left. Without an anchor directory, a warning says
that entries cut off a chain's end cannot be detected.

``seal`` does on demand what every service's worker does once a second (ADR 0008): it chains the
unsealed entries of one tenant, or of every tenant that has some (found through
``audit_log_unsealed()``, so the application role will do). ``checkpoint`` does a round of the
worker's checkpoint writer (signs with ``LOTSE_AUDIT_ANCHOR_KEY`` or ``…_KEY_FILE``).
``anchor-key new FILE`` writes a new signing key (PKCS#8 PEM, 0600) and prints its public key; ``anchor-key
public`` prints the public key of the configured one.

One line per tenant, ids and counts only; ``verify`` adds how many entries are not sealed yet and
how long the oldest has waited, and how far the chain is anchored. Exit status: 0 all chains
intact (or sealed, or anchored), 1 a chain is broken, 2 usage error (arguments, or a role that
cannot see all tenants), 3 the database could not be read or written.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import uuid
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ..db.engine import create_engine, is_postgres
from ..db.tables import platform_tables
from .anchor import (
    AnchorDirectory,
    AnchorReading,
    create_key_file,
    load_signing_key,
    load_verify_key,
    public_key_text,
)
from .checkpoints import AuditCheckpointer, ChainRewritten
from .sealing import AuditSealer
from .verify import VerificationResult, verify_chain

EXIT_OK, EXIT_BROKEN, EXIT_USAGE, EXIT_UNREADABLE = 0, 1, 2, 3

_SERVICE = r"[a-z][a-z0-9_-]{0,62}"


class UsageError(Exception):
    """Arguments or settings that cannot work: one line, exit status 2."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lotse-audit", description="tamper-evident audit trail")
    commands = parser.add_subparsers(dest="command", required=True)
    verify = commands.add_parser("verify", help="recompute hash chains and report broken links")
    _database(verify)
    which = verify.add_mutually_exclusive_group(required=True)
    which.add_argument("--tenant", type=uuid.UUID, help="the tenant whose chain to check")
    which.add_argument("--all-tenants", action="store_true",
                       help="every tenant in the log "
                            "(needs a role that bypasses row-level security)")
    _anchor(verify)
    verify.add_argument("--anchor-key", action="append", metavar="KEY",
                        help="public key the checkpoints are signed with: base64url, or a PEM "
                             "file (public, or the private key) (default: "
                             "LOTSE_AUDIT_ANCHOR_PUBLIC_KEY, or the public half of "
                             "LOTSE_AUDIT_ANCHOR_KEY / LOTSE_AUDIT_ANCHOR_KEY_FILE); repeatable")
    seal = commands.add_parser("seal", help="chain the entries not sealed yet")
    _database(seal)
    seal.add_argument("--tenant", type=uuid.UUID,
                      help="only this tenant (default: every tenant with unsealed entries)")
    checkpoint = commands.add_parser(
        "checkpoint", help="anchor every tenant's chain head in signed checkpoints")
    _database(checkpoint)
    _anchor(checkpoint)
    key = commands.add_parser("anchor-key", help="the key checkpoints are signed with")
    actions = key.add_subparsers(dest="action", required=True)
    new = actions.add_parser("new", help="write a new signing key to FILE, print its public key")
    new.add_argument("file", type=Path)
    actions.add_parser("public", help="print the public key of LOTSE_AUDIT_ANCHOR_KEY(_FILE)")
    return parser


def _database(command: argparse.ArgumentParser) -> None:
    command.add_argument("--database-url", default=os.environ.get("LOTSE_AUDIT_DATABASE_URL"),
                         help="SQLAlchemy URL (default: $LOTSE_AUDIT_DATABASE_URL)")


def _anchor(command: argparse.ArgumentParser) -> None:
    command.add_argument("--anchor-dir", type=Path,
                         default=os.environ.get("LOTSE_AUDIT_ANCHOR_DIR") or None,
                         help="the checkpoints' directory (default: $LOTSE_AUDIT_ANCHOR_DIR)")
    command.add_argument("--service", help="whose checkpoints: the service owning the database, "
                                           "e.g. casework")


def _keys_as_values(argv: list[str]) -> list[str]:
    """A base64url key may begin with "-", which argparse takes for an option: join every
    ``--anchor-key KEY`` into ``--anchor-key=KEY`` so that such a key reads as the value it is."""
    joined: list[str] = []
    words = iter(argv)
    for word in words:
        if word == "--anchor-key":
            value = next(words, None)
            joined.append(word if value is None else f"{word}={value}")
        else:
            joined.append(word)
    return joined


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(_keys_as_values(sys.argv[1:] if argv is None else argv))
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    try:
        if args.command == "anchor-key":
            return _anchor_key(args)
        if not args.database_url:
            parser.print_usage(sys.stderr)
            raise UsageError("--database-url or LOTSE_AUDIT_DATABASE_URL is required")
        anchors = _anchors(args)
    except UsageError as error:
        print(f"lotse-audit: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    try:
        engine = create_engine(args.database_url, poolclass=sa.pool.NullPool)
    except (sa.exc.ArgumentError, ImportError, ValueError):
        print("lotse-audit: error: not a usable database URL", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.command == "seal":
            return _seal(engine, args.tenant)
        if args.command == "checkpoint":
            return _checkpoint(engine, args, anchors)
        return _verify(engine, args.tenant, args.all_tenants, anchors)
    except sa.exc.SQLAlchemyError as error:
        message = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        doing = {"seal": "seal", "checkpoint": "anchor"}.get(args.command, "read")
        print(f"lotse-audit: cannot {doing} the audit log: {message}", file=sys.stderr)
        return EXIT_UNREADABLE
    except OSError as error:
        print(f"lotse-audit: cannot use the anchor directory: {error.strerror} "
              f"({error.filename})", file=sys.stderr)
        return EXIT_UNREADABLE
    except UsageError as error:
        print(f"lotse-audit: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        engine.dispose()


@dataclass(frozen=True)
class _Anchors:
    directory: AnchorDirectory
    service: str
    keys: list[Ed25519PublicKey]

    def read(self, tenant: uuid.UUID) -> AnchorReading:
        return self.directory.read(self.service, tenant, self.keys)


def _anchors(args: argparse.Namespace) -> _Anchors | None:
    """The anchor directory, service and verification keys ``verify`` / ``checkpoint`` use."""
    if args.command not in ("verify", "checkpoint"):
        return None
    if args.anchor_dir is None:
        if args.command == "checkpoint":
            raise UsageError("--anchor-dir or LOTSE_AUDIT_ANCHOR_DIR is required")
        print("lotse-audit: warning: no anchor directory (--anchor-dir or "
              "LOTSE_AUDIT_ANCHOR_DIR): entries cut off the end of a chain, or a chain "
              "re-computed from a changed entry on, cannot be detected", file=sys.stderr)
        return None
    if not args.service or not re.fullmatch(_SERVICE, args.service):
        raise UsageError("--service names the service whose checkpoints to read (e.g. casework)")
    if not args.anchor_dir.is_dir():
        raise UsageError(f"the anchor directory {args.anchor_dir} does not exist")
    if args.command == "checkpoint":
        keys = [_signing_key().public_key()]
    else:
        keys = ([_verify_key(text) for text in args.anchor_key] if args.anchor_key
                else [_default_verify_key()])
    return _Anchors(AnchorDirectory(args.anchor_dir), args.service, keys)


def _verify_key(text: str) -> Ed25519PublicKey:
    """``--anchor-key``: a public key (base64url), or a file holding one, or a PEM private key."""
    path = Path(text)
    try:
        content = path.read_text() if len(text) < 4096 and path.is_file() else text
        return load_verify_key(content)
    except (OSError, ValueError) as error:
        raise UsageError(f"--anchor-key is not an Ed25519 public key: {error}") from None


def _default_verify_key() -> Ed25519PublicKey:
    """``LOTSE_AUDIT_ANCHOR_PUBLIC_KEY``, else the public half of the configured private key."""
    public = os.environ.get("LOTSE_AUDIT_ANCHOR_PUBLIC_KEY")
    if public:
        try:
            return load_verify_key(public)
        except ValueError as error:
            raise UsageError(f"LOTSE_AUDIT_ANCHOR_PUBLIC_KEY is invalid: {error}") from None
    if os.environ.get("LOTSE_AUDIT_ANCHOR_KEY") or os.environ.get("LOTSE_AUDIT_ANCHOR_KEY_FILE"):
        return _signing_key().public_key()
    raise UsageError("the key checkpoints are signed with is needed: --anchor-key or "
                     "LOTSE_AUDIT_ANCHOR_PUBLIC_KEY (or LOTSE_AUDIT_ANCHOR_KEY[_FILE])")


def _signing_key() -> Ed25519PrivateKey:
    """The private key from ``LOTSE_AUDIT_ANCHOR_KEY`` or ``LOTSE_AUDIT_ANCHOR_KEY_FILE``."""
    text = os.environ.get("LOTSE_AUDIT_ANCHOR_KEY")
    source = "LOTSE_AUDIT_ANCHOR_KEY"
    if not text and os.environ.get("LOTSE_AUDIT_ANCHOR_KEY_FILE"):
        source = "LOTSE_AUDIT_ANCHOR_KEY_FILE"
        try:
            text = Path(os.environ[source]).read_text()
        except OSError as error:
            raise UsageError(f"{source} cannot be read: {error.strerror}") from None
    if not text:
        raise UsageError("LOTSE_AUDIT_ANCHOR_KEY or LOTSE_AUDIT_ANCHOR_KEY_FILE is required "
                         "(the key checkpoints are signed with)")
    try:
        return load_signing_key(text)
    except ValueError as error:
        raise UsageError(f"{source} is invalid: {error}") from None


def _verify(engine: sa.Engine, tenant: uuid.UUID | None, all_tenants: bool,
            anchors: _Anchors | None) -> int:
    audit_log = platform_tables(sa.MetaData()).audit_log
    with engine.connect() as connection:
        if all_tenants:
            if is_postgres(connection) and not _bypasses_rls(connection):
                print("lotse-audit: error: --all-tenants needs a role that bypasses row-level "
                      "security (superuser or BYPASSRLS); use --tenant with the app role",
                      file=sys.stderr)
                return EXIT_USAGE
            with connection.begin():
                tenants = set(connection.execute(
                    sa.select(audit_log.c.tenant_id).distinct()).scalars())
            if anchors is not None:  # a tenant whose every entry was deleted has checkpoints
                tenants.update(anchors.directory.tenants(anchors.service))
            ordered = sorted(tenants)
        else:
            ordered = [tenant] if tenant is not None else []

        status = EXIT_OK
        for each in ordered:
            reading = anchors.read(each) if anchors is not None else AnchorReading([], [])
            # one transaction per tenant: its tenant context ends with it
            with connection.begin():
                result = verify_chain(connection, each, table=audit_log,
                                      checkpoints=reading.checkpoints)
            for problem in reading.problems:
                print(f"tenant {each}: {problem}")
                status = EXIT_BROKEN
            if result.ok:
                print(f"tenant {each}: {result.checked} entries, chain intact"
                      f"{_anchored(result, anchors)}{_unsealed(result)}")
            else:
                print(f"tenant {each}: chain broken at entry {result.first_broken_seq}: "
                      f"{result.reason}{_unsealed(result)}")
                status = EXIT_BROKEN
        if all_tenants and not ordered:
            print("no audit entries")
        return status


def _anchored(result: VerificationResult, anchors: _Anchors | None) -> str:
    if anchors is None:
        return ""
    if result.anchored is None:
        return "; no checkpoint yet" if result.checked else ""
    at = result.anchored.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    after = f", {result.beyond_anchor} entries after it" if result.beyond_anchor else ""
    return f"; anchored at entry {result.anchored.seq} (checkpoint of {at}{after})"


def _unsealed(result: VerificationResult) -> str:
    if not result.unsealed:
        return ""
    return f"; {result.unsealed} not sealed yet (oldest {result.unsealed_age():.1f} s)"


def _seal(engine: sa.Engine, tenant: uuid.UUID | None) -> int:
    sealer = AuditSealer(engine, platform_tables(sa.MetaData()).audit_log)
    tenants = [tenant] if tenant else [each.tenant_id for each in sealer.pending()]
    for each in tenants:
        print(f"tenant {each}: {sealer.seal(each)} entries sealed")
    if not tenants:
        print("nothing to seal")
    return EXIT_OK


def _checkpoint(engine: sa.Engine, args: argparse.Namespace, anchors: _Anchors | None) -> int:
    if anchors is None:  # _anchors() refused already
        raise UsageError("--anchor-dir or LOTSE_AUDIT_ANCHOR_DIR is required")
    tables = platform_tables(sa.MetaData())
    checkpointer = AuditCheckpointer(engine, tables.audit_log, service=anchors.service,
                                     directory=anchors.directory, key=_signing_key(),
                                     outbox=tables.outbox)
    status = EXIT_OK
    for head in checkpointer.heads():
        try:
            written = checkpointer.checkpoint(head)
        except ChainRewritten as error:
            print(f"tenant {head.tenant_id}: not anchored: {error}")
            status = EXIT_BROKEN
            continue
        if written is None:
            print(f"tenant {head.tenant_id}: anchored at entry {head.seq} already")
        else:
            print(f"tenant {head.tenant_id}: checkpoint at entry {written.seq}")
    return status


def _anchor_key(args: argparse.Namespace) -> int:
    if args.action == "new":
        try:
            key = create_key_file(args.file)
        except FileExistsError:
            raise UsageError(f"{args.file} exists; a key is never replaced in place") from None
        print(public_key_text(key))
        return EXIT_OK
    print(public_key_text(_signing_key()))
    return EXIT_OK


def _bypasses_rls(connection: sa.Connection) -> bool:
    with connection.begin():
        return bool(connection.execute(sa.text(
            "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )).scalar())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
