"""A realistic stream of the events reporting keeps: the demo county (:data:`lotse_demo.COUNTY`:
its ten towns, its partner organisations) scaled up, people going through the KIM process over
several years — as the services publish them (protobuf messages in CloudEvents envelopes),
deterministic for a seed.

    from bench.reporting_events_gen import generate
    events = generate(COUNTY.tenant_id, 1_000_000)   # exactly that many, in the order they happened

What a person does (proportions after the county's concepts and the KIM guideline: most people
are screened and informed or referred, about a third are admitted to case management, a case
runs one to two years with a contact every two to three weeks):

- **intake**: the first contact (access path by the county's mix), the screening, the
  counselling-depth decision (about one in twelve revised later); a referral counselling decision
  sends a referral to a partner; about a third are admitted to case management (``CaseAdmitted``);
- **casework** (numbered per case, ``sequence``, as casework numbers them): the case opened, its
  phases (assessment → goal agreement → linking → monitoring, sometimes reassessment), contacts
  (appointments, calls, e-mails, home visits …), goals set and reached, steps done, missed
  appointments, sometimes a transfer to another town's case manager, and the closure with its
  reason — or still open at the end of the stream;
- **network**: referrals from the case to partners (job centre, adult education, welfare
  providers, …) with their outcomes (accepted → arrived → completed, declined, not arrived,
  cancelled);
- **identity**: the staffing — case managers created with their FTE share, FTE changes and new
  case managers over the years; the county's short queries and information events
  (anonymous contacts) per case manager.

The county is the demo county with ``SCALE`` times its case managers per town and ``SCALE``
copies of each partner organisation (the demo has eight case managers for about 400 cases;
1,000,000 events are about 40,000 people over six years, about 60 case managers).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from lotse.casework.v1 import events_pb2 as cw
from lotse.identity.v1 import events_pb2 as idn
from lotse.intake.v1 import events_pb2 as ik
from lotse.kim.v1 import vocabulary_pb2 as kim
from lotse.network.v1 import events_pb2 as nw
from lotse_platform.contracts import event_type_of

#: the case managers per town and the copies of each partner organisation
SCALE = 6
FIRST_DAY = date(2020, 9, 7)
YEARS = 6
#: events per person on average (measured on the generator; sizes the number of people)
EVENTS_PER_PERSON = 20.0

SOURCES = {"intake": "/lotse/intake", "casework": "/lotse/casework",
           "network": "/lotse/network", "identity": "/lotse/identity"}

#: access paths as the county's reports show them (weights)
ACCESS_PATHS = ((kim.ACCESS_PATH_PARTNER_REFERRAL, 28), (kim.ACCESS_PATH_ADMINISTRATION_REFERRAL, 14),
                (kim.ACCESS_PATH_OUTREACH, 6), (kim.ACCESS_PATH_SELF_REFERRAL, 12),
                (kim.ACCESS_PATH_WORD_OF_MOUTH, 16), (kim.ACCESS_PATH_TOWN_ASSIGNMENT, 10),
                (kim.ACCESS_PATH_IMMIGRATION_OFFICE_SCREENING, 9),
                (kim.ACCESS_PATH_CASE_PROPOSAL, 3), (kim.ACCESS_PATH_HANDOVER_AFTER_MOVE, 2))
#: counselling depths (weights): about a third case management
DEPTHS = ((kim.COUNSELLING_DEPTH_INFORMATION, 18), (kim.COUNSELLING_DEPTH_GUIDANCE, 14),
          (kim.COUNSELLING_DEPTH_ACCOMPANIMENT, 6), (kim.COUNSELLING_DEPTH_REFERRAL, 22),
          (kim.COUNSELLING_DEPTH_CRISIS_INTERVENTION, 2),
          (kim.COUNSELLING_DEPTH_CASE_MANAGEMENT, 33), (kim.COUNSELLING_DEPTH_NO_NEED, 5))
TOPICS = ((kim.TOPIC_AREA_RESIDENCE, 14), (kim.TOPIC_AREA_LANGUAGE, 18),
          (kim.TOPIC_AREA_EDUCATION, 8), (kim.TOPIC_AREA_WORK_TRAINING, 20),
          (kim.TOPIC_AREA_HOUSING, 12), (kim.TOPIC_AREA_HEALTH, 8),
          (kim.TOPIC_AREA_LIVELIHOOD, 9), (kim.TOPIC_AREA_FAMILY_CHILDCARE, 6),
          (kim.TOPIC_AREA_DEBTS, 3), (kim.TOPIC_AREA_SOCIAL_ENVIRONMENT, 1),
          (kim.TOPIC_AREA_OTHER, 1))
CONTACT_TYPES = ((cw.CONTACT_TYPE_APPOINTMENT, 45), (cw.CONTACT_TYPE_PHONE_CALL, 25),
                 (cw.CONTACT_TYPE_EMAIL, 15), (cw.CONTACT_TYPE_ACCOMPANIMENT, 7),
                 (cw.CONTACT_TYPE_HOME_VISIT, 5), (cw.CONTACT_TYPE_VIDEO_CALL, 3))
CLOSURES = ((cw.CLOSURE_REASON_GOALS_REACHED, 48), (cw.CLOSURE_REASON_CLIENT_STEERS_NETWORK, 20),
            (cw.CLOSURE_REASON_MOVED_AWAY, 10), (cw.CLOSURE_REASON_CONSENT_WITHDRAWN, 4),
            (cw.CLOSURE_REASON_NOT_REACHABLE, 12), (cw.CLOSURE_REASON_REFERRED_ON, 6))
#: who takes referrals, by the demo county's organisation keys (and their copies)
PARTNER_KINDS = ("jobcenter", "agentur", "vhs", "awo", "caritas", "diakonie", "abh", "bamf",
                 "schulamt", "mo")
TARGET_GROUPS = tuple(str(uuid.uuid5(uuid.NAMESPACE_URL, f"lotse-bench:target-group:{k}"))
                      for k in ("refugees", "eu_citizens", "late_repatriates", "third_country",
                                "young_adults"))


@dataclass(frozen=True)
class GeneratedEvent:
    """One event as the event store keeps it (the envelope's attributes, the protobuf bytes)."""

    occurred_at: datetime
    event_id: uuid.UUID
    type: str
    source: str
    subject: str | None
    sequence: int | None
    payload: bytes


class _County:
    """The demo county scaled: ``SCALE`` case managers per town, ``SCALE`` copies of each
    partner."""

    def __init__(self, county, rng: random.Random) -> None:
        self.towns = [str(a.id) for a in county.towns()]
        self.managers: dict[str, list[str]] = {
            town: [str(uuid.uuid5(uuid.UUID(town), f"case-manager-{n}")) for n in range(SCALE)]
            for town in self.towns}
        self.employer = {m: str(uuid.uuid5(uuid.UUID(town), "town-hall"))
                         for town, ms in self.managers.items() for m in ms}
        self.partners = {kind: [str(county.organisation(kind).id)]
                         + [str(uuid.uuid5(county.organisation(kind).id, f"copy-{n}"))
                            for n in range(1, SCALE)] for kind in PARTNER_KINDS}
        self.referrers = [p for ps in self.partners.values() for p in ps]
        self.rng = rng


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _at(day: date, rng: random.Random) -> datetime:
    """A time in office hours of ``day`` (07:00–15:59 UTC: the same day in Berlin)."""
    return datetime(day.year, day.month, day.day, 7, tzinfo=UTC) + timedelta(
        seconds=rng.randrange(9 * 3600))


class _Story:
    """The events of one person (or one case manager), collected unordered."""

    def __init__(self, rng: random.Random, out: list) -> None:
        self.rng, self.out = rng, out

    def add(self, day: date, message, subject: str | None = None,
            sequence: int | None = None) -> None:
        kind = event_type_of(message)
        self.out.append(GeneratedEvent(_at(day, self.rng), uuid.UUID(int=self.rng.getrandbits(128),
                                                                       version=4),
                                       kind, SOURCES[kind.split(".", 1)[0]], subject, sequence,
                                       message.SerializeToString()))


def _person(county: _County, arrival: date, story: _Story) -> None:
    rng = county.rng
    town = rng.choice(county.towns)
    manager = rng.choice(county.managers[town])
    intake_id = _id(rng)
    path = _pick(rng, ACCESS_PATHS)
    story.add(arrival, ik.ContactRecorded(
        intake_id=intake_id, area_id=town, access_path=path, recorded_by=manager,
        contact_date=arrival.isoformat(), interpreter_needed=rng.random() < 0.4,
        referring_org_id=rng.choice(county.referrers)
        if path == kim.ACCESS_PATH_PARTNER_REFERRAL else ""), intake_id)
    topics = sorted({_pick(rng, TOPICS) for _ in range(rng.randint(1, 4))})
    groups = sorted({rng.choice(TARGET_GROUPS) for _ in range(rng.randint(0, 2))})
    screened = arrival + timedelta(days=rng.randint(0, 14))
    story.add(screened, ik.ScreeningCompleted(
        intake_id=intake_id, area_id=town, topic_areas=topics, target_group_ids=groups,
        crisis=rng.random() < 0.03, screened_by=manager,
        criteria_met=[kim.ADMISSION_CRITERION_MULTIPLE_DIMENSIONS]
        if len(topics) > 1 else []), intake_id)
    depth = _pick(rng, DEPTHS)
    decided = screened + timedelta(days=rng.randint(0, 10))
    partner_kind = rng.choice(PARTNER_KINDS)
    partner = rng.choice(county.partners[partner_kind])

    def decision(revision: int, value: int, on: date) -> None:
        story.add(on, ik.CounsellingDepthDecided(
            intake_id=intake_id, area_id=town, depth=value, revision=revision,
            referral_org_id=partner if value == kim.COUNSELLING_DEPTH_REFERRAL else "",
            topic_areas=topics, target_group_ids=groups, decided_by=manager,
            decided_on=on.isoformat()), intake_id)

    if rng.random() < 0.08 and depth != kim.COUNSELLING_DEPTH_CASE_MANAGEMENT:
        decision(1, depth, decided)  # first decided otherwise, then revised
        decided += timedelta(days=rng.randint(7, 60))
        depth = _pick(rng, DEPTHS)
        decision(2, depth, decided)
    else:
        decision(1, depth, decided)
    if depth == kim.COUNSELLING_DEPTH_REFERRAL:
        _referral(county, story, decided, partner, topics[0], manager, intake_id=intake_id)
    if depth == kim.COUNSELLING_DEPTH_CASE_MANAGEMENT:
        _case(county, story, decided + timedelta(days=rng.randint(1, 21)), town, manager,
              intake_id, topics, groups)


def _referral(county: _County, story: _Story, sent: date, partner: str, topic: int,
              manager: str, *, intake_id: str = "", case_id: str = "") -> None:
    rng = county.rng
    facts = nw.ReferralFacts(
        referral_id=_id(rng), partner_org_id=partner, topic_area=topic,
        mode=rng.choice((nw.REFERRAL_MODE_REFERRAL_COUNSELLING, nw.REFERRAL_MODE_WARM_HANDOVER,
                         nw.REFERRAL_MODE_TANDEM)),
        urgency=nw.REFERRAL_URGENCY_URGENT if rng.random() < 0.1 else nw.REFERRAL_URGENCY_NORMAL,
        source=nw.REFERRAL_SOURCE_CASE if case_id else nw.REFERRAL_SOURCE_INTAKE,
        case_id=case_id, intake_id=intake_id, case_manager_id=manager, sent_on=sent.isoformat())
    subject = facts.referral_id
    story.add(sent, nw.ReferralSent(referral=facts, shared_categories=["contact", "topics"]),
              subject)
    day = sent + timedelta(days=rng.randint(1, 10))
    roll = rng.random()
    if roll < 0.08:
        story.add(day, nw.ReferralDeclined(referral=facts, declined_on=day.isoformat()), subject)
        return
    if roll < 0.12:
        story.add(day, nw.ReferralCancelled(referral=facts, cancelled_on=day.isoformat(),
                                            from_status="sent"), subject)
        return
    story.add(day, nw.ReferralAccepted(referral=facts, accepted_on=day.isoformat()), subject)
    day += timedelta(days=rng.randint(3, 30))
    if rng.random() < 0.15:
        story.add(day, nw.ReferralNotArrived(referral=facts, recorded_on=day.isoformat()),
                  subject)
        return
    story.add(day, nw.ReferralArrived(referral=facts, arrived_on=day.isoformat(),
                                      days_since_sent=(day - sent).days), subject)
    if rng.random() < 0.8:
        day += timedelta(days=rng.randint(14, 120))
        story.add(day, nw.ReferralCompleted(referral=facts, completed_on=day.isoformat(),
                                            feedback_count=rng.randint(0, 3)), subject)


def _case(county: _County, story: _Story, opened: date, town: str, manager: str,
          intake_id: str, topics: list[int], groups: list[str]) -> None:
    rng = county.rng
    case_id = _id(rng)
    primary = topics[0]
    story.add(opened, ik.CaseAdmitted(
        intake_id=intake_id, case_manager_id=manager, area_id=town, target_group_ids=groups,
        topic_areas=topics, admitted_on=opened.isoformat(),
        case_manager_org_id=county.employer[manager]), intake_id)
    facts = cw.CaseFacts(case_id=case_id, area_id=town, case_manager_id=manager,
                         topic_areas=topics, opened_on=opened.isoformat(),
                         target_group_ids=groups, primary_topic_area=primary)
    seq = 0

    def add(day: date, message) -> None:
        nonlocal seq
        seq += 1
        story.add(day, message, case_id, seq)

    add(opened, cw.CaseOpened(case=facts, intake_id=intake_id))
    duration = rng.randint(180, 720)
    ends = opened + timedelta(days=duration)
    plan = [(cw.PHASE_ASSESSMENT, 0.04), (cw.PHASE_GOAL_AGREEMENT, 0.12),
            (cw.PHASE_LINKING, 0.22), (cw.PHASE_MONITORING, 0.35)]
    if rng.random() < 0.3:
        plan.append((cw.PHASE_REASSESSMENT, 0.6))
        plan.append((cw.PHASE_MONITORING, 0.7))
    plan.append((cw.PHASE_EVALUATION, 0.93))
    # the case's life as day-ordered steps, numbered in that order
    steps: list[tuple[date, int, object]] = []
    phase = cw.PHASE_INTAKE
    for to_phase, share in plan:
        day = opened + timedelta(days=int(duration * share))
        steps.append((day, 0, ("phase", to_phase)))
    day = opened + timedelta(days=rng.randint(2, 12))
    while day < ends:
        steps.append((day, 1, ("contact", None)))
        day += timedelta(days=rng.randint(7, 28))
    goals = [(_id(rng), t) for t in topics[:3]]
    for n, (goal_id, topic) in enumerate(goals):
        steps.append((opened + timedelta(days=int(duration * 0.12) + n), 2, ("goal", goal_id, topic)))
        if rng.random() < 0.7:
            steps.append((opened + timedelta(days=int(duration * rng.uniform(0.4, 0.9))), 3,
                          ("reached", goal_id, topic)))
        for _ in range(rng.randint(0, 2)):
            steps.append((opened + timedelta(days=int(duration * rng.uniform(0.2, 0.9))), 3,
                          ("step", goal_id)))
    for _ in range(rng.choice((1, 2, 2, 3, 3, 4))):
        steps.append((opened + timedelta(days=int(duration * rng.uniform(0.2, 0.8))), 4,
                      ("referral", None)))
    if rng.random() < 0.06:
        steps.append((opened + timedelta(days=int(duration * rng.uniform(0.3, 0.8))), 5,
                      ("transfer", None)))
    steps.sort(key=lambda s: (s[0], s[1]))
    current = facts
    for day, _order, step in steps:
        kind = step[0]
        if kind == "phase":
            add(day, cw.PhaseChanged(case=current, from_phase=phase, to_phase=step[1],
                                     changed_by=current.case_manager_id,
                                     changed_at=_at(day, rng).isoformat()))
            phase = step[1]
        elif kind == "contact":
            if rng.random() < 0.06:
                add(day, cw.AppointmentMissed(case=current, appointment_id=_id(rng),
                                              kind=cw.CONTACT_TYPE_APPOINTMENT,
                                              appointment_on=day.isoformat()))
                continue
            add(day, cw.ContactRecorded(
                case=current, contact_id=_id(rng), type=_pick(rng, CONTACT_TYPES),
                duration_minutes=rng.choice((15, 30, 45, 60, 60, 90, 120)),
                topics=[rng.choice(topics)], phase=phase, contact_on=day.isoformat()))
        elif kind == "goal":
            add(day, cw.GoalSet(case=current, goal_id=step[1], topic_area=step[2],
                                responsible=cw.RESPONSIBLE_CLIENT, primary=step[2] == primary,
                                due_on=(day + timedelta(days=180)).isoformat()))
        elif kind == "reached":
            add(day, cw.GoalReached(case=current, goal_id=step[1], topic_area=step[2],
                                    reached_on=day.isoformat()))
        elif kind == "step":
            add(day, cw.StepDone(case=current, goal_id=step[1], step_id=_id(rng),
                                 responsible=cw.RESPONSIBLE_CLIENT, done_on=day.isoformat()))
        elif kind == "referral":
            partner = rng.choice(county.partners[rng.choice(PARTNER_KINDS)])
            _referral(county, story, day, partner, rng.choice(topics), current.case_manager_id,
                      intake_id=intake_id, case_id=case_id)
        elif kind == "transfer":
            other = rng.choice([t for t in county.towns if t != current.area_id])
            moved = cw.CaseFacts()
            moved.CopyFrom(current)
            moved.area_id, moved.case_manager_id = other, rng.choice(county.managers[other])
            add(day, cw.CaseTransferred(case=moved, from_area_id=current.area_id,
                                        from_case_manager_id=current.case_manager_id,
                                        transferred_on=day.isoformat()))
            current = moved
    add(ends, cw.CaseClosed(case=current, reason=_pick(rng, CLOSURES), closed_on=ends.isoformat(),
                            duration_days=duration, goals_total=len(goals),
                            goals_reached=sum(1 for s in steps if s[2][0] == "reached")))


def _staffing(county: _County, story: _Story, last: date) -> None:
    """Identity's users (case managers with FTE shares, changes over the years) and each case
    manager's short queries and information events."""
    rng = county.rng
    version: dict[str, int] = {}
    for town, managers in county.managers.items():
        for n, manager in enumerate(managers):
            start = FIRST_DAY - timedelta(days=30) if n < SCALE // 2 else \
                FIRST_DAY + timedelta(days=rng.randint(0, 365 * YEARS // 2))
            version[manager] = 1
            story.add(start, idn.UserCreated(
                user_id=manager, organisation_id=county.employer[manager],
                roles=["case_manager"], area_ids=[town], fte=rng.choice((0.5, 0.75, 1.0)),
                version=1), manager)
            day = start + timedelta(days=rng.randint(200, 500))
            while day < last:
                version[manager] += 1
                story.add(day, idn.UserStaffingChanged(
                    user_id=manager, organisation_id=county.employer[manager],
                    fte=rng.choice((0.5, 0.75, 1.0)), version=version[manager]), manager)
                day += timedelta(days=rng.randint(300, 700))
            day = start + timedelta(days=rng.randint(1, 6))
            while day < last:  # the anonymous work: a few short queries a week, events monthly
                if rng.random() < 0.12:
                    story.add(day, ik.AnonymousContactRecorded(
                        contact_id=_id(rng), kind=ik.AnonymousContactRecorded.KIND_INFORMATION_EVENT,
                        area_id=town, held_on=day.isoformat(), people=rng.randint(5, 40),
                        duration_minutes=90, recorded_by=manager))
                else:
                    story.add(day, ik.AnonymousContactRecorded(
                        contact_id=_id(rng), kind=ik.AnonymousContactRecorded.KIND_SHORT_QUERY,
                        area_id=town, held_on=day.isoformat(), people=rng.randint(1, 3),
                        duration_minutes=rng.choice((5, 10, 15, 20)), recorded_by=manager,
                        topic_areas=[_pick(rng, TOPICS)]))
                day += timedelta(days=rng.randint(1, 5))


def _stories(county_model, people: int, seed: int) -> list[GeneratedEvent]:
    rng = random.Random(seed)
    county = _County(county_model, rng)
    out: list[GeneratedEvent] = []
    story = _Story(rng, out)
    days = YEARS * 365
    last = FIRST_DAY + timedelta(days=days)
    _staffing(county, story, last)
    for n in range(people):  # arrivals spread evenly over the years, a little more each year
        share = (n + rng.random()) / people
        arrival = FIRST_DAY + timedelta(days=int(days * share ** 0.9))
        if arrival.weekday() >= 5:
            arrival += timedelta(days=7 - arrival.weekday())
        _person(county, arrival, story)
    return out


def generate(tenant: uuid.UUID, events: int, *, seed: int = 2026,
             county=None) -> list[GeneratedEvent]:
    """Exactly ``events`` events of the scaled demo county, in the order they happened: the
    county's first ``events`` (people whose stories are still running are cut where the stream
    ends, as a store is at any moment). ``tenant`` is only for the caller (the events name no
    tenant in their payload)."""
    from lotse_demo import COUNTY

    del tenant
    county = county or COUNTY
    people = max(1, int(events / EVENTS_PER_PERSON))
    while True:
        found = _stories(county, people, seed)
        if len(found) >= events * 1.05 or people > events:
            break
        people = int(people * events * 1.1 / max(len(found), 1)) + 1
    found.sort(key=lambda e: e.occurred_at)
    return found[:events]


def summary(events: list[GeneratedEvent]) -> dict:
    """Counts per event type and the span of the stream (for the results JSON)."""
    counts: dict[str, int] = {}
    for event in events:
        counts[event.type] = counts.get(event.type, 0) + 1
    return {"events": len(events), "first": events[0].occurred_at.date().isoformat(),
            "last": events[-1].occurred_at.date().isoformat(),
            "cases": counts.get("casework.case.opened.v1", 0),
            "people": counts.get("intake.contact.recorded.v1", 0),
            "referrals": counts.get("network.referral.sent.v1", 0),
            "by_type": dict(sorted(counts.items(), key=lambda kv: -kv[1]))}


def iter_rows(tenant: uuid.UUID, events: list[GeneratedEvent]) -> Iterator[tuple]:
    """The event store's columns (COPY order: tenant, id, type, source, subject, sequence,
    time, payload)."""
    for e in events:
        yield (tenant, e.event_id, e.type, e.source, e.subject, e.sequence, e.occurred_at,
               e.payload)
