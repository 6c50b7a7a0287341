"""Embedded mode (``make run``: SQLite, one process): identity's migrations add the token
generation to SQLite's tables as well, the demo password still logs in, and a change of one's
own password ends the sessions before it there too (ADR 0063)."""

from __future__ import annotations

from lotse_demo import COUNTY, DEMO_PASSWORD
from lotse_identity.bootstrap import IdentityService
from lotse_identity.settings import IdentitySettings

NEW = "Fachwerk am Marktplatz von Brakel"


def test_on_sqlite_the_demo_password_logs_in_and_a_change_ends_the_earlier_sessions(tmp_path):
    identity = IdentityService(IdentitySettings(
        database_url=f"sqlite:///{tmp_path / 'identity.db'}", mode="embedded"))
    identity.migrate()
    identity.seed_demo(COUNTY)
    client = identity.create_app().test_client()
    cm_hoexter = COUNTY.user("cm.hoexter")

    def login(password: str):
        return client.post("/oauth/token", data={
            "grant_type": "password", "client_id": "lotse-console", "username": "cm.hoexter",
            "password": password})

    before = login(DEMO_PASSWORD)
    assert before.status_code == 200, "the demo password predates the rules and still works"
    session = {"Authorization": f"Bearer {before.json['access_token']}"}
    changed = client.put(f"/users/{cm_hoexter.id}/password", headers=session, json={
        "new_password": NEW, "current_password": DEMO_PASSWORD})
    assert changed.status_code == 204, changed.json

    assert client.get("/users/me", headers=session).status_code == 401
    assert client.post("/oauth/token", data={
        "grant_type": "refresh_token", "client_id": "lotse-console",
        "refresh_token": before.json["refresh_token"]}).json["error"] == "invalid_grant"
    after = login(NEW)
    assert client.get("/users/me", headers={
        "Authorization": f"Bearer {after.json['access_token']}"}).status_code == 200
    identity.engine.dispose()
