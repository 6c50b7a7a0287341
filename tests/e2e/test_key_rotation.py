"""Identity rotates its signing keys while a case manager's requests flow through the gateway to
intake, casework and the example service — and no request fails.

The rotation is identity's own, by its command line as docs/identity.md §4 describes
(``lotse-identity rotate-keys --force``): a next key is published ahead (here from the start),
it signs once promoted while the old key retires (still published), and a new next key is
published in the same step. The gateway fetches identity's JWKS every 0.2 s and reloads HAProxy
when the published keys change; the services fetch the JWKS again when a token names a key they
have not seen. Before each promotion the test waits until the gateway knows the key to be
promoted — what the publish-ahead period (2 h in a county) guarantees. A retired key is withdrawn
only after the lifetime of its last tokens (≥ 60 s + leeway), beyond this test: identity's and
the gateway's own rotation tests cover the withdrawal.

Kept-alive connections: HAProxy 2.6 closes client connections that are idle at the moment of a
reload (docs/gateway.md, "How keys rotate"). A request sent at that very instant is answered by
nobody, which RFC 9112 §9.3.1 lets a client repeat when it is idempotent; the kept-alive clients
here do so once and count it, as the gateway's own rotation test does. Clients on fresh
connections never retry.
"""

from __future__ import annotations

import http.client
import itertools
import json
import threading
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field

import pytest

from lotse_gateway.testing import call
from lotse_platform.testing import poll

from .stack import FORM, kid_of

pytestmark = [pytest.mark.integration, pytest.mark.slow]

#: authenticated reads of a case manager, each checked by the gateway and by the service
READS = ("/api/v1/intake/target-groups", "/api/v1/casework/caseload", "/api/v1/example/tallies")
_CLOSED_BEFORE_ANSWER = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)
PER_PHASE = 100


