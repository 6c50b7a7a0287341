"""The Dockerfiles: linted, pinned, non-root, no secrets; the healthcheck script's behaviour."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from lotse_platform.testing import JsonHandler, LocalServer

from .conftest import ROOT

DOCKERFILES = [ROOT / "docker/service.Dockerfile", ROOT / "gateway/Dockerfile"]


def test_dockerfiles_pass_hadolint(toolbox):
    for path, result in toolbox["hadolint"].items():
        assert result["returncode"] == 0, f"{path}:\n{result['output']}"


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda p: p.parent.name)
def test_images_are_pinned_non_root_and_carry_no_secret(path):
    text = path.read_text()
    base = re.search(r"^ARG PYTHON_IMAGE=(\S+)$", text, re.M).group(1)
    assert re.fullmatch(r"python:3\.11\.\d+-slim-bookworm(@sha256:[0-9a-f]{64})?", base), base
    assert re.findall(r"^USER (\S+)$", text, re.M)[-1] == "10001:10001"
    assert "HEALTHCHECK" in text and "healthz" in text
    for line in re.findall(r"^(?:ENV|ARG)\b.*$", text, re.M):
        assert not re.search(r"PASSWORD|SECRET|TOKEN|_KEY\b", line), line


def test_one_dockerfile_builds_every_service():
    text = (ROOT / "docker/service.Dockerfile").read_text()
    assert "ARG SERVICE" in text
    assert 'ENTRYPOINT ["lotse-service"]' in text
    for service in sorted(p.parent.name for p in (ROOT / "services").glob("*/pyproject.toml")):
        assert (ROOT / "services" / service / "migrations").is_dir(), service
        assert f'lotse-{service} = "lotse_{service}.cli:main"' in \
            (ROOT / "services" / service / "pyproject.toml").read_text(), service


class _Probe(JsonHandler):
    answers = {"/healthz": 200, "/readyz": 503, "/metrics": 200}

    def do_GET(self):  # noqa: N802 - http.server's name
        status = self.answers.get(self.path, 404)
        self.answer(status, {"status": status})


@pytest.fixture
def probe_server():
    with LocalServer(_Probe) as server:
        yield server.port


def _healthcheck(args: list[str], port: int) -> int:
    env = {**os.environ, "LOTSE_BIND": f"0.0.0.0:{port}", "LOTSE_WORKER_METRICS_PORT": str(port)}
    return subprocess.run([sys.executable, str(ROOT / "docker/healthcheck.py"), *args], env=env,
                          capture_output=True, timeout=10).returncode


def test_the_container_healthcheck_follows_the_probes(probe_server):
    assert _healthcheck([], probe_server) == 0              # /healthz answers 200
    assert _healthcheck(["readyz"], probe_server) == 1      # not ready: 503
    assert _healthcheck(["worker"], probe_server) == 0      # worker metrics answer
    assert _healthcheck(["nonsense"], probe_server) == 2


def test_the_healthcheck_fails_when_nothing_listens():
    assert _healthcheck([], 9) == 1
