"""Mettmann's fifth target group comes out of the steering group's decision (issue 13; seed
004 L52–L63): a proposal to change the target groups, the members' votes — one cast by a
deputy —, the decision approved on 2023-05-10 in the tenant's time zone, the event through the
real broker, and intake holding the group valid 2023-05-10 – 2024-12-31 with the decision's
reference. Both services on their own PostgreSQL databases, the relay and the consumer running."""

from __future__ import annotations

import tempfile
import uuid
from datetime import date, datetime, time

import pytest
import sqlalchemy as sa

from steering_mettmann_example import fifth_target_group

from lotse.steering.v1 import events_pb2 as steering_events
from lotse_platform import clock
from lotse_platform.auth import CASE_MANAGER, STEERING_MEMBER
from lotse_platform.testing import (
    Running,
    frozen_clock,
    known_directory,
    poll,
    publish_event,
    put_directory,
    ready_for_tests,
)

pytestmark = pytest.mark.integration

DECIDED_ON = date(2023, 5, 10)
#: the change as the example file of Mettmann's decisions gives it (docs/examples/)
FIFTH = fifth_target_group()
FIFTH_GROUP = FIFTH["target_group_change"]
ORGANISATIONS = ("org-kreis-mettmann", "org-jobcenter-me", "org-awo-me")
PEOPLE = (("lg-kreisdirektor", "org-kreis-mettmann"), ("lg-jobcenter", "org-jobcenter-me"),
          ("lg-awo", "org-awo-me"), ("lg-awo-vertretung", "org-awo-me"),
          ("lg-cm-vertretung", "org-kreis-mettmann"))


@pytest.fixture(scope="module")
def intake(databases, broker_url, issuer):
    """The county's intake on its own database, its queue bound to steering's decisions."""
    from lotse_intake.bootstrap import IntakeService
    from lotse_intake.settings import IntakeSettings

    database = databases.create(f"intake_for_steering_{uuid.uuid4().hex[:8]}")
    service = IntakeService(IntakeSettings(database_url=database.app_url,
                                           migration_database_url=database.owner_url,
                                           broker_url=broker_url,
                                           key_dir=tempfile.mkdtemp(prefix="lotse-keys-")))
    ready_for_tests(service, issuer, broker_url)
    yield service
    service.engine.dispose()


def at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=clock.zone())


def steering_group(as_user, steering, tenant) -> dict[str, str]:
    """The Mettmann group of this test: three voting members, the AWO's deputy and the case
    managers' advisory representative; member ids by user id."""
    put_directory(steering, tenant, known_directory(
        organisations=ORGANISATIONS,
        users=[(user, org, [STEERING_MEMBER]) for user, org in PEOPLE]))
    office = as_user("ks-mettmann")
    assert office.put("/steering-group/quorum-rule", {
        "min_participation_percent": 50, "majority": "simple"}).status_code == 200
    ids: dict[str, str] = {}
    for user, org in PEOPLE:
        answer = office.post("/steering-group/members", {
            "organisation_id": org, "user_id": user,
            "voting": user in ("lg-kreisdirektor", "lg-jobcenter", "lg-awo")})
        assert answer.status_code == 201, answer.get_json()
        ids[user] = answer.get_json()["id"]
    deputy = office.put(f"/steering-group/members/{ids['lg-awo']}", {
        "organisation_id": "org-awo-me", "user_id": "lg-awo", "voting": True,
        "deputy_id": ids["lg-awo-vertretung"]})
    assert deputy.status_code == 200 and deputy.get_json()["deputy_id"] == ids["lg-awo-vertretung"]
    return ids


