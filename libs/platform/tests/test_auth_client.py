"""Client credentials: a service gets a machine token once, reuses it until shortly before it
expires, and is told precisely when the token endpoint refuses or is not there."""

from __future__ import annotations

import base64
import socket
import threading
import urllib.parse
import uuid

import pytest

from lotse_platform.auth import SERVICE, TokenVerifier
from lotse_platform.auth.client import ClientCredentials, TokenRequestFailed
from lotse_platform.auth.devtokens import DevIssuer
from lotse_platform.testing import JsonHandler, LocalServer

TENANT = uuid.uuid4()


class TokenEndpointStandIn(LocalServer):
    """An OAuth token endpoint on 127.0.0.1 that knows one client and signs with a DevIssuer."""

    def __init__(self, client_id: str = "casework", secret: str = "s3cret:/+", ttl: int = 600,
                 keep_alive: bool = False):
        self.issuer = DevIssuer()
        self.client_id, self.secret, self.ttl = client_id, secret, ttl
        self.forms: list[dict] = []
        stand_in = self

        class Handler(JsonHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                form = dict(urllib.parse.parse_qsl(self.read_body().decode()))
                stand_in.forms.append(form)
                client, secret = form.get("client_id"), form.get("client_secret")
                basic = self.headers.get("Authorization", "")
                if basic.startswith("Basic "):
                    pair = base64.b64decode(basic[6:]).decode()
                    client, _, secret = (urllib.parse.unquote(p) for p in pair.partition(":"))
                if form.get("grant_type") != "client_credentials":
                    return self.answer(400, {"error": "unsupported_grant_type"})
                if (client, secret) != (stand_in.client_id, stand_in.secret):
                    return self.answer(401, {"error": "invalid_client"})
                token = stand_in.issuer.issue(client, TENANT, "org-kreis", [SERVICE],
                                              client_id=client)
                self.answer(200, {"access_token": token, "token_type": "Bearer",
                                   "expires_in": stand_in.ttl})

        super().__init__(Handler, keep_alive=keep_alive)
        self.url = f"{self.url}/oauth/token"


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def endpoint():
    with TokenEndpointStandIn() as stand_in:
        yield stand_in


def test_a_machine_token_identifies_the_client_with_the_service_role(endpoint):
    tokens = ClientCredentials(endpoint.url, "casework", "s3cret:/+")
    verifier = TokenVerifier(endpoint.issuer.keys(), issuer=endpoint.issuer.issuer,
                             audience="lotse")
    principal = verifier.verify(tokens.token())
    assert principal.is_client and principal.subject == "casework"
    assert principal.has_any_role(SERVICE)
    assert endpoint.forms[0]["grant_type"] == "client_credentials"
    assert "client_secret" not in endpoint.forms[0], "basic authentication keeps it out of the form"


def test_the_token_is_reused_until_shortly_before_it_expires(endpoint):
    clock = Clock()
    tokens = ClientCredentials(endpoint.url, "casework", "s3cret:/+", refresh_margin=30,
                               clock=clock)
    first = tokens.token()
    clock.now += 500
    assert tokens.token() == first and tokens.requests == 1
    clock.now += 71  # 571 s after the first: within 30 s of the 600 s lifetime
    assert tokens.token() != first and tokens.requests == 2


def test_the_token_is_replaced_exactly_refresh_margin_before_it_expires(endpoint):
    clock = Clock()
    tokens = ClientCredentials(endpoint.url, "casework", "s3cret:/+", refresh_margin=30,
                               clock=clock)
    tokens.token()
    clock.now += 569.5
    tokens.token()
    assert tokens.requests == 1
    clock.now += 0.5  # 570 s: 600 s lifetime less the 30 s margin
    tokens.token()
    assert tokens.requests == 2
    tokens.token()
    assert tokens.requests == 2, "the new token is kept from when it came"


def test_a_token_living_no_longer_than_the_margin_is_not_kept(endpoint):
    endpoint.ttl = 30
    clock = Clock()
    tokens = ClientCredentials(endpoint.url, "casework", "s3cret:/+", refresh_margin=30,
                               clock=clock)
    assert tokens.token()
    assert tokens.token()
    assert tokens.requests == 2


def test_an_invalidated_token_is_fetched_anew(endpoint):
    tokens = ClientCredentials(endpoint.url, "casework", "s3cret:/+")
    tokens.token()
    tokens.invalidate()
    tokens.token()
    assert tokens.requests == 2


def test_threads_share_one_token_request(endpoint):
    tokens = ClientCredentials(endpoint.url, "casework", "s3cret:/+")
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(tokens.token())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(seen)) == 1 and tokens.requests == 1


def test_client_secret_post_sends_the_credentials_in_the_form(endpoint):
    tokens = ClientCredentials(endpoint.url, "casework", "s3cret:/+",
                               auth_method="client_secret_post", scope="handover")
    assert tokens.token()
    assert endpoint.forms[0]["client_id"] == "casework"
    assert endpoint.forms[0]["scope"] == "handover"


