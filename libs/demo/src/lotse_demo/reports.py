"""What the demo county's case managers write into their 2-week reports (ADR 0089, ADR 0102).

Pure data: the structural problems they report by topic area (strukturelle Probleme, the kind
the Kreis Höxter and Kreis Mettmann papers name — waiting times for language courses, childcare
during a course, obtaining passports, flats after the shared accommodation, bus connections in a
rural county), the notes with which they correct a pre-filled count, and how often they do
what. Reporting's ``seed_period_reports`` draws each report from these with a seeded
:class:`random.Random`. The texts are the case managers' words on their work: no client is
named or described, as the report's free text requires.
"""

from __future__ import annotations

#: the seed of the reports' generator: the same day gives the same reports
SEED = 2102

#: topics per report by weight: most reports name one or two, some none, a few three
TOPICS_PER_REPORT = {0: 3, 1: 4, 2: 3, 3: 1}
#: the share of topics a case manager flags as a candidate for a generative theme
THEME_CANDIDATE_SHARE = 0.3
#: the share of reports with a corrected figure
CORRECTION_SHARE = 0.2
#: the share of reports submitted after they were due (Monday to Wednesday after)
LATE_SHARE = 0.12

#: the structural problems by topic area (the reporting vocabulary's areas)
TOPICS: dict[str, tuple[str, ...]] = {
    "residence": (
        "Wartezeiten von mehreren Monaten auf einen Termin bei der Ausländerbehörde; "
        "Fiktionsbescheinigungen laufen zwischenzeitlich ab.",
        "Passbeschaffung für Geduldete: Botschaftstermine nur in Berlin oder Frankfurt, die "
        "Reisekosten übernimmt niemand.",
        "Unklar, welche Nachweise für den Antrag nach § 104c AufenthG reichen; Ausländerbehörde "
        "und Beratungsstellen geben unterschiedliche Auskünfte.",
        "Die Mitwirkungspflichten bei der Identitätsklärung sind den Betroffenen oft nicht "
        "verständlich erklärt worden.",
    ),
    "language": (
        "Integrationskurse im Südkreis sind ausgebucht; Wartezeit bis zum Kursbeginn über "
        "vier Monate.",
        "Kein Sprachkurs mit Kinderbetreuung im Umkreis; Mütter kleiner Kinder können nicht "
        "teilnehmen.",
        "Berufssprachkurse (DeuFöV) beginnen nur in Paderborn; ohne Auto kaum erreichbar.",
        "Alphabetisierungskurse fehlen für Erwachsene, die in keiner Schrift lesen und "
        "schreiben können.",
    ),
    "education": (
        "Seiteneinsteiger über 16 Jahre finden keinen Platz an einem Berufskolleg im Kreis.",
        "Anerkennung ausländischer Schulabschlüsse dauert bei der Bezirksregierung sehr lange.",
        "Keine Sprachförderung an den Grundschulen der kleinen Städte nach dem Ende der "
        "Erstförderung.",
    ),
    "work_training": (
        "Anerkennungsverfahren für Pflegeberufe dauern zu lange; Interessierte arbeiten "
        "solange als Hilfskräfte.",
        "Beschäftigungserlaubnis der Ausländerbehörde kommt erst nach Wochen, Arbeitgeber "
        "ziehen Zusagen zurück.",
        "Jobcenter und Ausländerbehörde stimmen sich bei Ausbildungsduldungen nicht ab; die "
        "Betroffenen pendeln zwischen beiden.",
        "Schichtarbeit in der Industrie ist mit den Busverbindungen im ländlichen Raum nicht "
        "zu erreichen.",
    ),
    "housing": (
        "Nach dem Auszug aus der Gemeinschaftsunterkunft gibt es kaum bezahlbaren Wohnraum; "
        "Mietobergrenzen des Jobcenters liegen unter den Marktmieten.",
        "Vermieter lehnen Mietinteressenten mit Duldung ab; die Wohnungssuche dauert oft über "
        "ein Jahr.",
        "Wohnberechtigungsscheine werden in den Städten unterschiedlich gehandhabt.",
    ),
    "health": (
        "Keine Dolmetscher für Arztbesuche; Kosten werden von keiner Stelle übernommen.",
        "Therapieplätze für traumatisierte Geflüchtete: Wartezeit über ein Jahr, kaum "
        "muttersprachliche Angebote.",
        "Eingeschränkte Leistungen nach dem AsylbLG: Behandlungsscheine werden je nach "
        "Sozialamt unterschiedlich ausgestellt.",
    ),
    "livelihood": (
        "Bearbeitung von Kindergeld- und Wohngeldanträgen dauert Monate; Familien geraten in "
        "finanzielle Engpässe.",
        "Rechtskreiswechsel vom AsylbLG ins SGB II führt zu Lücken bei den Leistungen.",
        "Bescheide der Familienkasse sind für die Betroffenen ohne Unterstützung nicht "
        "verständlich.",
    ),
    "family_childcare": (
        "Zu wenige Kita-Plätze in den kleinen Städten; Eltern können deshalb keinen Kurs "
        "besuchen.",
        "Familiennachzug: lange Wartezeiten bei den Auslandsvertretungen belasten die "
        "Familien.",
        "Offene Ganztagsplätze werden vor allem an berufstätige Eltern vergeben.",
    ),
    "debts": (
        "Schuldnerberatung hat eine Warteliste von mehreren Monaten; Mahnverfahren laufen "
        "weiter.",
        "Handy- und Stromverträge ohne Verständnis der Vertragsbedingungen führen zu "
        "Schulden.",
    ),
    "social_environment": (
        "Wenig Begegnungsangebote in den Dörfern; Ehrenamtliche in den Helferkreisen hören "
        "altersbedingt auf.",
        "Migrantenorganisationen fehlen Räume für ihre Treffen.",
    ),
    "other": (
        "Fahrten zu Terminen in Höxter oder Paderborn: die Busverbindungen aus den "
        "Ortsteilen reichen nicht.",
        "Formulare der Behörden gibt es nur auf Deutsch; Sprachmittlung fehlt in den "
        "Bürgerbüros.",
        "Digitale Antragsverfahren setzen Geräte und Kenntnisse voraus, die viele nicht haben.",
    ),
}

