"""Results: the JSON records under ``bench/results/``, the markdown tables of every part
(``bench/results/README-table.md``) and the README's "Benchmarks" section."""

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
    sustained = best["generated_per_s"] if best else 0.0
    return {
        "target_rate_per_s": round(TARGET_SHARE * raw, 1),
        "target": f">= {TARGET_SHARE:g} x raw insert+commit with p99 lag < {TARGET_P99:g} s",
        # met: the pipeline sustained (generators kept the schedule, p99 lag < 1 s) a step
        # offered at the target rate or above it
        "met": bool(best and best["lag_p99_ms"] < TARGET_P99 * 1000
                    and best["offered_per_s"] >= round(TARGET_SHARE * raw, 1)),
        "max_sustained_ratio": round(sustained / raw, 3),
        "at_target_ratio": round(at_target["generated_per_s"] / raw, 3),
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


def _pipeline_rows(results: dict) -> list[tuple[str, str, str]]:
    ref = results["reference"]
    raw = ref["postgres_insert_commit"]["per_second"]
    pipe = results["pipeline"]
    target, best = pipe["at_target"], pipe["max_sustained"]

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
         f"{_rate(target['generated_per_s'])}, {_lag(target)}", ratio(target["generated_per_s"])),
    ]
    if best:
        rows.append(("Pipeline, highest sustained rate (p99 lag < 1 s)",
                     f"{_rate(best['generated_per_s'])}, {_lag(best)}",
                     ratio(best["generated_per_s"])))
    else:
        rows.append(("Pipeline, highest sustained rate (p99 lag < 1 s)", "none found", "–"))
    return rows


def _pipeline_table(results: dict) -> list[str]:
    return ["| measurement | result | × insert + commit |", "|---|---:|---:|",
            *(f"| {a} | {b} | {c} |" for a, b, c in _pipeline_rows(results))]


def _target_line(results: dict) -> str:
    v = results["verdict"]
    raw = results["reference"]["postgres_insert_commit"]["per_second"]
    pipe = results["pipeline"]
    target, best = pipe["at_target"], pipe["max_sustained"]
    sustained = (f"sustained {_rate(best['generated_per_s'])} = "
                 f"{best['generated_per_s'] / raw:.2f} × with p99 lag "
                 f"{best['lag_p99_ms']:,.0f} ms" if best else "no rate sustained")
    at_target = (f"offered the target rate, it carried {_rate(target['generated_per_s'])} = "
                 f"{target['generated_per_s'] / raw:.2f} × ("
                 f"{target['generated_per_s'] / target['offered_per_s']:.0%} of the schedule), "
                 f"p99 lag {target['lag_p99_ms']:,.0f} ms")
    return (f"Target: the pipeline sustains ≥ {TARGET_SHARE:g} × the raw insert + commit rate "
            f"({_rate(v['target_rate_per_s'])}) with p99 lag < {TARGET_P99:g} s: "
            f"**{'met' if v['met'] else 'missed'}** — highest {sustained}; {at_target}.")


def _why_missed(results: dict) -> str:
    v, pipe, machine = results["verdict"], results["pipeline"], results["machine"]
    budget = machine["cores"] * 1000 / v["target_rate_per_s"]
    domain_cpu = own_cpu(pipe["domain_writes_alone"])
    whole = own_cpu(pipe["max_sustained"] or pipe["at_target"])
    return (f"Why missed: at the target rate the machine has {budget:.2f} ms of CPU per event "
            f"for everything. The domain write alone takes {domain_cpu:.2f} ms (load generators "
            "and PostgreSQL, flat out, no relay or consumer running), the whole pipeline "
            f"{whole:.2f} ms (generators, worker, PostgreSQL, RabbitMQ) at its highest "
            "sustained rate.")


