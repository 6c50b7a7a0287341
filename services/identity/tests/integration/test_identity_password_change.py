"""Changing a password (ADR 0063) against the real PostgreSQL: one's own only with the current
one (a wrong one counts towards the lockout), the rules of a new one, every session ended by a
change, and an administrator's reset as a temporary password the next login must change —
through the password grant and through the console's login page.

Each test works on a case manager of its own (created by the tenant administrator with a
password of her own), so the demo county's users keep theirs."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from identity_support import authorize, bearer, code_of, demo_id, exchange, pkce, token_of

pytestmark = pytest.mark.integration

AWO = demo_id("org:awo")
HOEXTER = str(demo_id("area:hoexter"))
OWN = "Wolken über dem Eggegebirge"  # the password she was created with
NEW = "Fachwerk am Marktplatz von Brakel"
TEMPORARY = "Vorübergehend vergeben vom Kreis"


@pytest.fixture(scope="module")
def admin(app):
    return bearer(token_of(app.test_client(), "admin"))


@pytest.fixture
def person(client, admin) -> dict:
    """A fresh case manager of the AWO with her own password: her id and username."""
    username = f"hanna.beispiel.{uuid.uuid4().hex[:6]}"
    created = client.post("/users", headers=admin, json={
        "username": username, "display_name": "Hanna Beispiel", "organisation_id": str(AWO),
        "roles": ["case_manager"], "area_ids": [HOEXTER], "password": OWN})
    assert created.status_code == 201, created.json
    assert created.json["password_change_required"] is False
    return {"id": created.json["id"], "username": username}


def login(client, username: str, password: str, **fields):
    return client.post("/oauth/token", data={"grant_type": "password",
                                             "client_id": "lotse-console", "username": username,
                                             "password": password, **fields})


def refresh(client, refresh_token: str):
    return client.post("/oauth/token", data={"grant_type": "refresh_token",
                                             "client_id": "lotse-console",
                                             "refresh_token": refresh_token})


def change(client, person: dict, token: str, **body):
    return client.put(f"/users/{person['id']}/password", json=body, headers=bearer(token))


def fields_of(problem: dict) -> list[str]:
    return [error["field"] for error in problem["errors"]]


def test_her_own_password_is_changed_only_with_her_current_one(client, person):
    token = login(client, person["username"], OWN).json["access_token"]

    missing = change(client, person, token, new_password=NEW)
    assert missing.status_code == 422 and fields_of(missing.json) == ["current_password"]
    wrong = change(client, person, token, new_password=NEW,
                   current_password="nicht ihr Passwort")
    assert wrong.status_code == 403 and fields_of(wrong.json) == ["current_password"]
    assert "nicht ihr Passwort" not in wrong.get_data(as_text=True)

    changed = change(client, person, token, new_password=NEW, current_password=OWN)
    assert changed.status_code == 204
    assert login(client, person["username"], NEW).status_code == 200
    assert login(client, person["username"], OWN).json["error"] == "invalid_grant"


def test_wrong_current_passwords_lock_the_account_like_failed_logins(client, person):
    token = login(client, person["username"], OWN).json["access_token"]

    answers = [change(client, person, token, new_password=NEW, current_password=f"geraten {n}")
               for n in range(5)]

    assert [a.status_code for a in answers] == [403, 403, 403, 403, 429]
    assert fields_of(answers[-1].json) == ["current_password"]
    assert 0 < int(answers[-1].headers["Retry-After"]) <= 900
    locked = login(client, person["username"], OWN)  # the right password, locked all the same
    assert locked.status_code == 429 and locked.json["error"] == "account_locked"


def test_a_weak_new_password_is_refused_naming_new_password_without_repeating_it(
        client, person):
    token = login(client, person["username"], OWN).json["access_token"]

    for weak in ("0000000000", " " * 10, person["username"], "lotse-lotse-lotse"):
        refused = change(client, person, token, new_password=weak, current_password=OWN)
        assert refused.status_code == 422, (weak, refused.json)
        assert fields_of(refused.json) == ["new_password"]
        assert refused.json["detail"].startswith("the new password is ")
        if weak.strip():
            assert weak not in refused.get_data(as_text=True)
    assert client.get("/users/me", headers=bearer(token)).status_code == 200, "nothing changed"


def test_her_change_ends_every_session_and_the_token_that_made_it(client, person, superuser):
    here = login(client, person["username"], OWN).json
    elsewhere = login(client, person["username"], OWN).json

    assert change(client, person, here["access_token"], new_password=NEW,
                  current_password=OWN).status_code == 204

    for session in (here, elsewhere):
        assert refresh(client, session["refresh_token"]).json["error"] == "invalid_grant"
        stale = client.get("/users/me", headers=bearer(session["access_token"]))
        assert stale.status_code == 401 and "log in again" in stale.json["detail"]
    again = change(client, person, here["access_token"], new_password=OWN,
                   current_password=NEW)
    assert again.status_code == 401, "the token that changed it changes nothing any more"
    fresh = login(client, person["username"], NEW).json
    assert client.get("/users/me", headers=bearer(fresh["access_token"])).status_code == 200
    assert refresh(client, fresh["refresh_token"]).status_code == 200
    with superuser.connect() as connection:
        reasons = connection.execute(sa.text(
            "SELECT actor, reason FROM audit_log WHERE record_id = :id AND action = 'update'"),
            {"id": person["id"]}).all()
    assert [tuple(row) for row in reasons] == [(person["id"], "password")]


def test_an_administrators_reset_is_a_temporary_password_the_next_login_must_change(
        client, person, admin):
    before = login(client, person["username"], OWN).json

    with_current = client.put(f"/users/{person['id']}/password", headers=admin, json={
        "new_password": TEMPORARY, "current_password": OWN})
    assert with_current.status_code == 422 and fields_of(with_current.json) == [
        "current_password"]
    reset = client.put(f"/users/{person['id']}/password", headers=admin,
                       json={"new_password": TEMPORARY})
    assert reset.status_code == 204
    assert client.get(f"/users/{person['id']}", headers=admin).json["password_change_required"]
    assert client.get("/users/me", headers=bearer(before["access_token"])).status_code == 401
    assert refresh(client, before["refresh_token"]).json["error"] == "invalid_grant"

    required = login(client, person["username"], TEMPORARY)
    assert required.status_code == 400 and required.json["error"] == "password_change_required"
    weak = login(client, person["username"], TEMPORARY, new_password="0000000000")
    assert weak.status_code == 400 and weak.json["error"] == "invalid_request"
    assert "new password" in weak.json["error_description"]
    same = login(client, person["username"], TEMPORARY, new_password=TEMPORARY)
    assert same.json["error_description"] == "the new password is the current one"

    changed = login(client, person["username"], TEMPORARY, new_password=NEW)
    assert changed.status_code == 200, changed.json
    me = client.get("/users/me", headers=bearer(changed.json["access_token"]))
    assert me.status_code == 200 and me.json["password_change_required"] is False
    assert login(client, person["username"], NEW).status_code == 200
    assert login(client, person["username"], TEMPORARY).json["error"] == "invalid_grant"


def test_the_login_page_asks_for_a_new_password_after_a_reset_and_then_logs_in(
        client, person, admin):
    client.put(f"/users/{person['id']}/password", headers=admin,
               json={"new_password": TEMPORARY})
    verifier, challenge = pkce()

    asked = authorize(client, challenge, person["username"], TEMPORARY)
    assert asked.status_code == 403
    page = asked.get_data(as_text=True)
    assert 'name=new_password' in page and "choose a new one" in page
    assert TEMPORARY not in page, "the page never carries the password"
    weak = authorize(client, challenge, person["username"], TEMPORARY,
                     new_password=person["username"])
    assert weak.status_code == 422 and "too easy to guess" in weak.get_data(as_text=True)

    logged_in = authorize(client, challenge, person["username"], TEMPORARY, new_password=NEW)
    tokens = exchange(client, code_of(logged_in), verifier)
    assert tokens.status_code == 200, tokens.json
    assert client.get("/users/me", headers=bearer(tokens.json["access_token"])).json[
        "password_change_required"] is False


def test_a_code_of_a_login_before_a_reset_is_refused_at_the_exchange(client, person, admin):
    verifier, challenge = pkce()
    code = code_of(authorize(client, challenge, person["username"], OWN))

    client.put(f"/users/{person['id']}/password", headers=admin,
               json={"new_password": TEMPORARY})

    refused = exchange(client, code, verifier)
    assert refused.status_code == 400 and refused.json["error"] == "invalid_grant"


def test_an_administrator_may_still_send_the_former_field_name(client, person, admin):
    reset = client.put(f"/users/{person['id']}/password", headers=admin,
                       json={"password": TEMPORARY})
    assert reset.status_code == 204
    both = client.put(f"/users/{person['id']}/password", headers=admin,
                      json={"password": TEMPORARY, "new_password": NEW})
    assert both.status_code == 422 and fields_of(both.json) == ["password"]
    assert login(client, person["username"], TEMPORARY).json["error"] == \
        "password_change_required"


def test_a_user_created_with_a_temporary_password_changes_it_at_first_login(client, admin):
    username = f"hanna.beispiel.{uuid.uuid4().hex[:6]}"
    created = client.post("/users", headers=admin, json={
        "username": username, "display_name": "Hanna Beispiel", "organisation_id": str(AWO),
        "roles": ["case_manager"], "area_ids": [HOEXTER], "password": TEMPORARY,
        "password_change_required": True})
    assert created.status_code == 201 and created.json["password_change_required"] is True
    assert login(client, username, TEMPORARY).json["error"] == "password_change_required"
    assert login(client, username, TEMPORARY, new_password=NEW).status_code == 200

    weak = client.post("/users", headers=admin, json={
        "username": f"hanna.beispiel.{uuid.uuid4().hex[:6]}", "display_name": "Hanna Beispiel",
        "organisation_id": str(AWO), "password": "Hanna Beispiel 2026"})
    assert weak.status_code == 422 and fields_of(weak.json) == ["password"]