#: topic areas by weight (what case managers report most)
TOPIC_AREA_WEIGHTS = {"residence": 22, "language": 18, "work_training": 14, "housing": 13,
                      "livelihood": 9, "health": 8, "family_childcare": 7, "education": 5,
                      "debts": 4, "social_environment": 3, "other": 5}

#: a correction of a pre-filled figure: (figure, how much more or fewer, the note)
CORRECTIONS: tuple[tuple[str, int, str], ...] = (
    ("contacts.phone_call", 2, "Zwei Telefonate während der Vertretung wurden nicht im "
                               "System erfasst."),
    ("contacts.appointment", 1, "Ein Termin in der offenen Sprechstunde wurde nachträglich "
                                "nicht als Kontakt erfasst."),
    ("contacts.email", 3, "E-Mails mit dem Jobcenter zu laufenden Fällen nachgetragen."),
    ("contacts.accompaniment", 1, "Eine Begleitung zur Ausländerbehörde war nur im Kalender "
                                  "eingetragen."),
    ("short_queries", 2, "Kurzberatungen am Infostand der Stadt wurden auf Papier notiert."),
    ("short_query_minutes", 20, "Dauer der Kurzberatungen nach Notizen korrigiert."),
    ("contacts.phone_call", -1, "Ein Telefonat wurde doppelt erfasst."),
)

#: minutes of network work (Netzwerkarbeit) and of system-level work in a period: ranges
NETWORK_MINUTES = (60, 480)
SYSTEM_MINUTES = (0, 240)
