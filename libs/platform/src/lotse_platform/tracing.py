"""Distributed tracing with OpenTelemetry: one trace from a request through its events.

Every request runs in a span of OpenTelemetry's Flask instrumentation (:mod:`.http.app`), which
takes the caller's W3C ``traceparent`` or starts a new trace. An event published in it carries the
current trace context on its outbox row (:meth:`~lotse_platform.uow.SqlAlchemyUnitOfWork.publish`,
:func:`current_traceparent`), the relay puts it into the message's CloudEvents headers, and the
consumer runs the event's handler in a ``CONSUMER`` span that continues that trace
(:func:`handling`), so what the handler publishes carries it on.

Off by default. Then nothing is recorded or exported, yet trace ids are made and passed on as
above: a request without ``traceparent`` still starts a trace, and log lines carry its id. On with
``LOTSE_TRACING=true``, or when ``OTEL_EXPORTER_OTLP_ENDPOINT`` (or ``…_TRACES_ENDPOINT``) is
set: spans go to that OTLP/HTTP endpoint through a batch span processor, under the service's name,
with OpenTelemetry's SQLAlchemy instrumentation for the statements (never their parameters). The
exporter's other ``OTEL_EXPORTER_OTLP_*`` and ``OTEL_BSP_*`` variables apply as documented by
OpenTelemetry. LOTSE_TRACING=false keeps it off whatever else is set.

When on, every request and every event handled is recorded, whatever the caller's sampled flag
says (the gateway starts traces unsampled); statements outside both (the relay's polling, the
audit sealer, readiness checks) are not. Probes (``/healthz``, ``/readyz``, ``/metrics``) have no
spans.

No personal data leaves in a span (:class:`WithoutPersonalData` stands before every exporter):
query strings, the caller's address and user agent, captured headers, exception messages and
status descriptions (a database error quotes the values it refused) are dropped, and an unmatched
request is named by its method alone.

One configuration per process (:func:`configure_tracing`, called by the service container and
the app factory); tests replace it for a block with :func:`tracing_with`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Any

from opentelemetry import context, trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import Event, ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    SimpleSpanProcessor,
    SpanExporter,
    SpanExportResult,
)
from opentelemetry.sdk.trace.sampling import (
    ALWAYS_OFF,
    Decision,
    ParentBased,
    Sampler,
    SamplingResult,
)
from opentelemetry.trace import Link, SpanKind, Status, StatusCode, TraceState
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from opentelemetry.util.types import Attributes

if TYPE_CHECKING:
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    from .contracts import Envelope
    from .settings import ServiceSettings

__all__ = ["TRACEPARENT", "WithoutPersonalData", "configure_tracing", "current_traceparent",
           "handling", "provider_exporting_to", "provider_from_settings", "tracer_provider",
           "tracing_enabled", "tracing_on", "tracing_with"]

TRACEPARENT = "traceparent"
#: the spans' instrumentation scope (the consumer's spans; requests and statements have their
#: instrumentations' own)
SCOPE = "lotse_platform"

# The outbox column and the envelope's ``traceparent`` attribute are W3C trace context by
# contract (CloudEvents' distributed tracing extension), whatever OTEL_PROPAGATORS says.
_W3C = TraceContextTextMapPropagator()


# -- trace context ------------------------------------------------------------------------------
def current_traceparent() -> str | None:
    """The W3C ``traceparent`` of the current span (a request's, an event handler's), or
    ``None`` outside any."""
    carrier: dict[str, str] = {}
    _W3C.inject(carrier)
    return carrier.get(TRACEPARENT)


class handling:  # noqa: N801 - used as a function: ``with handling(envelope, consumer=…):``
    """Run an event's handler in a ``CONSUMER`` span that continues the trace of the event's
    ``traceparent`` (a new trace when it has none); events published inside carry it on.

    A handler's exception is marked on the span by its type only (its message may quote data).
    With tracing off the span records nothing and costs a few microseconds.
    """

    __slots__ = ("_envelope", "_consumer", "_span", "_token")

    def __init__(self, envelope: Envelope, *, consumer: str) -> None:
        self._envelope = envelope
        self._consumer = consumer

    def __enter__(self) -> trace.Span:
        envelope, active = self._envelope, _active
        parent = _W3C.extract({TRACEPARENT: envelope.traceparent} if envelope.traceparent
                              else {})
        attributes: dict[str, str] | None = None
        if active.records:
            attributes = {
                "messaging.system": "rabbitmq",
                "messaging.operation.type": "process",
                "messaging.operation.name": "process",
                "messaging.consumer.group.name": self._consumer,
                "messaging.message.id": str(envelope.id),
                "cloudevents.event_id": str(envelope.id),
                "cloudevents.event_type": envelope.type,
                "cloudevents.event_source": envelope.source,
            }
            if envelope.subject is not None:
                attributes["cloudevents.event_subject"] = envelope.subject
        span = self._span = active.tracer.start_span(
            f"process {envelope.type}", context=parent, kind=SpanKind.CONSUMER,
            attributes=attributes)
        self._token = context.attach(trace.set_span_in_context(span, parent))
        return span

    def __exit__(self, error_type: type[BaseException] | None, error: BaseException | None,
                 _traceback: TracebackType | None) -> None:
        context.detach(self._token)
        span = self._span
        if error_type is not None and span.is_recording():
            span.set_status(Status(StatusCode.ERROR))
            span.set_attribute("error.type", _type_name(error_type))
        span.end()


def _type_name(error_type: type) -> str:
    if error_type.__module__ == "builtins":
        return error_type.__qualname__
    return f"{error_type.__module__}.{error_type.__qualname__}"


# -- what leaves the process --------------------------------------------------------------------
class WithoutPersonalData(SpanExporter):
    """Hands spans to ``exporter`` without what may be personal data.

    Instrumentations record more than Lotse may keep: the full URL with its query string (a
    search by name), the caller's address and user agent, the message of an exception (a
    database error quotes the values it refused, ``KeyError`` the key). Dropped here, on the
    exporter's thread, so the requests pay nothing for it:

    * query strings of ``http.target``, ``http.url``, ``url.full``; ``url.query``;
    * for a request that matched no route: every attribute carrying its path, and the path in
      the span's name (the method is left, as the access log says ``unmatched``);
    * the caller's address, port and user agent; captured request and response headers;
    * status descriptions; of exception events everything but ``exception.type``.

    Statements are recorded without their parameters by the SQLAlchemy instrumentation itself.
    """

    _QUERY_CARRYING = frozenset({"http.target", "http.url", "url.full"})
    _PATH_CARRYING = frozenset({"http.target", "http.url", "url.full", "url.path"})
    _DROPPED = frozenset({"url.query"})
    _CALLER = frozenset({
        "net.peer.ip", "net.peer.port", "net.peer.name", "net.sock.peer.addr",
        "net.sock.peer.port", "client.address", "client.port", "network.peer.address",
        "network.peer.port", "http.client_ip", "http.user_agent", "user_agent.original",
        "user_agent.synthetic.type",
    })
    _HEADERS = ("http.request.header.", "http.response.header.")
    _EVENT_KEPT = frozenset({"exception.type", "exception.escaped"})

    def __init__(self, exporter: SpanExporter) -> None:
        self._exporter = exporter

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return self._exporter.export([self.scrubbed(span) for span in spans])

    def shutdown(self) -> None:
        self._exporter.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self._exporter.force_flush(timeout_millis)

    @classmethod
    def scrubbed(cls, span: ReadableSpan) -> ReadableSpan:
        server = span.kind is SpanKind.SERVER
        given = dict(span.attributes or {})
        unmatched = server and "http.route" not in given
        attributes: dict[str, Any] = {}
        for key, value in given.items():
            if key in cls._DROPPED or key.startswith(cls._HEADERS):
                continue
            if server and key in cls._CALLER:
                continue
            if unmatched and key in cls._PATH_CARRYING:
                continue
            if key in cls._QUERY_CARRYING and isinstance(value, str):
                value = value.split("?", 1)[0].split("#", 1)[0]
            attributes[key] = value
        events = [
            Event(event.name, {k: v for k, v in (event.attributes or {}).items()
                               if k in cls._EVENT_KEPT}, event.timestamp)
            for event in span.events
        ]
        return ReadableSpan(
            name=span.name.split(" ", 1)[0] if unmatched else span.name,
            context=span.context, parent=span.parent, resource=span.resource,
            attributes=attributes, events=events, links=span.links, kind=span.kind,
            status=Status(span.status.status_code), start_time=span.start_time,
            end_time=span.end_time, instrumentation_scope=span.instrumentation_scope,
        )


class _RequestsAndEvents(Sampler):
    """A trace's first span is recorded when it is a request's (``SERVER``) or an event
    handler's (``CONSUMER``); statements outside both are not."""

    def should_sample(self, parent_context: Context | None, trace_id: int, name: str,
                      kind: SpanKind | None = None, attributes: Attributes = None,
                      links: Sequence[Link] | None = None,
                      trace_state: TraceState | None = None) -> SamplingResult:
        if kind in (SpanKind.SERVER, SpanKind.CONSUMER):
            return SamplingResult(Decision.RECORD_AND_SAMPLE, attributes, trace_state)
        return SamplingResult(Decision.DROP, None, trace_state)

    def get_description(self) -> str:
        return "LotseRequestsAndEvents"


