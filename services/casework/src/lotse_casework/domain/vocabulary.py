"""The words of case work (DOMAIN.md §4–§6), as the API and the database spell them.

Lower-case names, the same as the protobuf enums of ``lotse.kim.v1`` / ``lotse.casework.v1``
without their prefix (``TOPIC_AREA_WORK_TRAINING`` → ``work_training``); the German terms are
in the comments because users will look for them.
"""

from __future__ import annotations

from collections.abc import Iterable

# Topic areas (Themenbereiche / Problembereiche), lotse.kim.v1.TopicArea
TOPIC_AREAS = (
    "residence",           # Aufenthalt
    "language",            # Sprache
    "education",           # Bildung
    "work_training",       # Arbeit / Ausbildung
    "housing",             # Wohnen
    "health",              # Gesundheit
    "livelihood",          # Existenzsicherung
    "family_childcare",    # Familie / Kinderbetreuung
    "debts",               # Schulden
    "social_environment",  # soziales Umfeld
    "other",               # Sonstiges
)

# Legal areas (Rechtskreise), lotse.kim.v1.LegalArea
LEGAL_AREAS = (
    "residence_law",  # AufenthG, AsylG, StAG
    "sgb_ii",         # Grundsicherung für Arbeitsuchende (Jobcenter)
    "sgb_iii",        # Arbeitsförderung (Agentur für Arbeit)
    "sgb_v",          # Krankenversicherung
    "sgb_viii",       # Kinder- und Jugendhilfe
    "sgb_ix",         # Rehabilitation und Teilhabe
    "sgb_xii",        # Sozialhilfe
    "asylblg",        # Asylbewerberleistungsgesetz
    "school_law",     # Schulrecht
    "tenancy_law",    # Mietrecht
    "civil_law",      # übriges Zivilrecht (z. B. Schulden)
    "other",
)

# Which legal areas a topic area's problems belong to: the first is the one assumed when the
# case manager has not said otherwise, the others are the ones she may choose instead or in
# addition (e.g. livelihood of an asylum seeker is AsylbLG, of a jobseeker SGB II). Language
# courses (Integrationskurse) rest on §§ 43–44a AufenthG and the IntV, hence residence law; job
# language courses (DeuFöV) on § 45a AufenthG as well. The social environment has none.
LEGAL_AREAS_BY_TOPIC: dict[str, tuple[str, ...]] = {
    "residence": ("residence_law",),
    "language": ("residence_law", "sgb_ii", "sgb_iii"),
    "education": ("school_law", "sgb_viii"),
    "work_training": ("sgb_ii", "sgb_iii", "sgb_ix"),
    "housing": ("tenancy_law", "sgb_ii", "sgb_xii", "asylblg"),
    "health": ("sgb_v", "asylblg", "sgb_ix"),
    "livelihood": ("sgb_ii", "sgb_xii", "asylblg"),
    "family_childcare": ("sgb_viii",),
    "debts": ("civil_law",),
    "social_environment": (),
    "other": ("other",),
}

# Life areas of the assessment (Bestandsaufnahme), DOMAIN.md §5
LIFE_AREAS = (
    "personal_situation",    # persönliche Situation / Personendaten
    "residence_status",      # Aufenthaltsstatus
    "qualifications",        # Qualifikationen
    "languages",             # Sprachkenntnisse
    "family_social",         # Familie und soziales Umfeld
    "housing",               # Wohnsituation
    "work",                  # berufliche Situation
    "health",                # gesundheitliche Situation
    "livelihood",            # Existenzsicherung
)

# Resource map (Ressourcenkarte): the four kinds
RESOURCE_KINDS = ("material", "personal", "socio_spatial", "social")

# Network map (Netzwerkkarte)
NETWORK_KINDS = ("family", "friends", "volunteers", "professionals", "authorities")
NETWORK_QUALITIES = ("supportive", "straining", "ambivalent")  # unterstützend / belastend
CONTACT_INTENSITIES = ("daily", "weekly", "monthly", "rarely", "none")

# Who is responsible for a goal or a step (SMART: assignable), casework.v1.Responsible
RESPONSIBLE = ("client", "case_manager", "partner_organisation")

# Contacts, casework.v1.ContactType
CONTACT_TYPES = ("appointment", "phone_call", "email", "accompaniment", "home_visit",
                 "video_call")
# contacts that are an appointment (Termin) in the effort guidelines of DOMAIN.md §5
APPOINTMENT_TYPES = frozenset({"appointment", "accompaniment", "home_visit", "video_call"})
# what a contact was for, where the guidelines tell them apart (Leistungssteuerung)
CONTACT_PURPOSES = ("counselling", "referral", "follow_up", "reflection", "reassessment",
                    "evaluation")

# Closure (Abschluss / Entpflichtung), casework.v1.ClosureReason
CLOSURE_REASONS = ("goals_reached", "client_steers_network", "moved_away", "consent_withdrawn",
                   "not_reachable", "referred_on")
