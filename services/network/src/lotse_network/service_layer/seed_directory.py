"""The demo county's directory (``make run``): the partners of Kreis Höxter's network across its
towns — migration counselling of Caritas, AWO and Diakonie, the youth migration service, the
Jobcenter's Integration Point, the employment agency, the county's youth, health and social
offices, the immigration office, debt and addiction counselling, the adult education centre's
language courses, volunteers' language cafés, schools — with German names, addresses and
opening hours (fictional but plausible). Ids are ``demo_id("directory:…")``; the public
directory API is switched on. Seeding again writes nothing."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from lotse_demo.county import DemoCounty, demo_id

from ..domain.directory import (
    Contact,
    DirectoryService,
    Location,
    Organization,
    SaveLocation,
    SaveOrganization,
    SaveService,
    Schedule,
    SetPublicDirectory,
)
from .directory import save_location, save_organization, save_service, set_public_directory
from .unit_of_work import NetworkUnitOfWork

Units = Callable[..., NetworkUnitOfWork]

#: (key, name, description, identity organisation key or None)
ORGANIZATIONS = (
    ("caritas", "Caritasverband Brakel e. V.",
     "Wohlfahrtsverband: Migrationsberatung, Schuldner- und Suchtberatung im Kreis Höxter.",
     "caritas"),
    ("awo", "AWO Kreisverband Höxter e. V.",
     "Wohlfahrtsverband: Migrationsberatung und Jugendmigrationsdienst.", "awo"),
    ("diakonie", "Diakonie Paderborn-Höxter e. V.",
     "Flüchtlingsberatung, Schuldnerberatung und Suchtberatung im Süd- und Ostkreis.",
     "diakonie"),
    ("jobcenter", "Jobcenter Kreis Höxter",
     "Grundsicherung für Arbeitsuchende (SGB II), Integration Point.", "jobcenter"),
    ("agentur", "Agentur für Arbeit Paderborn – Geschäftsstelle Höxter",
     "Arbeitsvermittlung, Berufsberatung und Anerkennungsberatung (SGB III).", "agentur"),
    ("kreis", "Kreis Höxter",
     "Kreisverwaltung: Jugendamt, Sozialamt, Gesundheitsamt, Kommunales Integrationszentrum.",
     "kreis"),
    ("abh", "Ausländerbehörde Kreis Höxter",
     "Aufenthaltsrecht, Einbürgerung, Beschäftigungserlaubnis.", "abh"),
    ("vhs", "Volkshochschule Diemel-Egge-Weser",
     "Integrationskurse, Berufssprachkurse und Alphabetisierungskurse.", "vhs"),
    ("schulamt", "Schulamt für den Kreis Höxter",
     "Schulplatzvergabe und Seiteneinstiegsberatung für neu zugewanderte Kinder.", "schulamt"),
    ("mo", "Kulturverein Brücke e. V.",
     "Migrantenorganisation: Begegnung, Frauentreff, Sprachmittlung.", "mo"),
    # partners without Lotse users (kept by the coordinating office)
    ("willkommen-steinheim", "Willkommensinitiative Steinheim",
     "Ehrenamtliche Initiative: Sprachcafé, Patenschaften, Begleitung zu Ämtern.", None),
    ("fluechtlingshilfe-nieheim", "Flüchtlingshilfe Nieheim e. V.",
     "Ehrenamtliche: Hausaufgabenhilfe, Kleiderkammer, Sprachcafé.", None),
    ("gesamtschule-borgentreich", "Gesamtschule Borgentreich",
     "Schule der Sekundarstufe I mit internationaler Förderklasse.", None),
    ("sekundarschule-beverungen", "Sekundarschule Beverungen",
     "Schule der Sekundarstufe I mit Sprachfördergruppe für Seiteneinsteiger.", None),
)

#: (key, organisation key, name, street, postal code, city, town key)
LOCATIONS = (
    ("caritas-brakel", "caritas", "Caritas-Haus Brakel", "Hanekamp 12", "33034", "Brakel",
     "brakel"),
    ("caritas-driburg", "caritas", "Caritas Beratungsstelle Bad Driburg", "Lange Straße 40",
     "33014", "Bad Driburg", "bad-driburg"),
    ("awo-hoexter", "awo", "AWO-Zentrum Höxter", "Möllingerstraße 9", "37671", "Höxter",
     "hoexter"),
    ("awo-beverungen", "awo", "AWO Treff Beverungen", "Weserstraße 18", "37688", "Beverungen",
     "beverungen"),
    ("diakonie-warburg", "diakonie", "Diakonie Warburg", "Hauptstraße 55", "34414", "Warburg",
     "warburg"),
    ("diakonie-hoexter", "diakonie", "Diakonie Höxter", "Corveyer Allee 7", "37671", "Höxter",
     "hoexter"),
    ("jobcenter-hoexter", "jobcenter", "Jobcenter Höxter", "Bismarckstraße 18", "37671",
     "Höxter", "hoexter"),
    ("jobcenter-warburg", "jobcenter", "Jobcenter Warburg", "Bahnhofstraße 28", "34414",
     "Warburg", "warburg"),
    ("jobcenter-brakel", "jobcenter", "Jobcenter Brakel", "Ostheimer Straße 3", "33034",
     "Brakel", "brakel"),
    ("agentur-hoexter", "agentur", "Agentur für Arbeit Höxter", "Bismarckstraße 20", "37671",
     "Höxter", "hoexter"),
    ("kreishaus", "kreis", "Kreishaus Höxter", "Moltkestraße 12", "37671", "Höxter", "hoexter"),
    ("kreis-warburg", "kreis", "Kreisverwaltung Nebenstelle Warburg", "Bahnhofstraße 5",
     "34414", "Warburg", "warburg"),
    ("abh-hoexter", "abh", "Ausländerbehörde im Kreishaus", "Moltkestraße 12", "37671",
     "Höxter", "hoexter"),
    ("vhs-warburg", "vhs", "VHS Warburg", "Kasseler Straße 6", "34414", "Warburg", "warburg"),
    ("vhs-driburg", "vhs", "VHS Bad Driburg", "Am Rathausplatz 2", "33014", "Bad Driburg",
     "bad-driburg"),
    ("vhs-brakel", "vhs", "VHS Brakel", "Am Markt 4", "33034", "Brakel", "brakel"),
    ("schulamt-hoexter", "schulamt", "Schulamt im Kreishaus", "Moltkestraße 12", "37671",
     "Höxter", "hoexter"),
    ("bruecke-hoexter", "mo", "Begegnungsstätte Brücke", "Marktstraße 3", "37671", "Höxter",
     "hoexter"),
    ("buergerhaus-steinheim", "willkommen-steinheim", "Bürgerhaus Steinheim",
     "Marktstraße 2", "32839", "Steinheim", "steinheim"),
    ("gemeindehaus-nieheim", "fluechtlingshilfe-nieheim", "Ev. Gemeindehaus Nieheim",
     "Lange Straße 21", "33039", "Nieheim", "nieheim"),
    ("gs-borgentreich", "gesamtschule-borgentreich", "Gesamtschule Borgentreich",
     "Schulstraße 10", "34434", "Borgentreich", "borgentreich"),
    ("ss-beverungen", "sekundarschule-beverungen", "Sekundarschule Beverungen",
     "Birkenstraße 1", "37688", "Beverungen", "beverungen"),
)

OFFICE = (("MO", "08:30", "12:00"), ("TU", "08:30", "12:00"), ("TU", "14:00", "16:00"),
          ("WE", "08:30", "12:00"), ("TH", "08:30", "12:00"), ("TH", "14:00", "17:30"),
          ("FR", "08:30", "12:00"))
COUNSELLING = (("MO", "09:00", "12:00"), ("TU", "13:00", "16:00"), ("TH", "09:00", "12:00"),
               ("TH", "14:00", "17:00"))
OPEN_CONSULTATION = (("WE", "09:00", "12:00"),)
COURSE = (("MO", "08:30", "13:00"), ("TU", "08:30", "13:00"), ("WE", "08:30", "13:00"),
          ("TH", "08:30", "13:00"), ("FR", "08:30", "13:00"))
EVENING_CAFE = (("TU", "17:00", "19:00"),)
SCHOOL = (("MO", "07:45", "13:15"), ("TU", "07:45", "15:30"), ("WE", "07:45", "13:15"),
          ("TH", "07:45", "15:30"), ("FR", "07:45", "12:30"))

EVERY_TOWN = ("hoexter", "beverungen", "brakel", "bad-driburg", "warburg", "willebadessen",
              "borgentreich", "steinheim", "nieheim", "marienmuenster")
FREE = "kostenlos"

#: (key, organisation, location keys, name, description, kind, topic areas, legal areas,
#:  languages, towns served, hours, fees, (min age, max age), target group keys, contact)
SERVICES: tuple[tuple[Any, ...], ...] = (
    ("mbe-caritas-brakel", "caritas", ("caritas-brakel",),
     "Migrationsberatung für erwachsene Zugewanderte (MBE) Brakel",
     "Beratung zu Aufenthalt, Sprachkursen, Arbeit, Wohnen und Behördenangelegenheiten für "
     "Zugewanderte ab 27 Jahren; Begleitung im Integrationsprozess.",
     "migration_counselling_adults", ("residence", "language", "work_training", "housing"),
     (), ("de", "ar", "ru", "pl"), ("brakel", "bad-driburg"), COUNSELLING + OPEN_CONSULTATION,
     FREE, (27, None), ("recognised-refugees",), ("Migrationsberatung", "+49 5272 3601-20")),
    ("mbe-caritas-driburg", "caritas", ("caritas-driburg",),
     "Migrationsberatung (MBE) Bad Driburg",
     "Sprechstunde der Migrationsberatung in Bad Driburg: Anträge, Aufenthalt, "
     "Integrationskurs, Anerkennung ausländischer Abschlüsse.",
     "migration_counselling_adults", ("residence", "language", "work_training"), (),
     ("de", "ar", "tr"), ("bad-driburg",), (("TU", "09:00", "12:00"), ("TH", "14:00", "17:00")),
     FREE, (27, None), (), ("Migrationsberatung", "+49 5253 9710-11")),
    ("schuldnerberatung-caritas", "caritas", ("caritas-brakel",),
     "Schuldner- und Insolvenzberatung Brakel",
     "Beratung bei Schulden, Pfändungsschutzkonto, Verbraucherinsolvenz und Haushaltsplanung.",
     "debt_counselling", ("debts", "livelihood"), ("civil_law",), ("de", "en"),
     ("brakel", "bad-driburg", "nieheim", "steinheim", "marienmuenster"), COUNSELLING, FREE,
     (18, None), (), ("Schuldnerberatung", "+49 5272 3601-40")),
    ("suchtberatung-caritas", "caritas", ("caritas-brakel", "caritas-driburg"),
     "Suchtberatung Brakel / Bad Driburg",
     "Beratung bei Alkohol-, Medikamenten-, Drogen- und Glücksspielproblemen, für Betroffene "
     "und Angehörige; Vermittlung in Therapie.",
     "addiction_counselling", ("health", "social_environment"), ("sgb_v",), ("de", "ru"),
     ("brakel", "bad-driburg"), (("MO", "09:00", "12:00"), ("WE", "14:00", "18:00")), FREE,
     (None, None), (), ("Suchtberatung", "+49 5272 3601-50")),
    ("mbe-awo-hoexter", "awo", ("awo-hoexter",),
     "Migrationsberatung für erwachsene Zugewanderte (MBE) Höxter",
     "Migrationsberatung der AWO: Aufenthalt, Familiennachzug, Integrationskurs, Arbeit und "
     "Wohnen; Beratung auch auf Arabisch und Farsi.",
     "migration_counselling_adults", ("residence", "language", "work_training", "housing",
                                      "family_childcare"),
     (), ("de", "ar", "fa", "ku"), ("hoexter", "beverungen"), COUNSELLING + OPEN_CONSULTATION,
     FREE, (27, None), ("recognised-refugees", "tolerated-hoexter"),
     ("Migrationsberatung", "+49 5271 6944-0")),
    ("mbe-awo-beverungen", "awo", ("awo-beverungen",),
     "Migrationsberatung Beverungen (Außensprechstunde)",
     "Außensprechstunde der AWO-Migrationsberatung im AWO Treff Beverungen.",
     "migration_counselling_adults", ("residence", "language", "livelihood"), (),
     ("de", "ar"), ("beverungen",), (("WE", "13:00", "16:00"),), FREE, (27, None), (),
     ("Migrationsberatung", "+49 5273 3890-12")),
    ("jmd-awo-hoexter", "awo", ("awo-hoexter",), "Jugendmigrationsdienst (JMD) Höxter",
     "Begleitung junger Zugewanderter von 12 bis 27 Jahren: Schule, Ausbildung, Beruf, "
     "Sprachförderung; Gruppenangebote und Bewerbungstraining.",
     "youth_migration_service", ("education", "work_training", "language"), (),
     ("de", "ar", "fa", "ti", "uk"), EVERY_TOWN, (("MO", "10:00", "16:00"),
                                                  ("WE", "10:00", "16:00"),
                                                  ("TH", "13:00", "18:00")),
     FREE, (12, 27), (), ("Jugendmigrationsdienst", "+49 5271 6944-30")),
    ("fluechtlingsberatung-diakonie", "diakonie", ("diakonie-warburg",),
     "Flüchtlingsberatung Warburg",
     "Asylverfahrensberatung und Flüchtlingsberatung: Anhörung, Bescheide, Duldung, "
     "Ausbildungsduldung, Härtefälle; unabhängig und vertraulich.",
     "refugee_counselling", ("residence", "livelihood"), ("residence_law", "asylblg"),
     ("de", "ar", "fa", "ti", "so", "fr"), ("warburg", "willebadessen", "borgentreich"),
     COUNSELLING, FREE, (None, None), ("tolerated-and-asylum-seekers",),
     ("Flüchtlingsberatung", "+49 5641 7781-10")),
    ("schuldnerberatung-diakonie", "diakonie", ("diakonie-warburg", "diakonie-hoexter"),
     "Schuldnerberatung der Diakonie",
     "Schuldnerberatung in Warburg und Höxter: Budgetberatung, P-Konto-Bescheinigung, "
     "Verhandlung mit Gläubigern.",
     "debt_counselling", ("debts",), ("civil_law",), ("de",),
     ("warburg", "willebadessen", "borgentreich", "hoexter", "beverungen"),
     (("MO", "09:00", "12:00"), ("TH", "13:00", "16:00")), FREE, (18, None), (),
     ("Schuldnerberatung", "+49 5641 7781-20")),
    ("suchtberatung-diakonie", "diakonie", ("diakonie-hoexter",), "Suchtberatung Höxter",
     "Fachstelle Sucht: Beratung, Vermittlung in Entgiftung und Reha, Nachsorgegruppe.",
     "addiction_counselling", ("health",), ("sgb_v", "sgb_ix"), ("de", "ru", "pl"),
     ("hoexter", "beverungen"), (("TU", "09:00", "12:00"), ("TH", "15:00", "19:00")), FREE,
     (None, None), (), ("Fachstelle Sucht", "+49 5271 9721-0")),
    ("integration-point", "jobcenter", ("jobcenter-hoexter",),
     "Jobcenter – Integration Point Höxter",
     "Gemeinsame Anlaufstelle von Jobcenter und Agentur für Arbeit für geflüchtete Menschen: "
     "Leistungen nach SGB II, Arbeits- und Ausbildungsvermittlung, Sprachkurszuweisung.",
     "jobcenter", ("work_training", "livelihood", "language"), ("sgb_ii", "sgb_iii"),
     ("de", "ar", "en", "uk"), EVERY_TOWN, OFFICE, FREE, (15, 67), ("recognised-refugees",),
     ("Integration Point", "+49 5271 9680-300")),
    ("jobcenter-warburg", "jobcenter", ("jobcenter-warburg",), "Jobcenter Standort Warburg",
     "Bürgergeld, Eingliederungsleistungen und Arbeitsvermittlung für den Südkreis.",
     "jobcenter", ("livelihood", "work_training"), ("sgb_ii",), ("de",),
     ("warburg", "willebadessen", "borgentreich"), OFFICE, FREE, (15, 67), (),
     ("Eingangszone", "+49 5641 7760-0")),
    ("jobcenter-brakel", "jobcenter", ("jobcenter-brakel",), "Jobcenter Standort Brakel",
     "Bürgergeld, Eingliederungsleistungen und Arbeitsvermittlung für Brakel und Bad Driburg.",
     "jobcenter", ("livelihood", "work_training"), ("sgb_ii",), ("de",),
     ("brakel", "bad-driburg", "nieheim", "steinheim", "marienmuenster"), OFFICE, FREE,
     (15, 67), (), ("Eingangszone", "+49 5272 3710-0")),
    ("agentur-berufsberatung", "agentur", ("agentur-hoexter",),
     "Berufsberatung und Anerkennungsberatung",
     "Berufsberatung vor und im Erwerbsleben, Beratung zur Anerkennung ausländischer "
     "Berufsabschlüsse, Vermittlung in Ausbildung.",
     "employment_agency", ("work_training", "education"), ("sgb_iii",), ("de", "en"),
     EVERY_TOWN, (("MO", "08:00", "12:30"), ("TH", "08:00", "18:00")), FREE, (15, None), (),
     ("Berufsberatung", "+49 800 4555500")),
    ("kreisjugendamt", "kreis", ("kreishaus",), "Kreisjugendamt Höxter",
     "Hilfen zur Erziehung, Kindertagesbetreuung, Beistandschaften, unbegleitete minderjährige "
     "Geflüchtete; Kinderschutz.",
     "youth_office", ("family_childcare",), ("sgb_viii",), ("de", "en"),
     ("brakel", "bad-driburg", "nieheim", "steinheim", "marienmuenster", "willebadessen",
      "borgentreich", "beverungen"), OFFICE, FREE, (None, 27), (),
     ("Allgemeiner Sozialer Dienst", "+49 5271 965-0")),
    ("sozialamt", "kreis", ("kreishaus", "kreis-warburg"), "Sozialamt – Leistungen nach "
     "AsylbLG und SGB XII",
     "Leistungen für Asylsuchende (AsylbLG), Grundsicherung im Alter und bei Erwerbsminderung, "
     "Hilfe zum Lebensunterhalt.",
     "social_office", ("livelihood", "housing"), ("sgb_xii", "asylblg"), ("de",), EVERY_TOWN,
     OFFICE, FREE, (None, None), ("tolerated-and-asylum-seekers",),
     ("Sozialamt", "+49 5271 965-3300")),
    ("gesundheitsamt", "kreis", ("kreishaus",), "Gesundheitsamt – Sozialpsychiatrischer Dienst "
     "und Impfberatung",
     "Erstuntersuchung, Impfberatung, Schuleingangsuntersuchung, sozialpsychiatrische "
     "Beratung und Krisenhilfe.",
     "health_office", ("health",), ("sgb_v",), ("de", "en", "ar"), EVERY_TOWN, OFFICE, FREE,
     (None, None), (), ("Gesundheitsamt", "+49 5271 965-2100")),
    ("auslaenderbehoerde", "abh", ("abh-hoexter",), "Ausländerbehörde Kreis Höxter",
     "Aufenthaltstitel, Verlängerungen, Beschäftigungserlaubnis, Duldung, Familiennachzug; "
     "Termine nach Vereinbarung, offene Sprechstunde donnerstags.",
     "immigration_office", ("residence",), ("residence_law",), ("de", "en"),
     ("brakel", "bad-driburg", "nieheim", "steinheim", "marienmuenster", "willebadessen",
      "borgentreich", "beverungen", "hoexter", "warburg"),
     (("MO", "08:00", "12:00"), ("TU", "08:00", "12:00"), ("TH", "08:00", "12:00"),
      ("TH", "14:00", "17:30")), "Gebühren nach AufenthV", (None, None), (),
     ("Ausländerbehörde", "+49 5271 965-4100")),
    ("einbuergerung", "abh", ("abh-hoexter",), "Einbürgerungsberatung",
     "Beratung zur Einbürgerung: Voraussetzungen, Einbürgerungstest, Antrag.",
     "immigration_office", ("residence",), ("residence_law",), ("de",), EVERY_TOWN,
     (("WE", "08:00", "12:00"),), "Gebühr für die Einbürgerung nach StAG", (16, None), (),
     ("Einbürgerung", "+49 5271 965-4150")),
    ("integrationskurs-warburg", "vhs", ("vhs-warburg",), "Integrationskurs Warburg (VHS)",
     "Allgemeiner Integrationskurs mit Orientierungskurs bis B1, Abschluss Deutsch-Test für "
     "Zuwanderer; vormittags, Kinderbetreuung nach Absprache.",
     "language_course", ("language",), (), ("de",), ("warburg", "willebadessen", "borgentreich"),
     COURSE, "kostenlos mit Berechtigung des BAMF, sonst 2,29 € je Unterrichtseinheit",
     (16, None), (), ("Kursberatung", "+49 5641 9224-0")),
    ("integrationskurs-driburg", "vhs", ("vhs-driburg",), "Integrationskurs Bad Driburg (VHS)",
     "Integrationskurs mit Alphabetisierung für Teilnehmende ohne lateinische Schrift.",
     "language_course", ("language",), (), ("de",), ("bad-driburg", "brakel"), COURSE,
     "kostenlos mit Berechtigung des BAMF", (16, None), (), ("Kursberatung", "+49 5253 9880-0")),
    ("berufssprachkurs-brakel", "vhs", ("vhs-brakel",), "Berufssprachkurs B2 Brakel (VHS)",
     "Berufsbezogene Deutschsprachförderung (DeuFöV) B1 bis B2, abends, für Berufstätige und "
     "Arbeitsuchende.",
     "language_course", ("language", "work_training"), (), ("de",),
     ("brakel", "bad-driburg", "hoexter"), (("MO", "18:00", "21:15"), ("WE", "18:00", "21:15")),
     "kostenlos für Arbeitsuchende; Eigenanteil für Berufstätige", (18, None), (),
     ("Kursberatung", "+49 5272 6077-0")),
    ("seiteneinstieg", "schulamt", ("schulamt-hoexter",),
     "Seiteneinstiegsberatung für neu zugewanderte Kinder und Jugendliche",
     "Beratung der Familien und Zuweisung eines Schulplatzes für Kinder und Jugendliche, die "
     "neu nach Deutschland gekommen sind.",
     "school", ("education",), ("school_law",), ("de", "ar", "uk"), EVERY_TOWN,
     (("TU", "09:00", "12:00"), ("TH", "13:00", "15:30")), FREE, (6, 18), (),
     ("Seiteneinstiegsberatung", "+49 5271 965-5200")),
    ("frauentreff-bruecke", "mo", ("bruecke-hoexter",), "Frauentreff und Sprachmittlung",
     "Offener Treff für Frauen mit Kinderbetreuung; ehrenamtliche Sprachmittlung zu Ämtern und "
     "Ärztinnen.",
     "migrant_organisation", ("social_environment", "family_childcare"), (),
     ("de", "ar", "ku", "tr", "fa"), ("hoexter",), (("FR", "15:00", "18:00"),), FREE,
     (None, None), (), ("Vereinsbüro", "+49 5271 3377")),
    ("sprachcafe-bruecke", "mo", ("bruecke-hoexter",), "Sprachcafé Höxter",
     "Deutsch üben im Gespräch, ohne Anmeldung; Ehrenamtliche helfen bei Briefen und Formularen.",
     "volunteers", ("language", "social_environment"), (), ("de", "ar", "en"), ("hoexter",),
     EVENING_CAFE, FREE, (None, None), (), ("Vereinsbüro", "+49 5271 3377")),
    ("sprachcafe-steinheim", "willkommen-steinheim", ("buergerhaus-steinheim",),
     "Sprachcafé Ehrenamt Steinheim",
     "Ehrenamtliches Sprachcafé im Bürgerhaus: Deutsch sprechen, Hilfe bei Behördenpost, "
     "Vermittlung von Patenschaften.",
     "volunteers", ("language", "social_environment"), (), ("de", "en", "uk"),
     ("steinheim",), (("WE", "16:00", "18:00"),), FREE, (None, None), (),
     ("Koordination Ehrenamt", "+49 5233 2180")),
    ("patenschaften-steinheim", "willkommen-steinheim", ("buergerhaus-steinheim",),
     "Patenschaften und Begleitung zu Ämtern",
     "Ehrenamtliche Patinnen und Paten begleiten zu Terminen bei Behörden, Ärzten und Schulen.",
     "volunteers", ("social_environment",), (), ("de", "en"), ("steinheim", "nieheim"),
     (("MO", "17:00", "19:00"),), FREE, (None, None), (),
     ("Koordination Ehrenamt", "+49 5233 2180")),
    ("hausaufgabenhilfe-nieheim", "fluechtlingshilfe-nieheim", ("gemeindehaus-nieheim",),
     "Hausaufgabenhilfe Nieheim",
     "Ehrenamtliche Hausaufgabenhilfe und Lernbegleitung für Schulkinder.",
     "volunteers", ("education",), (), ("de", "ar"), ("nieheim",),
     (("MO", "14:30", "16:30"), ("WE", "14:30", "16:30")), FREE, (6, 16), (),
     ("Flüchtlingshilfe", "+49 5274 1290")),
    ("kleiderkammer-nieheim", "fluechtlingshilfe-nieheim", ("gemeindehaus-nieheim",),
     "Kleiderkammer und Sprachcafé Nieheim",
     "Kleiderkammer mit Sprachcafé: Kleidung, Haushaltswaren und Gespräche auf Deutsch.",
     "volunteers", ("livelihood", "language"), (), ("de",), ("nieheim", "marienmuenster"),
     (("SA", "10:00", "12:00"),), FREE, (None, None), (),
     ("Flüchtlingshilfe", "+49 5274 1290")),
    ("ifk-borgentreich", "gesamtschule-borgentreich", ("gs-borgentreich",),
     "Internationale Förderklasse Gesamtschule Borgentreich",
     "Deutschförderung und Unterricht für neu zugewanderte Schülerinnen und Schüler der "
     "Klassen 5 bis 10.",
     "school", ("education", "language"), ("school_law",), ("de",),
     ("borgentreich", "warburg", "willebadessen"), SCHOOL, FREE, (10, 17), (),
     ("Sekretariat", "+49 5643 8090")),
    ("sprachfoerderung-beverungen", "sekundarschule-beverungen", ("ss-beverungen",),
     "Sprachfördergruppe Sekundarschule Beverungen",
     "Sprachfördergruppe für Seiteneinsteigerinnen und Seiteneinsteiger der Sekundarstufe I.",
     "school", ("education", "language"), ("school_law",), ("de",), ("beverungen",), SCHOOL,
     FREE, (10, 17), (), ("Sekretariat", "+49 5273 3620")),
)


def directory_id(kind: str, key: str) -> uuid.UUID:
    return demo_id(f"directory:{kind}:{key}")


def seed_directory(units: Units, county: DemoCounty) -> int:
    """The directory of the demo county, through the use cases (audited, published)."""
    tenant = county.tenant_id
    with units(tenant) as uow:
        if uow.get_organization(directory_id("organization", "caritas")) is not None:
            return 0
    for key, name, description, identity in ORGANIZATIONS:
        save_organization(SaveOrganization(Organization(
            name=name, description=description, id=directory_id("organization", key),
            identity_org_id=str(county.organisation(identity).id) if identity else None)),
            units(tenant))
    for key, org, name, street, postal_code, city, town in LOCATIONS:
        save_location(SaveLocation(Location(
            organization_id=directory_id("organization", org), name=name, address_1=street,
            postal_code=postal_code, city=city, municipality_id=str(county.area(town).id),
            id=directory_id("location", key))), units(tenant))
    for (key, org, places, name, description, kind, topics, laws, languages, towns, hours, fees,
         ages, groups, (role, phone)) in SERVICES:
        location_ids = tuple(directory_id("location", p) for p in places)
        save_service(SaveService(DirectoryService(
            organization_id=directory_id("organization", org), name=name,
            description=description, kind=kind, topic_areas=topics, legal_areas=laws,
            fees_description=fees, minimum_age=ages[0], maximum_age=ages[1],
            target_group_ids=tuple(str(demo_id(f"target-group:{g}")) for g in groups),
            languages=languages, service_area_ids=tuple(str(county.area(t).id) for t in towns),
            location_ids=location_ids,
            schedules=tuple(Schedule(day, opens, closes) for day, opens, closes in hours),
            contacts=(Contact(title=role, phone=phone),),
            id=directory_id("service", key))), units(tenant))
    set_public_directory(SetPublicDirectory(public_api=True), units(tenant))
    return len(ORGANIZATIONS) + len(LOCATIONS) + len(SERVICES)
