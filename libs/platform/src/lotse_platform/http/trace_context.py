"""A span per request: the caller's W3C trace context continued, or a new trace started.

Tracing on (:mod:`lotse_platform.tracing`): OpenTelemetry's Flask instrumentation, which takes
the caller's ``traceparent`` and records the request's span, named by its route template. Tracing
off: the same trace context without the instrumentation's recording work (it would cost about
0.1 ms of every request for nothing): OpenTelemetry's propagator reads the caller's context, the
process's non-recording tracer starts the request's span in it, and the span is current while the
request is handled. Either way :func:`~lotse_platform.tracing.current_traceparent` answers that
span's ``traceparent`` inside the request, and nothing outside it. The probes have no span.
"""

from __future__ import annotations

from flask import Flask, g, request
from opentelemetry import context, propagate, trace
from opentelemetry.instrumentation.flask import FlaskInstrumentor
from opentelemetry.metrics import NoOpMeterProvider

from ..tracing import SCOPE, tracer_provider, tracing_on

PROBES = frozenset({"/healthz", "/readyz", "/metrics"})
# the same for the instrumentation: regular expressions searched for in the request's URL
_UNTRACED = ",".join(rf"{path}(\?|$)" for path in sorted(PROBES))


def install_trace_context(app: Flask) -> None:
    """Register the hooks; must come before every other ``before_request`` hook."""
    if tracing_on():
        # request metrics are Prometheus' (access.py); no SQL comments
        FlaskInstrumentor.instrument_app(app, tracer_provider=tracer_provider(),
                                         excluded_urls=_UNTRACED, enable_commenter=False,
                                         meter_provider=NoOpMeterProvider())
        return
    tracer = tracer_provider().get_tracer(SCOPE)

    @app.before_request
    def enter_trace_context() -> None:
        if request.path in PROBES:
            return
        parent = propagate.extract(request.headers)
        span = tracer.start_span(request.method, context=parent, kind=trace.SpanKind.SERVER)
        g._lotse_trace = (span, context.attach(trace.set_span_in_context(span, parent)))

    @app.teardown_request
    def leave_trace_context(_error: BaseException | None) -> None:
        entered = g.pop("_lotse_trace", None)
        if entered is not None:
            span, token = entered
            context.detach(token)
            span.end()
