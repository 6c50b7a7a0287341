"""The OpenAPI 3 description is generated from the marshmallow schemas and is valid."""

from __future__ import annotations

import pytest
from lotse_http_test_app import build_app, captured_logs
from openapi_spec_validator import validate


@pytest.fixture
def logs():
    with captured_logs() as capture:
        yield capture


@pytest.fixture
def app(logs):
    return build_app()


@pytest.fixture
def client(app):
    return app.test_client()


def test_the_openapi_document_is_valid_openapi_3_with_the_endpoint_schemas(client):
    response = client.get("/openapi.json")

    assert response.status_code == 200
    document = response.get_json()
    validate(document)
    assert document["openapi"] == "3.0.3"
    assert document["info"] == {"title": "Lotse test service", "version": "v1"}
    schemas = document["components"]["schemas"]
    assert set(schemas["CreateNote"]["required"]) == {"person", "text"}
    assert schemas["Person"]["properties"]["name"]["type"] == "string"
    body = document["paths"]["/notes"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/CreateNote"}


def test_errors_are_documented_as_problem_documents(client):
    document = client.get("/openapi.json").get_json()

    default_error = document["components"]["responses"]["DEFAULT_ERROR"]["content"]
    assert default_error == {"application/problem+json": {"schema": {
        "$ref": "#/components/schemas/Problem"}}}
    problem = document["components"]["schemas"]["Problem"]["properties"]
    assert {"type", "title", "status", "detail", "instance", "request_id", "errors"} <= set(problem)


def test_probes_and_metrics_are_not_part_of_the_api_description(client):
    paths = client.get("/openapi.json").get_json()["paths"]

    assert not {"/healthz", "/readyz", "/metrics", "/openapi.json"} & set(paths)
