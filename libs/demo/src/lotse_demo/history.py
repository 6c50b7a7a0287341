"""A year of KIM work in the demo county, as a plan: who came when, what was decided, what
happened in each case and to each referral (ADR 0093).

Pure data, no service code: :func:`plan_history` draws it with a seeded :class:`random.Random`
from the day of seeding (``today``) and a size, so the same day and size give the same plan.
Intake, casework and network each carry out their part of it through their own command handlers,
each step with the platform clock set to its day (``seed_history`` beside each ``seed_demo``).
Everything lies in the twelve months before ``today``; nothing is dated after it.

Ids: person ``n`` of the history is intake ``demo_id(f"history:{n}")``, its consents
``demo_id(f"history:{n}:consent:{k}")`` (1 data-protection information, 2 counselling agreement,
3… the releases in the order given), its case ``demo_id(f"history:{n}:case")``; anonymous
contact ``k`` is ``demo_id(f"history:anonymous:{k}")``. All names are invented, drawn from lists
of common given and family names; no person of the plan exists.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from .county import demo_id

#: the default size (people over the year) of ``make run``; LOTSE_DEMO_HISTORY_PEOPLE overrides
DEFAULT_PEOPLE = 180
#: the seed of the generator: the same day and size always give the same history
SEED = 2026
DAYS = 365

# towns by weight (roughly their population) — the county's ten kreisangehörige Städte
TOWN_WEIGHTS = {"hoexter": 22, "brakel": 12, "warburg": 14, "bad-driburg": 11, "beverungen": 9,
                "steinheim": 8, "borgentreich": 6, "willebadessen": 6, "nieheim": 5,
                "marienmuenster": 4}

ACCESS_WEIGHTS = {"self_referral": 24, "word_of_mouth": 12, "partner_referral": 18,
                  "administration_referral": 10, "immigration_office_screening": 15,
                  "outreach": 9, "town_assignment": 10, "handover_after_move": 2}
REFERRERS = {"partner_referral": ("caritas", "awo", "diakonie", "jobcenter", "vhs", "mo"),
             "administration_referral": None,  # the person's town
             "immigration_office_screening": ("abh",)}

# counselling depths other than case management and referral counselling (Beratungstiefen)
LIGHT_DEPTHS = {"information": 10, "guidance": 13, "accompaniment": 6, "crisis_intervention": 3,
                "no_need": 8}
#: referral counselling (Verweisberatung) goes to the partner of the topic: MBE (Caritas), JMD
#: (AWO), debt counselling (Diakonie), the Jobcenter, language courses (VHS)
REFERRAL_COUNSELLING = {"residence": "caritas", "language": "vhs", "education": "awo",
                        "work_training": "jobcenter", "livelihood": "jobcenter",
                        "debts": "diakonie", "housing": "caritas", "health": "caritas",
                        "family_childcare": "awo", "social_environment": "mo"}
#: the partner a case manager refers a topic to (network referrals of cases)
CASE_PARTNERS = {"residence": "abh", "work_training": "jobcenter", "livelihood": "jobcenter",
                 "debts": "diakonie", "housing": "caritas", "health": "caritas",
                 "language": "vhs", "education": "awo", "family_childcare": "awo"}
#: the partner's staff who answer in the demo (the others' answers the case manager records)
PARTNER_STAFF = {"abh": "abh.lotsin", "jobcenter": "jobcenter.ip", "diakonie": "diakonie.beratung",
                 "caritas": "caritas.beratung", "awo": "awo.beratung"}

#: where a client moves within the county (a transfer to that town's case manager)
TRANSFER_TOWNS = ("hoexter", "brakel", "warburg", "bad-driburg", "beverungen", "steinheim")

TOPICS = ("residence", "language", "work_training", "housing", "livelihood", "health",
          "family_childcare", "education", "debts", "social_environment")
TOPIC_WEIGHTS = (22, 20, 18, 12, 10, 8, 8, 6, 5, 3)

# closures of a case by reason (Abschluss / Entpflichtung), for cases whose cycle ends in the year
CLOSURE_WEIGHTS = {"goals_reached": 55, "client_steers_network": 14, "moved_away": 10,
                   "not_reachable": 9, "referred_on": 7, "consent_withdrawn": 5}
# how a referral ends (FHIR Task: completed, rejected, failed, cancelled; or still open)
REFERRAL_OUTCOMES = {"completed": 34, "arrived": 12, "declined": 12, "not_arrived": 12,
                     "cancelled": 8, "accepted": 10, "sent": 12}

ORIGINS = (  # region, languages, statuses, given names, family names — all invented pairings
    ("middle_east", ("ar",), (("recognised_refugee",), ("duldung",), ("subsidiary_protection",),
                              ("gestattung",), ("duldung", "eligible_25b")),
     ("Amira", "Hassan", "Layla", "Yusuf", "Rana", "Karim", "Huda", "Tarek", "Salma", "Majd"),
     ("Al-Nouri", "Haddad", "Kassem", "Suleiman", "Jaber", "Mahmoud", "Rahal", "Zidan")),
    ("south_asia", ("fa", "ps"), (("gestattung",), ("duldung",), ("recognised_refugee",),
                                  ("duldung", "eligible_104c")),
     ("Farid", "Zahra", "Nasrin", "Habib", "Shirin", "Wahid", "Soraya", "Jawad"),
     ("Azizi", "Hashemi", "Rahmani", "Sadat", "Wardak", "Noorzai", "Karimi")),
    ("eastern_europe", ("uk", "ru"), (("other_residence_permit",),),
     ("Oksana", "Dmytro", "Iryna", "Serhii", "Halyna", "Andrii", "Natalia", "Yulia"),
     ("Shevchuk", "Tkachenko", "Hnatiuk", "Marchenko", "Lysenko", "Savchuk", "Kravets")),
    ("sub_saharan_africa", ("ti", "en"), (("gestattung",), ("recognised_refugee",),
                                          ("duldung", "eligible_104c")),
     ("Semhar", "Filmon", "Aisha", "Abdi", "Mebrat", "Kidane", "Amina", "Ousmane"),
     ("Tekle", "Berhane", "Mohamed", "Keita", "Haile", "Sow", "Abebe")),
    ("south_east_europe", ("ro", "bg"), (("eu_citizen",),),
     ("Mihai", "Elena", "Ioana", "Stefan", "Daniela", "Petar", "Vasil", "Anca"),
     ("Popa", "Stan", "Georgiev", "Dobre", "Ionescu", "Petrov", "Radu")),
    ("north_africa", ("ar", "fr"), (("duldung",), ("other_residence_permit",)),
     ("Youssef", "Nadia", "Hicham", "Samira", "Rachid", "Imane"),
     ("Benali", "El Idrissi", "Bouzid", "Mansouri", "Cherif")),
    ("central_asia", ("ru",), (("gestattung",), ("other_residence_permit",)),
     ("Timur", "Dilnoza", "Rustam", "Madina", "Aziz"),
     ("Nazarov", "Yusupova", "Karimov", "Saidova")),
)
ORIGIN_WEIGHTS = (30, 18, 20, 14, 10, 5, 3)


@dataclass(frozen=True)
class CaseStep:
    """One step of a case's cycle on ``on``: ``kind`` is phase (``what`` the target), assessment,
    goal (``what`` the topic), help_plan, contact (``what`` the type, ``minutes``, ``topic``,
    ``purpose``), reach (``what`` the topic), transfer (``what`` the town moved to: its case
    manager takes the case over), close (``what`` the reason)."""

    on: date
    kind: str
    what: str = ""
    topic: str = ""
    minutes: int = 0
    purpose: str = ""


@dataclass(frozen=True)
class ReferralPlan:
    """A case's referral to a partner: its mode and each step with its day (sent first)."""

    partner: str  # organisation key
    topic: str
    mode: str  # referral_counselling | warm_handover | tandem
    steps: tuple[tuple[date, str], ...]


