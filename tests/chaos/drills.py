"""The drills, and a run of them under load.

Each drill injects one fault and returns its :class:`~.accounting.Window`; the run counts
afterwards (:mod:`.accounting`). Kinds:

- ``kill_relay`` / ``kill_consumer``: ``kill -9`` of a relay or consumer process of a service,
  chosen at random; the supervisor starts it again;
- ``kill_api_worker``: ``kill -9`` of one of gunicorn's worker processes of a service's API;
  gunicorn starts another;
- ``crash_leading_relay``: ``kill -9`` of the relay holding the service's advisory lock, kept
  down until a standby has taken the lead (measured), then started again;
- ``restart_rabbitmq``: the node stopped gracefully (SIGTERM) or killed (``kill -9``), started
  again once the load has sent ``outage`` seconds' worth of its requests into the outage;
- ``restart_postgres``: ``pg_ctl -m immediate stop``, started again the same way.

A :class:`Run` starts the platform, the test queue and the load, runs a plan of drills at
random moments (seeded), stops the load, waits for the flow to settle and counts.
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lotse_platform.testing import poll

from . import accounting
from .accounting import Window
from .cluster import SERVICES, DrillPlatform, start_platform
from .load import Load
from .observer import Observer

log = logging.getLogger("lotse.chaos")


def kill_relay(platform: DrillPlatform, rng: random.Random) -> Window:
    target = rng.choice(platform.processes("relay"))
    started = time.time()
    platform.supervisor.kill(target)
    return Window("kill_relay", target.name, started)


def kill_consumer(platform: DrillPlatform, rng: random.Random) -> Window:
    target = rng.choice(platform.processes("consumer"))
    started = time.time()
    platform.supervisor.kill(target)
    return Window("kill_consumer", target.name, started)


def kill_api_worker(platform: DrillPlatform, rng: random.Random) -> Window:
    api = rng.choice(platform.processes("api"))
    workers = poll(api.children, timeout=30, message=f"gunicorn workers of {api.name}")
    victim = rng.choice(workers)
    started = time.time()
    with contextlib.suppress(ProcessLookupError):  # it ended by itself just before
        os.kill(victim, signal.SIGKILL)
    api.kills += 1
    return Window("kill_api_worker", api.name, started)


def crash_leading_relay(platform: DrillPlatform, service: str) -> Window:
    leader = poll(lambda: platform.leading_relay(service), timeout=30,
                  message=f"a leading relay of {service}")
    leader.paused = True  # down until a standby leads: the standby must be the one to take over
    started = time.time()
    try:
        platform.supervisor.kill(leader)
        successor = poll(lambda: _other_leader(platform, service, leader.name), timeout=60,
                         interval=0.05, message=f"a standby relay of {service} to take over")
        took = time.time() - started
    finally:
        leader.paused = False
    window = Window("crash_leading_relay", f"{leader.name} -> {successor}", started)
    window.takeover_s = took
    return window


def _other_leader(platform: DrillPlatform, service: str, crashed: str) -> str | None:
    try:
        leader = platform.leading_relay(service)
    except Exception:  # noqa: BLE001 - a query while the lock changes hands: ask again
        return None
    return leader.name if leader is not None and leader.name != crashed else None


def restart_rabbitmq(platform: DrillPlatform, load: Load, *, graceful: bool,
                     outage: float) -> Window:
    started = time.time()
    if graceful:
        platform.rabbit.stop()
    else:
        platform.rabbit.kill()
    _stay_down(load, outage, "the broker")
    platform.rabbit.start()
    window = Window("restart_rabbitmq_graceful" if graceful else "restart_rabbitmq_kill9",
                    "rabbitmq", started)
    window.restored = time.time()
    return window


def restart_postgres(platform: DrillPlatform, load: Load, *, outage: float) -> Window:
    started = time.time()
    platform.postgres.crash()
    _stay_down(load, outage, "the database")
    platform.postgres.start()
    window = Window("restart_postgres_immediate", "postgresql", started)
    window.restored = time.time()
    return window


def _stay_down(load: Load, seconds: float, what: str) -> None:
    """A dependency stays away until the load has sent the requests of ``seconds`` at its rate
    into the outage: the drill is the requests that meet it, whatever the machine's speed."""
    _after_requests(load, seconds, f"the load's requests to meet {what}'s outage")


