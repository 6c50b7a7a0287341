"""``lotse-identity``: the platform's commands (setup, migrate, check-db, api, worker, seed-demo)
and identity's own:

    lotse-identity rotate-keys [--force]   one step of the key schedule now (--force: rotate
                                           even if the current key is not due; the next key
                                           must still have been published long enough)
    lotse-identity keys                    the signing keys and their states (no secrets)
    lotse-identity new-kek                 print a fresh key-encryption key (base64url)
    lotse-identity create-tenant --key kreis-x --name "Kreis X" [--kind city]
                                           a new tenant with its administration, a first
                                           tenant_admin (password printed once) and its console
    lotse-identity default-trainings --tenant <tenant id>
                                           add the default trainings (CM-Schulung des MKJFGFI,
                                           Asylrecht, Aufenthaltsrecht) a tenant set up before
                                           the catalogue lacks (ADR 0081); idempotent
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid

from lotse_platform.cli import EXIT_UNSAFE_DATABASE, service_main
from lotse_platform.db.safety import UnsafeDatabase
from lotse_platform.settings import ConfigurationError

from .bootstrap import bootstrap
from .settings import SERVICE

OWN_COMMANDS = ("rotate-keys", "keys", "new-kek", "create-tenant", "default-trainings")


def _own(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog=f"lotse-{SERVICE}",
                                     description="Lotse identity: key management")
    commands = parser.add_subparsers(dest="command", required=True)
    rotate = commands.add_parser("rotate-keys", help="one step of the key-rotation schedule")
    rotate.add_argument("--force", action="store_true",
                        help="rotate even if the current key is not due yet")
    commands.add_parser("keys", help="list the signing keys and their states")
    commands.add_parser("new-kek", help="print a fresh key-encryption key")
    tenant = commands.add_parser("create-tenant", help="set up a new tenant")
    tenant.add_argument("--key", required=True, help="short key, e.g. kreis-hoexter")
    tenant.add_argument("--name", required=True, help="e.g. Kreis Höxter")
    tenant.add_argument("--kind", choices=["county", "city"], default="county")
    tenant.add_argument("--admin-username", default="admin")
    tenant.add_argument("--redirect-uri", action="append", default=[],
                        help="the web console's redirect URI (repeatable)")
    trainings = commands.add_parser("default-trainings",
                                    help="add the default trainings a tenant's catalogue lacks")
    trainings.add_argument("--tenant", required=True, type=uuid.UUID, help="the tenant's id")
    args = parser.parse_args(argv)

    if args.command == "new-kek":
        from .adapters.crypto import new_key_encryption_key

        print(new_key_encryption_key())
        return 0
    try:
        identity = bootstrap()
    except ConfigurationError as error:
        return error.code
    try:
        identity.check_database()
    except UnsafeDatabase as error:
        print(f"refusing to start: {error}", file=sys.stderr)
        return EXIT_UNSAFE_DATABASE
    if args.command == "create-tenant":
        from .service_layer.tenants import create_tenant

        created = create_tenant(identity, key=args.key, name=args.name, kind=args.kind,
                                admin_username=args.admin_username,
                                console_redirect_uris=tuple(args.redirect_uri))
        print(json.dumps({"tenant_id": str(created.tenant_id),
                          "organisation_id": str(created.organisation_id),
                          "admin_id": str(created.admin_id),
                          "admin_username": args.admin_username,
                          "admin_password": created.admin_password,
                          "console_client_id": created.console_client_id}))
        print("the password is shown only now: change it at first login", file=sys.stderr)
        return 0
    if args.command == "default-trainings":
        from .service_layer.tenants import add_default_trainings

        added = add_default_trainings(identity, args.tenant)
        print(json.dumps({"tenant_id": str(args.tenant), "added": added}))
        return 0
    if args.command == "rotate-keys":
        plan = identity.rotate_keys(force=args.force)
        if plan.promote:
            print(f"key {plan.promote.kid} signs now"
                  + (f"; {plan.retire.kid} retired" if plan.retire else ""))
        if plan.waiting_for:
            print(f"rotation is due but waits: {plan.waiting_for}")
        if not plan.changes_anything:
            print("nothing to do: the keys are as the schedule wants them")
    with identity.uow() as uow:
        keys = uow.signing_keys()
    for key in keys:
        print(json.dumps({"kid": key.kid, "state": key.state.value, "alg": key.algorithm,
                          "published_at": key.published_at.isoformat(),
                          "signing_since": key.signing_since and key.signing_since.isoformat(),
                          "remove_after": key.remove_after and key.remove_after.isoformat()}))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__)
    if argv and argv[0] in OWN_COMMANDS:
        return _own(argv)
    return service_main(SERVICE, bootstrap, argv)


if __name__ == "__main__":
    sys.exit(main())