@dataclass(frozen=True)
class HistoryPerson:
    n: int
    town: str
    access: str
    referrer: str | None  # organisation key
    name: tuple[str, str]
    born: date
    languages: tuple[str, ...]
    statuses: tuple[str, ...]
    region: str
    topics: tuple[str, ...]
    first_contact: date
    screened_on: date
    #: counselling depths in order with their day: (depth, day) or (depth "referral", day,
    #: organisation key, topic)
    decisions: tuple[tuple, ...]
    admitted_on: date | None = None
    #: releases of confidentiality given at admission: (organisation key, topics)
    releases: tuple[tuple[str, tuple[str, ...]], ...] = ()
    case_steps: tuple[CaseStep, ...] = ()
    referrals: tuple[ReferralPlan, ...] = ()
    #: the day the counselling agreement was withdrawn (closure for consent withdrawn)
    withdrawn_on: date | None = None

    @property
    def intake_id(self) -> uuid.UUID:
        return demo_id(f"history:{self.n}")

    def consent_id(self, k: int) -> uuid.UUID:
        return demo_id(f"history:{self.n}:consent:{k}")

    @property
    def case_id(self) -> uuid.UUID:
        return demo_id(f"history:{self.n}:case")

    @property
    def admitted(self) -> bool:
        return self.admitted_on is not None


