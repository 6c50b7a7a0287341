"""Every Prometheus metric of the platform, defined once.

Labels name services, routes, event types and outcomes; never tenants, users, people or record
ids (ARCHITECTURE.md, privacy). Every label takes its values from a closed set, never from what
a caller or a publisher sent: routes are URL rules (``unmatched`` for none), methods a known
list (``OTHER`` for the rest), event types those the service publishes or handles, dead-letter
reasons a fixed list of codes (an unknown event type is one value, ``unknown_event_type``). In gunicorn's multiprocess mode ``PROMETHEUS_MULTIPROC_DIR`` is
set before this module is imported; gauges then say how to combine the workers' values.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
LAG_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)

http_requests = Counter(
    "lotse_http_requests_total", "HTTP requests answered", ["service", "route", "method", "status"]
)
http_latency = Histogram(
    "lotse_http_request_duration_seconds", "HTTP request latency", ["service", "route", "method"],
    buckets=LATENCY_BUCKETS,
)
http_in_flight = Gauge(
    "lotse_http_requests_in_flight", "HTTP requests being handled", ["service"],
    multiprocess_mode="livesum",
)

outbox_backlog = Gauge(
    "lotse_outbox_backlog", "Outbox events not yet confirmed by the broker", ["service"],
    multiprocess_mode="livemax",
)
relay_published = Counter(
    "lotse_relay_published_total", "Events published and confirmed by the broker",
    ["service", "event_type"],
)
relay_unconfirmed = Counter(
    "lotse_relay_unconfirmed_total", "Events the broker nacked or did not confirm in time (resent)",
    ["service"],
)

events_consumed = Counter(
    "lotse_events_consumed_total", "Events taken from the queue, by outcome",
    ["service", "consumer", "event_type", "outcome"],
)
handler_duration = Histogram(
    "lotse_event_handler_duration_seconds", "Time a handler took, commit included",
    ["service", "consumer", "event_type"], buckets=LATENCY_BUCKETS,
)
consumer_lag = Histogram(
    "lotse_consumer_lag_seconds", "Time from an event's occurrence to its processing",
    ["service", "consumer"], buckets=LAG_BUCKETS,
)
queue_depth = Gauge(
    "lotse_queue_depth", "Messages waiting in a queue (consumer lag in messages)", ["queue"],
    multiprocess_mode="livemax",
)
dead_letters = Counter(
    "lotse_dead_letters_total", "Events sent to the dead-letter queue by a consumer",
    ["service", "consumer", "reason"],  # reason: bus.consumer.DEAD_LETTER_REASONS, a closed set
)

audit_sealed = Counter(
    "lotse_audit_sealed_total", "Audit entries sealed into their tenant's hash chain", ["service"],
)
audit_unsealed = Gauge(
    "lotse_audit_unsealed_entries", "Audit entries not yet sealed, when the last sealing began",
    ["service"], multiprocess_mode="livemax",
)
audit_checkpoints = Counter(
    "lotse_audit_checkpoints_total",
    "Signed checkpoints of audit chain heads written to the anchor directory", ["service"],
)
audit_anchor_mismatches = Counter(
    "lotse_audit_anchor_mismatches_total",
    "Audit chains found not to hold what their last checkpoint says (not anchored again)",
    ["service"],
)
audit_unsealed_age = Gauge(
    "lotse_audit_unsealed_age_seconds",
    "Age of the oldest unsealed audit entry, when the last sealing began", ["service"],
    multiprocess_mode="livemax",
)
