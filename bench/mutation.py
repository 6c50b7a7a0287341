"""``make mutation``: mutation testing of the platform's reliability core with mutmut.

mutmut (pinned in ``requirements/mutation.txt``) runs in ``libs/platform`` with the
configuration in its ``pyproject.toml`` (``[tool.mutmut]``: which modules are mutated, which
tests judge them). It changes the code one small step at a time (a ``<`` for a ``<=``, a
``True`` for a ``False``, an argument left out) and runs the tests that execute the changed
function against the real PostgreSQL and RabbitMQ; a mutant the tests do not notice *survives*.

This script prepares what the many short test runs share (two RabbitMQ vhosts, one per worker,
taken through ``LOTSE_TEST_VHOSTS``; databases named ``lotse_t_mut…`` dropped at the end, not by
each run: ``LOTSE_TEST_DATABASE_PREFIX``), runs mutmut with ``nice``, then records:

- ``bench/results/mutation-<date>.json``: per module killed / survived / timed out / not
  covered, the score, and every survivor with its diff;
- the score in the README's results summary is written by hand from it (with the survivors'
  explanations in ``bench/results/mutation-<date>.md``).

    .venv/bin/python bench/mutation.py                 # run (incremental: mutmut keeps its
                                                       # results in libs/platform/mutants/)
    .venv/bin/python bench/mutation.py --report-only   # the JSON again from the last run
    .venv/bin/python bench/mutation.py --fresh         # forget earlier results first
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
PLATFORM = ROOT / "libs" / "platform"
MUTANTS = PLATFORM / "mutants"
RESULTS = ROOT / "bench" / "results"
VENV_BIN = Path(sys.executable).parent
DATABASE_PREFIX = "mut"

# mutmut's exit codes of a mutant's test run (mutmut.stats.status_by_exit_code)
OUTCOMES = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests",
            34: "skipped", 35: "suspicious", 36: "timeout", 37: "caught by type check",
            -24: "timeout", 24: "timeout", 152: "timeout", 255: "timeout", -11: "segfault",
            -9: "segfault", None: "not checked"}
DETECTED = ("killed", "timeout", "caught by type check", "segfault")
UNDETECTED = ("survived", "no tests", "suspicious")


def _vhosts(count: int) -> list[str]:
    return [f"lotse_mutation_{n}" for n in range(1, count + 1)]


def _prepare_vhosts(vhosts: list[str]) -> None:
    from lotse_platform.testing import rabbitmqctl

    for vhost in vhosts:
        _remove_vhost(vhost)
        rabbitmqctl("add_vhost", vhost)
        rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")


def _remove_vhost(vhost: str) -> None:
    from lotse_platform.testing import rabbitmqctl

    try:
        rabbitmqctl("delete_vhost", vhost)
    except RuntimeError:
        pass  # not there


def _drop_databases(*, only_of_ended_runs: bool = False) -> int:
    """Drop what the runs left (``lotse_t_mut<pid><4 hex>_…``), with ``only_of_ended_runs``
    only those of runs whose process has ended; returns how many."""
    from lotse_platform.testing import PG_ADMIN_URL

    engine = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT",
                              poolclass=sa.pool.NullPool)
    dropped = 0
    try:
        with engine.connect() as connection:
            names = connection.execute(sa.text(
                "SELECT datname FROM pg_database WHERE datname LIKE :prefix"),
                {"prefix": f"lotse\\_t\\_{DATABASE_PREFIX}%"}).scalars().all()
            for name in names:
                if only_of_ended_runs and _running(name):
                    continue
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                dropped += 1
    finally:
        engine.dispose()
    return dropped


def _running(database: str) -> bool:
    """Whether the test run that made ``database`` is still running (its run id is the
    prefix, the process id and four hex digits: lotse_platform.testing.run_id)."""
    run_id = database.removeprefix(f"lotse_t_{DATABASE_PREFIX}").split("_", 1)[0]
    try:
        os.kill(int(run_id[:-4]), 0)
    except ProcessLookupError:
        return False
    except ValueError:
        return True  # not a name of ours: leave it
    return True


def _clean_up_while(process: subprocess.Popen, every: float = 60.0) -> None:
    """Drop the databases of ended runs while ``process`` runs: thousands of short runs would
    otherwise leave gigabytes behind."""
    while process.poll() is None:
        try:
            process.wait(timeout=every)
        except subprocess.TimeoutExpired:
            _drop_databases(only_of_ended_runs=True)


def run(max_children: int, log_path: Path, mutants: list[str]) -> float:
    """Run mutmut (on ``mutants`` only when given: names or patterns); returns how long it
    took."""
    vhosts = _vhosts(max_children)
    _prepare_vhosts(vhosts)
    env = {**os.environ, "LOTSE_TEST_VHOSTS": ",".join(vhosts),
           "LOTSE_TEST_DATABASE_PREFIX": DATABASE_PREFIX,
           # the platform's tests import tests.support (the TCP forwarder, the AMQP wiretap)
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    started = time.monotonic()
    try:
        with log_path.open("ab") as log:
            process = subprocess.Popen(
                ["nice", "-n", "10", str(VENV_BIN / "mutmut"), "run",
                 "--max-children", str(max_children), *mutants],
                cwd=PLATFORM, env=env, stdout=log, stderr=subprocess.STDOUT)
            try:
                _clean_up_while(process)
            finally:
                if process.poll() is None:
                    process.terminate()
                    process.wait()
    finally:
        dropped = _drop_databases()
        for vhost in vhosts:
            _remove_vhost(vhost)
    seconds = time.monotonic() - started
    print(f"mutmut exited {process.returncode} after {seconds:.0f} s (log: {log_path}); "
          f"{dropped} test databases dropped at the end")
    if process.returncode != 0:
        raise SystemExit(process.returncode)
    return seconds


def _diff(name: str) -> str:
    shown = subprocess.run([str(VENV_BIN / "mutmut"), "show", name], cwd=PLATFORM,
                           capture_output=True, text=True, check=False)
    return "\n".join(line for line in shown.stdout.splitlines()
                     if line.startswith(("-", "+")) and not line.startswith(("---", "+++")))


def _config() -> dict:
    import tomllib

    return tomllib.loads((PLATFORM / "pyproject.toml").read_text())["tool"]["mutmut"]


def report(seconds: float | None) -> dict:
    config = _config()
    modules: dict[str, dict] = {}
    survivors = []
    for path in config["only_mutate"]:
        meta = MUTANTS / f"{path}.meta"
        if not meta.exists():
            continue
        data = json.loads(meta.read_text())
        outcomes = Counter(OUTCOMES.get(code, "suspicious")
                           for code in data["exit_code_by_key"].values())
        detected = sum(outcomes[o] for o in DETECTED)
        undetected = sum(outcomes[o] for o in UNDETECTED)
        modules[path.removeprefix("src/")] = {
            "mutants": sum(outcomes.values()), **dict(sorted(outcomes.items())),
            "score": round(detected / (detected + undetected), 3) if detected + undetected else None,
        }
        for name, code in sorted(data["exit_code_by_key"].items()):
            if OUTCOMES.get(code, "suspicious") in UNDETECTED:
                survivors.append({"mutant": name, "outcome": OUTCOMES.get(code, "suspicious"),
                                  "diff": _diff(name)})
    totals = Counter()
    for counts in modules.values():
        totals.update({k: v for k, v in counts.items() if k not in ("mutants", "score")})
    detected = sum(totals[o] for o in DETECTED)
    undetected = sum(totals[o] for o in UNDETECTED)
    from importlib.metadata import version

    return {
        "date": datetime.now(UTC).date().isoformat(),
        "tool": f"mutmut {version('mutmut')}",
        "score_is": "detected / (detected + undetected); detected = killed + timeout; "
                    "undetected = survived + no tests + suspicious",
        "seconds": round(seconds) if seconds is not None else None,
        "mutated": config["only_mutate"],
        "not_mutated_lines": config.get("do_not_mutate_patterns", []),
        "tests": config["pytest_add_cli_args_test_selection"],
        "total": {"mutants": sum(totals.values()), **dict(sorted(totals.items())),
                  "score": round(detected / (detected + undetected), 3)
                  if detected + undetected else None},
        "modules": modules,
        "survivors": survivors,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-children", type=int, default=2)
    parser.add_argument("--report-only", action="store_true")
    parser.add_argument("--fresh", action="store_true", help="forget earlier mutmut results")
    parser.add_argument("mutants", nargs="*",
                        help="only these mutants (names or patterns, as `mutmut run` takes them)")
    args = parser.parse_args(argv)
    seconds = None
    if not args.report_only:
        if args.fresh and MUTANTS.exists():
            shutil.rmtree(MUTANTS)
        MUTANTS.mkdir(exist_ok=True)
        seconds = run(args.max_children, MUTANTS / "run.log", args.mutants)
    result = report(seconds)
    RESULTS.mkdir(exist_ok=True)
    target = RESULTS / f"mutation-{result['date']}.json"
    target.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    total = result["total"]
    print(f"mutation score {total['score']}: {total.get('killed', 0)} killed, "
          f"{total.get('timeout', 0)} timed out, {total.get('survived', 0)} survived, "
          f"{total.get('no tests', 0)} not covered of {total['mutants']} -> {target}")


if __name__ == "__main__":
    main()
