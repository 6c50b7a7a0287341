"""The network's vocabularies with the German labels users read: the taxonomy of a directory
entry (Open Referral HSDS 3.0 ``taxonomy_term``s of the tenant's directory) — the KIM topic areas
and legal areas (the same codes as the events, ``lotse.kim.v1``), the kind of service, and the
legal areas whose services run their own case management (they get a referral, never a
takeover: DOMAIN.md §5)."""

from __future__ import annotations

# Topic areas (Themenbereiche), lotse.kim.v1.TopicArea
TOPIC_AREAS = ("residence", "language", "education", "work_training", "housing", "health",
               "livelihood", "family_childcare", "debts", "social_environment", "other")

# Legal areas (Rechtskreise), lotse.kim.v1.LegalArea
LEGAL_AREAS = ("residence_law", "sgb_ii", "sgb_iii", "sgb_v", "sgb_viii", "sgb_ix", "sgb_xii",
               "asylblg", "school_law", "tenancy_law", "civil_law", "other")

# The kind of a service (Art des Angebots), issue 11 and seeds 001 L489, L495; 002 L385–386
SERVICE_KINDS = ("migration_counselling_adults", "youth_migration_service",
                 "refugee_counselling", "jobcenter", "employment_agency", "youth_office",
                 "social_office", "health_office", "immigration_office", "debt_counselling",
                 "addiction_counselling", "language_course", "school", "migrant_organisation",
                 "volunteers", "other")

# Services under these laws run their own case management (Fallmanagement): a referral, not a
# takeover of the case
OWN_CASE_MANAGEMENT = ("sgb_ii", "sgb_iii", "sgb_viii", "sgb_xii", "residence_law")

LABELS: dict[str, str] = {
    # topic areas
    "residence": "Aufenthalt", "language": "Sprache", "education": "Bildung",
    "work_training": "Arbeit / Ausbildung", "housing": "Wohnen", "health": "Gesundheit",
    "livelihood": "Existenzsicherung", "family_childcare": "Familie / Kinderbetreuung",
    "debts": "Schulden", "social_environment": "soziales Umfeld", "other": "Sonstiges",
    # legal areas
    "residence_law": "Aufenthaltsrecht (AufenthG, AsylG, StAG)",
    "sgb_ii": "SGB II (Jobcenter)", "sgb_iii": "SGB III (Agentur für Arbeit)",
    "sgb_v": "SGB V (Krankenversicherung)", "sgb_viii": "SGB VIII (Kinder- und Jugendhilfe)",
    "sgb_ix": "SGB IX (Rehabilitation und Teilhabe)", "sgb_xii": "SGB XII (Sozialhilfe)",
    "asylblg": "Asylbewerberleistungsgesetz", "school_law": "Schulrecht",
    "tenancy_law": "Mietrecht", "civil_law": "Zivilrecht",
    # kinds of service
    "migration_counselling_adults": "Migrationsberatung für erwachsene Zugewanderte (MBE)",
    "youth_migration_service": "Jugendmigrationsdienst (JMD)",
    "refugee_counselling": "Flüchtlingsberatung", "jobcenter": "Jobcenter / Integration Point",
    "employment_agency": "Agentur für Arbeit", "youth_office": "Jugendamt",
    "social_office": "Sozialamt", "health_office": "Gesundheitsamt",
    "immigration_office": "Ausländerbehörde", "debt_counselling": "Schuldnerberatung",
    "addiction_counselling": "Suchtberatung", "language_course": "Sprachkursträger",
    "school": "Schule", "migrant_organisation": "Migrantenorganisation",
    "volunteers": "Ehrenamtliche Initiative",
}


# The words a case manager types for a kind of service (in a conversation: "ein Sprachkurs", "die
# MBE"): indexed with the service's name, so a search for the kind finds its services first —
# German full-text search does not match "Sprachkurs" inside "Sprachkursträger".
SEARCH_TERMS: dict[str, str] = {
    "migration_counselling_adults": "MBE Migrationsberatung",
    "youth_migration_service": "JMD Jugendmigrationsdienst",
    "refugee_counselling": "Flüchtlingsberatung Asylberatung",
    "jobcenter": "Jobcenter Integration Point Bürgergeld",
    "employment_agency": "Arbeitsagentur Agentur für Arbeit Berufsberatung",
    "youth_office": "Jugendamt", "social_office": "Sozialamt", "health_office": "Gesundheitsamt",
    "immigration_office": "Ausländerbehörde ABH",
    "debt_counselling": "Schuldnerberatung Schulden",
    "addiction_counselling": "Suchtberatung Sucht",
    "language_course": "Sprachkurs Deutschkurs Integrationskurs Berufssprachkurs",
    "school": "Schule", "migrant_organisation": "Migrantenorganisation",
    "volunteers": "Ehrenamt Ehrenamtliche",
}


def label(value: str) -> str:
    return LABELS.get(value, value)
