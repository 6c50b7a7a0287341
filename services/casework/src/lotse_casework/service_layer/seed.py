"""Demo data of casework (``make run``, ``make up``): the demo county's case managers with their
FTE shares, and realistic cases of invented people in every phase of the cycle.

The intake service's demo admits 14 of the demo county's people (:mod:`lotse_demo.people`, which
also gives their intake and consent ids); casework opens their cases here with the same ids and
data — case ``demo_id("case:intake-<n>")`` — so intake's admission events find them open and
open nothing twice (no handover call at start-up). Each case manager's list is then filled with
cases of invented people of casework's own, ids ``demo_id("case:<town>-<i>")`` /
``demo_id("intake:<town>-<i>")``, so that every phase of the cycle is shown (docs/casework.md,
"Demo data").
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from lotse.casework.v1 import events_pb2 as ev
from lotse_demo.county import DemoCounty, demo_id
from lotse_demo.documents import SIGNED_COPIES, signed_form_pdf
from lotse_demo.people import Person as DemoPerson
from lotse_demo.people import admitted as demo_admissions
from lotse_demo.people import household_of
from lotse_platform import signed_copies
from lotse_platform.references import from_directory
from lotse_platform.sealing import Envelopes

from ..domain.appointments import Appointment, ConsultationHours
from ..domain.contacts import Conference, Contact
from ..domain.handover import HandoverPackage
from ..domain.model import AwaitingHandover, CaseManager, Share
from ..domain.planning import Assessment, Goal, HelpPlan, Step, previous_language_levels
from ..domain.team import TeamDiscussion
from .admission import open_case
from .conferences import plan_review
from .planning import raise_child_protection_concern
from .events import (
    appointment_missed,
    case_facts,
    contact_recorded,
    language_level_assessed,
    closure_reason_code,
    phase_code,
    publish,
    responsible_code,
    team_discussion_held,
    to_iso,
    topic_code,
)
from .unit_of_work import UnitsOfWork

log = logging.getLogger("lotse.casework.seed")

PATH = ("intake", "assessment", "goal_agreement", "linking", "monitoring")

# invented people: (given name, family name, born, languages, interpreter needed)
PEOPLE = [
    ("Amal", "Darwish", "1987-03-14", ["ar", "de"], True),
    ("Goran", "Petrović", "1979-11-02", ["sr", "de"], False),
    ("Hewa", "Ahmadi", "1995-06-21", ["ku", "fa"], True),
    ("Olena", "Kovalenko", "1983-01-09", ["uk", "ru"], True),
    ("Samuel", "Tesfaye", "1999-08-30", ["ti", "en"], True),
    ("Mariam", "Sultani", "1991-12-05", ["fa", "de"], False),
    ("Ionuț", "Dumitrescu", "1975-04-17", ["ro"], True),
    ("Fatima", "Bakr", "2001-02-26", ["ar"], True),
    ("Yonas", "Gebremedhin", "1993-09-12", ["ti", "am"], True),
    ("Leyla", "Kaya", "1986-07-03", ["tr", "ku", "de"], False),
    ("Dawit", "Alemu", "1990-10-28", ["am", "en"], False),
    ("Svitlana", "Bondar", "1978-05-19", ["uk"], True),
    ("Nour", "Haddad", "1997-03-08", ["ar", "fr"], True),
    ("Ahmad", "Noori", "1984-12-22", ["ps", "fa"], True),
    ("Roza", "Ivanova", "1992-01-31", ["bg", "tr"], True),
    ("Kemal", "Aydın", "1969-06-11", ["tr", "de"], False),
]


@dataclass(frozen=True)
class Scenario:
    phase: str  # where the case stands today
    topics: tuple[str, ...]
    age_days: int
    motto: str | None = None
    reassessed: bool = False
    closure: str | None = None
    # a new situation during linking: re-assessed there and back to linking (seed 000 L100)
    reassessed_in_linking: bool = False


SCENARIOS = [
    Scenario("intake", ("residence", "language"), 5),
    Scenario("assessment", ("housing", "livelihood", "health"), 16),
    Scenario("goal_agreement", ("work_training", "language"), 30, "Ich will als Pflegehelferin "
             "arbeiten"),
    Scenario("linking", ("residence", "housing", "education"), 48, "Eine sichere Zukunft für "
             "meine Kinder", reassessed_in_linking=True),
    Scenario("monitoring", ("residence", "work_training", "family_childcare"), 95,
             "Auf eigenen Beinen stehen"),
    Scenario("reassessment", ("health", "livelihood", "debts"), 140, "Wieder gesund werden",
             reassessed=True),
    Scenario("evaluation", ("language", "work_training"), 210, "Deutsch lernen und arbeiten"),
    Scenario("closed", ("residence", "housing"), 260, "Ankommen in Höxter",
             closure="goals_reached"),
    Scenario("closed", ("livelihood", "debts"), 120, None, closure="moved_away"),
]

# how many of the scenarios each case manager has (the first n), by username
CASES_PER_MANAGER = {"cm.hoexter": 9, "cm.brakel": 7, "cm.warburg": 6, "cm.beverungen": 5,
                     "cm.driburg": 5, "cm.borgentreich": 4, "cm.steinheim": 3, "cm.nieheim": 3}

GOALS = {
    "residence": ("Antrag auf Aufenthaltserlaubnis nach § 25b AufenthG ist gestellt",
                  "Eingangsbestätigung der Ausländerbehörde liegt vor", "client"),
    "language": ("Integrationskurs bis B1 ist begonnen", "Anmeldebestätigung des Kursträgers",
                 "client"),
    "work_training": ("Praktikum in der Altenpflege ist vereinbart", "Praktikumsvertrag",
                      "partner_organisation"),
    "housing": ("Eigene Wohnung ist angemietet", "Mietvertrag unterschrieben", "client"),
    "health": ("Hausärztliche Anbindung besteht", "erster Termin wahrgenommen", "client"),
    "livelihood": ("Leistungsbescheid liegt vor", "Bescheid des Jobcenters", "case_manager"),
    "education": ("Schulplatz für die Tochter ist gesichert", "Anmeldung bei der Schule",
                  "client"),
    "family_childcare": ("Kita-Platz für den Sohn ist zugesagt", "Zusage der Kita", "client"),
    "debts": ("Schuldnerberatung hat einen Plan erstellt", "Plan liegt vor",
              "partner_organisation"),
}
PARTNER_FOR = {"work_training": "jobcenter", "debts": "diakonie", "livelihood": "jobcenter",
               "residence": "abh", "housing": "caritas", "health": "caritas",
               "language": "awo", "education": "awo", "family_childcare": "awo"}


def _phase_by_age(days: int, n: int) -> Scenario:
    """Where an admission of that age stands: the older, the further along the cycle."""
    if days >= 100:
        return Scenario("reassessment" if n % 2 == 0 else "monitoring", (), days,
                        "Hier ankommen und arbeiten", reassessed=n % 2 == 0)
    for limit, phase_now in ((80, "monitoring"), (60, "linking"), (35, "goal_agreement"),
                             (20, "assessment")):
        if days >= limit:
            return Scenario(phase_now, (), days, "Auf eigenen Beinen stehen"
                            if phase_now != "assessment" else None)
    return Scenario("intake", (), days)


def seed_demo(units: UnitsOfWork, county: DemoCounty) -> int:
    """The demo county's case managers and cases, in units of work of its tenant (``units``:
    the container's); nothing when its case managers are known already."""
    tenant = county.tenant_id
    with units(tenant) as uow:
        if uow.case_managers():
            return 0
    written = 0
    with units(tenant) as uow:
        # what identity publishes of the county, known before its events arrive (ADR 0054)
        uow.references.put_all(from_directory(county.directory(), county.reference_names()))
        for user in county.users_with_role("case_manager"):
            uow.add(CaseManager(user_id=str(user.id),
                                organisation_id=str(county.organisation(user.organisation).id),
                                fte=user.fte or 1.0,
                                areas=[str(county.area(a).id) for a in user.areas]))
            written += 1
            # an open consultation hour in her town (001 L134 "offene Sprechstunde"); the
            # first case manager's falls on the seeding day, so the demo's day shows one
            weekday = (uow.today().weekday() + written - 1) % 5
            uow.add(ConsultationHours.offer(
                str(user.id), str(user.id), place=f"Rathaus {county.area(user.areas[0]).name}",
                weekday=weekday, starts=time(8, 30), ends=time(10, 30)))
        uow.audit("create", "case_manager", None, reason="demo county seeded")
        uow.commit()
    invented = 0
    for username, count in CASES_PER_MANAGER.items():
        user = county.user(username)
        admitted = [a for a in demo_admissions() if a.town in user.areas]
        for index in range(1, count + 1):
            with units(tenant) as uow:
                if index <= len(admitted):
                    _seed_admitted(uow, county, user, admitted[index - 1])
                else:
                    person = PEOPLE[invented % len(PEOPLE)]
                    invented += 1
                    _seed_invented(uow, county, user, f"{username.removeprefix('cm.')}-{index}",
                                   person, SCENARIOS[index - 1])
                uow.commit()
            written += 1
    with units(tenant) as uow:
        _team_discussions(uow, county)
        _review_round(uow, county)
        uow.commit()
    log.info("casework.demo_seeded", extra={"records": written})
    return written


