"""Demo data of the network service (``make run``, ``make up``): what identity publishes of the
county, the copies of the demo people's consents and cases as intake's and casework's events
bring them, and referrals of
the demo cases in every state (ADR 0084) — added with the directory, agreements and meetings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from lotse_demo.county import DemoCounty, User, demo_id
from lotse_demo.people import PEOPLE, Person
from lotse_platform.references import from_directory

from ..domain.referrals import CaseCopy, ConsentCopy, Referral, ReferralStep
from .referrals import publish_step
from .seed_cooperation import seed_cooperation
from .seed_directory import seed_directory
from .unit_of_work import NetworkUnitOfWork


def seed_demo(units: Callable[..., NetworkUnitOfWork], county: DemoCounty) -> int:
    """What identity publishes of the county, known before its events arrive (ADR 0054); the
    county's directory of partners and services (ADR 0083); the demo people's releases and the
    demo referrals, once."""
    with units(county.tenant_id) as uow:
        uow.references.put_all(from_directory(county.directory(), county.reference_names()))
        uow.commit()
    written = seed_directory(units, county) + seed_referrals(units, county)
    written += seed_cooperation(units, county)  # agreements, bodies, knowledge (ADR 0085)
    return written


# -- referrals (ADR 0084) -------------------------------------------------------------------------
def demo_releases(county: DemoCounty, today: date) -> list[ConsentCopy]:
    """The demo people's releases of confidentiality as intake records them at admission
    (services/intake/…/seed.py: consents 1 and 2 are the data-protection information and the
    counselling agreement, the releases follow from 3; ``withdraw_release`` withdraws the
    first)."""
    copies = []
    for person in PEOPLE:
        if not person.admit:
            continue
        signed = today - timedelta(days=person.first_contact_days_ago) + timedelta(days=8)
        for k, (org, topics, days) in enumerate(person.releases, start=3):
            copies.append(ConsentCopy(
                consent_id=str(person.consent_id(k)), intake_id=str(person.intake_id),
                operator_org_id="", kind="release_of_confidentiality",
                partner_org_id=str(county.organisation(org).id), topic_areas=list(topics),
                valid_from=signed,
                valid_until=today + timedelta(days=days) if days else None,
                withdrawn_on=today if k == 3 and person.extra.get("withdraw_release") else None))
    return copies


def demo_cases(county: DemoCounty) -> list[CaseCopy]:
    """The demo cases casework opens for the admitted people (``case:intake-<n>``, the town's
    case manager), as its ``casework.case.opened.v1`` brings them."""
    return [CaseCopy(case_id=demo_id(f"case:intake-{p.n}"), intake_id=str(p.intake_id),
                     operator_org_id="", case_manager_id=str(_case_manager(county, p).id))
            for p in PEOPLE if p.admit]


@dataclass(frozen=True)
class _Demo:
    """One demo referral: the person, partner, topic, mode, the steps (step, days ago, by the
    partner?, text) and what is shared."""

    n: int
    partner: str
    topic: str
    mode: str
    steps: tuple[tuple[str, int, bool, str | None], ...]
    reason: str
    shared: tuple[tuple[str, str], ...] = (("contact", "erreichbar über die Fallmanagerin"),)
    urgency: str = "normal"


DEMO_REFERRALS = (
    _Demo(1, "abh", "residence", "warm_handover",
          (("sent", 40, False, None), ("accepted", 38, True, None),
           ("appointment", 37, True, None), ("arrived", 30, True, None),
           ("feedback", 20, True, "Antrag auf Verlängerung ist gestellt, Fiktionsbescheinigung "
                                   "ausgestellt")),
          "Verlängerung der Aufenthaltserlaubnis; gemeinsames Gespräch gewünscht",
          (("contact", "Termine bitte über die Fallmanagerin"),
           ("residence_status", "Aufenthaltserlaubnis § 25 Abs. 2, läuft in 3 Monaten ab"))),
    _Demo(3, "diakonie", "debts", "referral_counselling",
          (("sent", 12, False, None), ("declined", 10, True,
                                       "Derzeit keine freien Kapazitäten; bitte Schuldner- "
                                       "beratung der Caritas anfragen")),
          "Mietschulden und offene Rechnungen, Unterstützung bei der Haushaltsplanung",
          (("contact", "Tel. über die Fallmanagerin"), ("debts", "ca. 2.400 € Mietrückstand"))),
    _Demo(3, "diakonie", "debts", "referral_counselling", (("sent", 2, False, None),),
          "Erneute Anfrage Schuldnerberatung, Mahnbescheid erhalten", urgency="urgent"),
    _Demo(8, "jobcenter", "work_training", "referral_counselling",
          (("sent", 20, False, None), ("accepted", 18, True, None)),
          "Beratung zu Ausbildung und Beschäftigungsduldung (§ 60d AufenthG)"),
    _Demo(8, "abh", "residence", "tandem",
          (("sent", 60, False, None), ("accepted", 58, True, None), ("arrived", 50, True, None),
           ("exchange", 45, True, "Gemeinsame Beratung: Unterlagen für § 25b gesichtet"),
           ("exchange", 35, False, "Sprachzertifikat nachgereicht"),
           ("feedback", 30, True, "Voraussetzungen § 25b erfüllt, Antrag beschieden"),
           ("completed", 28, False, None)),
          "Bleiberecht nach § 25b gemeinsam im Tandem klären"),
    _Demo(11, "abh", "residence", "warm_handover",
          (("sent", 6, False, None), ("accepted", 5, True, None),
           ("appointment", 4, True, None)),
          "Gemeinsames Gespräch zur Ausbildungsduldung", urgency="urgent"),
    _Demo(11, "abh", "residence", "referral_counselling",
          (("sent", 45, False, None), ("accepted", 44, True, None),
           ("not_arrived", 30, True, None)),
          "Vorsprache zur Passbeschaffung"),
    _Demo(19, "jobcenter", "livelihood", "referral_counselling",
          (("sent", 25, False, None), ("accepted", 24, True, None),
           ("cancelled", 0, False, None)),
          "Leistungen zur Sicherung des Lebensunterhalts beantragen"),
    _Demo(8, "jobcenter", "work_training", "tandem", (),
          "Tandem mit dem Integration Point vorgeschlagen"),
)

#: the partner staff who answer in the demo (their organisation's inbox)
_PARTNER_STAFF = {"abh": "abh.lotsin", "jobcenter": "jobcenter.ip",
                  "diakonie": "diakonie.beratung"}


def _case_manager(county: DemoCounty, person: Person) -> User:
    return next(u for u in county.users_with_role("case_manager") if person.town in u.areas)


def _who(person: Person) -> str:
    """The ``person`` category the case manager fills in: name and, where known, birth date."""
    given, family = person.name
    born = date.fromisoformat(person.born).strftime(" (geb. %d.%m.%Y)") if person.born else ""
    return f"{given} {family}{born}"


def seed_referrals(units: Callable[..., NetworkUnitOfWork], county: DemoCounty) -> int:
    with units(county.tenant_id) as uow:
        if uow.all_referrals():
            return 0
        today = uow.today()
        releases = demo_releases(county, today)
        for copy in releases:
            if uow.consent(copy.consent_id) is None:
                uow.add(copy)
        for case in demo_cases(county):
            if uow.case_copy(case.case_id) is None:
                uow.add(case)
        people = {p.n: p for p in PEOPLE}
        for number, demo in enumerate(DEMO_REFERRALS, start=1):
            _seed_referral(uow, county, people[demo.n], demo, releases, today, number)
        uow.commit()
    return len(releases) + len(DEMO_REFERRALS) + len(demo_cases(county))


def _seed_referral(uow: NetworkUnitOfWork, county: DemoCounty, person: Person, demo: _Demo,
                   releases: list[ConsentCopy], today: date, number: int) -> None:
    manager = _case_manager(county, person)
    manager_org = str(county.organisation(manager.organisation).id)
    partner_org = str(county.organisation(demo.partner).id)
    partner_user = str(county.user(_PARTNER_STAFF[demo.partner]).id)
    first_day = today - timedelta(days=(demo.steps[0][1] + 1) if demo.steps else 1)
    referral = Referral.propose(
        by=str(manager.id), by_org=manager_org, today=first_day,
        intake_id=str(person.intake_id), operator_org_id="", partner_org_id=partner_org,
        mode=demo.mode, topic_area=demo.topic, reason=demo.reason, urgency=demo.urgency,
        shared=[{"category": "person", "content": _who(person)}]
        + [{"category": c, "content": t} for c, t in demo.shared],
        case_id=demo_id(f"case:intake-{person.n}"))
    referral.id = demo_id(f"referral:{number}")
    referral.consent_ids = [c.consent_id for c in releases
                            if c.intake_id == referral.intake_id
                            and c.partner_org_id == partner_org]
    uow.add(referral)
    uow.add(ReferralStep(referral_id=referral.id, step="proposed", by=str(manager.id),
                         by_org=manager_org, on=first_day))
    for step, days_ago, by_partner, text in demo.steps:
        day = today - timedelta(days=days_ago)
        before = referral.status
        taken = referral.take(
            step, by=partner_user if by_partner else str(manager.id),
            by_org=partner_org if by_partner else manager_org, today=day, text=text,
            appointment_on=day + timedelta(days=7) if step == "appointment" else None)
        uow.add(taken)
        publish_step(uow, referral, taken, from_status=before,
                 consent_withdrawn=step == "cancelled" and person.extra.get("withdraw_release",
                                                                             False))
    if person.extra.get("withdraw_release"):
        referral.hide_shared(today)
