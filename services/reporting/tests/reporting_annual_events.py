"""A county's known year (2025) as intake, casework and network publish it, for the annual
report's and the state extract's tests (ADR 0097), and what those events add up to."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from lotse.casework.v1 import events_pb2 as casework
from lotse.intake.v1 import events_pb2 as intake
from lotse.kim.v1 import vocabulary_pb2 as kim
from lotse.network.v1 import events_pb2 as network
from lotse_platform.contracts import Envelope, event_type_of

AREA, CM = "area-hoexter", "cm-1"
SCREENING, OUTREACH = (kim.ACCESS_PATH_IMMIGRATION_OFFICE_SCREENING, kim.ACCESS_PATH_OUTREACH)
ANONYMOUS = intake.AnonymousContactRecorded


def envelope(event: Any, tenant: uuid.UUID, day: str, *, sequence: int | None = None
             ) -> Envelope:
    """``event`` in an envelope stamped at noon (UTC) of ``day``."""
    service = event_type_of(event).split(".", 1)[0]
    at = datetime.combine(date.fromisoformat(day[:10]), datetime.min.time(), tzinfo=UTC)
    return Envelope(id=uuid.uuid4(), type=event_type_of(event), source=f"/lotse/{service}",
                    time=at.replace(hour=12), data=event.SerializeToString(), tenant=tenant,
                    sequence=sequence)


def _intake(tenant: uuid.UUID, path: int, day: str, depth: int | None) -> list[Envelope]:
    intake_id = str(uuid.uuid4())
    found = [envelope(intake.ContactRecorded(intake_id=intake_id, area_id=AREA, access_path=path,
                                             recorded_by=CM, contact_date=day), tenant, day)]
    if depth is not None:
        found.append(envelope(intake.CounsellingDepthDecided(
            intake_id=intake_id, area_id=AREA, depth=depth, revision=1, decided_by=CM,
            decided_on=day), tenant, day))
    return found


def _case(tenant: uuid.UUID, opened: str, steps: list[tuple[str, Any]]) -> list[Envelope]:
    """A case opened on ``opened``, then ``steps`` of (day, a function of its facts → an
    event), numbered as casework numbers them."""
    facts = casework.CaseFacts(case_id=str(uuid.uuid4()), area_id=AREA, case_manager_id=CM,
                               opened_on=opened)
    found = [envelope(casework.CaseOpened(case=facts), tenant, opened, sequence=1)]
    for n, (day, make) in enumerate(steps, start=2):
        found.append(envelope(make(facts), tenant, day, sequence=n))
    return found


def _phase(to: int, at: str) -> Any:
    return lambda facts: casework.PhaseChanged(case=facts, from_phase=casework.PHASE_INTAKE,
                                               to_phase=to, changed_at=at)


def _goal(topic: int, reached: bool = False) -> Any:
    if reached:
        return lambda facts: casework.GoalReached(case=facts, goal_id=str(uuid.uuid4()),
                                                  topic_area=topic)
    return lambda facts: casework.GoalSet(case=facts, goal_id=str(uuid.uuid4()),
                                          topic_area=topic)


def _closed(reason: int, day: str) -> Any:
    return lambda facts: casework.CaseClosed(case=facts, reason=reason, closed_on=day)


def _referral(tenant: uuid.UUID, mode: int, day: str, outcome: str) -> list[Envelope]:
    facts = network.ReferralFacts(referral_id=str(uuid.uuid4()), partner_org_id="org-jc",
                                  mode=mode, topic_area=kim.TOPIC_AREA_WORK_TRAINING,
                                  case_manager_id=CM, sent_on=day)
    steps: list[Any] = [network.ReferralSent(referral=facts)]
    if outcome in ("accepted", "arrived"):
        steps.append(network.ReferralAccepted(referral=facts, accepted_on=day))
    if outcome == "arrived":
        steps.append(network.ReferralArrived(referral=facts, arrived_on=day))
    return [envelope(e, tenant, day) for e in steps]


def year_2025(tenant: uuid.UUID) -> list[Envelope]:
    """The known year, with events just before and after it that must not count."""
    found: list[Envelope] = []
    # first contacts: screening 6 to case management, 5 no need, 1 referral; outreach 3
    # guidance, 4 undecided; one on 31 December (counts), one of 2024 and one of 2026 (not)
    for depth, n in ((kim.COUNSELLING_DEPTH_CASE_MANAGEMENT, 6),
                     (kim.COUNSELLING_DEPTH_NO_NEED, 5), (kim.COUNSELLING_DEPTH_REFERRAL, 1)):
        for _ in range(n):
            found += _intake(tenant, SCREENING, "2025-03-10", depth)
    for _ in range(3):
        found += _intake(tenant, OUTREACH, "2025-05-05", kim.COUNSELLING_DEPTH_GUIDANCE)
    for _ in range(3):
        found += _intake(tenant, OUTREACH, "2025-08-01", None)
    found += _intake(tenant, OUTREACH, "2025-12-31", None)
    found += _intake(tenant, OUTREACH, "2024-12-31", kim.COUNSELLING_DEPTH_GUIDANCE)
    found += _intake(tenant, SCREENING, "2026-01-02", kim.COUNSELLING_DEPTH_NO_NEED)
    # admissions: 5 in §104c, 1 in §§25a/b (and one of 2024)
    for group, day in [("tg-104c", "2025-03-12")] * 5 + [("tg-25ab", "2025-04-01"),
                                                         ("tg-104c", "2024-11-11")]:
        found.append(envelope(intake.CaseAdmitted(
            intake_id=str(uuid.uuid4()), case_manager_id=CM, area_id=AREA,
            target_group_ids=[group], admitted_on=day), tenant, day))
    # anonymous: 6 short consultations of 2 people each, 2 information events (20 + 15 people)
    for n in range(6):
        found.append(envelope(intake.AnonymousContactRecorded(
            contact_id=f"sq-{n}", kind=ANONYMOUS.KIND_SHORT_QUERY, area_id=AREA,
            held_on="2025-06-02", duration_minutes=15, people=2, recorded_by=CM),
            tenant, "2025-06-02"))
    for n, people in enumerate((20, 15)):
        found.append(envelope(intake.AnonymousContactRecorded(
            contact_id=f"ie-{n}", kind=ANONYMOUS.KIND_INFORMATION_EVENT, area_id=AREA,
            held_on="2025-09-09", duration_minutes=90, people=people, recorded_by=CM),
            tenant, "2025-09-09"))
    found.append(envelope(intake.AnonymousContactRecorded(
        contact_id="ie-2024", kind=ANONYMOUS.KIND_INFORMATION_EVENT, area_id=AREA,
        held_on="2024-10-01", people=30, recorded_by=CM), tenant, "2024-10-01"))
    # cases: 5 in monitoring with a residence goal each; one whose step to linking came at
    # 00:30 on 1 January in Berlin (23:30 UTC on 31 December: still in intake at the year's
    # end), with a language goal; two closed with their goals reached; one of 2024 closed in
    # 2025 (moved away)
    for _ in range(5):
        found += _case(tenant, "2025-02-01", [
            ("2025-02-03", _goal(kim.TOPIC_AREA_RESIDENCE)),
            ("2025-06-01", _phase(casework.PHASE_MONITORING, "2025-06-01T09:00:00Z"))])
    found += _case(tenant, "2025-02-01", [
        ("2025-02-03", _goal(kim.TOPIC_AREA_LANGUAGE)),
        ("2025-12-31", _phase(casework.PHASE_LINKING, "2025-12-31T23:30:00Z"))])
    for _ in range(2):
        found += _case(tenant, "2025-02-01", [
            ("2025-11-30", _goal(kim.TOPIC_AREA_RESIDENCE, reached=True)),
            ("2025-11-30", _closed(casework.CLOSURE_REASON_GOALS_REACHED, "2025-11-30"))])
    found += _case(tenant, "2024-05-01", [
        ("2025-03-01", _closed(casework.CLOSURE_REASON_MOVED_AWAY, "2025-03-01"))])
    # referrals: warm handovers 5 arrived, 1 sent only; tandems 1 accepted, 1 arrived
    for outcome in ["arrived"] * 5 + ["sent"]:
        found += _referral(tenant, network.REFERRAL_MODE_WARM_HANDOVER, "2025-04-01", outcome)
    for outcome in ("accepted", "arrived"):
        found += _referral(tenant, network.REFERRAL_MODE_TANDEM, "2025-05-01", outcome)
    found += _referral(tenant, network.REFERRAL_MODE_TANDEM, "2024-12-01", "arrived")
    return found


def cells(table: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A table's non-zero cells (and hidden ones) by row key."""
    return {row["key"]: {c: v for c, v in row["cells"].items() if v != 0}
            for row in table["rows"] if any(v != 0 for v in row["cells"].values())}