def seed_signed_copies(units: UnitsOfWork, county: DemoCounty, envelopes: Envelopes | None,
                       max_bytes: int) -> int:
    """The signed counselling agreement of a demo case, scanned (000 L98), sealed with the
    county's key (ADR 0082); none without a key directory."""
    if envelopes is None:
        return 0
    written = 0
    for n, (key, form, title) in enumerate(SIGNED_COPIES, start=1):
        if not key.startswith("case:"):
            continue
        with units(county.tenant_id) as uow:
            case = uow.case(demo_id(key))
            if case is None:
                continue
            copy = signed_copies.attach(
                uow.signed_copies, envelopes, uow.tenant_id, record_type="case",
                record_id=case.id, form=form, content=signed_form_pdf(title),
                content_type="application/pdf", uploaded_by=case.case_manager_id,
                max_bytes=max_bytes, copy_id=demo_id(f"{key}:signed-copy:{n}"))
            uow.audit("create", "case", case.id,
                      reason=f"{signed_copies.upload_reason(form)}:{copy.id}")
            uow.commit()
        written += 1
    return written


def _team_discussions(uow, county: DemoCounty) -> None:
    """The coordinating office's case discussion with two case managers about a case, and the
    team's supervision (001 L614 "Fallbesprechungen", L363; 002 L262)."""
    today = uow.today()
    office, hoexter, brakel = (str(county.user(u).id) for u in ("ks.koch", "cm.hoexter",
                                                                  "cm.brakel"))
    discussions = (TeamDiscussion.record(
        office, today, kind="case_discussion", held_on=today - timedelta(days=6),
        participant_ids=[hoexter, brakel], case_ids=[str(demo_id("case:hoexter-5"))],
        topics=["residence", "work_training"],
        minutes="Vorgehen bei Beschäftigungsduldung abgestimmt",
        structural_issues="lange Bearbeitungszeiten bei Beschäftigungserlaubnissen"),
        TeamDiscussion.record(
        office, today, kind="supervision", held_on=today - timedelta(days=20),
        participant_ids=[str(county.user(u).id) for u in CASES_PER_MANAGER], case_ids=[],
        topics=[], minutes="Rollenklärung gegenüber der Migrationsberatung",
        structural_issues=None))
    for discussion in discussions:
        uow.add(discussion)
        uow.publish(team_discussion_held(discussion), aggregate_id=discussion.id)


