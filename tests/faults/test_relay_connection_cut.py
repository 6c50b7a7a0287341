"""The relay's broker connection is cut while it publishes a backlog, with messages unconfirmed
in flight. It reconnects and sends again what was not confirmed; every event takes effect at the
consumer exactly once, and every row ends up marked sent."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
from kombu import Connection
from prometheus_client import REGISTRY

from lotse_example.bootstrap import bootstrap
from lotse_platform.testing import broker_listing, poll, queue_depth

from ..support.pipeline import Running, inbox_count, record_notes, tally, unpublished
from ..support.tcp_proxy import TcpProxy

pytestmark = [pytest.mark.integration, pytest.mark.slow]

EVENTS = 2000


def unconfirmed_total() -> float:
    return REGISTRY.get_sample_value("lotse_relay_unconfirmed_total", {"service": "example"}) or 0.0


def unacknowledged(broker_url: str) -> int:
    with Connection(broker_url) as connection:
        vhost = connection.virtual_host
    return sum(q["messages_unacknowledged"]
               for q in broker_listing("queues", vhost, "name", "messages_unacknowledged"))


def test_relay_connection_cut_mid_batch_resends_and_each_event_takes_effect_once(
        example, example_settings):
    tenant = uuid.uuid4()
    record_notes(example, tenant, "cluster-west", EVENTS)
    lost_before = unconfirmed_total()

    broker = urlsplit(example_settings.broker_url)
    proxy = TcpProxy(broker.hostname, broker.port or 5672)
    proxied_url = urlunsplit(broker._replace(netloc=f"guest:guest@127.0.0.1:{proxy.port}"))
    relay = bootstrap(example_settings.model_copy(update={"broker_url": proxied_url})).relay()
    try:
        with Running(example.consumer().run), Running(relay.run):
            poll(lambda: 0 < unpublished(example) < EVENTS, interval=0.002, timeout=30,
                 message="publishing to begin")
            assert proxy.cut() >= 1
            assert unpublished(example) > 0, "the cut came after the backlog; nothing was proven"
            poll(lambda: proxy.connections >= 2, timeout=30, message="the relay to reconnect")
            poll(lambda: unpublished(example) == 0, timeout=60, message="every event sent")
            poll(lambda: tally(example, tenant, "cluster-west") == EVENTS, timeout=60,
                 message="every event processed")
            with Connection(example_settings.broker_url) as connection:
                poll(lambda: queue_depth(connection, "example.events") == 0
                     and unacknowledged(example_settings.broker_url) == 0, timeout=60,
                     message="the resent events consumed too")
    finally:
        proxy.close()

    assert unconfirmed_total() > lost_before, "nothing was in flight at the cut"
    assert tally(example, tenant, "cluster-west") == EVENTS
    assert inbox_count(example) == EVENTS
