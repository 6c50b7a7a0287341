"""The topology on the real broker (ARCHITECTURE.md, Events), as RabbitMQ itself reports it:
a durable topic exchange, routing key = event type; per consuming service a durable quorum
queue with an explicit delivery limit and dead-lettering into ``<service>.dead``; a consumer
that asks for a prefetch within 100–300."""

from __future__ import annotations

import uuid

import pytest
from kombu import Connection

from lotse_example.bootstrap import bootstrap
from lotse_example.service_layer.handlers import EVENT_HANDLERS
from lotse_example.settings import ExampleSettings
from lotse_platform.bus import Topology
from lotse_platform.testing import Running, broker_listing, poll, publish_raw, queue_depth

pytestmark = pytest.mark.integration

EVENT_TYPES = sorted(EVENT_HANDLERS)


@pytest.fixture(scope="module")
def example_on_the_broker(broker_url):
    """The example service's settings and topology, declared as its worker declares them."""
    container = bootstrap(ExampleSettings(database_url="sqlite://", broker_url=broker_url))
    with Connection(broker_url) as connection:
        container.topology.declare_service(connection, "example", EVENT_TYPES)
    return container


@pytest.fixture(scope="module")
def declared(example_on_the_broker, broker_vhost):
    """What the broker reports about the example service's topology."""
    queues = broker_listing("queues", broker_vhost, "name", "type", "durable", "arguments")
    exchanges = broker_listing("exchanges", broker_vhost, "name", "type", "durable")
    return {
        "settings": example_on_the_broker.settings,
        "queues": {q["name"]: q for q in queues},
        "exchanges": {e["name"]: e for e in exchanges},
        "bindings": broker_listing("bindings", broker_vhost, "source_name", "destination_name",
                                   "destination_kind", "routing_key"),
    }


def arguments(queue: dict) -> dict:
    return {name: value for name, _type, value in queue["arguments"]}


def test_the_service_queue_is_a_durable_quorum_queue(declared):
    queue = declared["queues"]["example.events"]

    assert queue["type"] == "quorum"
    assert queue["durable"] is True


def test_the_service_queue_has_an_explicit_delivery_limit_and_dead_letters_to_its_dead_queue(
    declared
):
    args = arguments(declared["queues"]["example.events"])
    settings = declared["settings"]

    assert args["x-delivery-limit"] == settings.delivery_limit
    assert args["x-dead-letter-exchange"] == settings.dead_letter_exchange
    assert args["x-dead-letter-routing-key"] == "example"


def test_the_events_exchange_is_a_durable_topic_exchange(declared):
    exchange = declared["exchanges"][declared["settings"].exchange]

    assert (exchange["type"], exchange["durable"]) == ("topic", True)


def test_the_service_queue_is_bound_by_each_handled_event_type_with_and_without_a_suffix(
    declared
):
    bound = sorted(b["routing_key"] for b in declared["bindings"]
                   if b["source_name"] == declared["settings"].exchange
                   and b["destination_name"] == "example.events")

    assert bound == sorted([*EVENT_TYPES, *(f"{t}.#" for t in EVENT_TYPES)])


def test_the_dead_letter_queue_exists_durable_and_bound_to_the_dead_letter_exchange(declared):
    dead_letter_exchange = declared["settings"].dead_letter_exchange
    dead = declared["queues"]["example.dead"]
    exchange = declared["exchanges"][dead_letter_exchange]

    assert (dead["type"], dead["durable"]) == ("quorum", True)
    assert exchange["durable"] is True
    assert {"source_name": dead_letter_exchange,
            "destination_name": "example.dead", "destination_kind": "queue",
            "routing_key": "example"} in declared["bindings"]


def test_an_event_reaches_the_queue_by_its_type_and_other_types_do_not(bus_example):
    with Connection(bus_example.settings.broker_url) as connection:
        publish_raw(connection, bus_example.settings.exchange, EVENT_TYPES[0], b"",
                    message_id=str(uuid.uuid4()))
        publish_raw(connection, bus_example.settings.exchange, "other.thing.happened.v1", b"")

        assert queue_depth(connection, "example.events") == 1


def test_an_event_published_under_an_instance_suffix_reaches_the_queue_once(bus_example):
    suffixed = Topology(routing_key_suffix="awo")
    with Connection(bus_example.settings.broker_url) as connection:
        publish_raw(connection, bus_example.settings.exchange,
                    suffixed.routing_key(EVENT_TYPES[0]), b"", message_id=str(uuid.uuid4()))
        publish_raw(connection, bus_example.settings.exchange, f"{EVENT_TYPES[0]}x.awo", b"")

        assert queue_depth(connection, "example.events") == 1


def test_a_topology_that_may_not_declare_declares_nothing(broker_url, broker_vhost):
    silent = Topology(exchange_name="lotse.undeclared", dead_letter_exchange_name="lotse.undead",
                      declare=False)
    with Connection(broker_url) as connection:
        silent.declare_exchanges(connection)
        silent.declare_service(connection, "undeclared", EVENT_TYPES)

    exchanges = {e["name"] for e in broker_listing("exchanges", broker_vhost, "name")}
    queues = {q["name"] for q in broker_listing("queues", broker_vhost, "name")}
    assert not {"lotse.undeclared", "lotse.undead"} & exchanges
    assert not {"undeclared.events", "undeclared.dead"} & queues


def test_declaring_again_keeps_what_waits_in_the_queues_and_the_topology_as_declared(
        declared, bus_example, broker_vhost):
    settings = bus_example.settings
    with Connection(settings.broker_url) as connection:
        publish_raw(connection, settings.exchange, EVENT_TYPES[0], b"",
                    message_id=str(uuid.uuid4()))
        publish_raw(connection, settings.dead_letter_exchange, "example", b"")

        # as a worker's restart does, twice
        bus_example.topology.declare_service(connection, "example", EVENT_TYPES)
        bus_example.topology.declare_service(connection, "example", EVENT_TYPES)

        assert [queue_depth(connection, q) for q in ("example.events", "example.dead")] == [1, 1]
    queues = broker_listing("queues", broker_vhost, "name", "type", "durable", "arguments")
    bindings = broker_listing("bindings", broker_vhost, "source_name", "destination_name",
                              "destination_kind", "routing_key")

    def ours(found: list[dict]) -> list[dict]:
        return sorted((item for item in found if item.get("name", item.get("destination_name"))
                       in ("example.events", "example.dead")), key=repr)

    assert [{**q, "arguments": arguments(q)} for q in ours(queues)] == [
        {**q, "arguments": arguments(q)} for q in ours(list(declared["queues"].values()))]
    assert ours(bindings) == ours(declared["bindings"])


def test_the_running_consumer_asks_for_the_configured_prefetch_within_100_to_300(
    bus_example, broker_vhost
):
    settings = bus_example.settings.model_copy(update={"prefetch": 150})
    container = bootstrap(settings)
    try:
        with Running(container.consumer().run):
            consumers = poll(lambda: broker_listing("consumers", broker_vhost, "queue_name",
                                                    "prefetch_count", "ack_required"),
                             timeout=20, message="the consumer to subscribe")
    finally:
        container.engine.dispose()

    assert consumers == [{"queue_name": "example.events", "prefetch_count": 150,
                          "ack_required": True}]