def _review_round(uow, county: DemoCounty) -> None:
    """The coordinating office's quarterly review of every active case of Warburg's case
    manager with the immigration office's Integrationslotsin, in ten days (003 L35)."""
    office, warburg = (str(county.user(u).id) for u in ("ks.koch", "cm.warburg"))
    round_id = demo_id("conference-round:warburg-1")
    for case in uow.cases_of(warburg):
        plan_review(uow, office, case, uow.consents(case.id), round_id,
                    planned_on=uow.today() + timedelta(days=10), topics=["residence"],
                    agenda="Quartalsbesprechung: Stand der Integrationsplanung",
                    invited=[str(county.organisation("abh").id)])


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _seed_admitted(uow, county, user, admitted: DemoPerson) -> None:
    """A case of one of intake's demo admissions, with intake's ids, person and consents."""
    today = uow.today()
    opened_on = today - timedelta(days=admitted.admitted_days_ago)
    intake_id = str(admitted.intake_id)
    consents = [
        {"id": str(admitted.consent_id(1)),
         "kind": "data_protection_information", "valid_from": opened_on.isoformat()},
        {"id": str(admitted.consent_id(2)), "kind": "counselling_agreement",
         "valid_from": opened_on.isoformat(),
         "valid_until": (today + timedelta(days=admitted.agreement_days)).isoformat()},
    ]
    partners = {}
    for k, (org_key, topics, days_left) in enumerate(admitted.releases, start=3):
        org_id = str(county.organisation(org_key).id)
        consents.append({"id": str(admitted.consent_id(k)),
                         "kind": "release_of_confidentiality", "partner_org_id": org_id,
                         "topic_areas": list(topics), "valid_from": opened_on.isoformat(),
                         "valid_until": (today + timedelta(days=days_left)).isoformat()
                         if days_left else None})
        partners.update({t: org_id for t in topics})
    given, family = admitted.name
    # intake's levels of the first contact (lotse_demo.people: language, level, evidence, days)
    levels = [{"language": language, "level": level, "evidence": evidence,
               "assessed_on": (today - timedelta(days=admitted.first_contact_days_ago + days)
                               ).isoformat()}
              for language, level, evidence, days in admitted.extra.get("language_levels", ())]
    person = (given, family, admitted.born, list(admitted.languages),
              "de" not in admitted.languages and "en" not in admitted.languages, levels)
    scenario = replace(_phase_by_age(admitted.admitted_days_ago, admitted.n),
                       topics=admitted.topics)
    area = str(county.area(admitted.town).id)
    household = household_of(admitted.n)  # as intake links it (001 L562)
    _seed_case(uow, county, user, area, intake_id, demo_id(f"case:intake-{admitted.n}"), person,
               scenario, consents, partners, household=household and {
                   "household_id": str(household[0]), "kind": household[1],
                   "relation": household[2]})