# every request and event handled here, also under a caller that did not sample (the gateway
# starts traces unsampled); inside them, what the parent says
_SAMPLER = ParentBased(root=_RequestsAndEvents(), remote_parent_not_sampled=_RequestsAndEvents())


def provider_exporting_to(service: str, exporter: SpanExporter, *,
                          batch: bool = True) -> TracerProvider:
    """A provider that records the spans of ``service`` and hands them, without personal data,
    to ``exporter``: through a batch span processor, or (``batch=False``, tests) one by one as
    each span ends."""
    provider = TracerProvider(
        sampler=_SAMPLER,
        resource=Resource.create({SERVICE_NAME: service, "service.namespace": "lotse"}),
    )
    scrubbed = WithoutPersonalData(exporter)
    provider.add_span_processor(BatchSpanProcessor(scrubbed) if batch
                                else SimpleSpanProcessor(scrubbed))
    return provider


def tracing_enabled(settings: ServiceSettings) -> bool:
    """``LOTSE_TRACING`` when set, else whether an OTLP endpoint is."""
    chosen = getattr(settings, "tracing", None)
    if chosen is not None:
        return bool(chosen)
    return bool(getattr(settings, "otlp_endpoint", None)
                or getattr(settings, "otlp_traces_endpoint", None))


def provider_from_settings(service: str, settings: ServiceSettings) -> TracerProvider | None:
    """The exporting provider the settings ask for, or ``None`` when tracing is off."""
    if not tracing_enabled(settings):
        return None
    # imported only when tracing is on: it brings an HTTP client along
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    if settings.otlp_traces_endpoint:
        endpoint: str | None = settings.otlp_traces_endpoint
    elif settings.otlp_endpoint:
        endpoint = f"{settings.otlp_endpoint.rstrip('/')}/v1/traces"
    else:
        endpoint = None  # the exporter's default, http://localhost:4318/v1/traces
    return provider_exporting_to(service, OTLPSpanExporter(endpoint=endpoint))


