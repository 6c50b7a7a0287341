"""Every error answer is an RFC 9457 problem document, never an HTML page or a stack trace."""

from __future__ import annotations

import pytest
from lotse_http_test_app import MAX_BODY_BYTES, PERSON_NAME, build_app, captured_logs

PROBLEM = "application/problem+json"


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


def assert_problem(response, status: int, path: str) -> dict:
    assert response.status_code == status
    assert response.mimetype == PROBLEM
    body = response.get_json(force=True)
    assert body["status"] == status
    assert body["type"].startswith("urn:lotse:problem:")
    assert body["title"] and body["detail"]
    assert body["instance"] == path
    assert body["request_id"] == response.headers["X-Request-ID"]
    return body


@pytest.mark.parametrize(("kind", "status"), [
    ("bad-request", 400), ("unauthenticated", 401), ("forbidden", 403), ("not-found", 404),
    ("conflict", 409), ("unprocessable", 422), ("too-many", 429), ("unavailable", 503),
])
def test_problem_errors_raised_by_a_view_become_problem_documents(client, kind, status):
    response = client.get(f"/notes/faults/{kind}")

    body = assert_problem(response, status, f"/notes/faults/{kind}")
    assert body["detail"] == f"{kind} happened"
    assert body["errors"] == [{"field": "area_id", "message": "unknown area"}]


def test_a_domain_error_is_answered_with_its_base_classs_status_and_its_extensions(client):
    body = assert_problem(client.get("/notes/faults/domain"), 409, "/notes/faults/domain")

    assert body["type"] == "urn:lotse:problem:conflict"
    assert body["detail"] == "a case in phase planning cannot go to closed"
    assert (body["current"], body["allowed"]) == ("planning", ["monitoring"])


def test_problem_error_headers_reach_the_client(client):
    assert client.get("/notes/faults/unauthenticated").headers["WWW-Authenticate"].startswith(
        "Bearer")
    assert client.get("/notes/faults/too-many").headers["Retry-After"] == "60"
    assert client.get("/notes/faults/unavailable").headers["Retry-After"] == "5"


def test_a_missing_nested_field_is_named_by_its_dotted_path(client):
    response = client.post("/notes", json={"person": {"birth_year": 1980}, "text": "first visit"})

    body = assert_problem(response, 422, "/notes")
    assert body["type"] == "urn:lotse:problem:validation"
    assert {"field": "person.name", "message": "Missing data for required field."} in body["errors"]


def test_every_invalid_field_is_listed(client):
    response = client.post("/notes", json={"person": {"name": 7, "birth_year": "old"}})

    fields = {error["field"] for error in assert_problem(response, 422, "/notes")["errors"]}
    assert fields == {"person.name", "person.birth_year", "text"}


def test_an_unknown_field_is_refused_and_named(client):
    response = client.post("/notes", json={"person": {"name": "x"}, "text": "t", "colour": "red"})

    assert {"field": "colour", "message": "Unknown field."} in assert_problem(
        response, 422, "/notes")["errors"]


def test_a_body_of_the_wrong_shape_is_named_as_the_body(client):
    response = client.post("/notes", json=["not", "an", "object"])

    assert assert_problem(response, 422, "/notes")["errors"][0]["field"] == "body"


def test_malformed_json_is_a_bad_request_that_says_so(client):
    response = client.post("/notes", data='{"person": {"name": ', content_type="application/json")

    body = assert_problem(response, 400, "/notes")
    assert body["detail"] == "The request body is not valid JSON."
    assert body["errors"] == [{"field": "body", "message": "Invalid JSON body."}]


def test_a_body_that_is_not_json_is_an_unsupported_media_type(client):
    response = client.post("/notes", data="name=somebody", content_type="text/plain")

    body = assert_problem(response, 415, "/notes")
    assert body["type"] == "urn:lotse:problem:unsupported-media-type"
    assert response.headers["Accept-Post"] == "application/json"


def test_a_json_body_without_a_content_type_is_an_unsupported_media_type(client):
    response = client.post("/notes", data=b'{"person": {"name": "x"}, "text": "t"}')

    assert_problem(response, 415, "/notes")