def _seed_invented(uow, county, user, key, person, scenario: Scenario) -> None:
    """A case of casework's own invented people, every release its partners need."""
    today = uow.today()
    opened_on = today - timedelta(days=scenario.age_days)
    intake_id = str(demo_id(f"intake:{key}"))
    partners = {t: str(county.organisation(PARTNER_FOR[t]).id) for t in scenario.topics
                if t in PARTNER_FOR}
    consents = [
        {"id": f"{intake_id}-dp", "kind": "data_protection_information",
         "valid_from": opened_on.isoformat()},
        {"id": f"{intake_id}-ca", "kind": "counselling_agreement",
         "valid_from": opened_on.isoformat()},
        *({"id": f"{intake_id}-rel-{t}", "kind": "release_of_confidentiality",
           "partner_org_id": org_id, "topic_areas": [t], "valid_from": opened_on.isoformat(),
           "valid_until": (today + timedelta(days=20 if t == "residence" else 365)).isoformat()}
          for t, org_id in partners.items()),
    ]
    _seed_case(uow, county, user, str(county.area(user.areas[0]).id), intake_id,
               demo_id(f"case:{key}"), person, scenario, consents, partners)


def _seed_case(uow, county, user, area: str, intake_id: str, case_id, person,
               scenario: Scenario, consents: list[dict], partners: dict,
               household: dict | None = None) -> None:
    today = uow.today()
    opened_on = today - timedelta(days=scenario.age_days)
    org = str(county.organisation(user.organisation).id)
    cm = str(user.id)
    given, family, born, languages, interpreter, *levels = person
    responsible_orgs = {t: partners.get(t) or str(county.organisation(PARTNER_FOR[t]).id)
                        for t in scenario.topics if t in PARTNER_FOR}
    package = HandoverPackage.parse({
        "intake_id": intake_id,
        "person": {"given_name": given, "family_name": family, "date_of_birth": born,
                   "contact": {"phone": "+49 5271 0000", "address": "Kreis Höxter"},
                   "languages": languages, "interpreter_needed": interpreter,
                   "language_levels": levels[0] if levels else []},
        "screening": {"criteria_met": ["multiple_dimensions", "several_actors",
                                       "long_term_need"],
                      "topic_areas": list(scenario.topics), "crisis": False},
        "consents": consents,
        "counselling_history": [{"revision": 1, "depth": "case_management",
                                 "decided_on": opened_on.isoformat()}],
        "household": household,
    }, intake_id)
    admission = AwaitingHandover(intake_id=intake_id, operator_org_id="", case_manager_id=cm,
                                 case_manager_org_id=org, area_id=area, admitted_on=opened_on,
                                 topic_areas=list(scenario.topics))
    case = open_case(uow, admission, package, case_id=case_id, opened_by=cm,
                     opened_at=_at(opened_on, 9))
    case.motto_goal = scenario.motto
    # the case manager's judgement for a case reconstruction (seed 001 L450–L451)
    case.difficulty = {"linking": "medium", "monitoring": "medium", "reassessment": "medium",
                       "evaluation": "high"}.get(scenario.phase)
    case.typical = scenario.phase in ("linking", "monitoring", "reassessment")
    uow.flush()

    target = scenario.phase if scenario.phase != "closed" else (
        "evaluation" if scenario.closure == "goals_reached" else "linking")
    stops = PATH[:PATH.index(target) + 1] if target in PATH else PATH
    if target in ("reassessment", "evaluation"):
        stops = PATH + ((target,) if target == "evaluation" else ())
    step_days = max(1, scenario.age_days // (len(stops) + 2))
    day = opened_on
    _contact(uow, case, cm, day, "appointment", 90, scenario.topics[:1], "counselling")
    goals: list[Goal] = []
    for following in stops[1:]:
        day = min(today, day + timedelta(days=step_days))
        if following == "goal_agreement":
            _assess(uow, case, cm, day)
        if following == "linking":
            goals = _agree_goals(uow, case, cm, day, scenario, responsible_orgs)
        if following == "monitoring" and partners:  # the case conference closes the linking
            _conference(uow, case, cm, day, scenario.topics, partners)
        _move(uow, case, following, cm, day)
        if following == "linking":
            _contact(uow, case, cm, day, "accompaniment", 120, scenario.topics[:1], "referral")
            if scenario.reassessed_in_linking:
                _move(uow, case, "reassessment", cm, day)
                _assess(uow, case, cm, day, again=True)
                _move(uow, case, "linking", cm, day)
        if following == "monitoring":
            _contact(uow, case, cm, min(today, day + timedelta(days=7)), "phone_call", 20,
                     scenario.topics[:2], "follow_up")
            if target == "evaluation":  # the reflection talk before the evaluation (001 L309)
                _contact(uow, case, cm, min(today, day + timedelta(days=10)), "appointment",
                         75, scenario.topics[:1], "reflection")
    if scenario.reassessed:
        day = min(today, day + timedelta(days=step_days))
        _move(uow, case, "reassessment", cm, day)
        _assess(uow, case, cm, day, again=True)
    if scenario.phase in ("linking", "monitoring", "reassessment"):
        _appointments(uow, case, cm, scenario)
    if scenario.phase == "monitoring" and "work_training" in partners:
        # counselling in tandem with the Jobcenter's specialist adviser (000 L201)
        uow.add(Share.grant_partner_tandem(
            case, uow.consents(case.id), str(county.user("jobcenter.ip").id),
            partners["work_training"], ["work_training"], today, today + timedelta(days=90),
            cm, today))
    if scenario.phase == "closed":
        closed_on = today - timedelta(days=3)
        evaluation = None
        if scenario.closure == "goals_reached":
            for goal in goals:
                goal.reach(case, closed_on - timedelta(days=10), "erreicht")
                publish(uow, case, ev.GoalReached(case=case_facts(case), goal_id=str(goal.id),
                                                  topic_area=topic_code(goal.topic_area),
                                                  reached_on=to_iso(goal.closed_on)))
            evaluation = {"plan": "Der Hilfeplan war tragfähig", "methods":
                          "Ressourcen- und Netzwerkkarte haben die Klientin gestärkt",
                          "cooperation": "Jobcenter und Ausländerbehörde verlässlich",
                          "client_satisfaction": 5,
                          "service_planning_hints": "Wohnungsmarkt für Familien zu eng",
                          "write_up_minutes": 90}
        before = case.phase
        transition = case.close(scenario.closure, evaluation, cm, closed_on, at=_at(closed_on))
        uow.add(transition)
        publish(uow, case, ev.PhaseChanged(case=case_facts(case), from_phase=phase_code(before),
                                           to_phase=phase_code("closed"), changed_by=cm,
                                           changed_at=to_iso(transition.changed_at)))
        publish(uow, case, ev.CaseClosed(
            case=case_facts(case), reason=closure_reason_code(scenario.closure),
            closed_on=to_iso(closed_on), duration_days=case.duration_days(closed_on),
            phases=[phase_code(p) for p in case.phases_visited],
            goals_reached=sum(1 for g in goals if g.status == "reached"),
            goals_total=len(goals)))
    uow.audit("create", "case", case.id, reason="demo county seeded")


def _appointments(uow, case, by: str, scenario: Scenario) -> None:
    """Today's appointment, a home visit agreed for next week, and a no-show of last week
    (001 L134 "Terminabsprachen", L546 home visits "vorab verbindlich vereinbart")."""
    today = uow.today()
    hour = {"linking": 9, "monitoring": 11, "reassessment": 14}[scenario.phase]
    uow.add(Appointment.plan(case, by, today, kind="appointment", on=today, at=time(hour),
                             duration_minutes=90, place="Kreishaus Höxter, Beratungsraum 2",
                             with_whom="Klientin", interpreter_needed=True))
    if scenario.phase == "monitoring":
        uow.add(Appointment.plan(case, by, today, kind="home_visit",
                                 on=today + timedelta(days=7), at=time(10),
                                 duration_minutes=60, place="Wohnung der Familie",
                                 with_whom="Klientin und Kinder", client_agreement=True))
        missed = Appointment.plan(case, by, today, kind="appointment", on=today,
                                  at=time(15), duration_minutes=60,
                                  place="Kreishaus Höxter, Beratungsraum 2")
        missed.on = today - timedelta(days=7)
        missed.no_show(today, _at(missed.on, 16))
        uow.add(missed)
        publish(uow, case, appointment_missed(case, missed))
        if "family_childcare" in scenario.topics:
            _home_visit_with_children(uow, case, by, today - timedelta(days=5))


def _home_visit_with_children(uow, case, by: str, day: date) -> None:
    """A home visit that took place with the children present, and a concern for them on its
    clear path to the youth office — the Kreis Höxter's Jugendamt (001 L556)."""
    today = uow.today()
    visit = Appointment.plan(case, by, today, kind="home_visit", on=today, at=time(9),
                             duration_minutes=60, place="Wohnung der Familie",
                             with_whom="Klientin und Kinder", client_agreement=True)
    visit.on = day
    contact = Contact.record(case, by, today, type="home_visit", occurred_on=day,
                             duration_minutes=60, topics=["family_childcare"],
                             purpose="counselling", notes="Kinder anwesend, Sorge besprochen",
                             client_agreement=True, appointment_id=visit.id,
                             children_present=True, child_protection_concern=True,
                             youth_office_org_id=str(demo_id("org:jugendamt")))
    contact.recorded_at = _at(day, 15)
    visit.took_place("home_visit", day, contact.id, _at(day, 15))
    uow.add(visit, contact)
    publish(uow, case, contact_recorded(case, contact))
    raise_child_protection_concern(uow, case, contact)


def _move(uow, case, target: str, by: str, day: date) -> None:
    before = case.phase
    transition = case.change_phase(target, by, at=_at(day, 11))
    uow.add(transition)
    publish(uow, case, ev.PhaseChanged(case=case_facts(case), from_phase=phase_code(before),
                                       to_phase=phase_code(target), changed_by=by,
                                       changed_at=to_iso(transition.changed_at)))


def _contact(uow, case, by: str, day: date, kind: str, minutes: int, topics, purpose) -> None:
    contact = Contact.record(case, by, uow.today(), type=kind, occurred_on=day,
                             duration_minutes=minutes, topics=list(topics), purpose=purpose,
                             notes="Gespräch geführt, nächste Schritte besprochen",
                             client_agreement=kind == "home_visit")
    contact.recorded_at = _at(day, 15)
    uow.add(contact)
    publish(uow, case, contact_recorded(case, contact))


def _assess(uow, case, by: str, day: date, again: bool = False) -> None:
    previous = uow.assessments(case.id)
    assessment = Assessment.record(case, previous[-1].version if previous else 0, by, [
        {"area": "residence_status", "client_view": "Duldung, große Sorge",
         "case_manager_view": "Duldung, Perspektive über § 25b AufenthG" if not again else
         "Aufenthaltserlaubnis beantragt",
         "disagreement": "Klientin sieht keine Perspektive" if not again else
         "Klientin bleibt skeptisch"},
        {"area": "languages", "client_view": "A2", "case_manager_view": "A2"},
        {"area": "housing", "client_view": "zu eng in der Unterkunft",
         "case_manager_view": "zu eng in der Unterkunft"},
        {"area": "health", "client_view": "Rückenschmerzen",
         "case_manager_view": "Rückenschmerzen, Schlafprobleme",
         "disagreement": "Schlafprobleme von der Klientin nicht benannt"},
    ], [{"kind": "personal", "description": "mehrsprachig, zuverlässig"},
        {"kind": "social", "description": "Nachbarschaftshilfe der Gemeinde"},
        {"kind": "socio_spatial", "description": "Sprachcafé im Stadtteil"},
        {"kind": "material", "description": "eigenes Fahrrad"}],
        [{"label": "Bruder", "kind": "family", "relation": "Bruder", "quality": "supportive",
          "intensity": "weekly"},
         {"label": "Ehrenamtliche Patin", "kind": "volunteers", "quality": "supportive",
          "intensity": "weekly"},
         {"label": "Ausländerbehörde", "kind": "authorities", "quality": "straining",
          "intensity": "monthly"}],
        # German: estimated at the assessment, certified by the integration course's DTZ at
        # the re-assessment — the progress the office counts (004 L144)
        [{"language": "de", "level": "A2" if again else "A1",
          "evidence": "dtz" if again else "case_manager_assessment", "assessed_on": day}],
        day)
    assessment.recorded_at = _at(day, 10)
    uow.add(assessment)
    person = uow.person(case.id)
    before = previous_language_levels(person.language_levels if person else [], previous)
    for level in assessment.language_levels:
        publish(uow, case, language_level_assessed(case, assessment, level,
                                                   before.get(level["language"])))


def _agree_goals(uow, case, by: str, day: date, scenario: Scenario, partners) -> list[Goal]:
    goals = []
    for n, topic_area in enumerate(t for t in scenario.topics if t in GOALS):
        statement, indicator, who = GOALS[topic_area]
        goal = Goal.set(case, {
            "topic_area": topic_area, "statement": statement, "indicator": indicator,
            "responsible": who, "responsible_org_id": partners.get(topic_area, "")
            if who == "partner_organisation" else "",
            "realism_note": "mit der vorhandenen Unterstützung erreichbar",
            "due_on": uow.today() + timedelta(days=10 + 30 * n)}, uow.today())
        goal.set_on = day
        if n == 0:  # the first agreed goal is the primary one (das primäre Ziel, 004 L134)
            goal.make_primary(case, goals)
        uow.add(goal)
        publish(uow, case, ev.GoalSet(case=case_facts(case), goal_id=str(goal.id),
                                      topic_area=topic_code(goal.topic_area),
                                      responsible=responsible_code(goal.responsible),
                                      responsible_org_id=goal.responsible_org_id,
                                      due_on=to_iso(goal.due_on), primary=goal.primary))
        goals.append(goal)
    uow.flush()
    plan = HelpPlan.draw_up(case, 0, len(goals), by, 14, ["appointment", "phone_call"], None, None)
    plan.created_at = _at(day, 12)
    uow.add(plan)
    for n, goal in enumerate(goals):
        uow.add(Step.plan(case, goal, 1, {
            "description": "Unterlagen zusammenstellen" if n == 0 else "Termin vereinbaren",
            "responsible": "client" if n == 0 else "case_manager",
            "due_on": uow.today() + timedelta(days=-4 if n == 0 else 12)}))
    return goals


def _conference(uow, case, by: str, day: date, topics, partners) -> None:
    topic_area = next(t for t in topics if t in partners)
    conference = Conference.plan(case, uow.consents(case.id), by, uow.today(),
                                 planned_on=day, topics=[topic_area],
                                 agenda="Stand der Hilfe und nächste Schritte",
                                 participants=[{"organisation_id": partners[topic_area],
                                                "role": "Fachberatung"}])
    conference.hold(case, uow.today(), day, "Absprachen getroffen", [
        {"action": "Rückmeldung an die CM", "responsible": "partner_organisation",
         "responsible_org_id": partners[topic_area], "due_on": None}], duration_minutes=90)
    uow.add(conference)
    publish(uow, case, ev.CaseConferenceHeld(
        case=case_facts(case), conference_id=str(conference.id),
        participant_org_ids=[partners[topic_area]], topics=[topic_code(topic_area)],
        agreed_actions=1, held_on=to_iso(day), level=ev.CONFERENCE_LEVEL_TOWN))