# -- the process's configuration ----------------------------------------------------------------
class _Active:
    """The provider in use and its tracer; the off one until tracing is configured."""

    def __init__(self, provider: TracerProvider, *, records: bool) -> None:
        self.provider = provider
        self.tracer = provider.get_tracer(SCOPE)
        #: spans are recorded and exported; the instrumentations are installed
        self.records = records


# Off: nothing recorded (so nothing to export), but each span still gets ids, so trace context
# is made and passed on as when tracing is on.
_OFF = _Active(TracerProvider(sampler=ALWAYS_OFF, shutdown_on_exit=False), records=False)
_active = _OFF
_configured = False
_lock = threading.Lock()


def tracer_provider() -> TracerProvider:
    """The provider of this process: what :func:`configure_tracing` set up, else the off one."""
    return _active.provider


def tracing_on() -> bool:
    """Whether spans are recorded and exported in this process (else only trace context is
    made and passed on)."""
    return _active.records


def configure_tracing(service: str, settings: ServiceSettings) -> None:
    """Set up tracing for this process from ``settings`` (see the module's text). Only the first
    call counts (in embedded mode the first service names the process's spans); call it before
    any engine is created, so the engines' statements are traced."""
    global _configured
    with _lock:
        if _configured:
            return
        _configured = True
        provider = provider_from_settings(service, settings)
        if provider is None:
            return
        trace.set_tracer_provider(provider)  # for any other instrumentation of the process
        _activate(_Active(provider, records=True))


def _activate(active: _Active) -> None:
    global _active
    previous, _active = _active, active
    if previous.records:
        _sqlalchemy().uninstrument()
    if active.records:
        # every engine created from now on; no statement parameters are ever recorded by it,
        # and no SQL comments are added to the statements. The instrumentation declares
        # SQLAlchemy < 2.1 and would refuse 2.1 without skip_dep_check; the events it listens
        # to are unchanged in 2.1 (libs/platform/tests/test_tracing.py traces them on PostgreSQL).
        _sqlalchemy().instrument(tracer_provider=active.provider, enable_commenter=False,
                                 skip_dep_check=True)


def _sqlalchemy() -> SQLAlchemyInstrumentor:
    # imported only when tracing is on
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    return SQLAlchemyInstrumentor()


@contextmanager
def tracing_with(provider: TracerProvider) -> Iterator[TracerProvider]:
    """Use ``provider`` (e.g. :func:`provider_exporting_to` an in-memory exporter) while the
    block runs: for apps, consumers and engines created inside it. Tests."""
    with _lock:
        previous = _active
        _activate(_Active(provider, records=True))
    try:
        yield provider
    finally:
        with _lock:
            _activate(previous)