def test_mettmanns_fifth_target_group_is_decided_and_reaches_intake(
        steering, intake, broker_url, superuser, tenant, as_user):
    ids = steering_group(as_user, steering, tenant)
    office = as_user("ks-mettmann")
    member = {user: as_user(user, roles=(STEERING_MEMBER,), org=org) for user, org in PEOPLE}
    with frozen_clock(at_noon(DECIDED_ON)):
        made = office.post("/decision-proposals", {
            key: FIFTH[key] for key in ("subject", "text", "kind", "reference", "attachments",
                                        "target_group_change")})
        assert made.status_code == 201, made.get_json()
        proposal = made.get_json()["id"]
        meeting = office.post("/steering-group/meetings", {
            "held_on": "2023-05-10", "agenda": [
                {"title": "Bericht der Koordinierenden Stelle"},
                {"title": "Erweiterung der Zielgruppen", "proposal_id": proposal}]})
        assert meeting.status_code == 201, meeting.get_json()

        assert member["lg-kreisdirektor"].post(f"/decision-proposals/{proposal}/votes",
                                               {"vote": "yes"}).status_code == 200
        assert member["lg-jobcenter"].post(f"/decision-proposals/{proposal}/votes",
                                           {"vote": "no"}).status_code == 200
        assert member["lg-jobcenter"].post(f"/decision-proposals/{proposal}/votes",
                                           {"vote": "yes"}).status_code == 200, \
            "a member changes her own vote until the decision"
        by_deputy = member["lg-awo-vertretung"].post(
            f"/decision-proposals/{proposal}/votes",
            {"vote": "abstain", "for_member_id": ids["lg-awo"]})
        assert by_deputy.status_code == 200, by_deputy.get_json()
        late = member["lg-awo"].post(f"/decision-proposals/{proposal}/votes", {"vote": "no"})
        assert late.status_code == 409, "the deputy voted for her"
        assert member["lg-cm-vertretung"].post(f"/decision-proposals/{proposal}/votes",
                                               {"vote": "yes"}).status_code == 409, \
            "an advisory member does not vote"
        assert member["lg-jobcenter"].post(
            f"/decision-proposals/{proposal}/votes",
            {"vote": "yes", "for_member_id": ids["lg-awo"]}).status_code == 403, \
            "only her deputy votes for a member"
        cm = as_user("cm-hilden", roles=(CASE_MANAGER,), org="org-kreis-mettmann")
        assert cm.get(f"/decision-proposals/{proposal}").status_code == 403

        decided = office.post(f"/decision-proposals/{proposal}/decision", {})
        assert decided.status_code == 200, decided.get_json()
    body = decided.get_json()
    assert (body["outcome"], body["outcome_de"], body["decided_on"]) == (
        "approved", "angenommen", "2023-05-10")
    assert body["tally"] == {"yes": 2, "no": 0, "abstentions": 1, "voting_members": 3}
    assert [(v["vote"], v["as_deputy"]) for v in body["votes"]] == [
        ("yes", False), ("yes", False), ("abstain", True)]
    assert member["lg-kreisdirektor"].post(f"/decision-proposals/{proposal}/votes",
                                           {"vote": "no"}).status_code == 409, \
        "no vote after the decision"
    assert office.post(f"/decision-proposals/{proposal}/decision", {}).status_code == 409

    with Running(steering.relay().run), Running(intake.consumer().run):
        group = poll(lambda: _target_groups(intake, tenant), timeout=30,
                     message="intake created the decided target group")
    (created,) = group
    assert created.name == FIFTH_GROUP["name"]
    assert (created.valid_from, created.valid_until) == (DECIDED_ON, date(2024, 12, 31))
    assert created.steering_decision_ref == "LG Mettmann 2023-05-10, Zielgruppe 5"
    assert created.description == FIFTH_GROUP["criteria"]
    assert created.area_ids == [], "the whole county"
    assert (created.conditions.min_age, created.conditions.years_in_germany_under,
            created.conditions.multiple_support_need_established) == (18, 5, True), \
        "the machine-checkable conditions came with the decision"
    assert created.is_valid_on(date(2024, 12, 31)) and not created.is_valid_on(date(2025, 1, 1))

    with superuser.connect() as connection:
        events = connection.execute(sa.text(
            "SELECT event_type, payload FROM outbox WHERE tenant_id = :t ORDER BY id"),
            {"t": tenant}).all()
    types = [e.event_type for e in events]
    assert types[-2:] == ["steering.target_group.decided.v1", "steering.decision.taken.v1"]
    taken = steering_events.DecisionTaken.FromString(events[-1].payload)
    assert (taken.kind, taken.outcome, taken.decided_on) == (
        steering_events.DecisionTaken.KIND_CHANGE_TARGET_GROUPS,
        steering_events.DecisionTaken.OUTCOME_APPROVED, "2023-05-10")
    assert b"Hilfebedarf" not in events[-1].payload, "no text in the decision event"

    # the decision delivered again under another event id creates nothing twice
    decision = steering_events.TargetGroupDecided.FromString(events[-2].payload)
    with Running(intake.consumer().run):
        publish_event(broker_url, tenant, decision, source="/lotse/steering")
        refused = steering_events.TargetGroupDecided(
            decision_id=str(uuid.uuid4()), decision_ref="LG 2024-11-20 TOP 2",
            decided_on="2024-11-20", change=steering_events.TargetGroupDecided.CHANGE_CREATE,
            target_group_id=str(uuid.uuid4()), name="(6) Neu Zugewanderte",
            criteria="weniger als ein Jahr im Kreis", valid_from="2025-01-01",
            conditions_json='{"residence_statuses": ["no-such-status"]}')
        publish_event(broker_url, tenant, refused, source="/lotse/steering")
        marker = steering_events.TargetGroupDecided(
            decision_id=str(uuid.uuid4()), decision_ref="LG Mettmann 2024-11-20 TOP 1",
            decided_on="2024-11-20", change=steering_events.TargetGroupDecided.CHANGE_END,
            target_group_id=str(created.id), valid_until="2024-06-30")
        publish_event(broker_url, tenant, marker, source="/lotse/steering")
        ended = poll(lambda: [g for g in _target_groups(intake, tenant)
                              if g.valid_until == date(2024, 6, 30)], timeout=30,
                     message="intake ended the target group")
    sixth = poll(lambda: [g for g in _target_groups(intake, tenant) if g.name.startswith("(6)")],
                 timeout=30, message="the sixth group")
    assert sixth[0].conditions.is_empty(), "a value intake does not know: no conditions"
    assert len(_target_groups(intake, tenant)) == 2 and ended[0].id == created.id


def _target_groups(intake, tenant) -> list:
    with intake.uow(tenant) as uow:
        return uow.target_groups.all()