def test_a_wrong_secret_is_refused_with_the_oauth_error_and_without_the_secret(endpoint):
    tokens = ClientCredentials(endpoint.url, "casework", "wrong-secret")
    with pytest.raises(TokenRequestFailed) as refused:
        tokens.token()
    assert refused.value.status == 401 and refused.value.error == "invalid_client"
    assert "wrong-secret" not in str(refused.value)


def test_an_unreachable_token_endpoint_is_reported_without_a_status():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    tokens = ClientCredentials(f"http://127.0.0.1:{port}/oauth/token", "casework", "x",
                               timeout=2)
    with pytest.raises(TokenRequestFailed) as failed:
        tokens.token()
    assert failed.value.status is None


def test_id_and_secret_are_form_urlencoded_for_basic_authentication():
    # RFC 6749 §2.3.1: the server decodes both parts, so a '%' in a secret must go as '%25'
    with TokenEndpointStandIn(secret="p%41ss:w+rd") as stand_in:
        with ClientCredentials(stand_in.url, "casework", "p%41ss:w+rd") as tokens:
            assert tokens.token()


class FixedAnswer(LocalServer):
    """A token endpoint that answers every request with ``status`` and ``body``."""

    def __init__(self, status: int, body: bytes):
        class Handler(JsonHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                self.read_body()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        super().__init__(Handler)


@pytest.mark.parametrize(("status", "body", "said", "error"), [
    (503, b"<html>down for maintenance</html>", "refused client 'casework': 503", None),
    (400, b'{"error": "invalid_scope"}', "refused client 'casework': 400 invalid_scope",
     "invalid_scope"),
    (200, b"not json", "answered without an access token", None),
    (200, b'{"token_type": "Bearer"}', "answered without an access token", None),
    (200, b'{"access_token": "", "expires_in": 60}', "answered without an access token", None),
    (200, b'{"access_token": "t", "expires_in": "soon"}', "answered without an access token",
     None),
    (200, b'{"error": "invalid_client"}', "answered invalid_client", "invalid_client"),
])
def test_an_answer_without_a_token_is_a_failed_request(status, body, said, error):
    with FixedAnswer(status, body) as endpoint:
        with ClientCredentials(f"{endpoint.url}/token", "casework", "s3cret") as tokens:
            with pytest.raises(TokenRequestFailed, match=said) as failed:
                tokens.token()
    assert failed.value.status == (status if status != 200 else None)
    assert failed.value.error == error
    assert "s3cret" not in str(failed.value)


def test_token_requests_reuse_one_connection_to_the_token_endpoint():
    with TokenEndpointStandIn(keep_alive=True) as stand_in:
        with ClientCredentials(stand_in.url, "casework", "s3cret:/+") as tokens:
            first = tokens.token()
            tokens.invalidate()
            assert tokens.token() != first
            assert tokens.requests == 2
        assert stand_in.connections == 1


def test_the_client_is_configured_from_the_environment_or_not_at_all():
    env = {"LOTSE_TOKEN_URL": "http://127.0.0.1:1/token", "LOTSE_CASEWORK_CLIENT_ID": "cw",
           "LOTSE_CASEWORK_CLIENT_SECRET": "secret"}
    tokens = ClientCredentials.from_environment("casework", env)
    assert tokens.client_id == "cw" and tokens.token_url == "http://127.0.0.1:1/token"
    del env["LOTSE_CASEWORK_CLIENT_SECRET"]
    assert ClientCredentials.from_environment("casework", env) is None
    with pytest.raises(ValueError):
        ClientCredentials("", "cw", "secret")


# -- calls to another service with the machine token -----------------------------------------------
class ServiceStandIn(LocalServer):
    """Another service on 127.0.0.1: answers 401 to every token in ``refused``, else echoes."""

    def __init__(self, keep_alive: bool = False):
        self.refused: set[str] = set()
        self.seen: list[tuple[str, str, bytes]] = []
        stand_in = self

        class Handler(JsonHandler):
            def _handle(self):
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                stand_in.seen.append((self.command, token, self.read_body()))
                if token in stand_in.refused:
                    status, document = 401, {"title": "Unauthorized", "detail": "expired"}
                else:
                    status, document = 409, {"title": "Conflict", "detail": "not pending"}
                self.answer(status, document, "application/problem+json")

            do_GET = do_POST = _handle  # noqa: N815 - http.server's naming

        super().__init__(Handler, keep_alive=keep_alive)


def test_a_call_carries_the_token_and_json_and_hands_back_any_answer():
    from lotse_platform.auth.client import ServiceCaller, problem_detail

    service = ServiceStandIn()
    try:
        status, body = ServiceCaller(lambda: "t-1").call("POST", f"{service.url}/x", {"a": 1})
    finally:
        service.close()
    assert status == 409 and problem_detail(body) == "not pending"
    assert service.seen == [("POST", "t-1", b'{"a": 1}')]


def test_a_call_carries_the_trace_context_of_the_span_it_is_made_in():
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from lotse_platform import tracing
    from lotse_platform.auth.client import ServiceCaller

    traceparents: list[str | None] = []

    class Handler(JsonHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            traceparents.append(self.headers.get("traceparent"))
            self.answer(200, {})

    provider = tracing.provider_exporting_to("casework", InMemorySpanExporter(), batch=False)
    with LocalServer(Handler) as peer, tracing.tracing_with(provider):
        with provider.get_tracer("test").start_as_current_span("handling an event") as span:
            ServiceCaller(lambda: "t-1").call("GET", f"{peer.url}/package")
            trace_id = format(span.get_span_context().trace_id, "032x")

    traceparent, = traceparents
    assert traceparent is not None and traceparent.split("-")[1] == trace_id


def test_a_refused_token_is_replaced_once_and_the_call_asked_again():
    from lotse_platform.auth.client import ServiceCaller

    tokens = iter(["old", "new", "newer"])
    current = {"token": next(tokens)}
    service = ServiceStandIn()
    service.refused = {"old", "new"}
    caller = ServiceCaller(lambda: current["token"],
                           invalidate=lambda: current.update(token=next(tokens)))
    try:
        status, _ = caller.call("GET", f"{service.url}/y")
    finally:
        service.close()
    assert status == 401, "asked once more, not in a loop"
    assert [token for _, token, _ in service.seen] == ["old", "new"]


def test_no_answer_no_token_or_no_credentials_is_unreachable():
    from lotse_platform.auth.client import ServiceCaller, ServiceUnreachable

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}"
    with pytest.raises(ServiceUnreachable, match="unreachable: ConnectionRefusedError"):
        ServiceCaller(lambda: "t", timeout=2).call("GET", f"{closed}/z")

    def failing_token():
        raise TokenRequestFailed("down")

    with pytest.raises(ServiceUnreachable, match="no machine token: TokenRequestFailed"):
        ServiceCaller(failing_token).call("GET", f"{closed}/z")
    with pytest.raises(ServiceUnreachable, match="set LOTSE_X_CLIENT_ID"):
        ServiceCaller(None, missing_credentials="set LOTSE_X_CLIENT_ID").call("GET", closed)


def test_calls_through_one_caller_reuse_one_connection():
    from lotse_platform.auth.client import ServiceCaller

    with ServiceStandIn(keep_alive=True) as service:
        with ServiceCaller(lambda: "t-1") as caller:
            for path in ("/a", "/b", "/c"):
                assert caller.call("POST", f"{service.url}{path}", {"n": 1})[0] == 409
        assert len(service.seen) == 3
        assert service.connections == 1


def test_a_peer_refusing_the_machine_token_gets_a_new_one_from_the_endpoint_once(endpoint):
    from lotse_platform.auth.client import ServiceCaller

    with ClientCredentials(endpoint.url, "casework", "s3cret:/+") as tokens, \
            ServiceStandIn() as service:
        first = tokens.token()
        service.refused = {first}  # revoked, say
        caller = ServiceCaller(tokens.token, invalidate=tokens.invalidate)
        try:
            status, _ = caller.call("GET", f"{service.url}/y")
            assert status == 409, "asked again with the new token"
            assert caller.call("GET", f"{service.url}/z")[0] == 409
        finally:
            caller.close()
    seen = [token for _, token, _ in service.seen]
    assert seen[0] == first and seen[1] == seen[2] != first
    assert tokens.requests == 2, "one new token, then kept"


def test_a_token_endpoint_that_is_down_makes_the_call_unreachable_not_an_error():
    from lotse_platform.auth.client import ServiceCaller, ServiceUnreachable

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        down = f"http://127.0.0.1:{s.getsockname()[1]}/oauth/token"
    with ClientCredentials(down, "casework", "s3cret", timeout=2) as tokens, \
            ServiceStandIn() as service, \
            ServiceCaller(tokens.token, invalidate=tokens.invalidate) as caller:
        with pytest.raises(ServiceUnreachable, match="no machine token: TokenRequestFailed") \
                as unreachable:
            caller.call("GET", f"{service.url}/x")
    assert service.seen == [], "the peer is not asked without a token"
    assert "s3cret" not in str(unreachable.value)


def test_a_peer_that_breaks_the_connection_is_unreachable():
    from lotse_platform.auth.client import ServiceCaller, ServiceUnreachable

    class Hangup(JsonHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            self.close_connection = True  # no answer at all

    with LocalServer(Hangup) as peer, ServiceCaller(lambda: "t", timeout=2) as caller:
        with pytest.raises(ServiceUnreachable, match="unreachable: RemoteProtocolError"):
            caller.call("GET", f"{peer.url}/x")


@pytest.mark.parametrize(("body", "said"), [
    (b"", "refused"), (b"not json", "refused"), (b"[1]", "refused"),
    (b'{"title": "Gone"}', "Gone"), (b'{"title": "Conflict", "detail": "' + b"x" * 400 + b'"}',
                                      "x" * 300)])
def test_an_answer_without_a_problem_detail_is_summed_up_safely(body, said):
    from lotse_platform.auth.client import problem_detail

    assert problem_detail(body) == said
