"""The aggregated OpenAPI description of every routed service and a Swagger UI that needs nothing
from outside this machine, both public."""

from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate

from lotse_gateway.testing import call

pytestmark = pytest.mark.integration


def test_the_aggregated_openapi_has_every_running_service_under_its_prefix(gateway):
    response = call("GET", gateway.url + "/openapi.json")

    assert response.status == 200
    document = response.json()
    validate(document)
    assert "/api/v1/example/notes" in document["paths"]
    assert "/api/v1/example/notes/{note_id}" in document["paths"]
    assert "/api/v1/example/tallies" in document["paths"]
    assert not any(path.startswith("/notes") for path in document["paths"])
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    # identity is routed but not running; steering and the provider intake are not described
    assert document["x-lotse-unavailable"] == ["identity"]
    refs = re.findall(r'"\$ref": ?"([^"]+)"', response.body.decode())
    assert refs and all(ref.startswith("#/components/") for ref in refs)
    assert all(ref.split("/")[3].startswith("example.") for ref in refs)


def test_swagger_ui_is_served_with_every_asset_from_the_gateway_itself(gateway):
    page = call("GET", gateway.url + "/docs/")

    assert page.status == 200
    assert page.header("content-type").startswith("text/html")
    assert "default-src 'self'" in page.header("content-security-policy")
    html = page.body.decode()
    references = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert references
    assert not re.search(r"https?://", html)
    for reference in references:
        asset = call("GET", f"{gateway.url}/docs/{reference}")
        assert asset.status == 200, reference
        assert asset.body
    start = call("GET", gateway.url + "/docs/start.js").body.decode()
    assert "../openapi.json" in start and "validatorUrl: null" in start
    assert not re.search(r"https?://", start)


def test_docs_without_the_trailing_slash_redirect_to_the_page(gateway):
    response = call("GET", gateway.url + "/docs")

    assert response.status == 308
    assert response.header("location").endswith("/docs/")
