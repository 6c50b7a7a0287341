"""The invented people of the demo county, shared by every service's seed command.

Intake records them (first contact, screening, counselling depth, consents, admission); casework
opens the cases of those admitted, with the same ids and data, so that intake's admission events
find them open and open nothing twice. Values are the API's words (``"self_referral"``,
``"residence"``, ``"case_management"``); each service turns them into its own types.

Ids: person ``n`` is intake ``demo_id(f"intake:{n}")``; its consents are
``demo_id(f"intake:{n}:consent:{k}")`` in the order data-protection information, counselling
agreement, then the releases in the order given; case proposal ``p`` is
``demo_id(f"case-proposal:{p}")``. Dates are relative to the day of seeding: first contact
``120 - 3n`` days ago, admission 9 days after it. All names are invented.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from .county import demo_id


@dataclass(frozen=True)
class Person:
    n: int
    town: str  # area key
    access: str  # access path (Zugangsweg)
    referrer: str | None  # organisation key in the demo county
    name: tuple[str, str]  # given name, family name
    born: str | None  # ISO date
    languages: tuple[str, ...]
    statuses: tuple[str, ...] = ()  # residence statuses recorded at screening
    region: str | None = None  # region of origin
    topics: tuple[str, ...] = ()  # topic areas with a need
    decisions: tuple = ()  # counselling depths, or (org key, topic) for referral counselling
    admit: bool = False  # admitted to KIM case management
    crisis: bool = False
    disadvantaged: bool | None = None
    screen: bool = True
    releases: tuple = ()  # (org key, topics, days until it ends or None)
    agreement_days: int = 365  # the counselling agreement ends this many days after seeding
    extra: dict = field(default_factory=dict)

    @property
    def intake_id(self) -> uuid.UUID:
        return demo_id(f"intake:{self.n}")

    def consent_id(self, k: int) -> uuid.UUID:
        return demo_id(f"intake:{self.n}:consent:{k}")

    @property
    def first_contact_days_ago(self) -> int:
        return 120 - 3 * self.n

    @property
    def admitted_days_ago(self) -> int:
        return self.first_contact_days_ago - 9


PEOPLE = (
    Person(n=1, town="hoexter", access="self_referral", referrer=None, name=("Rania", "Khalil"),
           born="1988-03-14", languages=("ar",), statuses=("recognised_refugee",),
           region="middle_east", topics=("residence", "housing", "language"),
           decisions=("case_management",), admit=True, releases=(("abh", ("residence",), None),),
           # her Arabic by her own account; German A2 later (casework), none certified yet
           extra={"language_levels": (("ar", "C2", "self_assessment", 30),)}),
    Person(n=2, town="hoexter", access="partner_referral", referrer="caritas",
           name=("Yohannes", "Tesfamariam"), born="1995-07-02", languages=("ti",),
           statuses=("duldung",), region="sub_saharan_africa",
           topics=("residence", "work_training"), decisions=("case_management",), admit=True,
           agreement_days=20,
           # already counselled by Caritas' refugee counselling (Parallelbetreuung, 000 L170)
           extra={"other_services": (("caritas", "refugee_counselling"),)}),
    Person(n=3, town="hoexter", access="outreach", referrer=None, name=("Florin", "Munteanu"),
           born="1979-11-20", languages=("ro",), statuses=("eu_citizen",),
           region="south_east_europe", topics=("livelihood", "housing", "health", "debts"),
           decisions=("case_management",), admit=True, disadvantaged=True,
           releases=(("diakonie", ("debts",), 25),)),
    Person(n=4, town="hoexter", access="word_of_mouth", referrer=None, name=("Olena", "Kovalenko"),
           born="1983-05-09", languages=("uk", "ru"), statuses=("other_residence_permit",),
           region="eastern_europe", topics=("language", "work_training"),
           decisions=(("jobcenter", "work_training"),)),
    Person(n=5, town="hoexter", access="administration_referral", referrer="stadt-hoexter",
           name=("Mariam", "Haidari"), born="1992-01-30", languages=("fa",),
           statuses=("gestattung",), region="south_asia", topics=("family_childcare", "health"),
           decisions=("crisis_intervention",), crisis=True),
    Person(n=6, town="hoexter", access="self_referral", referrer=None, name=("Emre", "Yılmaz"),
           born="1990-08-18", languages=("tr", "de"), statuses=("settlement_permit",),
           region="other", topics=("debts",), decisions=(("diakonie", "debts"),)),
    Person(n=7, town="beverungen", access="town_assignment", referrer=None,
           name=("Abdullahi", "Warsame"), born="2001-02-11", languages=("so",),
           statuses=("gestattung",), region="sub_saharan_africa",
           topics=("language", "education", "residence"), decisions=("case_management",),
           admit=True),
    Person(n=8, town="beverungen", access="partner_referral", referrer="awo",
           name=("Nadia", "Sarwari"), born="1987-09-05", languages=("fa", "ps"),
           statuses=("duldung", "eligible_25b"), region="south_asia",
           topics=("residence", "work_training", "family_childcare"),
           decisions=("case_management",), admit=True,
           releases=(("abh", ("residence",), None), ("jobcenter", ("work_training",), 14))),
    Person(n=9, town="beverungen", access="word_of_mouth", referrer=None, name=("Dilan", "Aydın"),
           born="1999-12-01", languages=("ku", "tr"), statuses=("recognised_refugee",),
           region="middle_east", topics=("education",), decisions=("guidance",)),
    Person(n=10, town="beverungen", access="self_referral", referrer=None,
           name=("Tetiana", "Bondarenko"), born="1975-04-22", languages=("uk",),
           statuses=("other_residence_permit",), region="eastern_europe", topics=("health",),
           decisions=("accompaniment",)),
    Person(n=11, town="warburg", access="immigration_office_screening", referrer="abh",
           name=("Samir", "Mansour"), born="1985-06-17", languages=("ar",),
           statuses=("duldung", "eligible_104c"), region="middle_east",
           topics=("residence", "work_training", "language"), decisions=("case_management",),
           admit=True, releases=(("abh", ("residence",), None),)),
    Person(n=12, town="warburg", access="immigration_office_screening", referrer="abh",
           name=("Fatoumata", "Diallo"), born="1993-10-03", languages=("ff", "fr"),
           statuses=("duldung", "eligible_104c"), region="sub_saharan_africa",
           topics=("residence",), decisions=(("caritas", "residence"),)),
    Person(n=13, town="warburg", access="immigration_office_screening", referrer="abh",
           name=("Arman", "Hakobyan"), born="1980-03-03", languages=("hy", "ru"),
           statuses=("eligible_104c",), region="other", decisions=("information", "no_need")),
    Person(n=14, town="willebadessen", access="outreach", referrer=None,
           name=("Zainab", "Ibrahim"), born="1997-07-07", languages=("ar",),
           statuses=("gestattung",), region="middle_east",
           topics=("housing", "health", "family_childcare"), decisions=("case_management",),
           admit=True),
    Person(n=15, town="willebadessen", access="town_assignment", referrer=None,
           name=("Mohammad", "Nazari"), born="2006-01-15", languages=("fa",),
           statuses=("gestattung",), region="south_asia", topics=("education", "language"),
           decisions=(("diakonie", "education"),), extra={"unaccompanied_minor_at_entry": True}),
    Person(n=16, town="borgentreich", access="town_assignment", referrer=None,
           name=("Hevin", "Murad"), born="1990-05-25", languages=("ku", "ar"),
           statuses=("recognised_refugee",), region="middle_east",
           topics=("work_training", "language", "housing"), decisions=("case_management",),
           admit=True, agreement_days=27),
    Person(n=17, town="borgentreich", access="self_referral", referrer=None,
           name=("Goran", "Petrović"), born="1968-02-08", languages=("sr",),
           statuses=("other_residence_permit",), region="south_east_europe",
           topics=("health", "livelihood"), decisions=("guidance",)),
    Person(n=18, town="borgentreich", access="word_of_mouth", referrer=None,
           name=("Asmeret", "Ghebreyesus"), born="1998-09-30", languages=("ti",),
           statuses=("recognised_refugee",), region="sub_saharan_africa",
           topics=("family_childcare",), decisions=("information",)),
    Person(n=19, town="brakel", access="administration_referral", referrer="stadt-brakel",
           name=("Omar", "Saleh"), born="1986-11-11", languages=("ar",), statuses=("duldung",),
           region="middle_east", topics=("residence", "debts", "livelihood", "health"),
           decisions=("case_management",), admit=True,
           releases=(("jobcenter", ("livelihood",), None),), extra={"withdraw_release": True}),
    Person(n=20, town="brakel", access="partner_referral", referrer="caritas",
           name=("Parisa", "Rezaei"), born="1994-04-04", languages=("fa",),
           statuses=("gestattung",), region="middle_east", topics=("language", "education"),
           decisions=(("caritas", "language"),)),
    Person(n=21, town="brakel", access="outreach", referrer=None, name=("Ivan", "Dimitrov"),
           born="1991-06-12", languages=("bg",), statuses=("eu_citizen",),
           region="south_east_europe", topics=("work_training", "housing"),
           decisions=("accompaniment",)),
    Person(n=22, town="brakel", access="self_referral", referrer=None, name=("Leyla", "Mammadova"),
           born="2000-03-21", languages=("az", "ru"), statuses=("gestattung",),
           region="central_asia", decisions=("no_need",)),
    Person(n=23, town="bad-driburg", access="town_assignment", referrer=None,
           name=("Hamid", "Popal"), born="1978-12-24", languages=("ps", "fa"),
           statuses=("recognised_refugee",), region="south_asia",
           topics=("residence", "family_childcare", "housing", "language"),
           decisions=("case_management",), admit=True),
    # Hamid Popal's wife: the family of household 1 with their son, intake 39 (001 L562)
    Person(n=24, town="bad-driburg", access="partner_referral", referrer="diakonie",
           name=("Farida", "Popal"), born="1984-08-08", languages=("fa", "ps"),
           statuses=("recognised_refugee",), region="south_asia",
           topics=("health", "family_childcare", "livelihood"),
           decisions=("guidance", "case_management"), admit=True),
    Person(n=25, town="bad-driburg", access="handover_after_move", referrer=None,
           name=("Kateryna", "Melnyk"), born="1989-01-19", languages=("uk",),
           statuses=("other_residence_permit",), region="eastern_europe",
           topics=("work_training", "language"), decisions=("case_management",), admit=True,
           extra={"justification": "Übergabe nach Umzug: laufender CM-Prozess wird fortgeführt (Einzelfallentscheidung der KS)"}),
    Person(n=26, town="bad-driburg", access="word_of_mouth", referrer=None,
           name=("Bilal", "Qureshi"), born="1983-10-10", languages=("ur", "en"),
           statuses=("other_residence_permit",), region="south_asia", topics=("debts",),
           decisions=(("diakonie", "debts"),)),
    Person(n=27, town="steinheim", access="town_assignment", referrer=None,
           name=("Aziz", "Karimi"), born="1991-07-19", languages=("fa",),
           statuses=("duldung", "eligible_25b"), region="south_asia",
           topics=("residence", "work_training"), decisions=("case_management",), admit=True),
    Person(n=28, town="steinheim", access="self_referral", referrer=None,
           name=("Maryam", "Yousef"), born="1985-02-14", languages=("ar",),
           statuses=("recognised_refugee",), region="middle_east", topics=("language",),
           decisions=("information",)),
    Person(n=29, town="steinheim", access="outreach", referrer=None, name=("Robert", "Stoica"),
           born="1972-09-09", languages=("ro",), statuses=("eu_citizen",),
           region="south_east_europe", topics=("livelihood", "housing"),
           decisions=("crisis_intervention",), crisis=True),
    Person(n=30, town="nieheim", access="administration_referral", referrer="stadt-nieheim",
           name=("Eyerusalem", "Tadesse"), born="1993-06-06", languages=("am",),
           statuses=("gestattung",), region="sub_saharan_africa",
           topics=("residence", "health", "family_childcare"), decisions=("case_management",)),
    Person(n=31, town="nieheim", access="partner_referral", referrer="jobcenter",
           name=("Khaled", "Darwish"), born="1980-04-01", languages=("ar",), statuses=("duldung",),
           region="middle_east", topics=("work_training",),
           decisions=(("jobcenter", "work_training"),)),
    Person(n=32, town="marienmuenster", access="town_assignment", referrer=None,
           name=("Sara", "Habte"), born="2002-11-17", languages=("ti",), statuses=("gestattung",),
           region="sub_saharan_africa", topics=("language", "education")),
    Person(n=33, town="marienmuenster", access="self_referral", referrer=None,
           name=("Nikola", "Jovanović"), born="1977-08-29", languages=("sr",), screen=False),
    Person(n=34, town="hoexter", access="immigration_office_screening", referrer="abh",
           name=("Mustafa", "Sheikho"), born="1989-09-12", languages=("ku", "ar"),
           statuses=("duldung", "eligible_104c"), region="middle_east",
           topics=("residence", "work_training")),
    Person(n=35, town="warburg", access="handover_after_move", referrer=None,
           name=("Lina", "Barakat"), born=None, languages=("ar",), screen=False),
    Person(n=36, town="brakel", access="partner_referral", referrer="awo", name=("Jamal", "Osman"),
           born="1984-05-05", languages=("ar", "en"), statuses=("duldung",),
           region="sub_saharan_africa", topics=("residence", "housing", "health"),
           decisions=("case_management",), admit=True),
    # the Popals' son, recorded with the family to link him to their household (001 L562)
    Person(n=39, town="bad-driburg", access="partner_referral", referrer="diakonie",
           name=("Arian", "Popal"), born="2013-04-02", languages=("fa", "de"), screen=False),
)

#: households (Bedarfsgemeinschaften, 001 L562; families, 002 L217): (h, kind, note without
#: names, ((intake n, relation), …)) — household ``demo_id(f"household:{h}")``
HOUSEHOLDS = (
    (1, "family", "Familie mit einem Kind", ((23, "applicant"), (24, "partner"), (39, "child"))),
)


def household_of(n: int) -> tuple[uuid.UUID, str, str] | None:
    """The household of person ``n``: its id, kind and her relation in it; None when none."""
    for h, kind, _, members in HOUSEHOLDS:
        for member, relation in members:
            if member == n:
                return demo_id(f"household:{h}"), kind, relation
    return None

#: case proposals: (p, intake n, town, proposer username, name, topics, accepted)
PROPOSALS = (
    (1, 37, "brakel", "caritas.beratung", ("Hawa", "Kamara"),
     ("residence", "education", "family_childcare"), False),
    (2, 38, "warburg", "abh.lotsin", ("Rezan", "Ali"), ("residence", "work_training"), True),
)


#: work not tied to a named person (001 L134, L205): (k, kind, town, days ago, topic areas,
#: languages, minutes, people) — short queries of at most 20 minutes, information events
ANONYMOUS_CONTACTS = (
    (1, "short_query", "hoexter", 3, ("residence",), ("ar",), 15, 1),
    (2, "short_query", "hoexter", 9, ("housing", "livelihood"), ("ti", "de"), 20, 1),
    (3, "short_query", "brakel", 12, ("work_training",), ("uk",), 10, 2),
    (4, "information_event", "warburg", 20, ("residence", "education"), ("ar", "fa", "de"),
     90, 24),
    (5, "information_event", "bad-driburg", 45, ("health",), ("uk", "ru"), 120, 17),
)


def admitted() -> tuple[Person, ...]:
    """The people admitted to KIM case management (casework opens their cases)."""
    return tuple(p for p in PEOPLE if p.admit)
