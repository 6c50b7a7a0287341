"""A service's worker process (relay, consumers, sealer) loads no HTTP code (issue 16, ADR 0111
point 7): Flask and its extensions are about 25 MB of every process that imports them, and a
worker serves no request. Each service is checked in a fresh interpreter the way
``lotse-<service> worker`` starts: its command line imported, its container built, its loops
made (nothing connects before a loop runs)."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import entry_points

import pytest

#: the HTTP side a worker must not import
HTTP_MODULES = ("flask", "flask_smorest", "apispec", "webargs", "jinja2", "werkzeug")

#: the web console is a browser app whose worker purges its sessions from the session store
#: that is also its Flask session interface (ADR 0099): it is Flask through and through
BROWSER_APPS = {"console"}

PROBE = """
import json, sys
from importlib import import_module
from importlib.metadata import entry_points

name = sys.argv[1]
(found,) = entry_points(group="lotse.services", name=name)
import_module(found.value.split(":")[0].split(".")[0] + ".cli")
service = found.load()()
loops = sorted(service.worker_loops())
print(json.dumps({"loops": loops,
                  "http": [m for m in sys.argv[2:] if m in sys.modules]}))
"""


def _services() -> list[str]:
    return sorted(entry.name for entry in entry_points(group="lotse.services")
                  if entry.name not in BROWSER_APPS)


@pytest.mark.parametrize("name", _services())
def test_a_services_worker_imports_no_http_code(name: str, tmp_path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
           # settings every service needs to be built; nothing is reached before a loop runs
           f"LOTSE_{name.upper()}_DATABASE_URL": "postgresql+psycopg://lotse_app@127.0.0.1:1/none",
           "LOTSE_IDENTITY_ISSUER": "http://127.0.0.1:1/api/v1/identity",
           "LOTSE_KEY_DIR": str(tmp_path / "keys")}
    probe = subprocess.run([sys.executable, "-c", PROBE, name, *HTTP_MODULES], env=env,
                           capture_output=True, text=True, timeout=120)
    assert probe.returncode == 0, probe.stderr[-2000:]
    found = json.loads(probe.stdout.strip().splitlines()[-1])
    assert "relay" in found["loops"], found
    assert found["http"] == [], (
        f"lotse-{name} worker imports {', '.join(found['http'])}: import the HTTP side where an "
        "app is built (register_api, create_app), not at the top of a module the worker loads")
