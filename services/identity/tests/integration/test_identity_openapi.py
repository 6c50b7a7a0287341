"""The administration API is described in a valid OpenAPI document, with the enums that users
and integrators look for."""

from __future__ import annotations

import pytest
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
