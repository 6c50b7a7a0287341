"""Reference measurements: what PostgreSQL and RabbitMQ manage on this machine without Lotse.

- ``postgres_insert_commit``: one psycopg connection, ``INSERT`` of one small row + ``COMMIT``,
  back to back (``synchronous_commit`` as configured, i.e. each commit waits for its WAL flush);
- ``rabbitmq_publish_confirm``: pika's asynchronous ``SelectConnection`` publishing persistent
  messages to a quorum queue with publisher confirms, a window of unconfirmed messages in flight;
- ``rabbitmq_consume_ack``: a pika consumer (prefetch 200) draining that queue, one ``basic.ack``
  per message.
"""

from __future__ import annotations

import time
import uuid

import pika
import psycopg

QUEUE = "bench.raw"
BODY = b"\x0a\x24" + b"n" * 36 + b"\x12\x07area-07\x1a\x06user-1\x20\x05"  # ~ a NoteRecorded
WINDOW = 2000  # unconfirmed messages in flight


def postgres_insert_commit(libpq_url: str, seconds: float) -> dict:
    with psycopg.connect(libpq_url) as connection:
        connection.execute(
            "CREATE TABLE IF NOT EXISTS bench_raw (id bigserial PRIMARY KEY, event_id uuid NOT NULL,"
            " at timestamptz NOT NULL, body bytea NOT NULL)")
        connection.commit()
        count = 0
        started = time.perf_counter()
        while time.perf_counter() - started < seconds:
            connection.execute("INSERT INTO bench_raw (event_id, at, body) VALUES (%s, now(), %s)",
                               (uuid.uuid4(), BODY))
            connection.commit()
            count += 1
        elapsed = time.perf_counter() - started
        connection.execute("DROP TABLE bench_raw")
        connection.commit()
    return {"operations": count, "seconds": round(elapsed, 3), "per_second": round(count / elapsed, 1)}


def _declare(channel) -> None:
    channel.queue_declare(QUEUE, durable=True, arguments={"x-queue-type": "quorum"})


def rabbitmq_publish_confirm(amqp_url: str, messages: int) -> dict:
    """Publish ``messages`` persistent messages with asynchronous confirms; msgs/s confirmed."""
    state = {"published": 0, "confirmed": 0, "nacked": 0, "started": 0.0, "finished": 0.0}
    properties = pika.BasicProperties(delivery_mode=2, content_type="application/protobuf")

    def publish_more(channel) -> None:
        while state["published"] < messages and state["published"] - state["confirmed"] < WINDOW:
            channel.basic_publish("", QUEUE, BODY, properties)
            state["published"] += 1

    def on_confirm(frame) -> None:
        method = frame.method
        tag = method.delivery_tag
        settled = tag if method.multiple else state["confirmed"] + 1
        if isinstance(method, pika.spec.Basic.Nack):
            state["nacked"] += settled - state["confirmed"]
        state["confirmed"] = max(state["confirmed"], settled)
        if state["confirmed"] >= messages:
            state["finished"] = time.perf_counter()
            connection.close()
            return
        publish_more(channel_holder[0])

    channel_holder = []

    def on_declared(_frame) -> None:
        channel = channel_holder[0]
        state["started"] = time.perf_counter()
        publish_more(channel)

    def on_confirm_mode(_frame) -> None:
        channel_holder[0].queue_declare(QUEUE, durable=True, arguments={"x-queue-type": "quorum"},
                                        callback=on_declared)

    def on_channel(channel) -> None:
        channel_holder.append(channel)
        channel.confirm_delivery(on_confirm, callback=on_confirm_mode)

    connection = pika.SelectConnection(
        pika.URLParameters(amqp_url),
        on_open_callback=lambda conn: conn.channel(on_open_callback=on_channel),
        on_open_error_callback=lambda _c, error: (_ for _ in ()).throw(RuntimeError(error)),
    )
    connection.ioloop.call_later(300, connection.close)
    connection.add_on_close_callback(lambda *_: connection.ioloop.stop())
    connection.ioloop.start()
    if not state["finished"]:
        raise RuntimeError(f"publishing did not finish: {state}")
    elapsed = state["finished"] - state["started"]
    return {"messages": messages, "nacked": state["nacked"], "seconds": round(elapsed, 3),
            "per_second": round(messages / elapsed, 1), "window": WINDOW}


def rabbitmq_consume_ack(amqp_url: str, messages: int, prefetch: int = 200) -> dict:
    """Drain ``messages`` from the queue, acking each; msgs/s."""
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        channel = connection.channel()
        _declare(channel)
        channel.basic_qos(prefetch_count=prefetch)
        count = 0
        started = None
        for method, _properties, _body in channel.consume(QUEUE, inactivity_timeout=5):
            if method is None:
                break
            if started is None:
                started = time.perf_counter()
            channel.basic_ack(method.delivery_tag)
            count += 1
            if count >= messages:
                break
        elapsed = time.perf_counter() - started
        channel.cancel()
        channel.queue_delete(QUEUE)
    finally:
        connection.close()
    if count < messages:
        raise RuntimeError(f"consumed only {count} of {messages} messages")
    # the first message started the clock: count the rest
    return {"messages": count, "seconds": round(elapsed, 3),
            "per_second": round((count - 1) / elapsed, 1), "prefetch": prefetch}
