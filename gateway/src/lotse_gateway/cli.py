"""``lotse-gateway``: render the configuration, or run the gateway.

    lotse-gateway render [--out DIR] [--no-check]   routes + JWKS → DIR/haproxy.cfg + DIR/keys/
    lotse-gateway run                               HAProxy + control loop + docs, until SIGTERM

Settings come from the environment (:mod:`lotse_gateway.settings`). Exit status: 0 done,
1 HAProxy failed or exited, 2 configuration error (one line on stderr says which).
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path

from lotse_platform.logging import configure_logging
from lotse_platform.settings import ConfigurationError, load_settings

from .haproxy import HAProxyError
from .routes import RouteTableError
from .settings import GatewaySettings

EXIT_FAILED = 1
EXIT_CONFIGURATION = 2

log = logging.getLogger("lotse.gateway")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lotse-gateway", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    render = commands.add_parser("render", help="write haproxy.cfg and the key files")
    render.add_argument("--out", type=Path, help="directory (default LOTSE_GATEWAY_STATE_DIR)")
    render.add_argument("--no-check", action="store_true", help="skip `haproxy -c`")
    commands.add_parser("run", help="run HAProxy and the control plane until SIGTERM")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(GatewaySettings)
    except ConfigurationError as error:
        return error.code
    if args.command == "render" and args.out is not None:
        settings = settings.model_copy(update={"state_dir": args.out})
    configure_logging("gateway", level=settings.log_level, fmt=settings.log_format)

    from .control import Gateway

    try:
        gateway = Gateway(settings)
        if args.command == "render":
            return _render(gateway, check=not args.no_check)
        return _run(gateway)
    except RouteTableError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return EXIT_CONFIGURATION
    except HAProxyError as error:
        print(f"lotse-gateway: {error}", file=sys.stderr)
        return EXIT_FAILED


def _render(gateway, *, check: bool) -> int:
    gateway.refresh_keys()
    if check:
        path = gateway.write_config()
    else:
        from .keys import write_key_files
        from .render import render

        options = gateway.options
        gateway.state_dir.mkdir(parents=True, exist_ok=True)
        write_key_files(options.key_dir,
                        [k for entry in gateway.keys.values() for k in entry.keys])
        path = gateway.config_path
        path.write_text(render(gateway.table, list(gateway.keys.values()), options))
    print(path)
    return 0


def _run(gateway) -> int:
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    try:
        gateway.start()
        status = gateway.run_until(stop)
    finally:
        gateway.stop()
    log.info("gateway.stopped")
    return status


if __name__ == "__main__":
    sys.exit(main())
