"""``lotse-audit``: check and seal audit chains from the command line.

    lotse-audit verify --database-url URL --tenant UUID
    lotse-audit verify --database-url URL --all-tenants
    lotse-audit seal --database-url URL [--tenant UUID]

``verify --tenant`` sets the tenant context, so the service's normal application role will do.
``verify --all-tenants`` first lists the tenants in ``audit_log``, which row-level security hides
from the application role: it needs a role that bypasses RLS (a superuser or one with
``BYPASSRLS``, e.g. the database administrator's URL) and refuses to run with any other. The URL
can also come from ``LOTSE_AUDIT_DATABASE_URL`` (keeps a password out of the process list).

``seal`` does on demand what every service's worker does once a second (ADR 0008): it chains the
unsealed entries of one tenant, or of every tenant that has some (found through
``audit_log_unsealed()``, so the application role will do).

One line per tenant, ids and counts only; ``verify`` adds how many entries are not sealed yet and
how long the oldest has waited. Exit status: 0 all chains intact (or sealed), 1 a chain is
broken, 2 usage error (arguments, or a role that cannot see all tenants), 3 the database could
not be read or written.
"""

from __future__ import annotations

import argparse
import os
import sys
import uuid

import sqlalchemy as sa

from ..db.engine import create_engine, is_postgres
from ..db.tables import platform_tables
from .sealing import AuditSealer
from .verify import VerificationResult, verify_chain

EXIT_OK, EXIT_BROKEN, EXIT_USAGE, EXIT_UNREADABLE = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lotse-audit", description="tamper-evident audit trail")
    commands = parser.add_subparsers(dest="command", required=True)
    verify = commands.add_parser("verify", help="recompute hash chains and report broken links")
    verify.add_argument("--database-url", default=os.environ.get("LOTSE_AUDIT_DATABASE_URL"),
                        help="SQLAlchemy URL (default: $LOTSE_AUDIT_DATABASE_URL)")
    which = verify.add_mutually_exclusive_group(required=True)
    which.add_argument("--tenant", type=uuid.UUID, help="the tenant whose chain to check")
    which.add_argument("--all-tenants", action="store_true",
                       help="every tenant in the log "
                            "(needs a role that bypasses row-level security)")
    seal = commands.add_parser("seal", help="chain the entries not sealed yet")
    seal.add_argument("--database-url", default=os.environ.get("LOTSE_AUDIT_DATABASE_URL"),
                      help="SQLAlchemy URL (default: $LOTSE_AUDIT_DATABASE_URL)")
    seal.add_argument("--tenant", type=uuid.UUID,
                      help="only this tenant (default: every tenant with unsealed entries)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    if not args.database_url:
        parser.print_usage(sys.stderr)
        print("lotse-audit: error: --database-url or LOTSE_AUDIT_DATABASE_URL is required",
              file=sys.stderr)
        return EXIT_USAGE
    try:
        engine = create_engine(args.database_url, poolclass=sa.pool.NullPool)
    except (sa.exc.ArgumentError, ImportError, ValueError):
        print("lotse-audit: error: not a usable database URL", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.command == "seal":
            return _seal(engine, args.tenant)
        return _verify(engine, args.tenant, args.all_tenants)
    except sa.exc.SQLAlchemyError as error:
        message = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        print(f"lotse-audit: cannot {'seal' if args.command == 'seal' else 'read'} the audit "
              f"log: {message}", file=sys.stderr)
        return EXIT_UNREADABLE
    finally:
        engine.dispose()


def _verify(engine: sa.Engine, tenant: uuid.UUID | None, all_tenants: bool) -> int:
    audit_log = platform_tables(sa.MetaData()).audit_log
    with engine.connect() as connection:
        if all_tenants:
            if is_postgres(connection) and not _bypasses_rls(connection):
                print("lotse-audit: error: --all-tenants needs a role that bypasses row-level "
                      "security (superuser or BYPASSRLS); use --tenant with the app role",
                      file=sys.stderr)
                return EXIT_USAGE
            with connection.begin():
                tenants = list(connection.execute(
                    sa.select(audit_log.c.tenant_id).distinct().order_by(audit_log.c.tenant_id)
                ).scalars())
        else:
            tenants = [tenant]

        status = EXIT_OK
        for each in tenants:
            # one transaction per tenant: its tenant context ends with it
            with connection.begin():
                result = verify_chain(connection, each, table=audit_log)
            if result.ok:
                print(f"tenant {each}: {result.checked} entries, chain intact{_unsealed(result)}")
            else:
                print(f"tenant {each}: chain broken at entry {result.first_broken_seq}: "
                      f"{result.reason}{_unsealed(result)}")
                status = EXIT_BROKEN
        if all_tenants and not tenants:
            print("no audit entries")
        return status


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


def _bypasses_rls(connection: sa.Connection) -> bool:
    with connection.begin():
        return bool(connection.execute(sa.text(
            "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )).scalar())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
