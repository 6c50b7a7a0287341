"""German labels of the values the console shows and offers (DOMAIN.md; the APIs document the
same labels). Only labels: which values exist is the APIs' business, and a value missing here is
shown as it is rather than hidden."""

from __future__ import annotations

from datetime import datetime, tzinfo

ACCESS_PATHS: dict[str, str] = {
    "partner_referral": "Vermittlung durch einen Kooperationspartner",
    "administration_referral": "Vermittlung durch die Stadtverwaltung",
    "outreach": "Aufsuchende Arbeit",
    "self_referral": "Selbstmelderin / Selbstmelder",
    "word_of_mouth": "Mundpropaganda / Multiplikatoren",
    "town_assignment": "Zuweisung in die Stadt",
    "immigration_office_screening": "Screening in der Ausländerbehörde",
    "case_proposal": "Fallvorschlag",
    "handover_after_move": "Übergabe nach Umzug",
}
#: access paths that need the referring organisation
NEEDS_REFERRER = frozenset({"partner_referral", "administration_referral"})

TOPIC_AREAS: dict[str, str] = {
    "residence": "Aufenthalt",
    "language": "Sprache",
    "education": "Bildung",
    "work_training": "Arbeit / Ausbildung",
    "housing": "Wohnen",
    "health": "Gesundheit",
    "livelihood": "Existenzsicherung",
    "family_childcare": "Familie / Kinderbetreuung",
    "debts": "Schulden",
    "social_environment": "Soziales Umfeld",
    "other": "Sonstiges",
}

DEPTHS: dict[str, str] = {
    "information": "Information",
    "guidance": "Anleitung und Hilfen",
    "accompaniment": "Begleitung",
    "referral": "Verweisberatung",
    "crisis_intervention": "Krisenintervention",
    "case_management": "KIM-Case-Management",
    "no_need": "kein Bedarf",
}

INTAKE_STATUSES: dict[str, str] = {
    "recorded": "erfasst",
    "screened": "gescreent",
    "decided": "entschieden",
    "admitted": "aufgenommen",
}

CONSENT_KINDS: dict[str, str] = {
    "data_protection_information": "Datenschutzinformation ausgehändigt",
    "release_of_confidentiality": "Schweigepflichtentbindung",
    "counselling_agreement": "Beratungsvereinbarung",
}

RESIDENCE_STATUSES: dict[str, str] = {
    "duldung": "Duldung",
    "gestattung": "Gestattung",
    "recognised_refugee": "anerkannter Flüchtling",
    "subsidiary_protection": "subsidiärer Schutz",
    "eligible_25a": "Bleiberecht nach § 25a AufenthG möglich",
    "eligible_25b": "Bleiberecht nach § 25b AufenthG möglich",
    "eligible_104c": "Chancen-Aufenthaltsrecht (§ 104c AufenthG) möglich",
    "eu_citizen": "EU-Bürgerin / EU-Bürger",
    "other_residence_permit": "andere Aufenthaltserlaubnis",
    "settlement_permit": "Niederlassungserlaubnis",
    "german_citizen": "deutsche Staatsangehörigkeit",
    "unclear": "ungeklärt",
}

APPOINTMENT_KINDS: dict[str, str] = {
    "appointment": "Beratungstermin",
    "accompaniment": "Begleitung",
    "home_visit": "Hausbesuch",
    "video_call": "Videotermin",
}

PHASES: dict[str, str] = {
    "intake": "Erstberatung / Aufnahme",
    "assessment": "Bestandsaufnahme",
    "goal_agreement": "Zielvereinbarung und Hilfeplan",
    "linking": "Leistungssteuerung",
    "monitoring": "Monitoring",
    "reassessment": "Re-Assessment",
    "evaluation": "Evaluation und Abschluss",
    "closed": "abgeschlossen",
    "transferred": "in einen anderen Kreis abgegeben",
}

RESPONSIBLE: dict[str, str] = {
    "client": "die Person selbst",
    "case_manager": "die Case-Managerin / der Case-Manager",
    "partner_organisation": "eine Partnerorganisation",
}

LIFE_AREAS: dict[str, str] = {
    "personal_situation": "Persönliche Situation",
    "residence_status": "Aufenthaltsstatus",
    "qualifications": "Qualifikationen",
    "languages": "Sprachkenntnisse",
    "family_social": "Familie und soziales Umfeld",
    "housing": "Wohnsituation",
    "work": "Berufliche Situation",
    "health": "Gesundheitliche Situation",
    "livelihood": "Existenzsicherung",
}

