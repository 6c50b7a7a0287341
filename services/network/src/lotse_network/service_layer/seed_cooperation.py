"""Demo data of the cooperation side of the network (ADR 0085): Höxter's cooperation agreements
(the Fallweitergabe with the welfare associations, 001 L140, L343; the Mettmann-style pair
ABH ↔ counselling services and BAMF ↔ counselling services of 004 L124–L130; an expired one),
its bodies (the case-manager exchange every third Wednesday afternoon, 001 L399; the quarterly
exchange, 001 L410; the Jour fixe of ABH, Integration Point and KIM, 000 L133; a network
meeting in Brakel with what the actors presented, 004 L87–L91) and a few knowledge articles
(001 L169, 002 L283). Organisational data only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time, timedelta

from lotse_demo.county import DemoCounty

from ..domain.commands import (
    ContributionGiven,
    FollowUpGiven,
    RecordAgreement,
    RecordMeeting,
    SetUpBody,
    WriteArticle,
)
from .agreements import record_agreement
from .bodies import record_meeting, set_up_body
from .knowledge import write_article
from .unit_of_work import NetworkUnitOfWork

WEDNESDAY, TUESDAY, THURSDAY = 2, 1, 3
COUNSELLING = ("awo", "caritas", "diakonie")


def seed_cooperation(units: Callable[..., NetworkUnitOfWork], county: DemoCounty) -> int:
    with units(county.tenant_id) as uow:
        if uow.list_agreements():
            return 0
        today = uow.today()

    def org(key: str) -> str:
        return str(county.organisation(key).id)

    def area(key: str) -> str:
        return str(county.area(key).id)

    def run(handler, command) -> object:  # type: ignore[no-untyped-def]
        return handler(command, units(county.tenant_id))

    written = 0
    for command in _agreements(org, area, today):
        run(record_agreement, command)
        written += 1

    run(set_up_body, SetUpBody(
        "Austauschtreffen Case Management mit der Koordination", "case_manager_exchange",
        [org("kreis"), *(org(f"stadt-{t.key}") for t in county.towns())], None,
        "monthly", WEDNESDAY, 3, time(14, 0)))
    run(set_up_body, SetUpBody(
        "Quartalsweises Austauschtreffen mit den Koordinierenden Stellen", "exchange_meeting",
        [org("kreis"), org("awo"), org("caritas"), org("diakonie"), org("jobcenter")], None,
        "quarterly", TUESDAY, 1, time(10, 0)))
    run(set_up_body, SetUpBody(
        "Jour fixe Ausländerbehörde – Integration Point – KIM", "jour_fixe",
        [org("abh"), org("jobcenter"), org("kreis")], None, "monthly", THURSDAY, 1,
        time(9, 30)))
    brakel = run(set_up_body, SetUpBody(
        "Netzwerktreffen Brakel", "network_meeting",
        [org("stadt-brakel"), org("kreis"), org("caritas"), org("awo"), org("vhs"), org("mo")],
        area("brakel")))
    run(record_meeting, RecordMeeting(
        brakel, today - timedelta(days=40),  # type: ignore[arg-type]
        [org("stadt-brakel"), org("kreis"), org("caritas"), org("vhs"), org("mo")],
        [ContributionGiven(org("caritas"), "Geflüchtete und Zugewanderte in Brakel",
                           "Migrationsberatung, Sprechstunde dienstags",
                           "Kooperationsvereinbarung Fallweitergabe (2022)"),
         ContributionGiven(org("vhs"), "Erwachsene mit Sprachförderbedarf",
                           "Integrations- und Berufssprachkurse", "keine"),
         ContributionGiven(org("mo"), "arabisch- und kurdischsprachige Familien",
                           "Begleitung zu Behörden, Dolmetschen durch Ehrenamtliche",
                           "fehlt – wird angestrebt")],
        "Vorstellung der Angebote nach Zielgruppe, Angebot und Kooperationsvereinbarung. "
        "Fehlende Vereinbarung mit dem Kulturverein festgestellt.",
        [FollowUpGiven("Entwurf einer Kooperationsvereinbarung mit dem Kulturverein",
                       org("kreis"), today + timedelta(days=30)),
         FollowUpGiven("Kurstermine 2027 an die Case Manager*innen senden", org("vhs"),
                       today + timedelta(days=14))]))
    written += 5

    for title, body, topics in _ARTICLES:
        run(write_article, WriteArticle(title, body, list(topics)))
        written += 1
    return written


def _agreements(org: Callable[[str], str], area: Callable[[str], str],
                today: date) -> list[RecordAgreement]:
    counselling = [org(k) for k in COUNSELLING]
    return [
        RecordAgreement(
            "Kooperationsvereinbarung Fallweitergabe KIM – Freie Wohlfahrtspflege",
            [org("kreis"), *counselling], [], [], [], [],
            "Die CMS übernimmt Fälle mit mehreren Handlungsbedarfen und mehreren beteiligten "
            "Akteuren; Fälle mit einem Beratungsanliegen bleiben bei der Migrationsberatung. "
            "Weitergabe nach Absprache im Einzelfall.",
            "Weitergabe personenbezogener Daten nur mit schriftlicher Einwilligung und "
            "Schweigepflichtentbindung; Rückmeldungen ohne Sozialdaten.",
            date(2022, 1, 1), date(today.year + 1, 12, 31), "signed",
            "Vorlage in Abstimmung mit den Trägern der Freien Wohlfahrt (2021)",
            date(2021, 12, 14), "KI-HX 50.2/2021-017"),
        RecordAgreement(
            "Kooperationsvereinbarung Ausländerbehörde – Beratungsakteure",
            [org("abh"), *counselling], [], [], ["residence"], [],
            "Aufenthaltsrechtliche Fragen mit Bezug zu Arbeit oder Ausbildung werden "
            "gemeinsam geklärt; feste Ansprechpersonen in der ABH.",
            "Im Einzelfall nur mit Einwilligung; sonst fallübergreifender Austausch.",
            None, None, "initiated",
            "Lenkungsgruppe 10.05.2023, Beschluss 2a (nach dem Vorbild des Kreises Mettmann)"),
        RecordAgreement(
            "Kooperationsvereinbarung BAMF – Beratungsakteure",
            [org("bamf"), *counselling], [], [], ["residence", "language"], [],
            "Klärung von Zuständigkeiten bei Integrationskursen und Asylverfahren.",
            "Kein Austausch personenbezogener Daten ohne Einwilligung.",
            None, None, "initiated",
            "Lenkungsgruppe 10.05.2023, Beschluss 2b (nach dem Vorbild des Kreises Mettmann)"),
        RecordAgreement(
            "Vereinbarung Jobcenter – KIM zur Arbeitsmarktintegration (Pilot)",
            [org("jobcenter"), org("kreis")], [], [], ["work_training"],
            [area("hoexter"), area("beverungen")],
            "Das Integration Point übernimmt Personen im SGB II; das CM begleitet "
            "rechtskreisübergreifend.", "Datenaustausch nur mit Einwilligung.",
            date(2023, 1, 1), today - timedelta(days=60), "signed", None,
            date(2022, 12, 1), "KI-HX 50.2/2022-031"),
    ]


_ARTICLES = (
    ("Beschäftigungsduldung beantragen",
     "Zuständig ist die Ausländerbehörde des Kreises. Voraussetzungen: Duldung seit "
     "mindestens 12 Monaten, sozialversicherungspflichtige Beschäftigung von mindestens "
     "20 Wochenstunden seit 12 Monaten. Unterlagen: Arbeitsvertrag, Lohnabrechnungen, "
     "Pass oder Nachweis der Identitätsklärung.",
     ("residence", "work_training")),
    ("Integrationskurs: Anmeldung und Kostenbefreiung",
     "Die Berechtigung stellt das BAMF oder die Ausländerbehörde aus; die Anmeldung erfolgt "
     "beim Kursträger (z. B. VHS Diemel-Egge-Weser). Bei Bezug von Bürgergeld ist der Kurs "
     "kostenfrei; der Antrag auf Kostenbefreiung geht an das BAMF.",
     ("language",)),
    ("Wohnberechtigungsschein im Kreis Höxter",
     "Anträge nimmt die Stadtverwaltung des Wohnorts entgegen. Benötigt werden "
     "Einkommensnachweise aller Haushaltsmitglieder und der Aufenthaltstitel.",
     ("housing",)),
)