def _after_requests(load: Load, seconds: float, message: str) -> None:
    """Until the load has made the requests of ``seconds`` at its rate (at least one)."""
    wanted = len(load.answers) + max(1, round(seconds * load.rate))
    poll(lambda: len(load.answers) >= wanted, timeout=seconds * 10 + 60, interval=0.05,
         message=message)


Drill = Callable[[DrillPlatform, random.Random], Window]

RANDOM_KILLS: dict[str, Drill] = {
    "kill_relay": kill_relay, "kill_consumer": kill_consumer, "kill_api_worker": kill_api_worker,
}


@dataclass
class Plan:
    """What a run does, in order: ``kills`` random kills (a kind and a target drawn at random,
    ``kill_gap`` seconds' worth of the load's requests apart, drawn uniformly), then the dependency restarts in a random order,
    then a crash of the leading relay of each of ``leader_crashes``. After each dependency drill
    and each crash the run waits until events written after it take effect (the flow resumed)
    before the next one."""

    kills: int
    #: the kinds of the kills in order (then ``kills`` is their number); else drawn at random
    kill_kinds: tuple[str, ...] = ()
    kill_gap: tuple[float, float] = (0.5, 2.5)
    rabbit_graceful: int = 1
    rabbit_kill9: int = 1
    postgres_immediate: int = 1
    leader_crashes: tuple[str, ...] = SERVICES
    outage: tuple[float, float] = (1.0, 4.0)
    #: s the flow may take to carry events again after the load starts and after each drill
    flow_timeout: float = 120.0
    seed: int = 18
    relays: dict[str, int] | int = 2
    consumers: int = 2
    api_workers: int = 2
    load: dict[str, float] = field(default_factory=lambda: {
        "notes_per_second": 12.0, "admissions_per_second": 0.5, "contacts_per_second": 4.0})


TIMES = ("writes_resumed_s", "notes_flowing_again_s", "admissions_flowing_again_s",
         "takeover_s", "dependency_down_s")


