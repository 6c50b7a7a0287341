"""``make bench``: the event pipeline and its references, measured in one run on this machine.

1. references: raw PostgreSQL insert + commit on one connection; raw pika publishing with
   asynchronous confirms to a quorum queue; raw pika consume + ack (:mod:`bench.reference`);
2. the pipeline (:mod:`bench.pipeline`): domain writes alone, the relay and consumer on their
   backlog, then sustained offered load at the target (0.5 x the insert + commit rate) and the
   search for the highest rate with p99 lag under one second.

Everything runs in a database and a vhost of the benchmark's own, removed afterwards. Results go
to ``bench/results/pipeline-<date>.json`` and ``latest.json``; the markdown table is printed and
written to ``bench/results/README-table.md``.
"""

from __future__ import annotations

import logging
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `python bench/run.py` puts bench/ itself first

from bench import pipeline, reference, report  # noqa: E402
from bench.environment import bench_environment  # noqa: E402

RESULTS = ROOT / "bench" / "results"
PG_SECONDS = 6.0
RABBIT_MESSAGES = 100_000


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _versions(env) -> dict:
    import amqp
    import psycopg

    with psycopg.connect(_libpq(env.owner_url)) as connection:
        postgres = connection.execute("SHOW server_version").fetchone()[0].split()[0]
    from kombu import Connection

    with Connection(env.broker_url) as connection:
        rabbitmq = connection.connection.server_properties.get("version", "?")
    return {"cores": os.cpu_count(), "postgresql": postgres, "rabbitmq": str(rabbitmq),
            "python": platform.python_version(), "amqp": amqp.__version__,
            "kernel": platform.release()}


def main() -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s %(message)s")
    started = time.monotonic()
    print("Lotse benchmarks: references, then the event pipeline (a few minutes)", flush=True)
    from bench import cpu

    busy = cpu.wait_for_quiet()
    if busy >= 0.3:
        print(f"warning: the machine is busy with other work ({busy:.1f} cores); the numbers "
              "will be lower than they should", flush=True)
    with bench_environment() as env:
        from lotse_example.bootstrap import bootstrap
        from lotse_example.settings import ExampleSettings

        settings = {"database_url": env.app_url, "migration_database_url": env.owner_url,
                    "broker_url": env.broker_url}
        example = bootstrap(ExampleSettings(**settings))
        example.migrate()
        example.engine.dispose()
        machine = _versions(env)

        print("references", flush=True)
        postgres = reference.postgres_insert_commit(_libpq(env.owner_url), PG_SECONDS)
        print(f"  PostgreSQL insert + commit: {postgres['per_second']:,.0f}/s", flush=True)
        publish = reference.rabbitmq_publish_confirm(env.broker_url, RABBIT_MESSAGES)
        print(f"  RabbitMQ publish with confirms: {publish['per_second']:,.0f}/s", flush=True)
        consume = reference.rabbitmq_consume_ack(env.broker_url, RABBIT_MESSAGES)
        print(f"  RabbitMQ consume + ack: {consume['per_second']:,.0f}/s", flush=True)

        target = report.TARGET_SHARE * postgres["per_second"]
        print(f"pipeline (target {target:,.0f}/s)", flush=True)
        measured = pipeline.measure(settings, target, log=lambda line: print(line, flush=True))

    results = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine,
        "reference": {"postgres_insert_commit": postgres, "rabbitmq_publish_confirm": publish,
                      "rabbitmq_consume_ack": consume},
        "pipeline": measured,
        "busy_cores_before": round(busy, 2),
        "duration_s": round(time.monotonic() - started, 1),
    }
    results["verdict"] = report.verdict(results)
    written = report.write(results, RESULTS)
    print()
    print(report.table(results))
    print("written: " + ", ".join(str(p.relative_to(ROOT)) for p in written))
    print(f"({results['duration_s']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