#: the resource map's four kinds (Ressourcenkarte)
RESOURCE_KINDS: dict[str, str] = {
    "personal": "persönliche Ressourcen",
    "social": "soziale Ressourcen",
    "socio_spatial": "sozialräumliche Ressourcen",
    "material": "materielle Ressourcen",
}

#: the network map's sectors (Netzwerkkarte)
NETWORK_KINDS: dict[str, str] = {
    "family": "Familie",
    "friends": "Freundinnen und Freunde",
    "volunteers": "Ehrenamtliche",
    "professionals": "Fachkräfte und Dienste",
    "authorities": "Behörden",
}
NETWORK_QUALITIES: dict[str, str] = {
    "supportive": "unterstützend",
    "straining": "belastend",
    "ambivalent": "zwiespältig",
}
CONTACT_INTENSITIES: dict[str, str] = {
    "daily": "täglich",
    "weekly": "wöchentlich",
    "monthly": "monatlich",
    "rarely": "selten",
    "none": "kein Kontakt",
}

#: the CEFR levels (*Gemeinsamer Europäischer Referenzrahmen*, GER) with their German names
CEFR_LEVELS: dict[str, str] = {
    "A1": "A1 – Anfänger", "A2": "A2 – Grundlegende Kenntnisse",
    "B1": "B1 – Fortgeschrittene Sprachverwendung", "B2": "B2 – Selbständige Sprachverwendung",
    "C1": "C1 – Fachkundige Sprachkenntnisse",
    "C2": "C2 – Annähernd muttersprachliche Kenntnisse",
}

#: what a language level rests on (casework's LANGUAGE_EVIDENCE)
LANGUAGE_EVIDENCE: dict[str, str] = {
    "self_assessment": "Selbsteinschätzung",
    "case_manager_assessment": "Einschätzung der Case-Managerin / des Case-Managers",
    "placement_test": "Einstufungstest", "dtz": "Deutsch-Test für Zuwanderer (DTZ)",
    "telc": "telc-Zertifikat", "goethe": "Goethe-Zertifikat", "testdaf": "TestDaF",
    "oesd": "ÖSD-Zertifikat", "school_certificate": "Schulzeugnis",
    "other_certificate": "anderes Zertifikat",
}

#: the languages the assessment's form offers (BCP 47 tags as casework takes them); a level
#: recorded in another language (through the API) is shown by its tag
LANGUAGES: dict[str, str] = {
    "de": "Deutsch", "en": "Englisch", "ar": "Arabisch", "fa": "Persisch (Farsi)",
    "prs": "Dari", "ps": "Paschtu", "ku": "Kurdisch", "tr": "Türkisch", "uk": "Ukrainisch",
    "ru": "Russisch", "ti": "Tigrinya", "so": "Somali", "fr": "Französisch", "es": "Spanisch",
    "it": "Italienisch", "pl": "Polnisch", "ro": "Rumänisch", "bg": "Bulgarisch",
    "sq": "Albanisch", "sr": "Serbisch", "ur": "Urdu",
}

CONFERENCE_STATUSES: dict[str, str] = {"planned": "geplant", "held": "gehalten"}
CONFERENCE_LEVELS: dict[str, str] = {"town": "Stadtebene", "county": "Kreisebene"}
#: persons taking part in a conference without an organisation (casework's PERSON_ROLES)
CONFERENCE_PERSON_ROLES: dict[str, str] = {
    "volunteer": "Ehrenamtliche / Ehrenamtlicher", "teacher": "Lehrkraft",
    "school_social_worker": "Schulsozialarbeit", "interpreter": "Sprachmittlung",
    "relative": "Angehörige / Angehöriger", "other": "andere Person",
}
TRANSFER_STATUSES: dict[str, str] = {
    "pending": "angeboten", "accepted": "angenommen", "declined": "abgelehnt",
    "cancelled": "zurückgezogen",
}

GOAL_STATUSES: dict[str, str] = {"open": "offen", "reached": "erreicht", "dropped": "aufgegeben"}
STEP_STATUSES: dict[str, str] = {"open": "offen", "done": "erledigt", "dropped": "entfallen"}

REFERRAL_STATUSES: dict[str, str] = {
    "proposed": "vorgeschlagen",
    "sent": "gesendet",
    "accepted": "angenommen",
    "appointment": "Termin vereinbart",
    "declined": "abgelehnt",
    "arrived": "angekommen",
    "not_arrived": "nicht angekommen",
    "completed": "abgeschlossen",
    "cancelled": "zurückgezogen",
}