@dataclass
class Result:
    plan: Plan
    windows: list[Window]
    totals: dict[str, Any]
    settled: bool
    seconds: float
    processes: dict[str, dict[str, int]]

    def by_kind(self) -> dict[str, dict[str, Any]]:
        """Per kind of drill: how many, and the worst of each figure."""
        kinds: dict[str, dict[str, Any]] = {}
        for window in self.windows:
            if window.kind == "warm_up":
                continue
            entry = kinds.setdefault(window.kind, {
                "drills": 0, "events_written": 0, "lost": 0, "doubled": 0, "500": 0,
                "503_with_retry_after": 0, "503_without_retry_after": 0, "other_5xx": 0,
                "no_answer": 0, "writes_resumed_s": [], "notes_flowing_again_s": [],
                "admissions_flowing_again_s": [],
                "takeover_s": [], "dependency_down_s": []})
            figures = window.figures
            entry["drills"] += 1
            for key in ("events_written", "lost", "doubled"):
                entry[key] += figures[key]
            for key in ("500", "503_with_retry_after", "503_without_retry_after", "other_5xx",
                        "no_answer"):
                entry[key] += figures["answers"][key]
            for key in TIMES:
                if figures.get(key) is not None:
                    entry[key].append(figures[key])
        for entry in kinds.values():
            for key in TIMES:
                values = sorted(entry.pop(key))
                if values:
                    entry[key] = {"median": values[len(values) // 2], "max": values[-1]}
        return kinds

    def as_json(self) -> dict[str, Any]:
        return {
            "plan": self.plan.__dict__ | {"leader_crashes": list(self.plan.leader_crashes)},
            "seconds": round(self.seconds, 1),
            "settled": self.settled,
            "totals": self.totals,
            "by_kind": self.by_kind(),
            "processes": self.processes,
            "drills": [{"kind": w.kind, "target": w.target,
                        "at_s": round(w.started - self.windows[0].started, 2),
                        **w.figures} for w in self.windows],
        }


def run(plan: Plan, workdir: Path, *, settle_timeout: float = 120.0,
        say: Callable[[str], None] = log.info) -> Result:
    rng = random.Random(plan.seed)
    begun = time.monotonic()
    platform = start_platform(workdir, relays=plan.relays, consumers=plan.consumers,
                              api_workers=plan.api_workers)
    say(f"platform up in {time.monotonic() - begun:.1f} s")
    observer = Observer(platform.rabbit.url)
    load = Load(platform, seed=plan.seed, **plan.load)
    windows: list[Window] = []
    try:
        observer.start()
        windows.append(Window("warm_up", "", time.time()))
        load.start()
        accounting.wait_for_flow(platform, windows[0].started, timeout=plan.flow_timeout)
        for n in range(len(plan.kill_kinds) or plan.kills):
            kind = plan.kill_kinds[n] if plan.kill_kinds else rng.choice(sorted(RANDOM_KILLS))
            windows.append(RANDOM_KILLS[kind](platform, rng))
            # the next kill at a random moment: after a random stretch of the load's requests
            _after_requests(load, rng.uniform(*plan.kill_gap), "the load's next requests")
        say(f"{len(plan.kill_kinds) or plan.kills} kills done")
        for drill in _dependency_drills(platform, load, plan, rng):
            windows.append(drill())
            say(f"{windows[-1].kind}: back after "
                f"{(windows[-1].restored or 0) - windows[-1].started:.1f} s")
            accounting.wait_for_flow(platform, windows[-1].restored or windows[-1].started,
                                     timeout=plan.flow_timeout)
        for service in plan.leader_crashes:
            windows.append(crash_leading_relay(platform, service))
            say(f"{windows[-1].kind} {windows[-1].target}: {windows[-1].takeover_s:.1f} s")
            accounting.wait_for_flow(platform, windows[-1].started + (windows[-1].takeover_s or 0),
                                     timeout=plan.flow_timeout)
        load.stop()
        stopped = time.time()
        is_settled = accounting.wait_until_settled(platform, observer, settle_timeout)
        for window, following in zip(windows, windows[1:]):
            window.ended = following.started
        windows[-1].ended = stopped + 1
        records = accounting.read_records(platform, observer)
        admitted = accounting.admitted_intakes(platform)
        totals = accounting.account(windows, load, records, admitted)
        processes = {m.name: {"starts": m.starts, "kills": m.kills, "failed_starts": m.failures}
                     for m in platform.supervisor.processes.values()}
    finally:
        load.stop()
        observer.stop()
        platform.close()
    return Result(plan, windows, totals, is_settled, time.monotonic() - begun, processes)


def _dependency_drills(platform: DrillPlatform, load: Load, plan: Plan,
                       rng: random.Random) -> list[Callable[[], Window]]:
    """The dependency restarts of ``plan`` in a random order, each with a random outage."""
    def outage() -> float:
        return rng.uniform(*plan.outage)

    drills: list[Callable[[], Window]] = []
    drills += [lambda: restart_rabbitmq(platform, load, graceful=True, outage=outage())] \
        * plan.rabbit_graceful
    drills += [lambda: restart_rabbitmq(platform, load, graceful=False, outage=outage())] \
        * plan.rabbit_kill9
    drills += [lambda: restart_postgres(platform, load, outage=outage())] * plan.postgres_immediate
    rng.shuffle(drills)
    return drills