def test_a_json_media_type_with_parameters_or_a_suffix_is_accepted(client):
    for content_type in ("application/json; charset=utf-8", "application/merge-patch+json"):
        response = client.post("/notes", data='{"person": {"name": "x"}, "text": "t"}',
                               content_type=content_type)
        assert response.status_code == 201, content_type


def test_a_view_can_accept_another_media_type_and_then_only_that(client):
    assert client.post("/notes/import", data="a;b\n", content_type="text/csv").status_code == 204

    response = client.post("/notes/import", json={"a": "b"})

    assert_problem(response, 415, "/notes/import")
    assert response.headers["Accept-Post"] == "text/csv"


def test_a_body_over_the_limit_is_content_too_large(client):
    response = client.post("/notes", data="x" * (MAX_BODY_BYTES + 1),
                           content_type="application/json")

    body = assert_problem(response, 413, "/notes")
    assert str(MAX_BODY_BYTES) in body["detail"]


def test_an_unknown_route_is_not_found(client):
    response = client.get("/no/such/thing")

    assert_problem(response, 404, "/no/such/thing")


def test_an_unknown_route_is_not_found_even_with_a_body_that_is_not_json(client):
    response = client.post("/no/such/thing", data="x", content_type="text/plain")

    assert_problem(response, 404, "/no/such/thing")


def test_a_method_the_route_does_not_have_is_not_allowed_with_allow_header(client):
    response = client.delete("/notes")

    assert_problem(response, 405, "/notes")
    allowed = {method.strip() for method in response.headers["Allow"].split(",")}
    assert {"GET", "POST"} <= allowed and "DELETE" not in allowed


@pytest.mark.parametrize("kind", ["database", "interface"])
def test_an_unreachable_database_is_service_unavailable_not_a_server_error(client, logs, kind):
    response = client.get(f"/notes/faults/{kind}")

    body = assert_problem(response, 503, f"/notes/faults/{kind}")
    assert "database" in body["detail"]
    assert response.headers["Retry-After"] == "5"
    assert PERSON_NAME not in response.get_data(as_text=True)
    assert PERSON_NAME not in logs.text and "SELECT" not in logs.text


@pytest.mark.parametrize("kind", ["broker", "amqp"])
def test_an_unreachable_broker_is_service_unavailable(client, kind):
    response = client.get(f"/notes/faults/{kind}")

    body = assert_problem(response, 503, f"/notes/faults/{kind}")
    assert "broker" in body["detail"]
    assert response.headers["Retry-After"] == "5"


def test_an_unexpected_error_is_a_500_that_leaks_nothing(client, logs):
    response = client.get("/notes/faults/crash")

    body = assert_problem(response, 500, "/notes/faults/crash")
    text = response.get_data(as_text=True)
    assert PERSON_NAME not in text and "RuntimeError" not in text and "Traceback" not in text
    crash = [line for line in logs.lines() if line["event"] == "http.unhandled_exception"]
    assert len(crash) == 1
    assert crash[0]["error_type"] == "RuntimeError"
    assert crash[0]["request_id"] == body["request_id"]
    assert "RuntimeError: <message withheld>" in crash[0]["exc_info"]
    assert PERSON_NAME not in logs.text


def test_no_error_is_ever_answered_with_html(client):
    responses = [
        client.get("/nothing-here"), client.put("/notes"), client.get("/notes/faults/crash"),
        client.get("/notes/not-a-uuid"), client.post("/notes", data="{", content_type="text/html"),
    ]

    for response in responses:
        assert response.mimetype == PROBLEM
        assert "<html" not in response.get_data(as_text=True).lower()


def test_a_query_parameter_the_operation_does_not_know_is_refused_naming_it(client):
    """``?serach=`` is a typo, not a wish for everything: 422 naming the parameter (webargs
    would ignore it by default and answer as if nothing had been asked)."""
    assert client.get("/notes?search=visit").status_code == 200

    body = assert_problem(client.get("/notes?serach=visit"), 422, "/notes")

    assert body["errors"] == [{"field": "serach", "message": "Unknown field."}]