@dataclass(frozen=True)
class AnonymousContactPlan:
    k: int
    kind: str  # short_query | information_event
    town: str
    held_on: date
    topics: tuple[str, ...]
    languages: tuple[str, ...]
    minutes: int
    people: int

    @property
    def contact_id(self) -> uuid.UUID:
        return demo_id(f"history:anonymous:{self.k}")


@dataclass(frozen=True)
class History:
    today: date
    people: tuple[HistoryPerson, ...]
    anonymous: tuple[AnonymousContactPlan, ...]

    def admitted(self) -> tuple[HistoryPerson, ...]:
        return tuple(p for p in self.people if p.admitted)


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def plan_history(today: date, people: int = DEFAULT_PEOPLE, seed: int = SEED) -> History:
    """The year before ``today`` with ``people`` people coming in (0: an empty history)."""
    rng = random.Random(seed)
    start = today - timedelta(days=DAYS)
    # first contacts spread over the year, a little denser in the recent months
    days = sorted(int(DAYS * (1 - rng.random() ** 1.15)) for _ in range(people))
    planned = [_person(rng, 1000 + i, start + timedelta(days=d), today)
               for i, d in enumerate(days, start=1)]
    anonymous = []
    day, k = start + timedelta(days=2), 0
    while day < today:
        k += 1
        kind = "information_event" if rng.random() < 0.18 else "short_query"
        origin = ORIGINS[rng.choices(range(len(ORIGINS)), ORIGIN_WEIGHTS)[0]]
        anonymous.append(AnonymousContactPlan(
            k=k, kind=kind, town=_pick(rng, TOWN_WEIGHTS), held_on=day,
            topics=tuple(sorted(set(rng.choices(TOPICS, TOPIC_WEIGHTS, k=rng.randint(1, 2))))),
            languages=origin[1] + (("de",) if kind == "information_event" else ()),
            minutes=rng.choice((10, 15, 20)) if kind == "short_query" else rng.choice((90, 120)),
            people=rng.randint(1, 2) if kind == "short_query" else rng.randint(8, 30)))
        day += timedelta(days=rng.randint(3, 9))
    return History(today, tuple(planned), tuple(anonymous))


