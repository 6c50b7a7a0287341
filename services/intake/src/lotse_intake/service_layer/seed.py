"""Demo data of the intake service: Kreis Höxter's target groups and 38 invented people who came
in by every access path, screened, decided at every counselling depth, 14 of them admitted to
KIM case management with their consents, and two case proposals.

Ids are fixed so other services can seed matching records (docs/intake.md, "Demo data"):
intake ``n`` is ``lotse_demo.county.demo_id(f"intake:{n}")``, its consents
``demo_id(f"intake:{n}:consent:{k}")`` (k = 1, 2, … in the order below), case proposal ``p``
``demo_id(f"case-proposal:{p}")``, target group ``demo_id(f"target-group:{key}")``. Dates are
relative to the day of seeding, so the lists (consents expiring soon) have something to show.
Seeding again writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from lotse_demo.county import demo_id

from ..domain.commands import (
    AcceptCaseProposal,
    AdmitCase,
    CompleteScreening,
    DecideCounsellingDepth,
    GiveConsent,
    RecordContact,
    SubmitCaseProposal,
    WithdrawConsent,
)
from ..domain.model import CriterionAnswer, Person, Referral
from ..domain.target_groups import ScreeningFacts
from ..domain.vocabulary import (
    AccessPath,
    AdmissionCriterion,
    ConsentKind,
    CounsellingDepth,
    RegionOfOrigin,
    ResidenceStatus,
    TopicArea,
)
from . import case_proposals, handlers
from .hoexter import hoexter_target_groups
from .target_groups import define_target_group

A, CM = AccessPath, CounsellingDepth.CASE_MANAGEMENT
R, T = ResidenceStatus, TopicArea
Region = RegionOfOrigin


@dataclass(frozen=True)
class Demo:
    n: int
    town: str
    access: AccessPath
    referrer: str | None  # organisation key in the demo county
    name: tuple[str, str]
    born: str | None
    languages: tuple[str, ...]
    statuses: tuple[ResidenceStatus, ...] = ()
    region: RegionOfOrigin | None = None
    topics: tuple[TopicArea, ...] = ()
    decisions: tuple = ()  # CounsellingDepth, or (org key, topic) for referral counselling
    admit: bool = False
    crisis: bool = False
    disadvantaged: bool | None = None
    screen: bool = True
    releases: tuple = ()  # (org key, topics, days until it ends or None)
    agreement_days: int = 365
    extra: dict = field(default_factory=dict)


PEOPLE = (
    Demo(1, "hoexter", A.SELF_REFERRAL, None, ("Rania", "Khalil"), "1988-03-14", ("ar",),
         (R.RECOGNISED_REFUGEE,), Region.MIDDLE_EAST, (T.RESIDENCE, T.HOUSING, T.LANGUAGE), (CM,), True,
         releases=(("abh", (T.RESIDENCE,), None),)),
    Demo(2, "hoexter", A.PARTNER_REFERRAL, "caritas", ("Yohannes", "Tesfamariam"), "1995-07-02",
         ("ti",), (R.DULDUNG,), Region.SUB_SAHARAN_AFRICA, (T.RESIDENCE, T.WORK_TRAINING), (CM,), True,
         agreement_days=20),
    Demo(3, "hoexter", A.OUTREACH, None, ("Florin", "Munteanu"), "1979-11-20", ("ro",),
         (R.EU_CITIZEN,), Region.SOUTH_EAST_EUROPE, (T.LIVELIHOOD, T.HOUSING, T.HEALTH, T.DEBTS), (CM,),
         True, disadvantaged=True, releases=(("diakonie", (T.DEBTS,), 25),)),
    Demo(4, "hoexter", A.WORD_OF_MOUTH, None, ("Olena", "Kovalenko"), "1983-05-09", ("uk", "ru"),
         (R.OTHER_RESIDENCE_PERMIT,), Region.EASTERN_EUROPE, (T.LANGUAGE, T.WORK_TRAINING),
         (("jobcenter", T.WORK_TRAINING),)),
    Demo(5, "hoexter", A.ADMINISTRATION_REFERRAL, "stadt-hoexter", ("Mariam", "Haidari"),
         "1992-01-30", ("fa",), (R.GESTATTUNG,), Region.SOUTH_ASIA, (T.FAMILY_CHILDCARE, T.HEALTH),
         (CounsellingDepth.CRISIS_INTERVENTION,), crisis=True),
    Demo(6, "hoexter", A.SELF_REFERRAL, None, ("Emre", "Yılmaz"), "1990-08-18", ("tr", "de"),
         (R.SETTLEMENT_PERMIT,), Region.OTHER, (T.DEBTS,), (("diakonie", T.DEBTS),)),
    Demo(7, "beverungen", A.TOWN_ASSIGNMENT, None, ("Abdullahi", "Warsame"), "2001-02-11", ("so",),
         (R.GESTATTUNG,), Region.SUB_SAHARAN_AFRICA, (T.LANGUAGE, T.EDUCATION, T.RESIDENCE), (CM,),
         True),
    Demo(8, "beverungen", A.PARTNER_REFERRAL, "awo", ("Nadia", "Sarwari"), "1987-09-05",
         ("fa", "ps"), (R.DULDUNG, R.ELIGIBLE_25B), Region.SOUTH_ASIA,
         (T.RESIDENCE, T.WORK_TRAINING, T.FAMILY_CHILDCARE), (CM,), True,
         releases=(("abh", (T.RESIDENCE,), None), ("jobcenter", (T.WORK_TRAINING,), 14))),
    Demo(9, "beverungen", A.WORD_OF_MOUTH, None, ("Dilan", "Aydın"), "1999-12-01", ("ku", "tr"),
         (R.RECOGNISED_REFUGEE,), Region.MIDDLE_EAST, (T.EDUCATION,), (CounsellingDepth.GUIDANCE,)),
    Demo(10, "beverungen", A.SELF_REFERRAL, None, ("Tetiana", "Bondarenko"), "1975-04-22", ("uk",),
         (R.OTHER_RESIDENCE_PERMIT,), Region.EASTERN_EUROPE, (T.HEALTH,),
         (CounsellingDepth.ACCOMPANIMENT,)),
    Demo(11, "warburg", A.IMMIGRATION_OFFICE_SCREENING, "abh", ("Samir", "Mansour"), "1985-06-17",
         ("ar",), (R.DULDUNG, R.ELIGIBLE_104C), Region.MIDDLE_EAST,
         (T.RESIDENCE, T.WORK_TRAINING, T.LANGUAGE), (CM,), True,
         releases=(("abh", (T.RESIDENCE,), None),)),
    Demo(12, "warburg", A.IMMIGRATION_OFFICE_SCREENING, "abh", ("Fatoumata", "Diallo"),
         "1993-10-03", ("ff", "fr"), (R.DULDUNG, R.ELIGIBLE_104C), Region.SUB_SAHARAN_AFRICA,
         (T.RESIDENCE,), (("caritas", T.RESIDENCE),)),
    Demo(13, "warburg", A.IMMIGRATION_OFFICE_SCREENING, "abh", ("Arman", "Hakobyan"), "1980-03-03",
         ("hy", "ru"), (R.ELIGIBLE_104C,), Region.OTHER, (),
         (CounsellingDepth.INFORMATION, CounsellingDepth.NO_NEED)),
    Demo(14, "willebadessen", A.OUTREACH, None, ("Zainab", "Ibrahim"), "1997-07-07", ("ar",),
         (R.GESTATTUNG,), Region.MIDDLE_EAST, (T.HOUSING, T.HEALTH, T.FAMILY_CHILDCARE), (CM,), True),
    Demo(15, "willebadessen", A.TOWN_ASSIGNMENT, None, ("Mohammad", "Nazari"), "2006-01-15",
         ("fa",), (R.GESTATTUNG,), Region.SOUTH_ASIA, (T.EDUCATION, T.LANGUAGE),
         (("diakonie", T.EDUCATION),), extra={"unaccompanied_minor_at_entry": True}),
    Demo(16, "borgentreich", A.TOWN_ASSIGNMENT, None, ("Hevin", "Murad"), "1990-05-25",
         ("ku", "ar"), (R.RECOGNISED_REFUGEE,), Region.MIDDLE_EAST,
         (T.WORK_TRAINING, T.LANGUAGE, T.HOUSING), (CM,), True, agreement_days=27),
    Demo(17, "borgentreich", A.SELF_REFERRAL, None, ("Goran", "Petrović"), "1968-02-08", ("sr",),
         (R.OTHER_RESIDENCE_PERMIT,), Region.SOUTH_EAST_EUROPE, (T.HEALTH, T.LIVELIHOOD),
         (CounsellingDepth.GUIDANCE,)),
    Demo(18, "borgentreich", A.WORD_OF_MOUTH, None, ("Asmeret", "Ghebreyesus"), "1998-09-30",
         ("ti",), (R.RECOGNISED_REFUGEE,), Region.SUB_SAHARAN_AFRICA, (T.FAMILY_CHILDCARE,),
         (CounsellingDepth.INFORMATION,)),
    Demo(19, "brakel", A.ADMINISTRATION_REFERRAL, "stadt-brakel", ("Omar", "Saleh"), "1986-11-11",
         ("ar",), (R.DULDUNG,), Region.MIDDLE_EAST, (T.RESIDENCE, T.DEBTS, T.LIVELIHOOD, T.HEALTH),
         (CM,), True, releases=(("jobcenter", (T.LIVELIHOOD,), None),),
         extra={"withdraw_release": True}),
    Demo(20, "brakel", A.PARTNER_REFERRAL, "caritas", ("Parisa", "Rezaei"), "1994-04-04", ("fa",),
         (R.GESTATTUNG,), Region.MIDDLE_EAST, (T.LANGUAGE, T.EDUCATION), (("caritas", T.LANGUAGE),)),
    Demo(21, "brakel", A.OUTREACH, None, ("Ivan", "Dimitrov"), "1991-06-12", ("bg",),
         (R.EU_CITIZEN,), Region.SOUTH_EAST_EUROPE, (T.WORK_TRAINING, T.HOUSING),
         (CounsellingDepth.ACCOMPANIMENT,)),
    Demo(22, "brakel", A.SELF_REFERRAL, None, ("Leyla", "Mammadova"), "2000-03-21", ("az", "ru"),
         (R.GESTATTUNG,), Region.CENTRAL_ASIA, (), (CounsellingDepth.NO_NEED,)),
    Demo(23, "bad-driburg", A.TOWN_ASSIGNMENT, None, ("Hamid", "Popal"), "1978-12-24", ("ps", "fa"),
         (R.RECOGNISED_REFUGEE,), Region.SOUTH_ASIA,
         (T.RESIDENCE, T.FAMILY_CHILDCARE, T.HOUSING, T.LANGUAGE), (CM,), True),
    Demo(24, "bad-driburg", A.PARTNER_REFERRAL, "diakonie", ("Salma", "Abdi"), "1996-08-08",
         ("so",), (R.RECOGNISED_REFUGEE,), Region.SUB_SAHARAN_AFRICA,
         (T.HEALTH, T.FAMILY_CHILDCARE, T.LIVELIHOOD), (CounsellingDepth.GUIDANCE, CM), True),
    Demo(25, "bad-driburg", A.HANDOVER_AFTER_MOVE, None, ("Kateryna", "Melnyk"), "1989-01-19",
         ("uk",), (R.OTHER_RESIDENCE_PERMIT,), Region.EASTERN_EUROPE, (T.WORK_TRAINING, T.LANGUAGE),
         (CM,), True, extra={"justification": "Übergabe nach Umzug: laufender CM-Prozess wird "
                                              "fortgeführt (Einzelfallentscheidung der KS)"}),
    Demo(26, "bad-driburg", A.WORD_OF_MOUTH, None, ("Bilal", "Qureshi"), "1983-10-10",
         ("ur", "en"), (R.OTHER_RESIDENCE_PERMIT,), Region.SOUTH_ASIA, (T.DEBTS,),
         (("diakonie", T.DEBTS),)),
    Demo(27, "steinheim", A.TOWN_ASSIGNMENT, None, ("Aziz", "Karimi"), "1991-07-19", ("fa",),
         (R.DULDUNG, R.ELIGIBLE_25B), Region.SOUTH_ASIA, (T.RESIDENCE, T.WORK_TRAINING), (CM,), True),
    Demo(28, "steinheim", A.SELF_REFERRAL, None, ("Maryam", "Yousef"), "1985-02-14", ("ar",),
         (R.RECOGNISED_REFUGEE,), Region.MIDDLE_EAST, (T.LANGUAGE,), (CounsellingDepth.INFORMATION,)),
    Demo(29, "steinheim", A.OUTREACH, None, ("Robert", "Stoica"), "1972-09-09", ("ro",),
         (R.EU_CITIZEN,), Region.SOUTH_EAST_EUROPE, (T.LIVELIHOOD, T.HOUSING),
         (CounsellingDepth.CRISIS_INTERVENTION,), crisis=True),
    Demo(30, "nieheim", A.ADMINISTRATION_REFERRAL, "stadt-nieheim", ("Eyerusalem", "Tadesse"),
         "1993-06-06", ("am",), (R.GESTATTUNG,), Region.SUB_SAHARAN_AFRICA,
         (T.RESIDENCE, T.HEALTH, T.FAMILY_CHILDCARE), (CM,)),
    Demo(31, "nieheim", A.PARTNER_REFERRAL, "jobcenter", ("Khaled", "Darwish"), "1980-04-01",
         ("ar",), (R.DULDUNG,), Region.MIDDLE_EAST, (T.WORK_TRAINING,),
         (("jobcenter", T.WORK_TRAINING),)),
    Demo(32, "marienmuenster", A.TOWN_ASSIGNMENT, None, ("Sara", "Habte"), "2002-11-17", ("ti",),
         (R.GESTATTUNG,), Region.SUB_SAHARAN_AFRICA, (T.LANGUAGE, T.EDUCATION)),
    Demo(33, "marienmuenster", A.SELF_REFERRAL, None, ("Nikola", "Jovanović"), "1977-08-29",
         ("sr",), screen=False),
    Demo(34, "hoexter", A.IMMIGRATION_OFFICE_SCREENING, "abh", ("Mustafa", "Sheikho"),
         "1989-09-12", ("ku", "ar"), (R.DULDUNG, R.ELIGIBLE_104C), Region.MIDDLE_EAST,
         (T.RESIDENCE, T.WORK_TRAINING)),
    Demo(35, "warburg", A.HANDOVER_AFTER_MOVE, None, ("Lina", "Barakat"), None, ("ar",),
         screen=False),
    Demo(36, "brakel", A.PARTNER_REFERRAL, "awo", ("Jamal", "Osman"), "1984-05-05", ("ar", "en"),
         (R.DULDUNG,), Region.SUB_SAHARAN_AFRICA, (T.RESIDENCE, T.HOUSING, T.HEALTH), (CM,), True),
)

#: case proposals: (p, intake n, town, proposer username, name, topics, accepted by the office)
PROPOSALS = (
    (1, 37, "brakel", "caritas.beratung", ("Hawa", "Kamara"),
     (T.RESIDENCE, T.EDUCATION, T.FAMILY_CHILDCARE), False),
    (2, 38, "warburg", "abh.lotsin", ("Rezan", "Ali"), (T.RESIDENCE, T.WORK_TRAINING), True),
)

ADMITTED = tuple(p.n for p in PEOPLE if p.admit)


def case_manager_of(county, town: str):
    return next(u for u in county.users_with_role("case_manager") if town in u.areas)


def seed_demo(service, county) -> int:
    tenant = county.tenant_id

    def uow():
        return service.uow(tenant)

    with uow() as check:
        if check.target_groups.get(demo_id("target-group:recognised-refugees")) is not None:
            return 0
    written = 0
    for command in hoexter_target_groups(lambda town: str(county.area(town).id), "seed",
                                         lambda key: demo_id(f"target-group:{key}")):
        define_target_group(command, uow())
        written += 1
    today = handlers.today()
    for demo in PEOPLE:
        written += _seed_person(demo, county, uow, today)
    for p, n, town, username, name, topics, accepted in PROPOSALS:
        written += _seed_proposal(county, uow, p, n, town, username, name, topics, accepted)
    return written


def _seed_person(demo: Demo, county, uow, today: date) -> int:
    contact_day = today - timedelta(days=120 - 3 * demo.n)
    manager = case_manager_of(county, demo.town)
    manager_id = str(manager.id)
    intake_id = demo_id(f"intake:{demo.n}")
    handlers.record_contact(RecordContact(
        area_id=str(county.area(demo.town).id), access_path=demo.access,
        contact_date=contact_day, recorded_by=manager_id, intake_id=intake_id,
        referring_org_id=str(county.organisation(demo.referrer).id) if demo.referrer else None,
        person=Person(given_name=demo.name[0], family_name=demo.name[1],
                      date_of_birth=date.fromisoformat(demo.born) if demo.born else None,
                      phone=f"+49 5271 {400000 + demo.n * 137}", languages=demo.languages,
                      interpreter_needed="de" not in demo.languages and "en" not in demo.languages),
    ), uow())
    written = 1
    if not demo.screen:
        return written
    met = set(AdmissionCriterion) if demo.admit or CM in demo.decisions else {
        AdmissionCriterion.OWN_RESOURCES_INSUFFICIENT}
    handlers.complete_screening(CompleteScreening(
        intake_id=intake_id, criteria=[CriterionAnswer(c, c in met) for c in AdmissionCriterion],
        topic_areas=list(demo.topics), crisis=demo.crisis, screened_by=manager_id,
        screened_on=contact_day + timedelta(days=1),
        facts=ScreeningFacts(
            residence_statuses=demo.statuses, region_of_origin=demo.region,
            disadvantaged=demo.disadvantaged,
            unaccompanied_minor_at_entry=demo.extra.get("unaccompanied_minor_at_entry")),
    ), uow())
    for k, decision in enumerate(demo.decisions):
        referral = None
        if isinstance(decision, tuple):
            org, topic = decision
            referral = Referral(str(county.organisation(org).id), topic)
        handlers.decide_counselling_depth(DecideCounsellingDepth(
            intake_id=intake_id, depth=CounsellingDepth.REFERRAL if referral else decision,
            decided_by=manager_id, decided_on=contact_day + timedelta(days=5 + k),
            referral=referral), uow())
    written += 1 + len(demo.decisions)
    if demo.admit:
        written += _seed_admission(demo, county, uow, intake_id, manager, contact_day, today)
    return written


def _seed_admission(demo: Demo, county, uow, intake_id, manager, contact_day: date,
                    today: date) -> int:
    signed = contact_day + timedelta(days=8)
    manager_id = str(manager.id)
    consents = [
        GiveConsent(intake_id, ConsentKind.DATA_PROTECTION_INFORMATION, signed, manager_id,
                    language=demo.languages[0]),
        GiveConsent(intake_id, ConsentKind.COUNSELLING_AGREEMENT, signed, manager_id,
                    valid_until=today + timedelta(days=demo.agreement_days)),
        *(GiveConsent(intake_id, ConsentKind.RELEASE_OF_CONFIDENTIALITY, signed, manager_id,
                      partner_org_id=str(county.organisation(org).id), topic_areas=list(topics),
                      valid_until=today + timedelta(days=days) if days else None)
          for org, topics, days in demo.releases),
    ]
    for k, consent in enumerate(consents, start=1):
        handlers.give_consent(replace(consent, consent_id=demo_id(
            f"intake:{demo.n}:consent:{k}")), uow())
    handlers.admit_case(AdmitCase(
        intake_id=intake_id, case_manager_id=manager_id,
        case_manager_org_id=str(county.organisation(manager.organisation).id),
        admitted_by=manager_id, admitted_on=contact_day + timedelta(days=9),
        justification=demo.extra.get("justification", "Einzelfallentscheidung der KS")),
        uow())
    if demo.extra.get("withdraw_release"):
        handlers.withdraw_consent(WithdrawConsent(
            intake_id, demo_id(f"intake:{demo.n}:consent:3"), manager_id), uow())
    return len(consents) + 1


def _seed_proposal(county, uow, p, n, town, username, name, topics, accepted) -> int:
    proposer = county.user(username)
    org_id = str(county.organisation(proposer.organisation).id)
    proposal = case_proposals.submit_case_proposal(SubmitCaseProposal(
        contact=RecordContact(area_id=str(county.area(town).id),
                              access_path=AccessPath.CASE_PROPOSAL,
                              contact_date=handlers.today() - timedelta(days=10 + p),
                              person=Person(name[0], name[1], languages=("ar", "en")),
                              recorded_by=str(proposer.id), intake_id=demo_id(f"intake:{n}")),
        proposing_org_id=org_id, topic_areas=list(topics),
        reason="komplexe Lage über mehrere Rechtskreise", proposal_id=demo_id(f"case-proposal:{p}"),
    ), uow())
    if accepted:
        manager = case_manager_of(county, town)
        coordinator = county.users_with_role("coordinator")[0]
        case_proposals.accept_case_proposal(AcceptCaseProposal(
            proposal_id=proposal.id, case_manager_id=str(manager.id),
            case_manager_org_id=str(county.organisation(manager.organisation).id),
            decided_by=str(coordinator.id)), uow())
    return 1
