"""``make chaos``: the long fault drills, their figures as JSON under ``bench/results/``.

    .venv/bin/python -m tests.chaos.run [--kills 120] [--seed 18] [--json PATH]

The same drills as ``tests/chaos/test_short_drills.py`` (run by ``make test``), longer: over a
hundred kill -9 of relays, consumers and API workers at random moments, RabbitMQ restarted
gracefully and killed several times, PostgreSQL stopped with ``-m immediate`` several times,
and the leading relay of every service crashed so that its standby takes over — all under a
steady load of API writes. Prints a Markdown table of the figures per kind of drill (the
README's summary) and exits non-zero when an event was lost, an effect applied twice, or an API
answered 500 (or 503 without Retry-After).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .drills import Plan, Result, run

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results"

LONG = Plan(kills=120, rabbit_graceful=3, rabbit_kill9=3, postgres_immediate=3,
            outage=(1.0, 5.0), relays=2, consumers=2, api_workers=2)

TITLES = {
    "kill_relay": "kill -9 of a relay (random service, leader or standby)",
    "kill_consumer": "kill -9 of a consumer process",
    "kill_api_worker": "kill -9 of a gunicorn worker of an API",
    "restart_rabbitmq_graceful": "RabbitMQ stopped (SIGTERM) and started again",
    "restart_rabbitmq_kill9": "RabbitMQ killed (kill -9) and started again",
    "restart_postgres_immediate": "PostgreSQL `pg_ctl -m immediate stop`, started again",
    "crash_leading_relay": "kill -9 of the leading relay; a standby takes over",
}


def _seconds(figure: dict[str, float] | None) -> str:
    return f"{figure['median']:.1f} / {figure['max']:.1f}" if figure else "–"


def table(result: Result) -> str:
    rows = ["| drill | n | events written | lost | applied twice | 500 | 503 (all with "
            "Retry-After) | no answer¹ | writes ok again² s | notes tallied again³ s | "
            "admissions opened again³ s | takeover / outage s |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for kind, entry in result.by_kind().items():
        extra = _seconds(entry.get("takeover_s") or entry.get("dependency_down_s"))
        rows.append(
            f"| {TITLES.get(kind, kind)} | {entry['drills']} | {entry['events_written']:,} | "
            f"{entry['lost']} | {entry['doubled']} | {entry['500']} | "
            f"{entry['503_with_retry_after'] + entry['503_without_retry_after']}"
            f"{'' if entry['503_without_retry_after'] == 0 else ' (!)'} | "
            f"{entry['no_answer']} | {_seconds(entry.get('writes_resumed_s'))} | "
            f"{_seconds(entry.get('notes_flowing_again_s'))} | "
            f"{_seconds(entry.get('admissions_flowing_again_s'))} | {extra} |")
    return "\n".join(rows)


def failures(totals: dict[str, Any], settled: bool) -> list[str]:
    found = []
    if not settled:
        found.append("the flow did not settle: some events never arrived")
    if totals["lost"]:
        found.append(f"{totals['lost']} events lost")
    if totals["doubled"]:
        found.append(f"{totals['doubled']} effects applied twice")
    if totals["acknowledged_writes_missing"]:
        found.append(f"{totals['acknowledged_writes_missing']} acknowledged writes missing")
    answers = totals["answers"]
    for key in ("500", "503_without_retry_after", "other_5xx"):
        if answers[key]:
            found.append(f"{answers[key]} answers {key}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make chaos", description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=LONG.kills)
    parser.add_argument("--seed", type=int, default=LONG.seed)
    parser.add_argument("--json", type=Path, default=None,
                        help="where to write the figures (default bench/results/chaos-<date>.json)")
    args = parser.parse_args(argv)
    plan = dataclasses.replace(LONG, kills=args.kills, seed=args.seed)
    workdir = Path(tempfile.mkdtemp(prefix="lotse-chaos-"))
    started = time.monotonic()

    def say(line: str) -> None:
        print(f"[chaos {time.monotonic() - started:6.1f} s] {line}", flush=True)

    try:
        result = run(plan, workdir, say=say)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    day = datetime.now(UTC).date().isoformat()
    document = {"date": day, "machine": {"cpus": os.cpu_count()}, **result.as_json()}
    path = args.json or RESULTS / f"chaos-{day}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    say(f"figures written to {path}")
    print()
    print(table(result))
    problems = failures(result.totals, result.settled)
    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
