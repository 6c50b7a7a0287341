"""What the HTTP benchmarks share: ``wrk`` runs and their parsing, medians over alternating
rounds, the JSON under ``bench/results/`` and the command-line entry of a part run on its own.

Used by :mod:`bench.gateway_bench` (an authenticated read) and :mod:`bench.casework_bench`
(casework's write path); both load with ``wrk`` (one thread, a few connections) and alternate
"through the gateway" and "direct" rounds so that both see the same machine.
"""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
from pathlib import Path

from lotse_platform import clock

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def _milliseconds(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if match is None:
        raise ValueError(f"not a wrk latency: {text}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> dict:
    """Requests/s, p50/p99 (ms), requests, non-2xx and socket errors from ``wrk --latency``."""
    def number(pattern: str, default: float | None = None) -> float:
        match = re.search(pattern, output, re.MULTILINE)
        if match is None:
            if default is None:
                raise ValueError(f"wrk output without {pattern!r}:\n{output}")
            return default
        return float(match.group(1))

    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       output)
    return {
        "requests_per_second": number(r"^Requests/sec:\s+([\d.]+)"),
        "p50_ms": _milliseconds(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
        "p99_ms": _milliseconds(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
        "requests": int(number(r"^\s+(\d+) requests in")),
        "non_2xx": int(number(r"Non-2xx or 3xx responses: (\d+)", 0)),
        "socket_errors": sum(int(n) for n in errors.groups()) if errors else 0,
    }


def wrk(arguments: list[str], url: str, seconds: int, connections: int) -> dict:
    """One ``wrk`` run (one thread) against ``url``; ``arguments`` add headers or a script."""
    result = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", *arguments, url],
        capture_output=True, text=True, timeout=seconds + 60, check=True)
    if result.stderr.strip():  # e.g. a broken script makes wrk fall back to GET /, silently
        raise RuntimeError(f"wrk: {result.stderr.strip()[:500]}")
    return parse_wrk(result.stdout)


def summarise(rounds: list[dict]) -> dict:
    """The medians of a path's rounds, the errors of all of them, and the rounds themselves."""
    def median(key: str) -> float:
        return round(statistics.median(r[key] for r in rounds), 2)

    return {"requests_per_second": median("requests_per_second"),
            "p50_ms": median("p50_ms"), "p99_ms": median("p99_ms"),
            "non_2xx": sum(r["non_2xx"] for r in rounds),
            "socket_errors": sum(r["socket_errors"] for r in rounds), "rounds": rounds}


def write(result: dict, name: str) -> Path:
    """``bench/results/<name>-<date>.json``."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}-{clock.today().isoformat()}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    return path


def main(title: str, run, table_row, write_result) -> int:
    """A part run on its own: measure, write its JSON, print its table row; 1 when any answer
    was not 2xx (the numbers then measure errors)."""
    print(title, flush=True)
    result = run(log=lambda line: print(line, flush=True))
    path = write_result(result)
    print(table_row(result))
    print(f"written: {path}")
    failed = result["direct"]["non_2xx"] + result["gateway"]["non_2xx"]
    if failed:
        print(f"error: {failed} answers were not 2xx", file=sys.stderr)
    return 1 if failed else 0
