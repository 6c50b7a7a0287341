"""The container healthcheck of every Lotse image (Dockerfile ``HEALTHCHECK``).

    python /opt/lotse/healthcheck.py            the API's liveness: GET /healthz on LOTSE_BIND's port
    python /opt/lotse/healthcheck.py readyz     the API's readiness: GET /readyz (compose uses this)
    python /opt/lotse/healthcheck.py worker     the worker's metrics endpoint (LOTSE_WORKER_METRICS_PORT)

Exit 0 when the endpoint answers 200 within two seconds, 1 otherwise. Standard library only, so
that the check costs no import of the service.
"""

import os
import sys
import urllib.request


def _api_port() -> str:
    return os.environ.get("LOTSE_BIND", "0.0.0.0:8000").rsplit(":", 1)[-1]


def main(argv: list[str]) -> int:
    what = argv[1] if len(argv) > 1 else "healthz"
    if what == "worker":
        url = f"http://127.0.0.1:{os.environ.get('LOTSE_WORKER_METRICS_PORT', '9100')}/metrics"
    elif what in ("healthz", "readyz"):
        url = f"http://127.0.0.1:{_api_port()}/{what}"
    else:
        print(f"healthcheck: unknown check {what!r} (healthz, readyz, worker)", file=sys.stderr)
        return 2
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
            return 0 if response.status == 200 else 1
    except OSError as error:
        print(f"healthcheck: {url}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
