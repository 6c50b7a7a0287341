"""The consumer's broker connection is cut mid-stream; it reconnects and processes every event,
none twice in effect."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest

from lotse_example.bootstrap import bootstrap
from lotse_platform.testing import poll

from ..support.pipeline import Running, inbox_count, record_notes, tally
from ..support.tcp_proxy import TcpProxy

pytestmark = [pytest.mark.integration, pytest.mark.slow]

EVENTS = 1500


def test_consumer_reconnects_after_its_connection_is_cut_and_loses_nothing(example, example_settings):
    tenant = uuid.uuid4()
    record_notes(example, tenant, "cluster-sued", EVENTS)
    with Running(example.relay().run):
        poll(lambda: example.relay().backlog() == 0, timeout=60, message="all events published")

    broker = urlsplit(example_settings.broker_url)
    proxy = TcpProxy(broker.hostname, broker.port or 5672)
    proxied_url = urlunsplit(broker._replace(netloc=f"guest:guest@127.0.0.1:{proxy.port}"))
    consumer = bootstrap(example_settings.model_copy(update={"broker_url": proxied_url})).consumer()
    try:
        with Running(consumer.run):
            poll(lambda: tally(example, tenant, "cluster-sued") > 0, timeout=30,
                 message="consumption to start")
            assert proxy.cut() >= 1
            mid_stream = tally(example, tenant, "cluster-sued")
            assert mid_stream < EVENTS, "the cut came after the stream ended; nothing was proven"
            poll(lambda: proxy.connections >= 2, timeout=30, message="the consumer to reconnect")
            poll(lambda: tally(example, tenant, "cluster-sued") == EVENTS, timeout=60,
                 message="every event processed")
    finally:
        proxy.close()

    assert tally(example, tenant, "cluster-sued") == EVENTS
    assert inbox_count(example) == EVENTS
