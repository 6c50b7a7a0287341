"""German labels of the values the console shows and offers (DOMAIN.md; the APIs document the
same labels). Only labels: which values exist is the APIs' business, and a value missing here is
shown as it is rather than hidden."""

from __future__ import annotations

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


def german_date(value: object) -> str:
    """An ISO date (``2026-12-07``, or the start of a timestamp) as users write it: 07.12.2026."""
    text = str(value or "")
    if len(text) >= 10 and text[4] == "-" and text[7] == "-":
        return f"{text[8:10]}.{text[5:7]}.{text[0:4]}"
    return text or "–"
