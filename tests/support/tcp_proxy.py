"""A TCP forwarder on 127.0.0.1 whose connections a test can cut, as a network failure would,
and whose clients' bytes a test can watch (``observe(n, chunk)``: each chunk the client of the
n-th connection sends, in order, before it is forwarded)."""

from __future__ import annotations

import functools
import socket
import threading
from collections.abc import Callable


class TcpProxy:
    def __init__(self, target_host: str, target_port: int,
                 observe: Callable[[int, bytes], None] | None = None) -> None:
        self._target = (target_host, target_port)
        self._observe = observe
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()
        self._closed = False
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self._target)
            with self._lock:
                self._pairs.append((client, upstream))
                self.connections += 1
                number = self.connections
            observe = None if self._observe is None else functools.partial(self._observe, number)
            threading.Thread(target=self._pipe, args=(client, upstream, observe),
                             daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket,
              observe: Callable[[bytes], None] | None = None) -> None:
        try:
            while data := source.recv(65536):
                if observe is not None:
                    observe(data)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self) -> int:
        """Reset every open connection; the listener stays up so clients can reconnect."""
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            for s in pair:
                # shutdown wakes the forwarding threads blocked in recv (a bare close would
                # not) and both peers see the connection end at once
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()
        return len(pairs)

    def close(self) -> None:
        self._closed = True
        self._listener.close()
        self.cut()
