"""What the console makes of an API's answer that is not the data a page wants."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from authlib.integrations.flask_client import OAuth
from flask import Flask

from lotse_console.adapters.apis import Apis, ServiceUnavailable, Throttled

TOKEN = {"access_token": "a-token", "token_type": "Bearer", "expires_at": 4_102_444_800}


class _Answers(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        status = int(self.path.rsplit("/", 1)[1])
        self.send_response(status)
        self.send_header("Content-Type", "application/problem+json")
        if status == 429:
            self.send_header("Retry-After", "7")
        self.end_headers()
        self.wfile.write(b'{"title": "Too Many Requests", "status": %d}' % status)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def apis() -> Iterator[Apis]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Answers)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    app = Flask(__name__)
    oauth = OAuth(app)
    oauth.register("identity", client_id="lotse-console",
                   access_token_url=f"http://127.0.0.1:{server.server_port}/token")
    try:
        with app.app_context():
            yield Apis(oauth, f"http://127.0.0.1:{server.server_port}", timeout=5)
    finally:
        server.shutdown()


def test_a_429_is_shown_as_too_many_requests_with_its_retry_after_not_read_as_data(apis):
    with pytest.raises(Throttled) as raised:
        apis.get(TOKEN, "identity", "areas/429")
    assert (raised.value.service, raised.value.retry_after) == ("identity", "7")


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_failing_service_is_shown_as_unavailable_not_read_as_data(apis, status):
    with pytest.raises(ServiceUnavailable):
        apis.get(TOKEN, "identity", f"areas/{status}")


def test_a_refusal_is_handed_to_the_page(apis):
    assert apis.get(TOKEN, "identity", "areas/403").status == 403
