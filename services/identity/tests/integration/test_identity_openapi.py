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
