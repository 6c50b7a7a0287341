"""Identity refuses hostile text in its forms and its API, on PostgreSQL, naming the field
(ADR 0060). Before, a NUL in the username or client id of a token request reached PostgreSQL —
before anyone was authenticated — and was a 500."""

from __future__ import annotations

import uuid

import pytest
from identity_support import bearer, demo_id, password_login, token_of

pytestmark = pytest.mark.integration


def refused(response, field: str) -> str:
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    return {error["field"]: error["message"] for error in response.get_json()["errors"]}[field]


@pytest.mark.parametrize(("username", "client_id", "field"), [
    ("ks.koch\x00", "lotse-console", "username"),
    ("ks.koch", "lotse-console\x00", "client_id"),
    ("ks.koch\x1b", "lotse-console", "username"),
])
def test_a_token_request_with_a_control_character_is_refused_naming_the_field(
    client, username, client_id, field
):
    response = password_login(client, username, client_id=client_id)

    assert "control character" in refused(response, field)


def test_a_user_with_a_control_character_in_her_name_is_not_created(client):
    token = token_of(client, "admin")
    username = f"u{uuid.uuid4().hex[:10]}"

    response = client.post("/users", headers=bearer(token), json={
        "username": username, "display_name": "Hanna\x00Beispiel",
        "organisation_id": str(demo_id("org:awo")), "roles": ["provider_staff"]})

    assert "U+0000" in refused(response, "display_name")
    listed = client.get("/users", headers=bearer(token)).get_json()
    assert username not in {user["username"] for user in listed}