REFERRAL_MODES: dict[str, str] = {
    "referral_counselling": "Verweisberatung",
    "warm_handover": "warme Übergabe",
    "tandem": "Tandem",
}

URGENCIES: dict[str, str] = {"normal": "normal", "urgent": "dringend"}

CONTACT_TYPES: dict[str, str] = {
    "appointment": "Beratungstermin",
    "phone_call": "Telefonat",
    "email": "E-Mail",
    "accompaniment": "Begleitung",
    "home_visit": "Hausbesuch",
    "video_call": "Videotermin",
}

CONTACT_PURPOSES: dict[str, str] = {
    "counselling": "Beratung",
    "referral": "Vermittlung",
    "follow_up": "Nachhalten",
    "reflection": "Reflexionsgespräch",
    "reassessment": "Re-Assessment",
    "evaluation": "Auswertung",
}

CLOSURE_REASONS: dict[str, str] = {
    "goals_reached": "Ziele erreicht (nach der Evaluation)",
    "client_steers_network": "Person steuert ihr Netzwerk selbst (nach der Evaluation)",
    "moved_away": "weggezogen",
    "consent_withdrawn": "Einwilligung widerrufen",
    "not_reachable": "nicht mehr erreichbar",
    "referred_on": "an eine andere Stelle übergeben",
}

#: what a partner may record on a referral addressed to her organisation
PARTNER_STEPS: dict[str, str] = {
    "accepted": "Annehmen",
    "declined": "Ablehnen (mit Begründung)",
    "appointment": "Termin vereinbart",
    "arrived": "Person ist angekommen",
    "not_arrived": "Person ist nicht gekommen",
    "feedback": "Rückmeldung an die Case-Managerin",
    "exchange": "Eintrag im Tandem-Austausch",
}

DATA_CATEGORIES: dict[str, str] = {
    "person": "Person",
    "contact": "Erreichbarkeit",
    "languages": "Sprachen",
    "residence_status": "Aufenthaltsstatus",
    "education": "Bildung",
    "work_training": "Arbeit / Ausbildung",
    "housing": "Wohnen",
    "health": "Gesundheit",
    "livelihood": "Existenzsicherung",
    "family": "Familie",
    "debts": "Schulden",
    "social_environment": "Soziales Umfeld",
}

CASE_ACCESS: dict[str, str] = {
    "own": "eigener Fall",
    "shared": "mit Ihnen geteilt",
    "supervision": "Fachaufsicht (nur lesen)",
}

#: casework's notices to a case manager (``GET /my-day``'s ``notices``)
NOTICE_KINDS: dict[str, str] = {
    "child_protection_concern": "Sorge um das Kindeswohl: Meldebedarf an das Jugendamt",
    "consent_withdrawn": "Einwilligung widerrufen",
    "handover_waiting_for_consent": "Übernahme wartet auf die Einwilligung",
    "transfer_offered": "Übergabe angeboten",
    "transfer_accepted": "Übergabe angenommen",
    "transfer_declined": "Übergabe abgelehnt",
    "transfer_withdrawn_by_sender": "Übergabe von der abgebenden Stelle zurückgezogen",
    "transfer_cancel_too_late": "Rücknahme der Übergabe kam zu spät",
    "case_shared_deputy": "Fall zur Vertretung mit Ihnen geteilt",
    "case_shared_tandem": "Fall im Tandem mit Ihnen geteilt",
    "conference_convened": "Fallkonferenz zu Ihrem Fall einberufen",
}

PERIOD_REPORT_STATUSES: dict[str, str] = {
    "open": "offen",
    "overdue": "überfällig",
    "submitted": "abgegeben",
}

CASELOAD_STATUSES: dict[str, str] = {
    "under": "unter dem Richtwert",
    "within": "im Richtwert",
    "over": "über dem Richtwert",
    "no_fte": "kein Stellenanteil hinterlegt",
}


THEME_STATUSES: dict[str, str] = {
    "proposed": "vorgeschlagen",
    "established": "festgestellt",
    "in_project_group": "in einer Projektarbeitsgruppe",
    "result_adopted": "Ergebnis beschlossen",
    "implemented": "umgesetzt",
    "escalated": "an die Landesebene gegeben",
}

VOTES: dict[str, str] = {"yes": "Ja", "no": "Nein", "abstain": "Enthaltung"}

