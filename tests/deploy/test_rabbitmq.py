"""infra/rabbitmq: the broker topology the platform expects, and users without committed secrets."""

from __future__ import annotations

import json
import re
import stat
import subprocess
import sys

from lotse_platform.bus.topology import Topology
from lotse_platform.settings import ServiceSettings

from .conftest import ROOT, service_folders

RABBITMQ = ROOT / "infra" / "rabbitmq"


def definitions() -> dict:
    return json.loads((RABBITMQ / "definitions.json").read_text())


def _setting(name: str):
    return ServiceSettings.model_fields[name].default


def test_exchanges_are_the_ones_the_platform_publishes_to():
    exchanges = {e["name"]: e for e in definitions()["exchanges"]}
    assert exchanges[_setting("exchange")]["type"] == "topic"
    assert exchanges[_setting("dead_letter_exchange")]["type"] == "direct"
    assert all(e["durable"] and not e["auto_delete"] and e["vhost"] == "lotse"
               for e in exchanges.values())


def test_the_vhost_defaults_to_quorum_queues():
    (vhost,) = definitions()["vhosts"]
    assert vhost["name"] == "lotse"
    assert vhost["metadata"]["default_queue_type"] == "quorum"


def _policy_for(queue: str) -> dict | None:
    matching = [p for p in definitions()["policies"] if re.search(p["pattern"], queue)]
    return max(matching, key=lambda p: p["priority"]) if matching else None


def test_event_queues_dead_letter_at_least_once_and_push_back_when_full():
    topology = Topology()
    for service in service_folders():
        queue = topology.queue(service, ["x.y.z.v1"]).name
        policy = _policy_for(queue)
        assert policy and policy["name"] == "lotse-event-queues", queue
        # the relay gets a nack and retries from its outbox, nothing is dropped
        assert policy["definition"]["overflow"] == "reject-publish"
        assert policy["definition"]["dead-letter-strategy"] == "at-least-once"
        dead = _policy_for(topology.dead_letter_queue(service).name)
        assert dead and dead["name"] == "lotse-dead-letter-queues"
        assert "dead-letter-strategy" not in dead["definition"]


def test_the_services_user_may_use_every_queue_the_platform_declares_and_nothing_else():
    (services,) = [p for p in definitions()["permissions"] if p["user"] == "lotse_services"]
    topology = Topology()
    names = [topology.exchange_name, topology.dead_letter_exchange_name]
    for service in service_folders():
        names += [topology.queue(service, []).name, topology.dead_letter_queue(service).name]
    for kind in ("configure", "write", "read"):
        pattern = re.compile(services[kind])
        for name in names:
            assert pattern.search(name), f"{kind} misses {name}"
        assert not pattern.search("amq.gen-123") and not pattern.search("other")


def test_no_password_is_committed_only_the_variable_that_holds_it():
    for user in definitions()["users"]:
        assert "password" not in user and "password_hash" not in user
        assert user["password_env"].startswith("LOTSE_RABBITMQ_")


def test_render_definitions_fills_in_passwords_readable_by_the_broker_only(tmp_path):
    target = tmp_path / "out" / "definitions.json"
    env = {"LOTSE_RABBITMQ_ADMIN_PASSWORD": "a1b2c3", "LOTSE_RABBITMQ_SERVICES_PASSWORD": "d4e5f6",
           "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, str(RABBITMQ / "render_definitions.py"),
                    str(RABBITMQ / "definitions.json"), str(target)], env=env, check=True,
                   capture_output=True)
    rendered = json.loads(target.read_text())
    passwords = {u["name"]: u["password"] for u in rendered["users"]}
    assert passwords == {"lotse_admin": "a1b2c3", "lotse_services": "d4e5f6"}
    assert not any("password_env" in u for u in rendered["users"])
    assert stat.S_IMODE(target.stat().st_mode) == 0o400


def test_render_definitions_refuses_a_missing_or_example_password(tmp_path):
    env = {"LOTSE_RABBITMQ_ADMIN_PASSWORD": "change-me", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, str(RABBITMQ / "render_definitions.py"),
                             str(RABBITMQ / "definitions.json"), str(tmp_path / "d.json")],
                            env=env, capture_output=True, text=True)
    assert result.returncode == 2
    assert "LOTSE_RABBITMQ_ADMIN_PASSWORD" in result.stderr
    assert not (tmp_path / "d.json").exists()


def test_the_broker_loads_the_rendered_definitions_and_exports_metrics():
    conf = (RABBITMQ / "rabbitmq.conf").read_text()
    assert "load_definitions = /etc/rabbitmq/lotse/definitions.json" in conf
    assert "rabbitmq_prometheus" in (RABBITMQ / "enabled_plugins").read_text()
