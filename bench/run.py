"""``make bench``: every benchmark of the project in one run on this machine (twenty to twenty-five minutes).

1. the event pipeline and its references (:mod:`bench.pipeline`, :mod:`bench.reference`): raw
   PostgreSQL insert + commit on one connection, raw pika publishing with asynchronous confirms
   and raw consume + ack; then domain writes alone, the relay and consumer on their backlog,
   the target load (0.5 x the insert + commit rate) and the search for the highest rate with
   p99 lag under one second;
2. the gateway's overhead (:mod:`bench.gateway_bench`): an authenticated read direct and through
   HAProxy, alternating rounds, medians;
3. casework's write path (:mod:`bench.casework_bench`): "record a contact" through the gateway
   and direct, with the relay and the audit sealer running, alternating rounds, medians;
4. the network's directory search (:mod:`bench.directory_bench`): 5,000 services, 20 users in
   conversation (p99 against its target) and saturated, through the gateway;
5. reporting at 1,000,000 events (:mod:`bench.reporting_bench`): the full rebuild, four county
   reports through the gateway and the projection's lag at the pipeline's sustained rate (about
   eight minutes);
6. the web console's page loads (:mod:`bench.console_bench`): the main pages of a case manager,
   the coordinating office and a partner in embedded mode with the demo county, p95 of each and
   its transfer size (HTML, CSS, JavaScript, images); its row is printed, not (yet) a row of the
   README's table;
7. the footprint of a county cell (:mod:`bench.footprint`): every process of a cell started like
   ``make up`` (beside any running one), RSS and PSS idle and under load through the gateway.

    .venv/bin/python bench/run.py                      # all seven
    .venv/bin/python bench/run.py --only pipeline      # or gateway, casework, directory, reporting,
                                                       # console, footprint (repeatable)
    .venv/bin/python bench/run.py --only pipeline --short --no-readme   # a quick check end to end

Each part runs in a database and a vhost of its own, removed afterwards, and records its JSON
under ``bench/results/`` (``pipeline-<date>.json`` and ``latest.json``, ``gateway-<date>.json``,
``casework-<date>.json``, ``directory-<date>.json``, ``reporting-<date>.json``,
``console-<date>.json``, ``footprint-<date>.json``). The tables of all six (a part not run
this time from its latest JSON) go to ``bench/results/README-table.md`` and replace the
"Benchmarks" section of the README. Method and caveats: ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `python bench/run.py` puts bench/ itself first

from bench import pipeline, reference, report  # noqa: E402
from bench.environment import bench_environment  # noqa: E402

RESULTS = ROOT / "bench" / "results"
README = ROOT / "README.md"
PARTS = ("pipeline", "gateway", "casework", "directory", "reporting", "console", "footprint")
PG_SECONDS = 6.0
RABBIT_MESSAGES = 100_000
QUIET_PATIENCE = 15.0  # s the later parts wait for other work to calm down
#: ``--short``: development runs (is the part whole, end to end?), not results to record
PIPELINE_SHORT = {"step_seconds": 3.0, "target_seconds": 4.0, "flat_out_seconds": 3.0,
                   "search_steps": 2}


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


def _say(line: str) -> None:
    print(line, flush=True)


def run_pipeline(short: bool = False) -> dict:
    from bench import cpu

    started = time.monotonic()
    busy = cpu.wait_for_quiet()
    if busy >= 0.3:
        _say(f"warning: the machine is busy with other work ({busy:.1f} cores); the numbers "
             "will be lower than they should")
    with bench_environment() as env:
        from lotse_example.bootstrap import bootstrap
        from lotse_example.settings import ExampleSettings

        settings = {"database_url": env.app_url, "migration_database_url": env.owner_url,
                    "broker_url": env.broker_url,
                    # the note's text is encrypted with the tenant's keys (ADR 0104)
                    "key_dir": tempfile.mkdtemp(prefix="lotse-bench-keys-")}
        example = bootstrap(ExampleSettings(**settings))
        example.migrate()
        example.engine.dispose()
        machine = _versions(env)

        _say("references")
        postgres = reference.postgres_insert_commit(_libpq(env.owner_url), PG_SECONDS)
        _say(f"  PostgreSQL insert + commit: {postgres['per_second']:,.0f}/s")
        publish = reference.rabbitmq_publish_confirm(env.broker_url, RABBIT_MESSAGES)
        _say(f"  RabbitMQ publish with confirms: {publish['per_second']:,.0f}/s")
        consume = reference.rabbitmq_consume_ack(env.broker_url, RABBIT_MESSAGES)
        _say(f"  RabbitMQ consume + ack: {consume['per_second']:,.0f}/s")

        _say(f"pipeline (target: <= {report.TARGET_OVERHEAD:g} x the bare write's CPU per "
             f"event, <= {report.TARGET_CPU_MS:g} ms CPU per event; the target step offered at "
             f"{report.TARGET_SHARE:g} x the bare write's rate)")
        measured = pipeline.measure(settings, report.TARGET_SHARE, log=_say,
                                    **(PIPELINE_SHORT if short else {}))

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
    report.write(results, RESULTS)
    return results


def run_gateway(short: bool = False) -> dict:
    from bench import gateway_bench

    rounds, seconds = (2, 3) if short else (gateway_bench.ROUNDS, gateway_bench.SECONDS)
    _say(f"gateway: GET /tallies direct and through the gateway ({rounds} rounds of {seconds} s "
         "each)")
    result = gateway_bench.run(log=_say, quiet_patience=QUIET_PATIENCE, rounds=rounds,
                               seconds=seconds)
    gateway_bench.write(result)
    return result


def run_casework(short: bool = False) -> dict:
    from bench import casework_bench

    _say(f"casework: record a contact through the gateway and direct ({casework_bench.ROUNDS} "
         f"rounds of {casework_bench.SECONDS} s each)")
    result = casework_bench.run(log=_say, quiet_patience=QUIET_PATIENCE)
    casework_bench.write(result)
    return result


def run_directory(short: bool = False) -> dict:
    from bench import directory_bench

    _say(f"directory: search through the gateway, {directory_bench.SERVICES:,} services, "
         f"{directory_bench.CONNECTIONS} users ({directory_bench.ROUNDS} rounds of "
         f"{directory_bench.SECONDS} s each)")
    result = directory_bench.run(log=_say, quiet_patience=QUIET_PATIENCE)
    directory_bench.write(result)
    _say(directory_bench.table_row(result))
    return result


def run_reporting(short: bool = False) -> dict:
    from bench import reporting_bench

    _say(f"reporting: {reporting_bench.EVENTS:,} events — rebuild, reports through the gateway "
         f"({reporting_bench.CONNECTIONS} users), projection lag")
    result = reporting_bench.run(log=_say, quiet_patience=QUIET_PATIENCE)
    reporting_bench.write(result)
    _say(reporting_bench.table_row(result))
    return result


def run_console(short: bool = False) -> dict:
    from bench import console_bench

    _say(f"console: the main pages' p95 and transfer size, embedded, demo county "
         f"({console_bench.ROUNDS} loads each, one user at a time)")
    result = console_bench.run(log=_say)
    console_bench.write(result)
    _say(console_bench.table_row(result))
    return result


def run_footprint(short: bool = False) -> dict:
    from bench import footprint

    _say("footprint: every process of a county cell started like `make up` (RSS, PSS), idle "
         f"and under load through the gateway ({footprint.LOAD_SECONDS} s)")
    result = footprint.run(log=_say, quiet_patience=QUIET_PATIENCE,
                           **({"load_seconds": 5} if short else {}))
    footprint.write(result)
    for row in footprint.table_rows(result):
        _say(row)
    return result


def _all(pattern: str) -> list[dict]:
    return [json.loads(path.read_text()) for path in sorted(RESULTS.glob(pattern))]


def _latest(pattern: str) -> dict | None:
    found = sorted(RESULTS.glob(pattern))
    return json.loads(found[-1].read_text()) if found else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", choices=PARTS,
                        help="run only this part (repeatable); the others' tables come from "
                             "their latest JSON")
    parser.add_argument("--no-readme", action="store_true",
                        help="leave README.md as it is (README-table.md is written anyway)")
    parser.add_argument("--tables-only", action="store_true",
                        help="measure nothing: write the tables again from the latest JSON "
                             "(after a change to the report)")
    parser.add_argument("--short", action="store_true",
                        help="shorter steps and rounds: to check a part end to end during "
                             "development, not results to record")
    args = parser.parse_args(argv)
    parts = [] if args.tables_only else (args.only or list(PARTS))
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s %(message)s")
    started = time.monotonic()
    _say(f"Lotse benchmarks: {', '.join(parts) or 'tables only'}"
         f"{' (a few minutes)' if parts else ''}")

    ran = {}
    for part, runner in (("pipeline", run_pipeline), ("gateway", run_gateway),
                         ("casework", run_casework), ("directory", run_directory),
                         ("reporting", run_reporting), ("console", run_console),
                         ("footprint", run_footprint)):
        if part in parts:
            ran[part] = runner(args.short)
    results = {
        "pipeline": ran.get("pipeline") or _latest("latest.json"),
        # gateway-<date>.json: the runs of `make bench` (gateway-ab-*.json are comparisons)
        "gateway": ran.get("gateway") or _latest("gateway-2*.json"),
        "casework": ran.get("casework") or _latest("casework-*.json"),
        "directory": ran.get("directory") or _latest("directory-*.json"),
        "reporting": ran.get("reporting") or _latest("reporting-*.json"),
        "footprint": ran.get("footprint") or _latest("footprint-*.json"),
        # every recorded run of the two parts issue 16 asks to record twice: the latest is read
        # with the spread of the others
        "pipeline_runs": _all("pipeline-*.json"),
        "gateway_runs": _all("gateway-2*.json"),
    }
    if "pipeline" not in ran and results["pipeline"]:
        results["pipeline"]["verdict"] = report.verdict(results["pipeline"])
    tables = report.all_tables(results)
    (RESULTS / "README-table.md").write_text(tables)
    if not args.no_readme:
        report.replace_readme_section(README, report.readme_section(results))
    _say("")
    _say(tables)
    _say(f"written: bench/results/ (JSON, README-table.md)"
         f"{'' if args.no_readme else ', README.md (Benchmarks)'}")
    _say(f"({time.monotonic() - started:.0f} s)")
    failed = sum(r[path]["non_2xx"] for r in (ran.get("gateway"), ran.get("casework")) if r
                 for path in ("direct", "gateway"))
    failed += ran["directory"]["gateway"]["non_2xx"] if ran.get("directory") else 0
    failed += sum(r[k]["non_2xx"] for r in ran["reporting"]["reports"].values()
                  for k in ("one_user", "dashboards", "gateway") if k in r
                  ) if ran.get("reporting") else 0
    failed += ran["console"]["non_2xx"] if ran.get("console") else 0
    if failed:
        print(f"error: {failed} answers were not 2xx", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
