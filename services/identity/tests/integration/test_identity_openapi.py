"""The administration API is described in a valid OpenAPI document, with the enums that users
and integrators look for, and the OAuth endpoints' answers as they are."""

from __future__ import annotations

import pytest
from identity_support import password_login
from openapi_spec_validator import validate

pytestmark = pytest.mark.integration


def test_the_openapi_document_is_valid_and_names_roles_and_organisation_kinds(client):
    document = client.get("/openapi.json").json
    validate(document)
    assert {"/oauth/token", "/.well-known/jwks.json", "/users", "/users/{user_id}/roles",
            "/organisations", "/areas", "/clients", "/tenants"} <= set(document["paths"])
    schemas = document["components"]["schemas"]
    assert "immigration_office" in schemas["CreateOrganisation"]["properties"]["kind"]["enum"]
    assert "steering_member" in schemas["Roles"]["properties"]["roles"]["items"]["enum"]


def test_the_answers_authlib_writes_are_the_ones_described(client):
    # the token and revocation endpoints answer with Authlib's own JSON (RFC 6749, RFC 7009);
    # a client generated from the description must find every member it gets there
    schemas = client.get("/openapi.json").json["components"]["schemas"]
    login = password_login(client, "ks.koch")
    token = schemas["Token"]
    assert set(token["required"]) <= set(login.json) <= set(token["properties"])
    refused = password_login(client, "ks.koch", password="not-her-password")
    assert refused.status_code == 400
    assert set(refused.json) <= set(schemas["OAuthError"]["properties"])
    logout = client.post("/oauth/revoke", data={"client_id": "lotse-console",
                                                "token": login.json["refresh_token"]})
    assert logout.status_code == 200 and logout.json == {}


def test_the_forms_and_the_query_the_oauth_endpoints_read_are_described(client):
    """Authlib reads them itself (and answers in OAuth's error format); the description says
    what a client sends, so that a client — or a test generating requests — can be made from it."""
    document = client.get("/openapi.json").json
    schemas, paths = document["components"]["schemas"], document["paths"]

    def form_fields(path: str) -> set[str]:
        reference = paths[path]["post"]["requestBody"]["content"][
            "application/x-www-form-urlencoded"]["schema"]["$ref"]
        return set(schemas[reference.rsplit("/", 1)[1]]["properties"])

    assert {"grant_type", "client_id", "code", "code_verifier", "refresh_token",
            "assertion"} <= form_fields("/oauth/token")
    assert {"token", "token_type_hint"} <= form_fields("/oauth/revoke")
    assert form_fields("/oauth/authorize") == {"username", "password", "new_password"}
    # a 422 of the login is its page, or the platform's problem document for a refused value
    assert set(paths["/oauth/authorize"]["post"]["responses"]["422"]["content"]) == {
        "text/html", "application/problem+json"}
    query = {p["name"] for p in paths["/oauth/authorize"]["get"]["parameters"]}
    assert {"response_type", "client_id", "redirect_uri", "state", "code_challenge",
            "code_challenge_method"} <= query