CYCLE_STATES: dict[str, str] = {
    "done": "erledigt", "current": "aktuell", "open": "offen", "skipped": "übersprungen",
}

LEGAL_AREAS: dict[str, str] = {
    "sgb_ii": "SGB II", "sgb_iii": "SGB III", "sgb_v": "SGB V", "sgb_viii": "SGB VIII",
    "sgb_ix": "SGB IX", "sgb_xii": "SGB XII", "asylblg": "AsylbLG",
    "residence_law": "Aufenthaltsrecht", "school_law": "Schulrecht", "civil_law": "Zivilrecht",
}

#: identity's roles (the platform's ROLE_LABELS; the domain imports no platform module)
ROLES: dict[str, str] = {
    "tenant_admin": "Administration des Kreises",
    "org_admin": "Administration der Organisation",
    "coordinator": "Koordinierende Stelle",
    "coordination_assistant": "Assistenz der Koordinierenden Stelle",
    "case_manager": "Case-Managerin / Case-Manager",
    "authority_liaison": "Ausländer-/Einbürgerungsbehörde (Integrationslotsin)",
    "provider_staff": "Fachkraft eines Trägers",
    "steering_member": "Lenkungsgruppe",
    "auditor": "Datenschutz / Revision",
}

AREA_KINDS: dict[str, str] = {"county": "Kreis", "cluster": "Clusterregion",
                              "town": "Stadt / Gemeinde", "district": "Stadtbezirk / Stadtteil"}

ORGANISATION_KINDS: dict[str, str] = {
    "county_administration": "Kreisverwaltung / Kommunales Integrationszentrum",
    "municipality": "Stadt / Gemeinde",
    "welfare_provider": "Träger der Freien Wohlfahrtspflege",
    "immigration_office": "Ausländer- / Einbürgerungsbehörde",
    "jobcenter": "Jobcenter",
    "social_office": "Sozialamt",
    "youth_office": "Jugendamt",
    "health_office": "Gesundheitsamt",
    "employment_agency": "Agentur für Arbeit",
    "bamf": "Bundesamt für Migration und Flüchtlinge",
    "migrant_organisation": "Migrantenorganisation",
    "school": "Schule / Schulamt",
    "language_course_provider": "Sprachkursträger",
    "other": "Sonstige",
}


#: the network directory's kinds of service (the network's labels)
SERVICE_KINDS: dict[str, str] = {
    "migration_counselling_adults": "Migrationsberatung für erwachsene Zugewanderte (MBE)",
    "youth_migration_service": "Jugendmigrationsdienst (JMD)",
    "refugee_counselling": "Flüchtlingsberatung", "jobcenter": "Jobcenter / Integration Point",
    "employment_agency": "Agentur für Arbeit", "youth_office": "Jugendamt",
    "social_office": "Sozialamt", "health_office": "Gesundheitsamt",
    "immigration_office": "Ausländerbehörde", "debt_counselling": "Schuldnerberatung",
    "addiction_counselling": "Suchtberatung", "language_course": "Sprachkursträger",
    "school": "Schule", "migrant_organisation": "Migrantenorganisation",
    "volunteers": "Ehrenamtliche Initiative", "other": "Sonstiges",
}


GOAL_LEVELS: dict[str, str] = {
    "principle": "Leitziel", "framework": "Rahmenziel", "result": "Ergebnisziel",
    "activity": "Aktivität",
}

GROUP_STATUSES: dict[str, str] = {
    "mandated": "beauftragt, in Arbeit", "presented": "Ergebnis vorgelegt",
    "result_adopted": "Ergebnis beschlossen",
}


def label(labels: dict[str, str], value: object) -> str:
    """The German label of ``value``, or the value itself when it has none."""
    if value is None:
        return "–"
    return labels.get(str(value), str(value))


def german_date(value: object, zone: tzinfo | None = None) -> str:
    """An ISO date (``2026-12-07``) as users write it: 07.12.2026. A timestamp with its offset
    is the day it was in ``zone`` (the tenant's: 23:30 UTC on the 7th of December is already the
    8th in Höxter), else the day it names."""
    text = str(value or "")
    if zone is not None and len(text) > 10:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is not None:
            return moment.astimezone(zone).strftime("%d.%m.%Y")
    if len(text) >= 10 and text[4] == "-" and text[7] == "-":
        return f"{text[8:10]}.{text[5:7]}.{text[0:4]}"
    return text or "–"
