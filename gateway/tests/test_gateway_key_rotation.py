"""Key rotation while requests flow: identity publishes a new key, starts signing with it, and
withdraws the old one. The gateway picks up each change from the JWKS and reloads HAProxy, and no
request fails — neither one on a new connection nor one on a kept-alive connection.

About kept-alive connections: HAProxy 2.6 closes a connection that is idle at the moment of a
reload (2.7's ``idle-close-on-response`` waits for its next request instead). A request the
client sent at that very instant is answered by nobody, which RFC 9112 §9.3.1 lets a client
repeat when it is idempotent, as browsers and HTTP libraries do. The kept-alive clients here do
exactly that, once, and count it; the fresh-connection clients never retry.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest

from lotse_gateway.testing import call
from lotse_platform.testing import poll

pytestmark = [pytest.mark.integration, pytest.mark.slow]

TALLIES = "/api/v1/example/tallies"
_CLOSED_BEFORE_ANSWER = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


@dataclass
class Load:
    """Clients sending GET /tallies with the current token until told to stop."""

    port: int
    token: str
    stop: threading.Event = field(default_factory=threading.Event)
    answered: Counter = field(default_factory=Counter)  # (kid, status) -> count
    failures: list = field(default_factory=list)
    retried_on_closed_connection: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kid: str, status: int | None, error: str | None = None) -> None:
        with self.lock:
            if status == 200:
                self.answered[kid] += 1
            else:
                self.failures.append((kid, status, error))

    def successes(self, kid: str) -> int:
        with self.lock:
            return self.answered[kid]

    def fresh_connections(self, kid_of) -> None:
        while not self.stop.is_set():
            token = self.token
            try:
                response = call("GET", f"http://127.0.0.1:{self.port}{TALLIES}",
                                headers={"Authorization": f"Bearer {token}"}, timeout=10)
                self.record(kid_of(token), response.status,
                            None if response.status == 200 else response.body[:200])
            except OSError as error:
                self.record(kid_of(token), None, repr(error))

    def kept_alive(self, kid_of) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        while not self.stop.is_set():
            token = self.token
            for attempt in (1, 2):
                try:
                    connection.request("GET", TALLIES,
                                       headers={"Authorization": f"Bearer {token}"})
                    response = connection.getresponse()
                    body = response.read()
                    self.record(kid_of(token), response.status,
                                None if response.status == 200 else body[:200])
                    if response.will_close:
                        connection.close()
                    break
                except _CLOSED_BEFORE_ANSWER as error:
                    connection.close()
                    if attempt == 2:
                        self.record(kid_of(token), None, repr(error))
                    else:
                        with self.lock:
                            self.retried_on_closed_connection += 1
                except OSError as error:
                    connection.close()
                    self.record(kid_of(token), None, repr(error))
                    break
        connection.close()


def test_rotating_the_signing_key_while_requests_flow_fails_no_request(
    gateway, example_upstream, keys
):
    old = keys.current
    new = keys.new_key(f"key-{int(time.time())}")
    kid_of = {}

    def token_of(issuer) -> str:
        token = issuer.issue("user-17", "6f1c1e4e-8a52-4a57-9d43-0d7d3c1c2a11", "org-awo",
                             ["case_manager"], areas=["area-nord"], ttl=600)
        kid_of[token] = issuer.kid
        return token

    load = Load(gateway.port, token_of(old))
    reloads_before = gateway.status()["haproxy"]["reloads"]
    clients = [threading.Thread(target=load.fresh_connections, args=(kid_of.get,))
               for _ in range(2)]
    clients += [threading.Thread(target=load.kept_alive, args=(kid_of.get,)) for _ in range(2)]
    for client in clients:
        client.start()
    try:
        poll(lambda: load.successes(old.kid) >= 100, message="requests with the old key")

        # 1. identity publishes the next key beside the current one
        keys.jwks.document = {"keys": old.jwks()["keys"] + new.jwks()["keys"]}
        poll(lambda: gateway.kids(keys.issuer) == {old.kid, new.kid}
             and gateway.status()["haproxy"]["draining"] == 0,
             message="the gateway to load the new key")

        # 2. tokens are signed with the new key from now on
        keys.current = new
        load.token = token_of(new)
        poll(lambda: load.successes(new.kid) >= 100, message="requests with the new key")

        # 3. the old key is withdrawn
        keys.jwks.document = new.jwks()
        poll(lambda: gateway.kids(keys.issuer) == {new.kid}
             and gateway.status()["haproxy"]["draining"] == 0,
             message="the gateway to drop the old key")
        settled = load.successes(new.kid)
        poll(lambda: load.successes(new.kid) >= settled + 100,
             message="requests after the withdrawal")
    finally:
        load.stop.set()
        for client in clients:
            client.join(15)

    assert load.failures == []
    assert load.successes(old.kid) >= 100 and load.successes(new.kid) >= 200
    assert gateway.status()["haproxy"]["reloads"] >= reloads_before + 2
    withdrawn = call("GET", gateway.url + TALLIES,
                     headers={"Authorization": f"Bearer {token_of(old)}"})
    assert withdrawn.status == 401
    assert withdrawn.json()["detail"] == "token signing key is unknown"
    print(f"answered: {dict(load.answered)}; kept-alive requests repeated after a reload closed "
          f"their idle connection: {load.retried_on_closed_connection}")
