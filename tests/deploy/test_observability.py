"""Prometheus (scrape config, alert rules and their unit tests) and the Grafana dashboard."""

from __future__ import annotations

import json
import re
import subprocess

import yaml

from .conftest import ROOT, dashboard, rule_expressions, rules, service_folders

PROMETHEUS = ROOT / "infra" / "prometheus"
GRAFANA = ROOT / "infra" / "grafana"
# series that are not the platform's own: Prometheus' target health and HAProxy's exporter
EXTERNAL_SERIES = {"up", "haproxy_backend_http_responses_total"}


def _promtool(promtool, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(promtool), *args], cwd=PROMETHEUS, capture_output=True,
                          text=True, timeout=60)


def test_rules_and_configuration_pass_promtool(promtool):
    for args in (("check", "rules", "rules/lotse.yml"), ("check", "config", "prometheus.yml")):
        result = _promtool(promtool, *args)
        assert result.returncode == 0, result.stdout + result.stderr


def test_alerts_fire_when_they_should_and_stay_quiet_otherwise(promtool):
    result = _promtool(promtool, "test", "rules", "tests/lotse.test.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_alerts_an_operator_needs_exist_with_severity_and_runbook():
    alerts = {rule["alert"]: rule for group in rules()["groups"] for rule in group["rules"]}
    for name in ("LotseOutboxBacklogGrowing", "LotseOutboxStuck", "LotseDeadLettersWaiting",
                 "LotseEventsDeadLettered", "LotseConsumerLagHigh", "LotseHttp5xxRate",
                 "LotseNotReady", "LotseTargetDown", "LotseAuditUnsealed",
                 "LotseAuditChainRewritten"):
        rule = alerts[name]
        assert rule["labels"]["severity"] in ("warning", "critical")
        assert rule["annotations"]["runbook"].startswith("docs/operations.md#")
        anchor = rule["annotations"]["runbook"].split("#", 1)[1]
        assert anchor in _heading_anchors(), f"docs/operations.md has no section #{anchor}"


def _heading_anchors() -> set[str]:
    """The anchors GitHub gives the headings of docs/operations.md."""
    anchors = set()
    for line in (ROOT / "docs/operations.md").read_text().splitlines():
        if line.startswith("#"):
            text = line.lstrip("#").strip().lower()
            anchors.add(re.sub(r"[^a-z0-9 -]", "", text).replace(" ", "-"))
    return anchors


def _unknown(toolbox, keys, known: set[str]) -> list[str]:
    problems = []
    for key in keys:
        found = toolbox["promql"][key]
        if found["error"]:
            problems.append(f"{key}: does not parse: {found['error']}")
        for metric in found["metrics"]:
            if metric not in known and metric not in EXTERNAL_SERIES:
                problems.append(f"{key}: {metric} is not a metric of lotse_platform.metrics")
        if not found["metrics"]:
            problems.append(f"{key}: uses no metric")
    return problems


def test_every_metric_in_the_rules_exists(toolbox, known_metric_series):
    problems = _unknown(toolbox, rule_expressions(), known_metric_series)
    assert not problems, "\n".join(problems)


def test_every_metric_on_the_dashboard_exists(toolbox, known_metric_series):
    keys = [k for k in toolbox["promql"] if k.startswith("dashboard:")]
    assert keys
    problems = _unknown(toolbox, keys, known_metric_series)
    assert not problems, "\n".join(problems)


def test_prometheus_scrapes_every_api_and_worker():
    config = yaml.safe_load((PROMETHEUS / "prometheus.yml").read_text())
    jobs = {job["job_name"]: [t for c in job["static_configs"] for t in c["targets"]]
            for job in config["scrape_configs"]}
    for name in service_folders():
        assert f"{name}-api:8000" in jobs["lotse-api"], name
        assert f"{name}-worker:9100" in jobs["lotse-worker"], name
    assert jobs["lotse-gateway"] == ["gateway:8405"]
    assert config["rule_files"] == ["rules/*.yml"]


def test_dashboard_shows_what_the_operators_watch():
    board = dashboard()
    assert board["uid"] == "lotse-overview"
    panels = [p for p in board["panels"] if p["type"] != "row"]
    titles = " | ".join(p["title"].lower() for p in panels)
    for wanted in ("requests by route and status", "latency p50 / p99", "outbox backlog",
                   "relay publish rate", "consumer lag", "dead letters"):
        assert wanted in titles, wanted
    ids = [p["id"] for p in board["panels"]]
    assert len(ids) == len(set(ids))
    for panel in panels:
        assert panel["targets"], panel["title"]
        grid = panel["gridPos"]
        assert grid["x"] + grid["w"] <= 24
        for target in panel["targets"]:
            assert target["expr"] and target["refId"]


def test_dashboard_uses_the_provisioned_data_source():
    datasource = yaml.safe_load(
        (GRAFANA / "provisioning/datasources/prometheus.yml").read_text())["datasources"][0]
    board = dashboard()
    used = {json.dumps(p["datasource"], sort_keys=True) for p in board["panels"] if "datasource" in p}
    assert used == {json.dumps({"type": "prometheus", "uid": datasource["uid"]}, sort_keys=True)}
    provider = yaml.safe_load((GRAFANA / "provisioning/dashboards/lotse.yml").read_text())
    assert provider["providers"][0]["options"]["path"] == "/var/lib/grafana/dashboards"
