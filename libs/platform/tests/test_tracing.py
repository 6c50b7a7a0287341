"""One trace from a request through its events (OpenTelemetry, :mod:`lotse_platform.tracing`).

A request's span continues the caller's ``traceparent`` (or starts a trace); an event published
in it carries that trace on its outbox row, the relay puts it into the message, and the consumer
runs the handler in a ``CONSUMER`` span of the same trace, so the events the handler publishes
carry it on. Shown on the example service with the real PostgreSQL and RabbitMQ; spans are
observed with the SDK's in-memory exporter behind the same scrubbing every exporter gets. With
tracing off (the default) nothing is recorded, and the trace ids flow all the same.
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode
from werkzeug.serving import make_server

from lotse.example.v1.events_pb2 import NoteRecorded
from lotse_example.adapters import orm
from lotse_platform import clock, tracing
from lotse_platform.auth import CASE_MANAGER
from lotse_platform.auth.devtokens import DevIssuer
from lotse_platform.bus import EventConsumer
from lotse_platform.contracts import Envelope, event_type_of
from lotse_platform.settings import ServiceSettings
from lotse_platform.testing import JsonHandler, LocalServer, Running, poll

pytestmark = pytest.mark.integration

NOTE_RECORDED = event_type_of(NoteRecorded)
GIVEN_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
GIVEN_PARENT_ID = "00f067aa0ba902b7"
GIVEN_TRACEPARENT = f"00-{GIVEN_TRACE_ID}-{GIVEN_PARENT_ID}-01"
# a person's name, in a note's text (a statement parameter), a query string and a path
PERSON = "Ayşe Yılmaz"
NOTE_TEXT = f"{PERSON} braucht einen Termin beim Jobcenter"
# as it may appear: itself, percent-encoded in a URL, as WSGI's latin-1 reading of its bytes
PERSON_FORMS = ("Ayşe", "Yılmaz", quote("Ayşe"), "Ayşe".encode().decode("latin-1"))
AREA = "area-brakel"
FOLLOW_UP_AUTHOR = "follow-up"


def trace_id_of(traceparent: str | None) -> str | None:
    return traceparent.split("-")[1] if traceparent else None


def span_id_of(traceparent: str) -> str:
    return traceparent.split("-")[2]


def hex_trace(span) -> str:
    return f"{span.context.trace_id:032x}"


@pytest.fixture
def spans():
    """Every span of the block, recorded as tracing on would, into memory."""
    exporter = InMemorySpanExporter()
    with tracing.tracing_with(tracing.provider_exporting_to("example", exporter, batch=False)):
        yield exporter


@pytest.fixture
def issuer() -> DevIssuer:
    return DevIssuer()


def client_of(example, issuer):
    example.trust(issuer.keys(), issuer.issuer)
    return example.create_app(check_database=False).test_client()


def bearer(issuer, tenant: uuid.UUID) -> dict[str, str]:
    token = issuer.issue("cm-lea", tenant, "org-kreis", [CASE_MANAGER], areas=[AREA])
    return {"Authorization": f"Bearer {token}"}


def record_note(client, issuer, tenant, **headers):
    response = client.post("/notes", json={"area_id": AREA, "text": NOTE_TEXT},
                           headers={**bearer(issuer, tenant), **headers})
    assert response.status_code == 201, response.get_json()
    return response


def outbox_traceparents(example) -> dict[str, str | None]:
    """author of each NoteRecorded in the outbox -> its row's traceparent"""
    outbox = orm.platform.outbox
    with example.engine.connect() as connection:
        rows = connection.execute(sa.select(outbox.c.payload, outbox.c.traceparent)).all()
    return {NoteRecorded.FromString(row.payload).author_id: row.traceparent for row in rows}


