"""Candidates and sessions on the real database and broker (issue 13, "Case reconstruction
(step 1)"): casework's events published on the broker become candidates with their reasons; a
closed case drops out; a case manager sees only her own; a steering member none; a session of
fewer than four cases is a 409 naming the count."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from kombu import Connection
from steering_events import CaseStory

from lotse_platform.auth import CASE_MANAGER, COORDINATOR, STEERING_MEMBER
from lotse_platform.testing import Running, known_directory, poll, publish_raw, put_directory, today

pytestmark = pytest.mark.integration


def publish(broker_url, delivered) -> None:
    with Connection(broker_url) as connection:
        for envelope, _event in delivered:
            publish_raw(connection, "lotse.events", envelope.type, envelope.data,
                        headers=envelope.headers(), message_id=str(envelope.id))


def projected(superuser, tenant, **where) -> int:
    clause = "".join(f" AND {column} = :{column}" for column in where)
    with superuser.connect() as connection:
        return connection.execute(sa.text(
            f"SELECT count(*) FROM case_records WHERE tenant_id = :t{clause}"),
            {"t": tenant, **where}).scalar_one()


def county(day):
    """A realistic county: typical cases of two case managers, a rare combination, a new case,
    one still before monitoring, and a heavy one outside the middle band."""
    typical = [CaseStory(day, case_manager="cm-lea" if n % 2 else "cm-tobias",
                         weeks=9 + n, goals=2 + n % 2, contacts=4 + n % 2)
               for n in range(6)]
    others = [CaseStory(day, topics=("debts", "health"), legal_areas=("civil_law", "sgb_v")),
              CaseStory(day, weeks=3),
              CaseStory(day, monitoring=False),
              CaseStory(day, goals=9, contacts=30, organisations=7)]
    return typical, others


def test_events_through_the_broker_become_candidates_and_a_closed_case_drops_out(
        steering, broker_url, superuser, tenant, as_user):
    typical, others = county(today(tenant))
    delivered = [e for story in typical + others for e in story.enveloped(tenant)]
    with Running(steering.consumer().run):
        publish(broker_url, delivered + delivered[::3])  # some twice
        poll(lambda: projected(superuser, tenant) == 10 and all(
            projected(superuser, tenant, case_id=s.case_id, contacts=s.contacts)
            for s in typical + others))

        office = as_user("ks-koch", roles=(COORDINATOR,))
        answer = office.get("/reconstruction-candidates")
        assert answer.status_code == 200, answer.get_json()
        found = {c["case_id"]: c for c in answer.get_json()}
        assert set(found) == {s.case_id for s in typical}
        first = found[typical[0].case_id]
        assert [r["criterion"] for r in first["reasons"]] == [
            "with_case_manager", "topic_areas", "legal_areas", "past_linking",
            "medium_difficulty", "typical"]
        assert all(r["met"] and r["message"] and r["message_de"] for r in first["reasons"])
        assert first["topic_areas"] == ["housing", "work_training"]

        closing = typical[0]
        publish(broker_url, [closing.enveloped(tenant, [closing.closed()])[-1]])
        poll(lambda: projected(superuser, tenant, case_id=closing.case_id, status="closed"))
        after = {c["case_id"] for c in office.get("/reconstruction-candidates").get_json()}
        assert after == {s.case_id for s in typical[1:]}

    lea = as_user("cm-lea", roles=(CASE_MANAGER,), org="org-awo")
    own = {c["case_id"] for c in lea.get("/reconstruction-candidates").get_json()}
    assert own == {s.case_id for s in typical[1:] if s.case_manager == "cm-lea"}
    assert own, "she has candidates of her own"
    steering_member = as_user("landrat", roles=(STEERING_MEMBER,), org="org-kreis")
    assert steering_member.get("/reconstruction-candidates").status_code == 403


def session(case_ids, minutes=180):
    return {"held_on": "2026-11-18",
            "cases": [{"case_id": c, "presented_by": "cm-lea", "planned_minutes": minutes,
                       "actors": ["Jobcenter", "Ausländerbehörde"],
                       "process_steps": [{"actor": "Ausländerbehörde",
                                          "step": "Fiktionsbescheinigung ausgestellt"},
                                         {"actor": "Jobcenter", "step": "Antrag geprüft"}],
                       "interfaces": ["ABH → Jobcenter"], "synergies": [],
                       "duplicate_structures": ["zwei Erstgespräche"]} for c in case_ids],
            "themes": [{"title": "Übergang ABH–Jobcenter",
                        "description": "Wartezeiten zwischen zwei Stellen",
                        "case_ids": list(case_ids[:2])}]}


def test_a_session_of_four_cases_is_recorded_with_its_themes_fewer_are_refused(
        steering, superuser, tenant, as_user):
    put_directory(steering, tenant, known_directory(
        users=[("cm-lea", "org-awo", ["case_manager"])]))
    office = as_user("ks-koch", roles=(COORDINATOR,))
    a, b, c, d = (str(uuid.uuid4()) for _ in range(4))

    refused = office.post("/reconstructions", json=session([a, b, c]))
    assert refused.status_code == 409
    assert "3 given" in refused.get_json()["detail"]
    too_long = office.post("/reconstructions", json=session([a, b, c, d], minutes=241))
    assert too_long.status_code == 422
    assert "planned_minutes" in str(too_long.get_json())
    stranger = session([a, b, c, d])
    stranger["cases"][3]["presented_by"] = "cm-elsewhere"
    unknown = office.post("/reconstructions", json=stranger)
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.get_json()["errors"]] == ["cases.3.presented_by"]
    not_an_id = session([a, b, c, "Fall Haddad"])
    assert office.post("/reconstructions", json=not_an_id).status_code == 422

    made = office.post("/reconstructions", json=session([a, b, c, d]))
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert (body["moderator_id"], body["planned_minutes"], len(body["theme_ids"])) == (
        "ks-koch", 720, 1)
    assert office.get(f"/reconstructions/{body['id']}").get_json()["cases"][0][
        "process_steps"][1] == {"actor": "Jobcenter", "step": "Antrag geprüft"}

    lea = as_user("cm-lea", roles=(CASE_MANAGER,), org="org-awo")
    assert [s["id"] for s in lea.get("/reconstructions").get_json()] == [body["id"]]
    assert lea.post("/reconstructions", json=session([a, b, c, d])).status_code == 403

    member = as_user("landrat", roles=(STEERING_MEMBER,), org="org-kreis")
    (theme,) = member.get("/themes").get_json()
    assert (theme["status"], theme["evidence_cases"], theme["case_ids"]) == ("proposed", 2, [])
    assert office.get("/themes").get_json()[0]["case_ids"] == [a, b]
    assert member.get(f"/reconstructions/{body['id']}").status_code == 403

    with superuser.connect() as connection:
        types = [r[0] for r in connection.execute(sa.text(
            "SELECT event_type FROM outbox WHERE tenant_id = :t ORDER BY event_type"), {"t": tenant})]
    assert types == ["steering.reconstruction.held.v1", "steering.theme.proposed.v1"]
