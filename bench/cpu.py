"""Where the CPU goes: per-process and machine-wide CPU time from ``/proc`` (Linux).

The pipeline shares two cores with PostgreSQL and RabbitMQ, so "events/s" alone does not say
what limits it; CPU seconds per event for each participant do.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

TICK = os.sysconf("SC_CLK_TCK")


def process_seconds(pid: int | tuple[int, int]) -> float:
    """utime + stime of one process (all its threads) or of one thread, given as
    ``(pid, native thread id)``, in seconds; 0 when it is gone."""
    path = f"/proc/{pid[0]}/task/{pid[1]}/stat" if isinstance(pid, tuple) else f"/proc/{pid}/stat"
    try:
        with open(path, "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def _postgres_role(pid: int, database: str | None = None) -> str:
    """What a PostgreSQL process does, from its title: ``backend`` (a client's connection),
    ``autovacuum``, ``wal`` (walwriter, WAL flushing), or ``background`` (checkpointer, …);
    ``own`` for a backend connected to ``database`` when one is named."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            title = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "background"
    if "autovacuum" in title:
        return "autovacuum"
    if "walwriter" in title:
        return "wal"
    if "(" in title:  # "postgres: 15/main: lotse_app <db> 127.0.0.1(port) idle"
        if database is not None and f" {database} " in title:
            return "own"
        return "backend"
    return "background"


def _pids_named(*names: str) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/comm") as comm:
                if comm.read().strip() in names:
                    pids.append(int(entry))
        except OSError:
            continue
    return pids


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent not idle since boot."""
    with open("/proc/stat") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / TICK


@dataclass(frozen=True)
class Snapshot:
    seconds: dict[str, float]


def snapshot(groups: dict[str, list], database: str | None = None) -> Snapshot:
    """CPU seconds so far of each group of our processes, PostgreSQL, RabbitMQ and the machine.

    PostgreSQL backends that start or end in between are missed; the pipeline's connections
    are pooled and live through a measurement. PostgreSQL is also split by what its processes do
    (``postgresql.backend``, ``.autovacuum``, ``.wal``, ``.background``); with ``database``
    named, ``postgresql.own`` is the part of the backends connected to it — the benchmark's
    own work, where ``postgresql`` also counts whatever else the server does for others (a test
    suite beside the benchmark). ``postgresql.backend`` then counts the other backends only.
    """
    seconds = {name: sum(process_seconds(pid) for pid in pids) for name, pids in groups.items()}
    postgres = {"backend": 0.0, "autovacuum": 0.0, "wal": 0.0, "background": 0.0}
    if database is not None:
        postgres["own"] = 0.0
    for pid in _pids_named("postgres"):
        postgres[_postgres_role(pid, database)] += process_seconds(pid)
    seconds["postgresql"] = sum(postgres.values())
    for role, value in postgres.items():
        seconds[f"postgresql.{role}"] = value
    seconds["rabbitmq"] = sum(process_seconds(pid) for pid in _pids_named("beam.smp"))
    seconds["machine"] = machine_busy_seconds()
    return Snapshot(seconds)


def per_event_ms(before: Snapshot, after: Snapshot, events: int) -> dict[str, float]:
    if not events:
        return {}
    return {name: round((after.seconds[name] - before.seconds[name]) / events * 1000, 3)
            for name in after.seconds}


def busy_cores(seconds: float = 1.0) -> float:
    """How many cores the machine keeps busy, averaged over ``seconds``."""
    import time

    before = machine_busy_seconds()
    time.sleep(seconds)
    return (machine_busy_seconds() - before) / seconds


def wait_for_quiet(limit: float = 0.3, patience: float = 60.0) -> float:
    """Wait (up to ``patience`` s) until other work keeps less than ``limit`` cores busy;
    returns the last reading. A benchmark beside a running test suite measures the suite."""
    import time

    deadline = time.monotonic() + patience
    while True:
        busy = busy_cores(2.0)
        if busy < limit or time.monotonic() > deadline:
            return busy