def _person(rng: random.Random, n: int, first_contact: date, today: date) -> HistoryPerson:
    town, access = _pick(rng, TOWN_WEIGHTS), _pick(rng, ACCESS_WEIGHTS)
    referrer = None
    if access == "administration_referral":
        referrer = f"stadt-{town}"
    elif access in REFERRERS:
        referrer = rng.choice(REFERRERS[access])
    region, languages, statuses, given, family = ORIGINS[
        rng.choices(range(len(ORIGINS)), ORIGIN_WEIGHTS)[0]]
    if access == "immigration_office_screening":  # the ABH screens the tolerated (§ 104c)
        statuses = (("duldung", "eligible_104c"),)
    needs = set(rng.choices(TOPICS, TOPIC_WEIGHTS, k=rng.randint(1, 4)))
    topics = tuple(t for t in TOPICS if t in needs)
    born = date(rng.randint(1960, 2005), rng.randint(1, 12), rng.randint(1, 28))
    screened = first_contact + timedelta(days=rng.randint(0, 3))
    decided = min(today, screened + timedelta(days=rng.randint(1, 6)))
    person = dict(n=n, town=town, access=access, referrer=referrer,
                  name=(rng.choice(given), rng.choice(family)), born=born,
                  languages=languages, statuses=rng.choice(statuses), region=region,
                  topics=topics, first_contact=first_contact, screened_on=min(today, screened))
    roll = rng.random()
    complex_case = len(topics) >= 2 or access == "immigration_office_screening"
    if complex_case and roll < 0.4 or roll < 0.08:  # about a third admitted
        admitted_on = min(today, decided + timedelta(days=rng.randint(2, 12)))
        case_steps, referrals, withdrawn = _case(rng, topics, town, admitted_on, today)
        releases = tuple((partner, tuple(sorted({r.topic for r in referrals
                                                 if r.partner == partner})))
                         for partner in dict.fromkeys(r.partner for r in referrals))
        return HistoryPerson(**person, decisions=(("case_management", decided),),
                             admitted_on=admitted_on, releases=releases, case_steps=case_steps,
                             referrals=referrals, withdrawn_on=withdrawn)
    if rng.random() < 0.45:  # referral counselling to the partner of the first topic
        topic = topics[0]
        decisions: tuple[tuple, ...] = (("referral", decided, REFERRAL_COUNSELLING[topic],
                                         topic),)
    else:
        decisions = ((_pick(rng, LIGHT_DEPTHS), decided),)
    return HistoryPerson(**person, decisions=decisions)


