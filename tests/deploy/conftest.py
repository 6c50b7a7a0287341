"""Fixtures of the deploy checks: the repository's artefacts, and one run of the tools over them.

The tools (Helm, kubernetes-validate, promql-parser, the compose schema, hadolint, promtool) are
found or installed by tools.py at first use; nothing here is skipped when one is missing.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from . import tools

ROOT = Path(__file__).resolve().parents[2]
CELL = ROOT / "charts" / "lotse-cell"
PROVIDER = ROOT / "charts" / "lotse-provider-intake"
KUBE_VERSION = "1.30.0"


def service_folders() -> list[str]:
    """Every service of the repository: services/<name>/ with a pyproject.toml (as the Makefile)."""
    return sorted(p.parent.name for p in (ROOT / "services").glob("*/pyproject.toml"))


def cell_values() -> dict:
    return yaml.safe_load((CELL / "values.yaml").read_text())


def rules() -> dict:
    return yaml.safe_load((ROOT / "infra/prometheus/rules/lotse.yml").read_text())


def dashboard() -> dict:
    return json.loads((ROOT / "infra/grafana/dashboards/lotse.json").read_text())


def dashboard_expressions() -> dict[str, str]:
    found = {}
    for panel in dashboard()["panels"]:
        for target in panel.get("targets", []):
            # Grafana's variables, replaced as Grafana would before PromQL sees them
            expression = (target["expr"].replace("$__rate_interval", "1m")
                          .replace("$__range", "1h").replace("$service", ".*"))
            found[f"dashboard:{panel['title']}:{target['refId']}"] = expression
    return found


def rule_expressions() -> dict[str, str]:
    return {f"rule:{rule['alert']}": rule["expr"]
            for group in rules()["groups"] for rule in group["rules"]}


CHART_CASES = {
    # the cell with its defaults, and Höxter's example (ingress, a provider intake behind it)
    "cell-default": (CELL, [], "lotse", "lotse"),
    "cell-hoexter": (CELL, [CELL / "examples/hoexter.yaml"], "lotse-hoexter", "lotse-hoexter"),
    # a service added by values alone
    "cell-added-service": (CELL, ["<added-service>"], "lotse", "lotse"),
    "provider-default": (PROVIDER, [], "example-intake", "provider-example"),
    "provider-caritas": (PROVIDER, [PROVIDER / "examples/caritas-hoexter.yaml"],
                         "caritas-intake", "provider-caritas"),
}

# values a county might get wrong: the chart must refuse them, not render something half right
REFUSED_CASES = {
    "cell-typo": (CELL, ["<typo>"], "lotse", "lotse"),
}


@pytest.fixture(scope="session")
def toolbox(tmp_path_factory) -> dict:
    """One run of toolbox.py over every chart case, expression, the compose file, Dockerfiles."""
    added = tmp_path_factory.mktemp("values") / "added-service.yaml"
    added.write_text(yaml.safe_dump({"services": {"newservice": {"api": {"replicas": 1}}}}))
    typo = added.with_name("typo.yaml")
    typo.write_text(yaml.safe_dump({"services": {"example": {"api": {"replica": 3}}}}))
    generated = {"<added-service>": str(added), "<typo>": str(typo)}
    charts = []
    for case, (path, files, release, namespace) in {**CHART_CASES, **REFUSED_CASES}.items():
        files = [generated.get(str(f), str(f)) for f in files]
        charts.append({"id": case, "path": str(path), "values_files": files,
                       "release": release, "namespace": namespace})
    request = {
        "charts": charts,
        "kube_version": KUBE_VERSION,
        "promql": {**rule_expressions(), **dashboard_expressions()},
        "compose": str(ROOT / "docker-compose.yml"),
        "dockerfiles": [str(ROOT / "docker/service.Dockerfile"), str(ROOT / "gateway/Dockerfile")],
    }
    try:
        return tools.run_toolbox(request)
    except tools.ToolUnavailable as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def promtool() -> Path:
    try:
        return tools.promtool()
    except tools.ToolUnavailable as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def known_metric_series() -> set[str]:
    """Every series name the platform exports (lotse_platform.metrics), with the suffixes
    Prometheus adds: counters ``_total``, histograms ``_bucket``/``_sum``/``_count``."""
    from prometheus_client.metrics import MetricWrapperBase

    from lotse_platform import metrics

    names: set[str] = set()
    for value in vars(metrics).values():
        if not isinstance(value, MetricWrapperBase):
            continue
        base = value._name
        suffixes = {"counter": ["_total"], "histogram": ["_bucket", "_sum", "_count"],
                    "gauge": [""], "summary": ["_sum", "_count", ""]}[value._type]
        names.update(base + suffix for suffix in suffixes)
    assert names, "no metric found in lotse_platform.metrics"
    return names


def manifests(report: dict, case: str) -> list[dict]:
    chart = report["charts"][case]
    assert chart["render_error"] is None, f"{case}: rendering failed: {chart['render_error']}"
    return [m["object"] for m in chart["manifests"]]


def find(objects: list[dict], kind: str, name: str | None = None) -> list[dict]:
    return [o for o in objects if o["kind"] == kind
            and (name is None or o["metadata"]["name"] == name)]


def one(objects: list[dict], kind: str, name: str) -> dict:
    found = find(objects, kind, name)
    assert len(found) == 1, f"expected one {kind} {name}, found {len(found)}"
    return found[0]


def env_of(container: dict) -> dict[str, dict]:
    return {item["name"]: item for item in container.get("env", [])}


def pod_spec(obj: dict) -> dict:
    return obj["spec"]["template"]["spec"]


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


VARIABLE = re.compile(r"\$\{([A-Z0-9_]+)(?::?[-?][^}]*)?\}")