def table(results: dict) -> str:
    pipe = results["pipeline"]
    target, best = pipe["at_target"], pipe["max_sustained"]
    v = results["verdict"]
    machine = results["machine"]
    lines = [
        f"Measured by `make bench` on {results['date'][:10]}, one run, on this machine "
        f"({machine['cores']} cores, PostgreSQL {machine['postgresql']}, RabbitMQ "
        f"{machine['rabbitmq']}, Python {machine['python']}).",
        "",
        *_pipeline_table(results),
        "",
        _target_line(results),
        "",
        "Pipeline: domain write (the example service's `record_note` through its unit of work, "
        "PostgreSQL as `lotse_app`) → outbox → relay → RabbitMQ → consumer with inbox; lag = "
        "consumer's commit − `occurred_at`. "
        f"{pipe['layout']['generators']} load-generator processes (one tenant each) on an "
        "open-loop schedule; one worker process with the relay, consumer and audit-sealer "
        "threads (`lotse-example worker`, default settings).",
    ]
    shown = best if best and (not target["sustained"]) else target
    lines += ["", f"CPU per event at {'the highest sustained rate' if shown is best else 'the target load'}"
              f" ({_rate(shown['generated_per_s'])}): {cpu_line(shown)} (the machine has "
              f"{machine['cores'] * 1000:,} ms per second)."]
    if not v["met"]:
        lines += ["", _why_missed(results)]
    else:
        budget = machine["cores"] * 1000 / v["target_rate_per_s"]
        lines += ["", f"Budget: at the target rate the machine has {budget:.2f} ms of CPU per "
                  f"event for everything; the pipeline used {own_cpu(shown):.2f} ms there "
                  "(generators, worker, PostgreSQL, RabbitMQ)."]
    other = max((s.get("other_cores", 0.0) for s in pipe["steps"]), default=0.0)
    if other > 0.4 or results.get("busy_cores_before", 0.0) >= 0.3:
        lines += ["", f"Caution: other work kept up to {other:.1f} cores busy during the "
                  "pipeline steps (e.g. a test suite); these numbers are lower than a quiet "
                  "machine gives."]
    return "\n".join(lines) + "\n"


def write(results: dict, directory: Path) -> list[Path]:
    """The pipeline's JSON: ``pipeline-<date>.json`` and ``latest.json``."""
    directory.mkdir(parents=True, exist_ok=True)
    text = json.dumps(results, indent=2, sort_keys=False) + "\n"
    written = [directory / f"pipeline-{results['date'][:10]}.json", directory / "latest.json"]
    for path in written:
        path.write_text(text)
    return written


# -- all parts --------------------------------------------------------------------------------
def _gateway_table(result: dict) -> list[str]:
    from bench import gateway_bench

    return ["| measurement | result | gateway ÷ direct |", "|---|---|---:|",
            gateway_bench.table_row(result)]


def _casework_table(result: dict) -> list[str]:
    from bench import casework_bench

    return ["| measurement | result | gateway ÷ direct |", "|---|---|---:|",
            casework_bench.table_row(result)]


def _directory_table(result: dict) -> list[str]:
    from bench import directory_bench

    return ["| measurement | result | target |", "|---|---|---|",
            directory_bench.table_row(result)]


def _reporting_table(result: dict) -> list[str]:
    from bench import reporting_bench

    return ["| measurement | result | target |", "|---|---|---|",
            *reporting_bench.table_rows(result)]


def _load(result: dict) -> str:
    load = result["load"]
    return (f"`wrk` ({load['threads']} thread, {load['connections']} connections), "
            f"{load['rounds']} alternating rounds of {load['seconds']} s after a "
            f"{load['warmup_seconds']} s warm-up, medians")