def _case(rng: random.Random, topics: tuple[str, ...], town: str, admitted_on: date,
          today: date) -> tuple[tuple[CaseStep, ...], tuple[ReferralPlan, ...], date | None]:
    """A case's cycle from its admission, cut at ``today``: what is planned after it has not
    happened yet (the case is still in that phase)."""
    steps: list[CaseStep] = []
    day = admitted_on
    reason = _pick(rng, CLOSURE_WEIGHTS)
    # an early closure comes in one of the phases before the evaluation
    early_at = rng.choice(("assessment", "goal_agreement", "linking", "monitoring")) \
        if reason not in ("goals_reached", "client_steers_network") else None
    referrals: list[ReferralPlan] = []

    def at(gap: tuple[int, int]) -> date:
        nonlocal day
        day = day + timedelta(days=rng.randint(*gap))
        return day

    def contact(kind: str, minutes: int, purpose: str, topic: str = "") -> None:
        steps.append(CaseStep(day, "contact", kind, topic or topics[0], minutes, purpose))

    def close(reason: str) -> None:
        steps.append(CaseStep(at((2, 10)), "close", reason))

    contact("appointment", 90, "counselling")
    for phase in ("assessment", "goal_agreement", "linking", "monitoring"):
        if early_at == phase:
            close(reason)
            return _until(steps, referrals, today, reason)
        steps.append(CaseStep(at((6, 20)), "phase", phase))
        if phase == "assessment":
            contact("appointment", 75, "counselling")
            steps.append(CaseStep(at((4, 14)), "assessment"))
        elif phase == "goal_agreement":
            for topic in topics[:3]:
                steps.append(CaseStep(day, "goal", topic))
            steps.append(CaseStep(day, "help_plan"))
        elif phase == "linking":
            contact("accompaniment", 120, "referral")
            for topic in topics[:3]:
                if topic in CASE_PARTNERS and rng.random() < 0.75:
                    referrals.append(_referral(rng, topic, day + timedelta(days=rng.randint(0, 5))))
        else:  # monitoring: monthly contacts, a home visit now and then, goals reached
            if rng.random() < 0.06:
                # moved within the county: the new town's case manager takes the case over
                steps.append(CaseStep(at((3, 20)), "transfer",
                                      rng.choice([t for t in TRANSFER_TOWNS if t != town])))
            for month in range(rng.randint(2, 4)):
                kind = rng.choices(("appointment", "phone_call", "home_visit", "video_call"),
                                   (5, 4, 2, 1))[0]
                at((15, 35))
                contact(kind, {"phone_call": 20, "home_visit": 60}.get(kind, 45), "follow_up",
                        rng.choice(topics))
                if month == 1 and rng.random() < 0.2:
                    steps.append(CaseStep(day, "phase", "reassessment"))
                    steps.append(CaseStep(at((1, 7)), "assessment"))
                    steps.append(CaseStep(day, "phase", "monitoring"))
            for topic in topics[:3]:
                if reason in ("goals_reached", "client_steers_network") or rng.random() < 0.4:
                    steps.append(CaseStep(at((2, 15)), "reach", topic))
    steps.append(CaseStep(at((10, 30)), "phase", "evaluation"))
    contact("appointment", 75, "reflection")
    close(reason)
    return _until(steps, referrals, today, reason)


def _until(steps: list[CaseStep], referrals: list[ReferralPlan], today: date, reason: str
           ) -> tuple[tuple[CaseStep, ...], tuple[ReferralPlan, ...], date | None]:
    kept = [s for s in steps if s.on <= today]
    closed = next((s for s in kept if s.kind == "close"), None)
    withdrawn = closed.on if closed and reason == "consent_withdrawn" else None
    end = closed.on if closed else today
    # what is planned after the closure does not happen; one the partner has not answered yet
    # is withdrawn with the case
    plans = []
    for referral in referrals:
        if referral.steps[0][0] > end:
            continue
        steps_kept = tuple((d, s) for d, s in referral.steps if d <= end)
        if closed and steps_kept[-1][1] == "sent" and len(steps_kept) < len(referral.steps):
            steps_kept = (*steps_kept, (end, "cancelled"))
        plans.append(ReferralPlan(referral.partner, referral.topic, referral.mode, steps_kept))
    return tuple(kept), tuple(plans), withdrawn


def _referral(rng: random.Random, topic: str, sent: date) -> ReferralPlan:
    partner = CASE_PARTNERS[topic]
    outcome = _pick(rng, REFERRAL_OUTCOMES)
    mode = rng.choices(("referral_counselling", "warm_handover", "tandem"), (6, 3, 1))[0]
    day = sent
    steps = [(day, "sent")]

    def then(step: str, gap: tuple[int, int]) -> None:
        nonlocal day
        day = day + timedelta(days=rng.randint(*gap))
        steps.append((day, step))

    if outcome == "declined":
        then("declined", (1, 6))
    elif outcome == "cancelled":
        then("cancelled", (2, 20))
    elif outcome != "sent":
        then("accepted", (1, 5))
        if outcome == "not_arrived":
            then("not_arrived", (5, 20))
        elif outcome in ("arrived", "completed"):
            then("arrived", (5, 20))
            if outcome == "completed":
                then("completed", (7, 25))
    return ReferralPlan(partner, topic, mode, tuple(steps))


def case_manager(county, town: str):
    """The case manager of ``town`` in ``county`` (the first whose areas name it)."""
    return next(u for u in county.users_with_role("case_manager") if town in u.areas)
