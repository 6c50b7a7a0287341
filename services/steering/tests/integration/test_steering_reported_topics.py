"""Topics the case managers flag in their 2-week reports reach steering as evidence (issue 12:
"topics can be flagged as candidates for generative themes, which the steering service receives
as evidence"): reporting's event through the broker becomes a reported topic — period and topic
area, no text, no reporter — which the coordinating office attaches to a theme."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from test_steering_candidates_api import session

from lotse.kim.v1 import vocabulary_pb2 as kim
from lotse.reporting.v1 import events_pb2 as reporting
from lotse_platform.auth import CASE_MANAGER, STEERING_MEMBER
from lotse_platform.testing import Running, known_directory, poll, publish_event, put_directory

pytestmark = pytest.mark.integration


def flagged(broker_url, tenant, candidate_id: str, topic: int, period: str = "2026-W47",
            on: str = "2026-11-23") -> None:
    publish_event(broker_url, tenant, reporting.ThemeCandidateFlagged(
        candidate_id=candidate_id, report_id=str(uuid.uuid4()), case_manager_id="cm-lea",
        period=period, topic_area=topic, flagged_on=on), source="/lotse/reporting")


def test_flagged_topics_arrive_and_the_office_attaches_them_to_a_theme(
        steering, broker_url, superuser, tenant, as_user):
    put_directory(steering, tenant, known_directory(
        users=[("cm-lea", "org-awo", ["case_manager"])]))
    office = as_user("ks-koch")
    member = as_user("landrat", roles=(STEERING_MEMBER,), org="org-kreis")
    housing, residence = str(uuid.uuid4()), str(uuid.uuid4())
    with Running(steering.consumer().run):
        flagged(broker_url, tenant, housing, kim.TOPIC_AREA_HOUSING)
        flagged(broker_url, tenant, residence, kim.TOPIC_AREA_RESIDENCE, "2026-W49", "2026-12-07")
        flagged(broker_url, tenant, housing, kim.TOPIC_AREA_HOUSING)  # delivered twice
        poll(lambda: len(office.get("/reported-topics").get_json()) == 2, timeout=20,
             message="both topics received")
    topics = member.get("/reported-topics").get_json()
    assert [(t["candidate_id"], t["period"], t["topic_area"], t["theme_id"]) for t in topics] \
        == [(residence, "2026-W49", "residence", None), (housing, "2026-W47", "housing", None)], \
        "newest first"
    with superuser.connect() as connection:
        kept = connection.execute(sa.text("SELECT * FROM reported_topics WHERE tenant_id = :t"),
                                  {"t": tenant}).mappings().all()
    assert all("cm-lea" not in str(dict(row)) for row in kept), "not who reported it"

    made = office.post("/reconstructions", json=session([str(uuid.uuid4()) for _ in range(4)]))
    theme_id = made.get_json()["theme_ids"][0]
    unknown = office.post(f"/themes/{theme_id}/reported-topics",
                          {"candidate_ids": [housing, "no-such-topic"]})
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.get_json()["errors"]] == ["candidate_ids.1"]
    assert office.get("/reported-topics?unattached=true").status_code == 200
    assert len(office.get("/reported-topics?unattached=true").get_json()) == 2, \
        "a refused attachment attaches nothing"

    attached = office.post(f"/themes/{theme_id}/reported-topics",
                           {"candidate_ids": [housing, housing]})
    assert attached.status_code == 200, attached.get_json()
    assert attached.get_json()["reported_topics"] == [
        {"candidate_id": housing, "period": "2026-W47", "topic_area": "housing"}]
    (theme,) = member.get("/themes").get_json()
    assert len(theme["reported_topics"]) == 1 and theme["case_ids"] == []
    assert [t["candidate_id"] for t in office.get("/reported-topics?unattached=true").get_json()
            ] == [residence]

    lea = as_user("cm-lea", roles=(CASE_MANAGER,), org="org-awo")
    assert lea.get("/reported-topics").status_code == 403
    assert member.post(f"/themes/{theme_id}/reported-topics",
                       {"candidate_ids": [residence]}).status_code == 403
    assert office.post(f"/themes/{uuid.uuid4()}/reported-topics",
                       {"candidate_ids": [residence]}).status_code == 404
