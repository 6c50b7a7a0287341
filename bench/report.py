"""Results: the JSON record under ``bench/results/`` and the markdown table for the README."""

from __future__ import annotations

import json
from pathlib import Path

TARGET_SHARE = 0.5  # the pipeline should sustain half the raw insert+commit rate ...
TARGET_P99 = 1.0  # ... with p99 lag below one second


def _rate(value: float) -> str:
    return f"{value:,.0f}/s"


def _lag(step: dict) -> str:
    return f"lag p50 {step['lag_p50_ms']:,.0f} ms, p99 {step['lag_p99_ms']:,.0f} ms"


def verdict(results: dict) -> dict:
    raw = results["reference"]["postgres_insert_commit"]["per_second"]
    pipeline = results["pipeline"]
    best = pipeline["max_sustained"]
    at_target = pipeline["at_target"]
    sustained = best["consumed_per_s"] if best else 0.0
    return {
        "target_rate_per_s": round(TARGET_SHARE * raw, 1),
        "target": f">= {TARGET_SHARE:g} x raw insert+commit with p99 lag < {TARGET_P99:g} s",
        "met": bool(at_target["sustained"] and at_target["lag_p99_ms"] < TARGET_P99 * 1000),
        "max_sustained_ratio": round(sustained / raw, 3),
        "at_target_ratio": round(at_target["consumed_per_s"] / raw, 3),
    }


def own_cpu(step: dict) -> float:
    """CPU ms per event of the pipeline's own processes, PostgreSQL and RabbitMQ."""
    cpu = step["cpu_ms_per_event"]
    return sum(cpu.get(k, 0.0) for k in ("generators", "worker", "postgresql", "rabbitmq"))


def cpu_line(step: dict) -> str:
    cpu = step["cpu_ms_per_event"]
    known = own_cpu(step)
    return (f"generators (domain writes) {cpu.get('generators', 0):.2f}, worker "
            f"{cpu.get('worker', 0):.2f} (relay thread {cpu.get('worker.relay', 0):.2f}, "
            f"consumer thread {cpu.get('worker.consumer', 0):.2f}, audit sealer "
            f"{cpu.get('worker.sealer', 0):.2f}), PostgreSQL "
            f"{cpu.get('postgresql', 0):.2f}, "
            f"RabbitMQ {cpu.get('rabbitmq', 0):.2f}, rest of the machine "
            f"{max(0.0, cpu.get('machine', 0) - known):.2f}; machine total "
            f"{cpu.get('machine', 0):.2f} ms")


def table(results: dict) -> str:
    ref = results["reference"]
    raw = ref["postgres_insert_commit"]["per_second"]
    pipe = results["pipeline"]
    target, best = pipe["at_target"], pipe["max_sustained"]
    v = results["verdict"]
    machine = results["machine"]

    def ratio(value: float) -> str:
        return f"{value / raw:.2f}"

    rows = [
        ("PostgreSQL insert + commit, one connection (reference)",
         _rate(raw), "1.00"),
        ("RabbitMQ publish, asynchronous confirms, quorum queue (pika, reference)",
         _rate(ref["rabbitmq_publish_confirm"]["per_second"]),
         ratio(ref["rabbitmq_publish_confirm"]["per_second"])),
        ("RabbitMQ consume + ack, prefetch 200 (pika, reference)",
         _rate(ref["rabbitmq_consume_ack"]["per_second"]),
         ratio(ref["rabbitmq_consume_ack"]["per_second"])),
        (f"Domain writes alone: `record_note` (note, outbox, audit entry), "
         f"{pipe['domain_writes_alone']['processes']} processes flat out",
         _rate(pipe["domain_writes_alone"]["per_second"]),
         ratio(pipe["domain_writes_alone"]["per_second"])),
        ("Relay → RabbitMQ → consumer with inbox, draining an outbox backlog",
         _rate(pipe["drain_from_backlog"]["per_second"]),
         ratio(pipe["drain_from_backlog"]["per_second"])),
        (f"Pipeline at the target load (offered {_rate(target['offered_per_s'])} = "
         f"{TARGET_SHARE:g} × insert + commit)",
         f"{_rate(target['consumed_per_s'])}, {_lag(target)}", ratio(target["consumed_per_s"])),
    ]
    if best:
        rows.append(("Pipeline, highest sustained rate (p99 lag < 1 s)",
                     f"{_rate(best['consumed_per_s'])}, {_lag(best)}",
                     ratio(best["consumed_per_s"])))
    else:
        rows.append(("Pipeline, highest sustained rate (p99 lag < 1 s)", "none found", "–"))
    lines = [
        f"Measured by `make bench` on {results['date'][:10]}, one run, on this machine "
        f"({machine['cores']} cores, PostgreSQL {machine['postgresql']}, RabbitMQ "
        f"{machine['rabbitmq']}, Python {machine['python']}).",
        "",
        "| measurement | result | × insert + commit |",
        "|---|---:|---:|",
        *(f"| {a} | {b} | {c} |" for a, b, c in rows),
        "",
        f"Target: the pipeline sustains ≥ {TARGET_SHARE:g} × the raw insert + commit rate "
        f"({_rate(v['target_rate_per_s'])}) with p99 lag < {TARGET_P99:g} s: "
        f"**{'met' if v['met'] else 'missed'}** (highest sustained: "
        f"{v['max_sustained_ratio']:.2f} ×).",
        "",
        "Pipeline: domain write (the example service's `record_note` through its unit of work, "
        "PostgreSQL as `lotse_app`) → outbox → relay → RabbitMQ → consumer with inbox; lag = "
        "consumer's commit − `occurred_at`. "
        f"{pipe['layout']['generators']} load-generator processes (one tenant each) on an "
        "open-loop schedule, one worker process with the relay and consumer threads "
        "(`lotse-example worker`, default settings).",
    ]
    if best:
        lines += ["", f"CPU per event at the highest sustained rate: {cpu_line(best)} "
                  f"(the machine has {machine['cores'] * 1000:,} ms per second)."]
    if not v["met"]:
        budget = machine["cores"] * 1000 / v["target_rate_per_s"]
        domain_cpu = own_cpu(pipe["domain_writes_alone"])
        whole = own_cpu(best or target)
        lines += ["", f"Why missed: at the target rate the machine has {budget:.2f} ms of CPU "
                  f"per event for everything. The domain write alone takes {domain_cpu:.2f} ms "
                  f"(load generators and PostgreSQL, flat out, no relay or consumer running), the whole "
                  f"pipeline {whole:.2f} ms (generators, worker, PostgreSQL, RabbitMQ)."]
    other = max((s.get("other_cores", 0.0) for s in pipe["steps"]), default=0.0)
    if other > 0.4 or results.get("busy_cores_before", 0.0) >= 0.3:
        lines += ["", f"Caution: other work kept up to {other:.1f} cores busy during the "
                  "pipeline steps (e.g. a test suite); these numbers are lower than a quiet "
                  "machine gives."]
    return "\n".join(lines) + "\n"


def write(results: dict, directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    text = json.dumps(results, indent=2, sort_keys=False) + "\n"
    dated = directory / f"pipeline-{results['date'][:10]}.json"
    written = [dated, directory / "latest.json", directory / "README-table.md"]
    dated.write_text(text)
    written[1].write_text(text)
    written[2].write_text(table(results))
    return written
