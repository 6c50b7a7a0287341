"""docker-compose.yml: what `docker compose up` relies on, checked without a Docker engine.

No Docker daemon runs here and the docker CLI has no compose plugin (Debian bookworm packages only
compose v1), so `docker compose config` cannot run: the file is validated against the
compose-spec schema that docker compose itself embeds (shipped by check-jsonschema), and its
structure by the tests below.
"""

from __future__ import annotations

import re

from .conftest import ROOT, VARIABLE, compose, service_folders

ONE_SHOTS = {"broker-definitions"}


def _lotse_services() -> list[str]:
    return service_folders()


def test_compose_file_matches_the_compose_specification(toolbox):
    report = toolbox["compose"]
    assert report["schema_id"] == "compose_spec.json"
    assert not report["errors"], "\n".join(report["errors"])


def test_every_service_has_setup_api_and_worker_from_its_own_image():
    services = compose()["services"]
    for name in _lotse_services():
        for role, command in (("setup", ["setup"]), ("api", ["api"]), ("worker", ["worker"])):
            container = services.get(f"{name}-{role}")
            assert container, f"docker-compose.yml has no {name}-{role} (copy example's blocks)"
            assert container["command"] == command
            assert container["image"].startswith(f"lotse/{name}:")
            assert container["build"]["dockerfile"] == "docker/service.Dockerfile"
            assert container["build"]["args"] == {"SERVICE": name}


def test_every_service_opens_its_encrypted_columns_with_its_own_key_store():
    """Every service has encrypted columns — at least the notes beside its audit trail and its
    parts of subject-access requests (ADR 0104) — so its setup (the migration encrypts what is
    there), API and worker mount the same key store of its own."""
    compose_file = compose()
    services = compose_file["services"]
    for name in _lotse_services():
        for role in ("setup", "api", "worker"):
            container = services[f"{name}-{role}"]
            assert container["environment"].get("LOTSE_KEY_STORE") == "file:/var/lib/lotse/keys", \
                f"{name}-{role} has no key store"
            assert f"{name}-keys:/var/lib/lotse/keys" in container.get("volumes", []), \
                f"{name}-{role} does not mount {name}-keys"
        assert f"{name}-keys" in compose_file["volumes"]


def test_setup_finishes_before_api_and_worker_start_and_waits_for_its_dependencies():
    services = compose()["services"]
    for name in _lotse_services():
        for role in ("api", "worker"):
            depends = services[f"{name}-{role}"]["depends_on"]
            assert depends[f"{name}-setup"] == {"condition": "service_completed_successfully"}
        setup = services[f"{name}-setup"]
        assert setup["restart"] == "no"
        assert setup["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert setup["depends_on"]["rabbitmq"]["condition"] == "service_healthy"
    rabbitmq = services["rabbitmq"]["depends_on"]
    assert rabbitmq["broker-definitions"] == {"condition": "service_completed_successfully"}


def test_every_long_running_container_has_a_healthcheck():
    services = compose()["services"]
    for name, container in services.items():
        if name in ONE_SHOTS or name.endswith("-setup"):
            continue
        check = container.get("healthcheck", {})
        assert check.get("test") and not check.get("disable"), f"{name} has no healthcheck"
    for name in _lotse_services():
        assert services[f"{name}-api"]["healthcheck"]["test"][-1] == "readyz"
        assert services[f"{name}-worker"]["healthcheck"]["test"][-1] == "worker"


def test_the_gateway_waits_for_every_api_and_is_the_only_published_lotse_port():
    services = compose()["services"]
    gateway = services["gateway"]
    assert gateway["ports"] == ["8080:8080"]
    for name in _lotse_services():
        assert gateway["depends_on"][f"{name}-api"] == {"condition": "service_healthy"}
        # the variable gateway/routes.yaml reads for this service's upstream
        assert gateway["environment"][f"LOTSE_{name.upper()}_UPSTREAM"] == f"{name}-api:8000"
        assert f"${{LOTSE_{name.upper()}_UPSTREAM" in (ROOT / "gateway/routes.yaml").read_text()
        for role in ("setup", "api", "worker"):
            assert "ports" not in services[f"{name}-{role}"]
    assert not [k for k in gateway["environment"] if "DATABASE" in k or "BROKER" in k]
    for name, container in services.items():
        for port in container.get("ports", []):
            assert name == "gateway" or port.startswith("127.0.0.1:"), f"{name} publishes {port}"


def test_lotse_containers_are_read_only_without_capabilities():
    services = compose()["services"]
    for name in _lotse_services():
        for role in ("setup", "api", "worker"):
            container = services[f"{name}-{role}"]
            assert container["read_only"] is True
            assert container["cap_drop"] == ["ALL"]
            assert {"/tmp", "/run/lotse"} <= set(container["tmpfs"])
        assert services[f"{name}-api"]["environment"]["PROMETHEUS_MULTIPROC_DIR"].startswith(
            "/run/lotse/")


def test_only_the_setup_container_holds_the_table_owners_url():
    services = compose()["services"]
    for name in _lotse_services():
        owner = f"LOTSE_{name.upper()}_MIGRATION_DATABASE_URL"
        assert owner in services[f"{name}-setup"]["environment"]
        for role in ("api", "worker"):
            environment = services[f"{name}-{role}"]["environment"]
            assert owner not in environment
            assert f"@postgres:5432/lotse_{name}" in environment[
                f"LOTSE_{name.upper()}_DATABASE_URL"]
            assert "://lotse_app:" in environment[f"LOTSE_{name.upper()}_DATABASE_URL"]


def test_every_service_database_is_created_by_the_init_script():
    databases = compose()["services"]["postgres"]["environment"]["LOTSE_DATABASES"].split()
    assert sorted(databases) == sorted(f"lotse_{name}" for name in _lotse_services())
    script = (ROOT / "docker/postgres/10-lotse-roles.sh").read_text()
    assert "NOBYPASSRLS" in script and "CREATE ROLE lotse_app" in script


def test_no_secret_is_written_into_the_compose_file():
    text = (ROOT / "docker-compose.yml").read_text()
    documented = set(re.findall(r"^([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    used = set(VARIABLE.findall(text))
    assert used <= documented, f"not in .env.example: {sorted(used - documented)}"
    # credentials inside URLs are always interpolated, never literal
    for user, password in re.findall(r"://([a-z_]+):([^@\s]+)@", text):
        assert password.startswith("${"), f"literal password for {user}"
    for name, container in compose()["services"].items():
        for key, value in (container.get("environment") or {}).items():
            if re.search(r"PASSWORD|SECRET|_KEY$", key):
                assert str(value).startswith("${") and ":?" in str(value), (
                    f"{name}: {key} must be required from .env (${{{key}:?…}})")


def test_env_example_holds_placeholders_only():
    for line in (ROOT / ".env.example").read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            if re.search(r"PASSWORD|SECRET|_KEY$", key):
                assert value == "change-me", f".env.example must not carry a real {key}"


def test_the_build_context_leaves_secrets_and_local_state_out():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".env", ".git", ".venv", ".lotse"} <= ignored