# the defined end of a case, after its evaluation
REGULAR_CLOSURE_REASONS = frozenset({"goals_reached", "client_steers_network"})

# Consent records kept from the handover (Einwilligungen), lotse.kim.v1.ConsentKind
CONSENT_KINDS = ("data_protection_information", "release_of_confidentiality",
                 "counselling_agreement")
# withdrawing one of these withdraws the person from case management: all sharing stops
PARTICIPATION_CONSENTS = frozenset({"data_protection_information", "counselling_agreement"})

SHARE_KINDS = ("deputy", "tandem")  # Vertretung / Tandem

# Language levels (GER) and what they rest on (004 L144 "offizielle Nachweise für den
# Sprachstand"), lotse.kim.v1.CefrLevel / LanguageEvidence
CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
LANGUAGE_EVIDENCE = ("self_assessment", "case_manager_assessment", "placement_test", "dtz",
                     "telc", "goethe", "testdaf", "oesd", "school_certificate",
                     "other_certificate")
# official evidence: a certificate or test, not an estimate
CERTIFIED_EVIDENCE = frozenset({"dtz", "telc", "goethe", "testdaf", "oesd",
                                "school_certificate", "other_certificate"})

# German labels users read and search for (API documentation, UI)
LABELS: dict[str, str] = {
    # phases
    "intake": "Erstberatung / Aufnahme", "assessment": "Bestandsaufnahme (Assessment)",
    "goal_agreement": "Zielvereinbarung und Hilfeplan", "linking": "Leistungssteuerung (Linking)",
    "monitoring": "Monitoring", "reassessment": "Re-Assessment", "evaluation": "Evaluation",
    "closed": "abgeschlossen (Entpflichtung)",
    # topic areas
    "residence": "Aufenthalt", "language": "Sprache", "education": "Bildung",
    "work_training": "Arbeit / Ausbildung", "housing": "Wohnen", "health": "Gesundheit",
    "livelihood": "Existenzsicherung", "family_childcare": "Familie / Kinderbetreuung",
    "debts": "Schulden", "social_environment": "soziales Umfeld", "other": "Sonstiges",
    # life areas
    "personal_situation": "persönliche Situation", "residence_status": "Aufenthaltsstatus",
    "qualifications": "Qualifikationen", "languages": "Sprachkenntnisse",
    "family_social": "Familie und soziales Umfeld", "work": "berufliche Situation",
    # resource map and network map
    "material": "materielle Ressourcen", "personal": "personelle Ressourcen",
    "socio_spatial": "sozialräumliche Ressourcen", "social": "soziale Ressourcen",
    "family": "Familie", "friends": "Freundinnen und Freunde", "volunteers": "Ehrenamtliche",
    "professionals": "Fachkräfte", "authorities": "Behörden",
    "supportive": "unterstützend", "straining": "belastend", "ambivalent": "ambivalent",
    # contacts
    "appointment": "Termin", "phone_call": "Telefonat", "email": "E-Mail",
    "accompaniment": "Begleitung", "home_visit": "Hausbesuch", "video_call": "Videotelefonat",
    "referral": "Vermittlung", "follow_up": "Rücksprache zum Stand der Hilfe",
    "reflection": "Reflexionsgespräch", "counselling": "Beratungsgespräch",
    # closure
    "goals_reached": "Ziele erreicht", "client_steers_network": "steuert das Netzwerk selbst",
    "moved_away": "verzogen", "consent_withdrawn": "Einwilligung widerrufen",
    "not_reachable": "nicht mehr erreichbar", "referred_on": "weitervermittelt",
    # responsibility, shares
    "client": "Klientin / Klient", "case_manager": "Case-Managerin / Case-Manager",
    "partner_organisation": "Kooperationspartner", "deputy": "Vertretung", "tandem": "Tandem",
    # what a language level rests on (004 L144)
    "self_assessment": "Selbsteinschätzung",
    "case_manager_assessment": "Einschätzung der Case Managerin / des Case Managers",
    "placement_test": "Einstufungstest", "dtz": "Deutsch-Test für Zuwanderer (DTZ)",
    "telc": "telc-Zertifikat", "goethe": "Goethe-Zertifikat", "testdaf": "TestDaF",
    "oesd": "ÖSD-Zertifikat", "school_certificate": "Schulzeugnis",
    "other_certificate": "anderes Zertifikat",
    # case conferences: level, persons without an organisation (002 L347, 001 L622)
    "town": "Stadtebene (Case Management)", "county": "Kreisebene (Koordinierende Stelle)",
    "volunteer": "Ehrenamtliche / Ehrenamtlicher", "teacher": "Lehrkraft",
    "school_social_worker": "Schulsozialarbeit", "interpreter": "Sprachmittlung",
    "relative": "Angehörige / Angehöriger",
}


def described(values: Iterable[str]) -> str:
    """``intake (Erstberatung / Aufnahme), assessment (…)`` for API documentation."""
    return "Values: " + ", ".join(f"{v} ({LABELS[v]})" if v in LABELS else v for v in values)