def all_tables(results: dict) -> str:
    """README-table.md: a section per part (a part without results says so)."""
    lines = ["## Event pipeline", ""]
    pipe, gateway, casework = results.get("pipeline"), results.get("gateway"), results.get("casework")
    lines += [table(pipe).rstrip("\n")] if pipe else ["Not measured yet."]
    lines += ["", "## Gateway", ""]
    if gateway:
        lines += [f"Measured by `make bench` on {gateway['date'][:10]}: {gateway['endpoint']}; "
                  f"{_load(gateway)}; HAProxy {gateway['setup']['haproxy']} with "
                  f"{gateway['setup']['haproxy_threads']} thread, gunicorn with "
                  f"{gateway['setup']['gunicorn_workers']} workers.", "",
                  *_gateway_table(gateway)]
    else:
        lines += ["Not measured yet."]
    lines += ["", "## Casework write path", ""]
    if casework:
        setup = casework["setup"]
        lines += [f"Measured by `make bench` on {casework['date'][:10]}: {casework['endpoint']}; "
                  f"{_load(casework)}, {casework['load']['cases']} cases round robin; the "
                  f"outbox relay{' and audit sealer' if setup.get('sealer_running') else ''} "
                  "running; gunicorn with "
                  f"{setup['gunicorn_workers']} workers.", "", *_casework_table(casework)]
    else:
        lines += ["Not measured yet."]
    directory = results.get("directory")
    lines += ["", "## Directory search", ""]
    if directory:
        lines += [f"Measured by `make bench` on {directory['date'][:10]}: {directory['endpoint']}; "
                  f"{directory['services']:,} services; {_load(directory)}; the queries round "
                  "robin: free text, topic area, town, language, kind, open now, combined.", "",
                  *_directory_table(directory)]
    else:
        lines += ["Not measured yet."]
    reporting = results.get("reporting")
    lines += ["", "## Reporting at 1,000,000 events", ""]
    if reporting:
        lines += [f"Measured by `make bench` on {reporting['date'][:10]}: "
                  f"{reporting['events']['events']:,} events of the demo county scaled up "
                  f"({reporting['events']['people']:,} people, {reporting['events']['cases']:,} "
                  f"cases, {reporting['events']['first']} to {reporting['events']['last']}); the "
                  f"reports with {_load(reporting)}; the lag at the pipeline's highest sustained "
                  "rate.", "", *_reporting_table(reporting)]
    else:
        lines += ["Not measured yet."]
    return "\n".join(lines) + "\n"


def readme_section(results: dict) -> str:
    """The README's "## Benchmarks": the tables, the targets, the method in a line."""
    pipe, gateway, casework = results.get("pipeline"), results.get("gateway"), results.get("casework")
    lines = ["## Benchmarks", "",
             "`make bench` runs all of it in one go on this 2-core machine (ten to fifteen minutes, half of it reporting at 1,000,000 events): "
             "every rate in the same run as its references, load on an open-loop schedule or with "
             "`wrk` in alternating rounds (medians of 3); method and caveats in "
             "`bench/README.md`, the JSON in `bench/results/`."]
    if pipe:
        lines += ["", f"Event pipeline ({pipe['date'][:10]}; domain write = the example's "
                  "`record_note`: note, outbox row, audit entry):", "",
                  *_pipeline_table(pipe), "", _target_line(pipe)]
        if not pipe["verdict"]["met"]:
            lines += ["", _why_missed(pipe)]
    if gateway:
        lines += ["", f"Gateway ({gateway['date'][:10]}):", "", *_gateway_table(gateway), "",
                  f"Target: through the gateway ≥ {gateway['target_ratio']:g} × direct: "
                  f"**{'met' if gateway['target_met'] else 'missed'}**."]
    if casework:
        lines += ["", f"Casework write path ({casework['date'][:10]}):", "",
                  *_casework_table(casework)]
    directory = results.get("directory")
    if directory:
        lines += ["", f"Directory search ({directory['date'][:10]}):", "",
                  *_directory_table(directory)]
    reporting = results.get("reporting")
    if reporting:
        lines += ["", f"Reporting at 1,000,000 events ({reporting['date'][:10]}; "
                  "`bench/reporting_bench.py`, `make bench` part `reporting`):", "",
                  *_reporting_table(reporting)]
    return "\n".join(lines) + "\n"


def replace_readme_section(readme: Path, section: str) -> None:
    """Put ``section`` in place of the README's "## Benchmarks" (up to the next "## ")."""
    text = readme.read_text()
    start = text.index("## Benchmarks\n")
    end = text.find("\n## ", start + 1)
    rest = text[end + 1:] if end != -1 else ""
    readme.write_text(text[:start] + section + ("\n" + rest if rest else ""))
