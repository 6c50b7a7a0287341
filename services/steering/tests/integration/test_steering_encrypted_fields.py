"""Steering's free text and invitation list encrypted with the tenant's keys (issue 15 point 4,
ADR 0104), on the real PostgreSQL: the forum's statements, the project groups' meeting notes and
an invitee's name, phone number and e-mail address are ciphertext in their columns and text
through the API; an invitee is still found by phone or e-mail; after ``keys destroy`` the
statements answer 410."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from lotse_platform.cli import _keys
from lotse_platform.testing import days_ago, frozen_clock
from lotse_steering.service_layer.project_groups import Mandate, mandate_project_group

from test_steering_invitations import E164, EMAIL, NAME, entry

pytestmark = pytest.mark.integration

STATEMENT = "Frau H. aus Brakel wartet seit Monaten auf ihren Termin bei der Ausländerbehörde"


class Args:
    def __init__(self, action: str, tenant: uuid.UUID, **more) -> None:
        self.action, self.tenant, self.yes, self.batch_size = action, tenant, False, 500
        self.__dict__.update(more)


def column(superuser, table: str, name: str, tenant) -> list[str]:
    with superuser.connect() as connection:
        return connection.execute(sa.text(f'SELECT "{name}" FROM "{table}" '
                                          "WHERE tenant_id = :t"), {"t": tenant}).scalars().all()


def said(as_user) -> str:
    office = as_user("ks-koch")
    forum_id = office.post("/forums", {"name": "Beteiligungsforum Südkreis"}).get_json()["id"]
    held = office.post(f"/forums/{forum_id}/sessions", {
        "held_on": days_ago(3), "place": "Bürgerhaus Brakel", "topic": "Ankommen"})
    assert held.status_code == 201, held.get_json()
    session_id = held.get_json()["id"]
    made = office.post(f"/forum-sessions/{session_id}/statements",
                       {"text": STATEMENT, "topic_area": "residence"})
    assert made.status_code == 201, made.get_json()
    return session_id


def test_statements_and_invitees_are_ciphertext_and_an_invitee_is_found_by_contact(
        steering, superuser, tenant, as_user):
    office = as_user("ks-koch")
    session_id = said(as_user)
    forum_id = office.get(f"/forum-sessions/{session_id}/statements").get_json()[0]["forum_id"]
    added = office.post(f"/forums/{forum_id}/invitations", entry())
    assert added.status_code == 201, added.get_json()

    texts = column(superuser, "forum_statements", "text", tenant)
    assert len(texts) == 1 and texts[0].startswith("lotse1$") and "Brakel" not in texts[0]
    with superuser.connect() as connection:
        row = connection.execute(sa.text(
            "SELECT name, phone, email FROM forum_invitees WHERE tenant_id = :t"),
            {"t": tenant}).one()
    assert all(value.startswith("lotse1$") for value in row)
    assert not any(p in " ".join(row) for p in ("Haddad", "2345678", "amina"))

    assert [s["text"] for s in office.get(f"/forum-sessions/{session_id}/statements")
            .get_json()] == [STATEMENT]
    listed = office.get(f"/forums/{forum_id}/invitations").get_json()
    assert [(i["name"], i["phone"], i["email"]) for i in listed] == [(NAME, E164, EMAIL)]
    with steering.uow(tenant) as uow:
        forum = uow.forum
        assert [i.name for i in forum.invitees_reached_at(phone=E164)] == [NAME]
        assert [i.name for i in forum.invitees_reached_at(email=EMAIL.upper())] == [NAME]
        assert forum.invitees_reached_at(phone="+4952711234567", email="x@example.org") == []


def test_a_project_groups_meeting_notes_are_ciphertext(steering, superuser, tenant, as_user):
    group = mandate_project_group(steering.uow(tenant), Mandate(
        theme_id=uuid.uuid4(), decision_id=uuid.uuid4(), subject="Wohnraum",
        objective="Familien finden Wohnraum.", composition="Kreis, Wohnungsbau, Beratung",
        working_form="drei Termine", expected_result="Zielsystem",
        special_requirements="keine"), date(2026, 1, 15))
    office = as_user("ks-koch")
    with frozen_clock(datetime(2026, 2, 20, 10, tzinfo=UTC)):
        made = office.post(f"/project-groups/{group}/meetings", json={
            "held_on": "2026-02-10", "duration_minutes": 180, "topics": ["Zielsystem"],
            "notes": "Fall einer Familie aus Warburg als Beispiel besprochen"})
        assert made.status_code == 201, made.get_json()
        view = office.get(f"/project-groups/{group}").get_json()
    notes = column(superuser, "project_group_meetings", "notes", tenant)
    assert len(notes) == 1 and notes[0].startswith("lotse1$") and "Warburg" not in notes[0]
    assert [m["notes"] for m in view["meetings"]] == [
        "Fall einer Familie aus Warburg als Beispiel besprochen"]


def test_after_the_keys_are_destroyed_the_statements_answer_410(steering, tenant, as_user):
    session_id = said(as_user)
    assert _keys("steering", steering, Args("destroy", tenant, yes=True)) == 0
    steering.field_cipher.forget(tenant)  # as every process does within its cache time
    refused = as_user("ks-koch").get(f"/forum-sessions/{session_id}/statements")
    assert refused.status_code == 410
    assert refused.get_json()["type"].endswith("encrypted-data-unreadable")