def following_up(author: str = FOLLOW_UP_AUTHOR):
    """A handler that publishes a follow-up event (by ``author``) for each note it sees, but
    not for a follow-up."""

    def handler(event, envelope, uow):
        if event.author_id.startswith(FOLLOW_UP_AUTHOR):
            return
        follow_up = NoteRecorded(note_id=str(uuid.uuid4()), area_id=event.area_id,
                                 author_id=author.format(event=event), length=0)
        uow.publish(follow_up, aggregate_id=follow_up.note_id)

    return handler


def consumer_of(example, handler) -> EventConsumer:
    return EventConsumer(service="example", broker_url=example.settings.broker_url,
                         topology=example.topology, registry=example.registry,
                         handlers={NOTE_RECORDED: handler}, sessions=example.sessions,
                         tables=orm.platform)


def relay_and_consume(example, handler) -> dict[str, str | None]:
    """Relay the outbox to the broker and consume until the handler's follow-up is written."""
    with Running(example.relay().run), Running(consumer_of(example, handler).run):
        return poll(lambda: (found := outbox_traceparents(example)).get(FOLLOW_UP_AUTHOR)
                    and found, timeout=30, message="the handler's follow-up event")


@contextmanager
def served(app):
    """``app`` on a real WSGI server (the raw request target reaches the app as under
    gunicorn, query string and all; the test client passes the path alone)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def get(url: str, headers: dict[str, str]) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def everything_said(span) -> str:
    """All text of a span that leaves the process: name, attributes, events, status."""
    parts = [span.name, str(span.status.description or "")]
    parts += [f"{key}={value}" for key, value in (span.attributes or {}).items()]
    for event in span.events:
        parts.append(event.name)
        parts += [f"{key}={value}" for key, value in (event.attributes or {}).items()]
    return "\n".join(parts)


# -- tracing on ---------------------------------------------------------------------------------
def test_a_requests_trace_reaches_the_consumer_and_the_events_its_handler_publishes(
        spans, bus_example, issuer):
    tenant = uuid.uuid4()
    client = client_of(bus_example, issuer)

    response = record_note(client, issuer, tenant, traceparent=GIVEN_TRACEPARENT)

    (request,) = [s for s in spans.get_finished_spans() if s.kind is SpanKind.SERVER]
    assert request.name == "POST /notes"
    assert hex_trace(request) == GIVEN_TRACE_ID
    assert f"{request.parent.span_id:016x}" == GIVEN_PARENT_ID and request.parent.is_remote
    assert trace_id_of(response.headers["traceparent"]) == GIVEN_TRACE_ID
    published_in_request = outbox_traceparents(bus_example)["cm-lea"]
    assert span_id_of(published_in_request) == f"{request.context.span_id:016x}"

    rows = relay_and_consume(bus_example, following_up())

    assert trace_id_of(rows[FOLLOW_UP_AUTHOR]) == GIVEN_TRACE_ID
    handled = [s for s in spans.get_finished_spans() if s.kind is SpanKind.CONSUMER
               and s.attributes["cloudevents.event_type"] == NOTE_RECORDED]
    first = next(s for s in handled if hex_trace(s) == GIVEN_TRACE_ID
                 and s.parent.span_id == request.context.span_id)
    assert first.name == f"process {NOTE_RECORDED}"
    assert first.parent.is_remote
    assert first.attributes["messaging.consumer.group.name"] == "example"
    # the follow-up was published inside the handler's span
    assert span_id_of(rows[FOLLOW_UP_AUTHOR]) == f"{first.context.span_id:016x}"
    statements = [s for s in spans.get_finished_spans()
                  if s.kind is SpanKind.CLIENT and "db.statement" in s.attributes]
    assert any(s.parent.span_id == request.context.span_id for s in statements), \
        "the request's statements are traced in its span"
    assert any(s.parent.span_id == first.context.span_id for s in statements), \
        "the handler's statements are traced in its span"


def test_a_request_without_traceparent_starts_a_trace_that_its_events_carry(
        spans, bus_example, issuer):
    client = client_of(bus_example, issuer)

    response = record_note(client, issuer, uuid.uuid4())

    (request,) = [s for s in spans.get_finished_spans() if s.kind is SpanKind.SERVER]
    assert request.parent is None
    assert trace_id_of(response.headers["traceparent"]) == hex_trace(request)
    assert trace_id_of(outbox_traceparents(bus_example)["cm-lea"]) == hex_trace(request)


def test_no_span_says_a_persons_name_or_a_statement_parameter(spans, bus_example, issuer):
    tenant = uuid.uuid4()
    client = client_of(bus_example, issuer)
    record_note(client, issuer, tenant, traceparent=GIVEN_TRACEPARENT)
    with served(client.application) as url:
        # refused (not the caller's area), after the route matched: the span says it
        assert get(f"{url}/notes?area_id={quote(PERSON)}", bearer(issuer, tenant)) == 403
        assert get(f"{url}/no/such/route/{quote(PERSON)}", bearer(issuer, tenant)) == 404
    relay_and_consume(bus_example, following_up())
    # a statement the database refuses, quoting the refused value in its error
    tracer = tracing.tracer_provider().get_tracer("test")
    with tracer.start_as_current_span("refused", kind=SpanKind.SERVER):
        with pytest.raises(sa.exc.DataError), bus_example.engine.connect() as connection:
            connection.execute(sa.text("SELECT CAST(:value AS integer)"), {"value": PERSON})

    said = [everything_said(span) for span in spans.get_finished_spans()]

    assert any("INSERT INTO" in text for text in said), "statements are traced"
    refused = [s for s in spans.get_finished_spans() if s.name.startswith("SELECT")
               and "CAST" in s.attributes.get("db.statement", "")]
    assert refused and refused[0].status.status_code is StatusCode.ERROR
    (listed,) = [s for s in spans.get_finished_spans() if s.name == "GET /notes"]
    assert listed.attributes["http.target"] == "/notes", "without the query string"
    for text in said:
        for personal in (*PERSON_FORMS, "Jobcenter", AREA, "cm-lea"):
            assert personal not in text, f"{personal!r} in a span:\n{text}"
        assert "/no/such/route" not in text, "an unmatched request is named by its method"


def test_a_failing_handler_is_marked_on_its_span_by_the_exception_type_only(spans, bus_example):
    def failing(event, envelope, uow):
        raise RuntimeError(f"cannot handle {PERSON}")

    event = NoteRecorded(note_id=str(uuid.uuid4()), area_id=AREA, author_id="cm-lea", length=1)
    envelope = Envelope(id=uuid.uuid4(), type=NOTE_RECORDED, source="/lotse/example",
                        time=clock.now(), data=event.SerializeToString(), tenant=uuid.uuid4(),
                        traceparent=GIVEN_TRACEPARENT)

    with pytest.raises(RuntimeError):
        consumer_of(bus_example, failing).process(envelope, event)

    (handled,) = [s for s in spans.get_finished_spans() if s.kind is SpanKind.CONSUMER]
    assert hex_trace(handled) == GIVEN_TRACE_ID
    assert handled.status.status_code is StatusCode.ERROR
    assert handled.attributes["error.type"] == "RuntimeError"
    assert PERSON not in everything_said(handled)


def test_spans_are_exported_over_otlp_when_an_endpoint_is_set(bus_example, issuer):
    received: list[ExportTraceServiceRequest] = []
    arrived = threading.Event()

    class Collector(JsonHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            assert self.path == "/v1/traces"
            received.append(ExportTraceServiceRequest.FromString(self.read_body()))
            arrived.set()
            self.answer(200, {})

    with LocalServer(Collector) as collector:
        settings = ServiceSettings(database_url="sqlite://", otlp_endpoint=collector.url)
        provider = tracing.provider_from_settings("example", settings)
        assert provider is not None
        with tracing.tracing_with(provider):
            client = client_of(bus_example, issuer)
            with served(client.application) as url:
                assert get(f"{url}/notes?area_id={quote(PERSON)}", {
                    **bearer(issuer, uuid.uuid4()), "traceparent": GIVEN_TRACEPARENT}) == 403
            provider.force_flush()
        provider.shutdown()
        assert arrived.wait(10), "the collector got spans"

    exported = [span for request in received for resources in request.resource_spans
                for scope in resources.scope_spans for span in scope.spans]
    services = {attribute.value.string_value for request in received
                for resources in request.resource_spans
                for attribute in resources.resource.attributes
                if attribute.key == "service.name"}
    assert services == {"example"}
    (request,) = [s for s in exported if s.name == "GET /notes"]
    assert request.trace_id.hex() == GIVEN_TRACE_ID
    exported_bytes = b"".join(r.SerializeToString() for r in received)
    assert not any(form.encode() in exported_bytes for form in PERSON_FORMS)


# -- tracing off (the default) -----------------------------------------------------------------
def test_with_tracing_off_trace_ids_still_flow_through_the_outbox_and_the_events(
        bus_example, issuer):
    assert not tracing.tracing_enabled(bus_example.settings)
    assert not SQLAlchemyInstrumentor().is_instrumented_by_opentelemetry, \
        "no statement is instrumented while tracing is off"
    client = client_of(bus_example, issuer)

    record_note(client, issuer, uuid.uuid4(), traceparent=GIVEN_TRACEPARENT)

    assert trace_id_of(outbox_traceparents(bus_example)["cm-lea"]) == GIVEN_TRACE_ID
    rows = relay_and_consume(bus_example, following_up())
    assert trace_id_of(rows[FOLLOW_UP_AUTHOR]) == GIVEN_TRACE_ID


def test_with_tracing_off_a_request_without_traceparent_still_starts_a_trace(
        bus_example, issuer):
    client = client_of(bus_example, issuer)

    response = record_note(client, issuer, uuid.uuid4())

    started = trace_id_of(response.headers["traceparent"])
    assert started not in (None, GIVEN_TRACE_ID, "0" * 32)
    assert trace_id_of(outbox_traceparents(bus_example)["cm-lea"]) == started


def test_in_a_batch_each_handler_continues_its_own_events_trace(bus_example):
    consumer = consumer_of(bus_example, following_up(FOLLOW_UP_AUTHOR + " of {event.author_id}"))
    tenant = uuid.uuid4()
    traces = {"first": "1" * 32, "second": "2" * 32}
    batch = []
    for author, trace_id in traces.items():
        event = NoteRecorded(note_id=str(uuid.uuid4()), area_id=AREA, author_id=author, length=1)
        batch.append((Envelope(id=uuid.uuid4(), type=NOTE_RECORDED, source="/lotse/example",
                               time=clock.now(), data=event.SerializeToString(), tenant=tenant,
                               traceparent=f"00-{trace_id}-{GIVEN_PARENT_ID}-00"), event))

    assert consumer.process_batch(tenant, batch) == ["processed", "processed"]

    rows = outbox_traceparents(bus_example)
    assert {author: trace_id_of(rows[f"{FOLLOW_UP_AUTHOR} of {author}"])
            for author in traces} == traces


# -- settings -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("environment", "on"), [
    ({}, False),
    ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, True),
    ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/v1/traces"}, True),
    ({"LOTSE_TRACING": "true"}, True),
    ({"LOTSE_TRACING": "false", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, False),
    ({"LOTSE_TRACING": "", "OTEL_EXPORTER_OTLP_ENDPOINT": ""}, False),
])
def test_tracing_is_off_unless_asked_for(monkeypatch, environment, on):
    for name in ("LOTSE_TRACING", "OTEL_EXPORTER_OTLP_ENDPOINT",
                 "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    assert tracing.tracing_enabled(ServiceSettings(database_url="sqlite://")) is on
