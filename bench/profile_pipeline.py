"""Where the pipeline's CPU goes: CPU per event of each process, and flame graphs of them.

    .venv/bin/python bench/profile_pipeline.py                    # CPU per event, 3 rounds
    .venv/bin/python bench/profile_pipeline.py --flamegraphs      # … and py-spy SVGs

The pipeline of :mod:`bench.pipeline` as it is (three load generators calling the example's
``record_note``, one worker with relay, consumer and sealer) offered a fixed rate, well below
what the machine sustains, so that every process does the same work per event whatever else
runs beside it. Measured is CPU time (utime + stime from ``/proc``), not wall time: per event,
of the generators, the worker (and each of its threads), PostgreSQL (all of it, and the backends
of the benchmark's database: ``postgresql.own``, what the pipeline's total counts) and RabbitMQ
(all of it: the broker is not split by vhost). Several
rounds, the median of each figure; the same script before and after a change compares them.

With ``--flamegraphs`` one more round runs while py-spy samples each generator and the worker
(``--nonblocking``: the processes are not stopped to be read), and writes
``bench/profiles/<name>.svg``: ``generator.svg`` (one of the three, they run the same code),
``worker.svg`` (all its threads; ``--threads`` splits them by thread at the root). py-spy
needs ptrace (root, or ``kernel.yama.ptrace_scope`` 0). The figures of that round are not used.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `python bench/profile_pipeline.py` puts bench/ itself first

from bench import pipeline  # noqa: E402
from bench.environment import bench_environment  # noqa: E402

PROFILES = ROOT / "bench" / "profiles"
FIGURES = ("generators", "worker", "worker.consumer", "worker.relay", "worker.sealer",
           "postgresql", "postgresql.own", "rabbitmq")


def _py_spy() -> str:
    found = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(found).exists():
        raise SystemExit("py-spy is not installed (pip install -r requirements/dev.txt)")
    return found


def _record(pids: dict[str, int], seconds: float, rate: int) -> list[subprocess.Popen]:
    """py-spy on each process twice at once: the flame graph (SVG) and the same samples as
    collapsed stacks (``<name>.txt``, one line per stack and its count: what
    ``bench/profiles/README.md`` sums up)."""
    PROFILES.mkdir(parents=True, exist_ok=True)
    return [subprocess.Popen(
        [_py_spy(), "record", "--pid", str(pid), "--duration", str(round(seconds)),
         "--rate", str(rate), "--nonblocking", "--threads", "--gil", "--format", form,
         "--output", str(PROFILES / f"{name}.{suffix}")],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for name, pid in pids.items() for form, suffix in (("flamegraph", "svg"), ("raw", "txt"))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=600.0, help="events/s offered")
    parser.add_argument("--seconds", type=float, default=10.0, help="of each round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--flamegraphs", action="store_true", help="py-spy SVGs in bench/profiles")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args(argv)

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

        running = pipeline.Pipeline(settings)
        try:
            running.start_worker()
            running.step(min(200.0, args.rate), 3.0)  # warm-up: connections, caches, plans
            rounds = []
            for n in range(args.rounds):
                step = running.step(args.rate, args.seconds)
                rounds.append(step)
                print(f"round {n + 1}: {step['events']} events, lag p99 {step['lag_p99_ms']} ms, "
                      + ", ".join(f"{k} {step['cpu_ms_per_event'].get(k, 0):.3f}"
                                  for k in FIGURES), flush=True)
            if args.flamegraphs:
                pids = {"generator": running.generators[0].process.pid,
                        "worker": running.worker.process.pid}
                spies = _record(pids, args.seconds + 0.5, 200)
                running.step(args.rate, args.seconds)
                for spy in spies:
                    _, errors = spy.communicate(timeout=120)
                    if spy.returncode:
                        print(errors.decode(errors="replace"), file=sys.stderr)
                print(f"flame graphs: {', '.join(str(PROFILES / f'{n}.svg') for n in pids)}")
        finally:
            running.close()

    medians = {k: round(statistics.median(r["cpu_ms_per_event"].get(k, 0.0) for r in rounds), 3)
               for k in FIGURES}
    # PostgreSQL: the backends of the benchmark's database only (the server may serve others)
    medians["pipeline"] = round(sum(medians[k] for k in ("generators", "worker", "postgresql.own",
                                                         "rabbitmq")), 3)
    print("CPU ms per event (median of rounds): "
          + ", ".join(f"{k} {v:.3f}" for k, v in medians.items()))
    if args.json:
        args.json.write_text(json.dumps({"rate": args.rate, "seconds": args.seconds,
                                         "rounds": rounds, "median_cpu_ms_per_event": medians,
                                         "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
                                        indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
