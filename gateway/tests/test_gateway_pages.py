"""A route of pages (the web console, ADR 0099): public as a whole, reached from ``/``, its bare
prefix redirected to the prefix with a slash, its metrics still blocked."""

from __future__ import annotations

import pytest

from lotse_gateway.testing import call

pytestmark = pytest.mark.integration


def test_the_start_and_the_bare_prefix_lead_to_the_console(gateway):
    for path in ("/", "/console"):
        response = call("GET", gateway.url + path)
        assert response.status == 302, path
        assert response.header("location") == "/console/"


def test_the_console_needs_no_bearer_token_and_its_metrics_stay_blocked(gateway):
    # the upstream here is the example service: the request reaches it without a token, the
    # prefix stripped (the gateway would have refused it itself, naming /console/mein-tag)
    assert call("GET", gateway.url + "/console/healthz").status == 200
    answer = call("GET", gateway.url + "/console/mein-tag")
    assert answer.header("server") == "gunicorn" and answer.json()["instance"] == "/mein-tag"
    assert call("GET", gateway.url + "/console/metrics").status == 404
