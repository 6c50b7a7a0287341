"""The Helm charts, as Helm renders them and as Kubernetes would accept them."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from .conftest import (
    CELL,
    CHART_CASES,
    ROOT,
    KUBE_VERSION,
    cell_values,
    env_of,
    find,
    manifests,
    one,
    pod_spec,
    service_folders,
)

SEVERITY = {1: "info", 2: "warning", 3: "error"}


@pytest.mark.parametrize("case", sorted(CHART_CASES))
def test_chart_lints_clean_and_renders(toolbox, case):
    chart = toolbox["charts"][case]
    findings = [f"{SEVERITY.get(m['severity'], m['severity'])} {m['path']}: {m['error']}"
                for m in chart["lint"]["messages"] if m["severity"] >= 2]
    assert not findings and not chart["lint"]["errors"], "helm lint --strict:\n" + "\n".join(
        findings + chart["lint"]["errors"])
    assert chart["render_error"] is None, chart["render_error"]
    assert chart["manifests"], f"{case} rendered nothing"


@pytest.mark.parametrize("case", sorted(CHART_CASES))
def test_rendered_objects_are_valid_kubernetes(toolbox, case):
    errors = toolbox["charts"][case]["schema_errors"]
    assert not errors, f"against Kubernetes {KUBE_VERSION} (strict):\n" + "\n".join(errors)


def test_a_mistyped_value_is_refused_by_lint_and_render(toolbox):
    chart = toolbox["charts"]["cell-typo"]
    assert any("'replica' not allowed" in error for error in chart["lint"]["errors"])
    assert chart["render_error"] and "replica" in chart["render_error"]


def test_every_service_folder_is_deployed_by_the_cell():
    listed = set(cell_values()["services"])
    missing = set(service_folders()) - listed
    assert not missing, (f"services/{sorted(missing)} not in charts/lotse-cell/values.yaml "
                         "(services:); add `<name>: {}`")


@pytest.mark.parametrize("case", ["cell-default", "cell-added-service"])
def test_every_service_in_values_gets_api_worker_and_setup_with_probes(toolbox, case):
    objects = manifests(toolbox, case)
    added = {"newservice"} if case == "cell-added-service" else set()
    services = set(cell_values()["services"]) | added
    for name in sorted(services):
        api = pod_spec(one(objects, "Deployment", f"lotse-{name}-api"))["containers"][0]
        assert api["args"] == ["api"]
        assert api["readinessProbe"]["httpGet"]["path"] == "/readyz", name
        assert api["livenessProbe"]["httpGet"]["path"] == "/healthz", name
        assert api["readinessProbe"]["httpGet"]["port"] == "http"
        worker = pod_spec(one(objects, "Deployment", f"lotse-{name}-worker"))["containers"][0]
        assert worker["args"] == ["worker"]
        assert worker["livenessProbe"]["httpGet"]["port"] == "metrics"
        assert env_of(worker)["LOTSE_WORKER_METRICS_ADDR"]["value"] == "0.0.0.0"
        one(objects, "Service", f"lotse-{name}-api")
        one(objects, "PodDisruptionBudget", f"lotse-{name}-api")


def test_setup_job_runs_before_install_and_upgrade_for_every_service(toolbox):
    objects = manifests(toolbox, "cell-default")
    for name in cell_values()["services"]:
        job = one(objects, "Job", f"lotse-{name}-setup")
        hooks = set(job["metadata"]["annotations"]["helm.sh/hook"].split(","))
        assert hooks == {"pre-install", "pre-upgrade"}
        assert pod_spec(job)["containers"][0]["args"] == ["setup"]
        assert pod_spec(job)["restartPolicy"] == "Never"
        # a hook runs before the release's ServiceAccount or ConfigMaps exist: it needs none
        assert "serviceAccountName" not in pod_spec(job)
        assert not any("configMapKeyRef" in e.get("valueFrom", {})
                       for e in pod_spec(job)["containers"][0]["env"])


def test_apis_autoscale_and_disruptions_are_bounded(toolbox):
    objects = manifests(toolbox, "cell-default")
    for name in cell_values()["services"]:
        hpa = one(objects, "HorizontalPodAutoscaler", f"lotse-{name}-api")
        assert hpa["spec"]["scaleTargetRef"]["name"] == f"lotse-{name}-api"
        assert hpa["spec"]["minReplicas"] >= 2
        # the HPA owns the replica count: the Deployment must not fight it on every upgrade
        assert "replicas" not in one(objects, "Deployment", f"lotse-{name}-api")["spec"]


def test_only_the_setup_job_holds_the_table_owners_database_url(toolbox):
    objects = manifests(toolbox, "cell-default")
    for obj in find(objects, "Deployment") + find(objects, "Job"):
        for container in pod_spec(obj)["containers"]:
            owner = [n for n in env_of(container) if n.endswith("_MIGRATION_DATABASE_URL")]
            if obj["kind"] == "Job":
                assert len(owner) == 1, obj["metadata"]["name"]
            else:
                assert not owner, f"{obj['metadata']['name']} must not hold the owner's URL"


@pytest.mark.parametrize("case", ["cell-default", "cell-hoexter", "provider-caritas"])
def test_no_secret_value_is_rendered_only_references(toolbox, case):
    objects = manifests(toolbox, case)
    assert not find(objects, "Secret"), "the charts refer to Secrets; they never create them"
    for obj in find(objects, "Deployment") + find(objects, "Job"):
        for container in pod_spec(obj)["containers"]:
            for name, item in env_of(container).items():
                if re.search(r"(DATABASE_URL|BROKER_URL|PASSWORD|_KEY$)", name):
                    assert "secretKeyRef" in item.get("valueFrom", {}), (
                        f"{obj['metadata']['name']}: {name} must come from a Secret")


@pytest.mark.parametrize("case", sorted(CHART_CASES))
def test_every_pod_runs_as_non_root_on_a_read_only_root_filesystem(toolbox, case):
    for obj in find(manifests(toolbox, case), "Deployment") + find(manifests(toolbox, case), "Job"):
        spec = pod_spec(obj)
        assert spec["securityContext"]["runAsNonRoot"] is True
        assert spec["securityContext"]["runAsUser"] != 0
        assert spec["automountServiceAccountToken"] is False
        for container in spec["containers"]:
            context = container["securityContext"]
            assert context["readOnlyRootFilesystem"] is True, obj["metadata"]["name"]
            assert context["allowPrivilegeEscalation"] is False
            assert context["capabilities"]["drop"] == ["ALL"]
            assert container["resources"]["requests"] and container["resources"]["limits"]
            writable = {m["mountPath"] for m in container.get("volumeMounts", [])}
            assert "/tmp" in writable
        # scratch space in memory, configuration read-only; no host paths, and no persistent
        # volume but the tenants' key directory of a service that names its claim (ADR 0104)
        volumes = {v["name"]: v for v in spec.get("volumes", [])}
        assert all("emptyDir" in v or "configMap" in v
                   or (name == "keys" and set(v) == {"name", "persistentVolumeClaim"})
                   for name, v in volumes.items()), volumes
        for container in spec["containers"]:
            for mount in container.get("volumeMounts", []):
                if "configMap" in volumes[mount["name"]]:
                    assert mount.get("readOnly") is True
                if mount["name"] == "keys":
                    assert mount["mountPath"] == "/var/lib/lotse/keys"


def test_the_api_metrics_directory_is_an_in_memory_volume(toolbox):
    for obj in find(manifests(toolbox, "cell-default"), "Deployment"):
        if obj["metadata"]["labels"]["app.kubernetes.io/component"] != "api":
            continue
        container = pod_spec(obj)["containers"][0]
        directory = env_of(container)["PROMETHEUS_MULTIPROC_DIR"]["value"]
        mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
        mount = next(path for path in mounts if directory.startswith(path + "/"))
        volume = {v["name"]: v for v in pod_spec(obj)["volumes"]}[mounts[mount]]
        assert volume["emptyDir"]["medium"] == "Memory"


def _policies(objects: list[dict]) -> list[dict]:
    return find(objects, "NetworkPolicy")


def _selects(policy: dict, labels: dict) -> bool:
    selector = policy["spec"]["podSelector"]
    if any(labels.get(k) != v for k, v in selector.get("matchLabels", {}).items()):
        return False
    for expression in selector.get("matchExpressions", []):
        if expression["operator"] == "In" and labels.get(expression["key"]) not in expression["values"]:
            return False
    return True


def _pod_labels(objects: list[dict], component: str, service: str | None = None) -> dict:
    for obj in find(objects, "Deployment") + find(objects, "Job"):
        labels = obj["spec"]["template"]["metadata"]["labels"]
        if labels.get("app.kubernetes.io/component") == component and (
                service is None or labels.get("lotse/service") == service):
            return labels
    raise AssertionError(f"no pod of component {component}")


def test_every_cell_pod_is_denied_by_default(toolbox):
    objects = manifests(toolbox, "cell-default")
    deny = [p for p in _policies(objects)
            if set(p["spec"]["policyTypes"]) == {"Ingress", "Egress"}
            and "ingress" not in p["spec"] and "egress" not in p["spec"]]
    assert deny, "no default-deny policy"
    for component in ("api", "worker", "setup", "gateway"):
        assert any(_selects(p, _pod_labels(objects, component)) for p in deny), component


def test_only_the_gateway_and_monitoring_reach_the_apis(toolbox):
    objects = manifests(toolbox, "cell-default")
    api = _pod_labels(objects, "api")
    monitoring = cell_values()["networkPolicy"]["monitoring"]
    for policy in _policies(objects):
        if not _selects(policy, api):
            continue
        for rule in policy["spec"].get("ingress", []):
            for peer in rule["from"]:
                is_gateway = peer.get("podSelector", {}).get("matchLabels", {}).get(
                    "app.kubernetes.io/component") == "gateway" and "namespaceSelector" not in peer
                assert is_gateway or peer in monitoring, f"{policy['metadata']['name']}: {peer}"
            assert [p["port"] for p in rule["ports"]] == [8000]


def test_services_reach_only_dns_postgres_rabbitmq_and_the_gateway(toolbox):
    objects = manifests(toolbox, "cell-default")
    values = cell_values()["networkPolicy"]
    allowed = {json.dumps(p, sort_keys=True) for p in
               values["dns"] + values["postgres"]["peers"] + values["rabbitmq"]["peers"]}
    for component in ("api", "worker", "setup"):
        labels = _pod_labels(objects, component)
        reached_db = reached_broker = False
        for policy in _policies(objects):
            if not _selects(policy, labels):
                continue
            for rule in policy["spec"].get("egress", []):
                ports = {p["port"] for p in rule.get("ports", [])}
                for peer in rule["to"]:
                    gateway = peer.get("podSelector", {}).get("matchLabels", {}).get(
                        "app.kubernetes.io/component") == "gateway"
                    assert gateway or json.dumps(peer, sort_keys=True) in allowed, (
                        f"{component} may reach {peer} ({policy['metadata']['name']})")
                reached_db |= 5432 in ports
                reached_broker |= 5672 in ports
        assert reached_db and reached_broker, f"{component} cannot reach PostgreSQL and RabbitMQ"


def test_only_casework_reaches_the_peer_deployments_it_transfers_cases_to(toolbox):
    objects = manifests(toolbox, "cell-hoexter")
    example = yaml.safe_load((CELL / "examples/hoexter.yaml").read_text())
    peers = {json.dumps(p, sort_keys=True) for p in example["networkPolicy"]["federation"]["peers"]}
    for service in ("casework", "intake", "identity"):
        for component in ("api", "worker", "setup"):
            labels = _pod_labels(objects, component, service)
            reached = {json.dumps(peer, sort_keys=True): {p["port"] for p in rule["ports"]}
                       for policy in _policies(objects) if _selects(policy, labels)
                       for rule in policy["spec"].get("egress", []) for peer in rule["to"]}
            if service == "casework" and component != "setup":
                assert peers <= reached.keys(), f"{service} {component} cannot reach its peers"
                assert all(reached[p] == {443} for p in peers)
            else:
                assert not peers & reached.keys(), f"{service} {component} may reach the peers"

    # casework is configured for the peer, whose identity the cell trusts for that tenant only
    api = pod_spec(one(objects, "Deployment", "lotse-hoexter-casework-api"))["containers"][0]
    configured = json.loads(env_of(api)["LOTSE_CASEWORK_PEERS"]["value"])
    trusted = {i["tenant"]: i for i in example["platform"]["trustedIssuers"]}
    for tenant, url in configured.items():
        assert trusted[tenant]["role_map"] == {"service": "service"}
        assert url.startswith("https://") and url.endswith("/api/v1/casework")
    assert env_of(api)["LOTSE_CASEWORK_PUBLIC_URL"]["value"].startswith("https://")


def test_services_verify_tokens_with_keys_fetched_through_the_gateway(toolbox):
    objects = manifests(toolbox, "cell-default")
    api = pod_spec(one(objects, "Deployment", "lotse-example-api"))["containers"][0]
    jwks = env_of(api)["LOTSE_JWKS_URL"]["value"]
    assert jwks.startswith("http://lotse-gateway.lotse.svc.cluster.local:8080/api/v1/identity/")
    assert env_of(api)["LOTSE_TOKEN_ISSUER"]["value"].endswith("/api/v1/identity")


def test_the_gateway_routes_every_enabled_service_and_provider_intake(toolbox):
    objects = manifests(toolbox, "cell-hoexter")
    gateway = pod_spec(one(objects, "Deployment", "lotse-hoexter-gateway"))["containers"][0]
    env = env_of(gateway)
    upstreams = {name: item["value"] for name, item in env.items() if name.endswith("_UPSTREAM")}
    expected = {f"LOTSE_{name.upper()}_UPSTREAM": f"lotse-hoexter-{name}-api:8000"
                for name in cell_values()["services"] if name != "example"}  # disabled there
    expected["LOTSE_PROVIDER_CARITAS_INTAKE_UPSTREAM"] = \
        "caritas-intake-api.provider-caritas.svc.cluster.local:8000"
    assert upstreams == expected
    # every service of the cell has its route in the gateway's table, named by that variable
    table = (ROOT / "gateway" / "routes.yaml").read_text()
    for name in cell_values()["services"]:
        assert f"${{LOTSE_{name.upper()}_UPSTREAM" in table, f"gateway/routes.yaml lacks {name}"
    # the county's own table (with the provider's route) is mounted and named
    assert env["LOTSE_GATEWAY_ROUTES"]["value"] == "/etc/lotse-gateway/routes.yaml"
    volumes = {v["name"]: v for v in pod_spec(one(objects, "Deployment", "lotse-hoexter-gateway"))["volumes"]}
    assert volumes["routes"]["configMap"]["name"] == "lotse-hoexter-gateway-routes"
    assert env["LOTSE_GATEWAY_BIND"]["value"] == "0.0.0.0:8080"
    assert not [n for n in env if "DATABASE" in n or "BROKER" in n]
    assert not find(objects, "Deployment", "lotse-hoexter-example-api")
    ingress = one(objects, "Ingress", "lotse-hoexter-gateway")
    assert ingress["spec"]["tls"][0]["secretName"] == "lotse-hoexter-tls"


def test_the_gateway_may_reach_the_provider_intakes_listed(toolbox):
    objects = manifests(toolbox, "cell-hoexter")
    policy = one(objects, "NetworkPolicy", "lotse-hoexter-gateway")
    namespaces = [peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]
                  for rule in policy["spec"]["egress"] for peer in rule["to"]
                  if "namespaceSelector" in peer]
    assert namespaces == ["provider-caritas"]


# -- the provider intake ----------------------------------------------------------------------------

def _broker_definitions(toolbox) -> dict:
    objects = manifests(toolbox, "provider-caritas")
    config = one(objects, "ConfigMap", "caritas-intake-broker-permissions")
    return json.loads(config["data"]["definitions.json"])


def test_provider_intake_may_publish_only_its_own_routing_keys(toolbox):
    definitions = _broker_definitions(toolbox)
    (topic,) = definitions["topic_permissions"]
    assert topic["exchange"] == "lotse.events"
    write = re.compile(topic["write"])
    assert write.search("intake.case.admitted.v1.caritas-hoexter")
    assert write.search("intake.consent.withdrawn.v2.caritas-hoexter")
    for foreign in ("intake.case.admitted.v1",                    # the county's own intake
                    "intake.case.admitted.v1.awo-hoexter",        # another provider
                    "casework.case.closed.v1.caritas-hoexter",    # another service's contract
                    "intake.case.admitted.v1.caritas-hoexter.x"):
        assert not write.search(foreign), foreign
    assert topic["read"] == "^$"


def test_provider_intake_configures_nothing_and_reads_only_its_own_queue(toolbox):
    (permission,) = _broker_definitions(toolbox)["permissions"]
    assert permission["user"] == "intake-caritas-hoexter"
    assert permission["configure"] == "^$"
    # identity's directory events, on the queue the county declares for it (ADR 0054)
    read = re.compile(permission["read"])
    assert read.fullmatch("intake-caritas-hoexter.events")
    for foreign in ("intake.events", "casework.events", "intake-awo.events",
                    "intake-caritas-hoexter.dead", "lotse.events"):
        assert not read.search(foreign), foreign
    assert re.fullmatch(permission["write"], "lotse.events")
    assert not re.search(permission["write"], "lotse.dead")
    assert all("password" not in user for user in _broker_definitions(toolbox)["users"])


def test_provider_intake_publishes_under_its_suffix_from_its_own_database(toolbox):
    objects = manifests(toolbox, "provider-caritas")
    for obj in find(objects, "Deployment") + find(objects, "Job"):
        env = env_of(pod_spec(obj)["containers"][0])
        assert env["LOTSE_INTAKE_DATABASE_URL"]["valueFrom"]["secretKeyRef"]["name"] == \
            "caritas-intake-database"
        assert env["LOTSE_ROUTING_KEY_SUFFIX"]["value"] == "caritas-hoexter"
        # without its operator the instance refuses to start (it would publish as the county)
        assert env["LOTSE_INTAKE_OPERATOR"]["value"] == "8936f7ef-5c64-5660-ac8f-82aa8dac9a9a"
        assert env["LOTSE_DECLARE_TOPOLOGY"]["value"] == "false"
        assert env["LOTSE_JWKS_URL"]["value"].startswith(
            "http://lotse-hoexter-gateway.lotse-hoexter.svc.cluster.local:8080/")
    # the worker runs every loop: relays the outbox, seals its audit trail, erases expired
    # notes beside it and consumes its own queue (the county's directory, ADR 0054)
    worker = pod_spec(one(objects, "Deployment", "caritas-intake-worker"))["containers"][0]
    assert worker["args"] == ["worker"]


def test_provider_intake_api_is_reachable_only_from_the_cell_gateway(toolbox):
    objects = manifests(toolbox, "provider-caritas")
    policy = one(objects, "NetworkPolicy", "caritas-intake-api-ingress")
    first = policy["spec"]["ingress"][0]["from"]
    assert first == [{
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "lotse-hoexter"}},
        "podSelector": {"matchLabels": {"app.kubernetes.io/name": "lotse",
                                        "app.kubernetes.io/instance": "lotse-hoexter",
                                        "app.kubernetes.io/component": "gateway"}},
    }]
    deny = one(objects, "NetworkPolicy", "caritas-intake-default-deny")
    assert set(deny["spec"]["policyTypes"]) == {"Ingress", "Egress"}


def test_services_and_gateway_trust_the_same_external_issuers(toolbox):
    from lotse_platform.settings import TrustedIssuerSettings, parse_trusted_issuers

    objects = manifests(toolbox, "cell-hoexter")
    seen = set()
    for obj in find(objects, "Deployment") + find(objects, "Job"):
        value = env_of(pod_spec(obj)["containers"][0])["LOTSE_TRUSTED_ISSUERS"]["value"]
        seen.add(value)
        # what the platform parses at start-up, not merely JSON
        issuers = [TrustedIssuerSettings.model_validate(e) for e in parse_trusted_issuers(value)]
        assert [i.issuer for i in issuers] == [
            "https://login.kreis-hoexter.example/realms/kim",  # the county's Keycloak
            "https://lotse.kreis-paderborn.example/api/v1/identity"]  # a peer deployment
    assert len(seen) == 1
