"""The Mettmann decisions of 2023-05-10 as the example file gives them (docs/examples/, seed 004
L52–L63, L119–L130) replayed through the API: the steering group, the theme established and its
project group mandated on 2022-12-01, then on 2023-05-10 the fifth target group and the project
group's four proposals — every one approved on its day, the meetings with agenda and minutes."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

import pytest
import sqlalchemy as sa
from steering_mettmann_example import example
from test_steering_candidates_api import session

from lotse.steering.v1 import events_pb2 as steering_events
from lotse_platform import clock
from lotse_platform.auth import STEERING_MEMBER
from lotse_platform.testing import frozen_clock, known_directory, put_directory

pytestmark = pytest.mark.integration


def test_the_example_file_replays_to_mettmanns_decisions(steering, superuser, tenant, as_user):
    data = example()
    put_directory(steering, tenant, known_directory(
        organisations={m["organisation_id"] for m in data["members"]},
        users=[*((m["user_id"], m["organisation_id"], [STEERING_MEMBER])
                 for m in data["members"]), ("cm-lea", "org-me-kreis", ["case_manager"])]))
    office = as_user("ks-mettmann", org="org-me-kreis")
    assert office.put("/steering-group/quorum-rule", data["quorum_rule"]).status_code == 200
    voters = []
    for member in data["members"]:
        assert office.post("/steering-group/members", member).status_code == 201
        if member["voting"]:
            voters.append(as_user(member["user_id"], roles=(STEERING_MEMBER,),
                                  org=member["organisation_id"]))
    reconstruction = session([str(uuid.uuid4()) for _ in range(4)])
    reconstruction["themes"] = [{**data["theme"], "case_ids": [reconstruction["cases"][0]["case_id"],
                                                                reconstruction["cases"][1]["case_id"]]}]
    theme = office.post("/reconstructions", json=reconstruction).get_json()["theme_ids"][0]

    decided: list[tuple[str, str, str]] = []
    for meeting in data["meetings"]:
        day = date.fromisoformat(meeting["held_on"])
        with frozen_clock(datetime.combine(day, time(11), tzinfo=clock.zone())):
            ids = []
            for proposal in meeting["proposals"]:
                body = {k: v for k, v in proposal.items() if k != "theme"}
                if proposal.get("theme"):
                    body["theme_id"] = theme
                made = office.post("/decision-proposals", body)
                assert made.status_code == 201, made.get_json()
                ids.append(made.get_json()["id"])
            planned = office.post("/steering-group/meetings", {
                "held_on": meeting["held_on"],
                "agenda": [{"title": meeting["agenda_title"]},
                           *({"title": p["subject"], "proposal_id": i}
                             for p, i in zip(meeting["proposals"], ids, strict=True))]})
            assert planned.status_code == 201
            for proposal_id in ids:
                for voter in voters:
                    assert voter.post(f"/decision-proposals/{proposal_id}/votes",
                                      {"vote": "yes"}).status_code == 200
                answer = office.post(f"/decision-proposals/{proposal_id}/decision", {})
                assert answer.status_code == 200, answer.get_json()
                decided.append((answer.get_json()["kind"], answer.get_json()["outcome"],
                                answer.get_json()["decided_on"]))
            assert office.put(f"/steering-group/meetings/{planned.get_json()['id']}/minutes",
                              {"minutes": meeting["minutes"]}).status_code == 200

    assert decided == [("establish_theme", "approved", "2022-12-01"),
                       ("mandate_project_group", "approved", "2022-12-01"),
                       ("change_target_groups", "approved", "2023-05-10"),
                       *([("other", "approved", "2023-05-10")] * 4)]
    lifecycle = office.get(f"/themes/{theme}/lifecycle").get_json()
    assert lifecycle["status"] == "in_project_group", "the project group works on (proposal 4)"
    with superuser.connect() as connection:
        payload = connection.execute(sa.text(
            "SELECT payload FROM outbox WHERE tenant_id = :t AND event_type = "
            "'steering.target_group.decided.v1'"), {"t": tenant}).scalar_one()
        groups = connection.execute(sa.text(
            "SELECT mandated_on FROM project_groups WHERE tenant_id = :t"), {"t": tenant}).all()
    decision = steering_events.TargetGroupDecided.FromString(payload)
    assert (decision.valid_from, decision.valid_until, decision.decided_on,
            decision.decision_ref) == ("2023-05-10", "2024-12-31", "2023-05-10",
                                       "LG Mettmann 2023-05-10, Zielgruppe 5")
    assert groups == [(date(2022, 12, 1),)]
    meetings = office.get("/steering-group/meetings").get_json()
    assert [(m["held_on"], len(m["agenda"])) for m in meetings] == [("2023-05-10", 6),
                                                                     ("2022-12-01", 3)]