@dataclass
class Load:
    """Clients reading with the newest token identity gave out, until told to stop."""

    port: int
    token: str
    stop: threading.Event = field(default_factory=threading.Event)
    answered: Counter = field(default_factory=Counter)  # kid -> successful reads
    failures: list = field(default_factory=list)
    tokens_issued: Counter = field(default_factory=Counter)  # kid -> tokens from identity
    retried_on_closed_connection: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, token: str, status: int | None, detail) -> None:
        with self.lock:
            if status == 200:
                self.answered[kid_of(token)] += 1
            else:
                self.failures.append((kid_of(token), status, detail))

    def successes(self, kid: str) -> int:
        with self.lock:
            return self.answered[kid]

    def fresh_connections(self, offset: int) -> None:
        for path in itertools.islice(itertools.cycle(READS), offset, None):
            if self.stop.is_set():
                return
            token = self.token
            try:
                response = call("GET", f"http://127.0.0.1:{self.port}{path}",
                                headers={"Authorization": f"Bearer {token}"}, timeout=20)
                self.record(token, response.status, (path, response.body[:200]))
            except OSError as error:
                self.record(token, None, (path, repr(error)))

    def kept_alive(self, offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        for path in itertools.islice(itertools.cycle(READS), offset, None):
            if self.stop.is_set():
                break
            token = self.token
            for attempt in (1, 2):
                try:
                    connection.request("GET", path, headers={"Authorization": f"Bearer {token}"})
                    response = connection.getresponse()
                    body = response.read()
                    self.record(token, response.status, (path, body[:200]))
                    if response.will_close:
                        connection.close()
                    break
                except _CLOSED_BEFORE_ANSWER as error:
                    connection.close()
                    if attempt == 2:
                        self.record(token, None, (path, repr(error)))
                    else:
                        with self.lock:
                            self.retried_on_closed_connection += 1
                except OSError as error:
                    connection.close()
                    self.record(token, None, (path, repr(error)))
                    break
        connection.close()

    def refreshing(self, refresh_token: str) -> None:
        """The console's way to stay logged in: a fresh access token from identity, through
        the gateway, again and again (each refresh token works once)."""
        while not self.stop.wait(0.1):
            form = urllib.parse.urlencode({"grant_type": "refresh_token",
                                           "client_id": "lotse-console",
                                           "refresh_token": refresh_token}).encode()
            try:
                response = call("POST", f"http://127.0.0.1:{self.port}/api/v1/identity"
                                        "/oauth/token", headers=FORM, body=form, timeout=20)
            except OSError as error:
                with self.lock:
                    self.failures.append(("token", None, repr(error)))
                continue
            if response.status != 200:
                with self.lock:
                    self.failures.append(("token", response.status, response.body[:200]))
                continue
            answer = response.json()
            refresh_token = answer["refresh_token"]
            with self.lock:
                self.tokens_issued[kid_of(answer["access_token"])] += 1
            self.token = answer["access_token"]


def keys_by_state(platform) -> dict[str, list[str]]:
    """``lotse-identity keys``: the kids in each state."""
    states: dict[str, list[str]] = {}
    for line in platform.cli("identity", "keys").splitlines():
        key = json.loads(line)
        states.setdefault(key["state"], []).append(key["kid"])
    return states


def promote_next_key(platform) -> str:
    """``lotse-identity rotate-keys --force`` until identity's schedule lets the next key sign
    (it must have been published long enough); the kid that signs now."""
    def promoted() -> str | None:
        output = platform.cli("identity", "rotate-keys", "--force")
        return output.split("key ", 1)[1].split(" ", 1)[0] if " signs now" in output else None

    return poll(promoted, timeout=30, message="identity to promote its next key")


def gateway_knows(platform, *kids: str) -> bool:
    status = platform.gateway.status()
    return (set(kids) <= platform.gateway.kids(platform.issuer)
            and status["haproxy"]["draining"] == 0)


def test_rotating_identitys_keys_while_requests_flow_fails_no_request_and_ends_on_the_new_key(
        platform):
    gateway = platform.gateway
    keys = keys_by_state(platform)
    first, upcoming = keys["current"][0], keys["next"][0]
    # published ahead: the gateway has the next key before it signs anything
    poll(lambda: gateway_knows(platform, first, upcoming), message="the gateway's first keys")
    login = platform.password_login("cm.hoexter")
    assert kid_of(login["access_token"]) == first
    reloads_before = gateway.status()["haproxy"]["reloads"]

    load = Load(gateway.port, login["access_token"])
    threads = [threading.Thread(target=load.fresh_connections, args=(n,)) for n in range(2)]
    threads += [threading.Thread(target=load.kept_alive, args=(n,)) for n in range(2)]
    threads.append(threading.Thread(target=load.refreshing, args=(login["refresh_token"],)))
    for thread in threads:
        thread.start()
    try:
        poll(lambda: load.successes(first) >= PER_PHASE, message="reads with the first key")

        # 1. the next key signs, the first retires, a new next key is published
        assert promote_next_key(platform) == upcoming
        poll(lambda: load.successes(upcoming) >= PER_PHASE, message="reads with the second key")
        successor = keys_by_state(platform)["next"][0]
        poll(lambda: gateway_knows(platform, first, upcoming, successor),
             message="the gateway to load the newly published key")

        # 2. once more: the key published in step 1 signs, the second retires
        assert promote_next_key(platform) == successor
        poll(lambda: load.successes(successor) >= PER_PHASE, message="reads with the third key")
        newest = keys_by_state(platform)["next"][0]
        poll(lambda: gateway_knows(platform, successor, newest),
             message="the gateway to load the key published in step 2")
        settled = load.successes(successor)
        poll(lambda: load.successes(successor) >= settled + PER_PHASE,
             message="reads after the last reload")
    finally:
        load.stop.set()
        for thread in threads:
            thread.join(30)

    assert load.failures == [], load.failures[:10]
    assert all(load.successes(kid) >= PER_PHASE for kid in (first, upcoming, successor))
    assert set(load.tokens_issued) >= {upcoming, successor}, load.tokens_issued
    # the tokens in use at the end are signed with the key that signs now
    assert kid_of(load.token) == successor == keys_by_state(platform)["current"][0]
    assert kid_of(platform.password_login("cm.hoexter")["access_token"]) == successor
    assert set(keys_by_state(platform)["retired"]) == {first, upcoming}
    reloads = gateway.status()["haproxy"]["reloads"] - reloads_before
    assert reloads >= 2
    # a reload closes each idle kept-alive connection at most once: at most one repeat each
    assert load.retried_on_closed_connection <= 2 * reloads
    print(f"reads answered per kid: {dict(load.answered)}; tokens issued per kid: "
          f"{dict(load.tokens_issued)}; kept-alive reads repeated after a reload closed their "
          f"idle connection: {load.retried_on_closed_connection}")
