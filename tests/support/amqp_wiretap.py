"""What a client tells RabbitMQ about its deliveries, read off the wire: every ``basic.ack``,
``basic.nack`` and ``basic.reject`` frame (AMQP 0-9-1) the client sends through a
:class:`~tests.support.tcp_proxy.TcpProxy`. A test sees how the client settles messages as the
broker sees it, whatever the client library does inside."""

from __future__ import annotations

import struct
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from .tcp_proxy import TcpProxy

PROTOCOL_HEADER = b"AMQP\x00\x00\x09\x01"
METHOD_FRAME = 1
FRAME_END = 0xCE
BASIC = 60
SETTLING = {80: "ack", 90: "reject", 120: "nack"}  # basic.ack, basic.reject, basic.nack


@dataclass(frozen=True)
class Settlement:
    """One frame: ``ack``/``nack`` with ``multiple``, or ``reject``; ``requeue`` for the last
    two."""

    method: str
    channel: int
    delivery_tag: int
    multiple: bool = False
    requeue: bool = False


class _FrameReader:
    """The frames of one connection's client-to-broker stream, fed in chunks as they arrive."""

    def __init__(self, found: list[Settlement]) -> None:
        self._buffer = bytearray()
        self._header_seen = False
        self._found = found

    def feed(self, data: bytes) -> None:
        self._buffer += data
        if not self._header_seen:
            if len(self._buffer) < len(PROTOCOL_HEADER):
                return
            if self._buffer[:8] != PROTOCOL_HEADER:
                raise ValueError(f"not AMQP 0-9-1: {bytes(self._buffer[:8])!r}")
            del self._buffer[:8]
            self._header_seen = True
        while len(self._buffer) >= 7:
            kind, channel, size = struct.unpack_from(">BHI", self._buffer)
            if len(self._buffer) < 7 + size + 1:
                return
            payload = bytes(self._buffer[7:7 + size])
            if self._buffer[7 + size] != FRAME_END:
                raise ValueError("a frame without its frame-end octet")
            del self._buffer[:7 + size + 1]
            if kind == METHOD_FRAME:
                self._method(channel, payload)

    def _method(self, channel: int, payload: bytes) -> None:
        class_id, method_id = struct.unpack_from(">HH", payload)
        if class_id != BASIC or method_id not in SETTLING:
            return
        tag, bits = struct.unpack_from(">QB", payload, 4)
        method = SETTLING[method_id]
        if method == "reject":  # its only bit is requeue
            self._found.append(Settlement(method, channel, tag, requeue=bool(bits & 1)))
        else:
            self._found.append(Settlement(method, channel, tag, multiple=bool(bits & 1),
                                          requeue=bool(bits & 2)))


class AmqpWiretap:
    """A forwarder to the broker of ``broker_url`` that records how its clients settle
    deliveries; ``url`` is the broker URL to give the client instead."""

    def __init__(self, broker_url: str) -> None:
        broker = urlsplit(broker_url)
        self._lock = threading.Lock()
        self._readers: dict[int, _FrameReader] = {}
        self._found: list[Settlement] = []
        self._unreadable: str | None = None
        self._proxy = TcpProxy(broker.hostname or "127.0.0.1", broker.port or 5672,
                               observe=self._observe)
        credentials = broker.netloc.rpartition("@")[0]
        self.url = urlunsplit(broker._replace(
            netloc=f"{credentials}@127.0.0.1:{self._proxy.port}" if credentials
            else f"127.0.0.1:{self._proxy.port}"))

    def _observe(self, connection: int, data: bytes) -> None:
        with self._lock:
            reader = self._readers.get(connection)
            if reader is None:
                reader = self._readers[connection] = _FrameReader(self._found)
            try:
                reader.feed(data)
            except ValueError as error:  # raised where the test reads, not in the forwarder
                self._unreadable = self._unreadable or str(error)

    @property
    def settlements(self) -> list[Settlement]:
        """Every settling frame so far, in the order sent (per connection)."""
        with self._lock:
            assert self._unreadable is None, f"the wiretap could not read the stream: " \
                f"{self._unreadable}"
            return list(self._found)

    def close(self) -> None:
        self._proxy.close()

    def __enter__(self) -> AmqpWiretap:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