#: what the known year adds up to (exact): table code → its non-zero cells, its total
EXPECTED: dict[str, tuple[dict[str, dict[str, int]], int | None]] = {
    "first-contacts": ({"immigration_office_screening": {"case_management": 6, "no_need": 5,
                                                         "referral": 1},
                        "outreach": {"guidance": 3, "undecided": 4}}, 19),
    "admissions": ({"tg-104c": {"admissions": 5}, "tg-25ab": {"admissions": 1}}, None),
    "anonymous-contacts": ({"short_query": {"held": 6}, "information_event": {"held": 2}}, 8),
    "anonymous-people": ({"short_query": {"people": 12}, "information_event": {"people": 35}},
                         47),
    "open-cases": ({"intake": {"cases": 1}, "monitoring": {"cases": 5}}, 6),
    "closures": ({"goals_reached": {"closures": 2}, "moved_away": {"closures": 1}}, 3),
    "goals-set": ({"residence": {"goals": 5}, "language": {"goals": 1}}, 6),
    "goals-reached": ({"residence": {"goals": 2}}, 2),
    "referrals": ({"warm_handover": {"arrived": 5, "not_accepted": 1},
                   "tandem": {"arrived": 1, "accepted": 1}}, 8),
    "reported-topics": ({"housing": {"topics": 2}, "language": {"topics": 1}}, 3),
}
