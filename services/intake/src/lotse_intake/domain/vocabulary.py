"""The words of intake (DOMAIN.md §2–§4): English values in code and in the API, German labels
where users look for them (API descriptions, the screening form).

Each enumeration is closed: a value the API does not know is refused, never defaulted. The
published language of the events (``lotse.kim.v1``) has the same members; the mapping lives in
:mod:`lotse_intake.service_layer.events`.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import TypeVar


class AccessPath(StrEnum):
    """Way in (*Zugangsweg*)."""

    PARTNER_REFERRAL = "partner_referral"
    ADMINISTRATION_REFERRAL = "administration_referral"
    OUTREACH = "outreach"
    SELF_REFERRAL = "self_referral"
    WORD_OF_MOUTH = "word_of_mouth"
    TOWN_ASSIGNMENT = "town_assignment"
    IMMIGRATION_OFFICE_SCREENING = "immigration_office_screening"
    CASE_PROPOSAL = "case_proposal"
    HANDOVER_AFTER_MOVE = "handover_after_move"


class TopicArea(StrEnum):
    """Topic area with a need (*Themenbereich / Problembereich*)."""

    RESIDENCE = "residence"
    LANGUAGE = "language"
    EDUCATION = "education"
    WORK_TRAINING = "work_training"
    HOUSING = "housing"
    HEALTH = "health"
    LIVELIHOOD = "livelihood"
    FAMILY_CHILDCARE = "family_childcare"
    DEBTS = "debts"
    SOCIAL_ENVIRONMENT = "social_environment"
    OTHER = "other"


class CounsellingDepth(StrEnum):
    """Counselling depth decided at intake (*Beratungstiefe*)."""

    INFORMATION = "information"
    GUIDANCE = "guidance"
    ACCOMPANIMENT = "accompaniment"
    REFERRAL = "referral"
    CRISIS_INTERVENTION = "crisis_intervention"
    CASE_MANAGEMENT = "case_management"
    NO_NEED = "no_need"


class AdmissionCriterion(StrEnum):
    """Admission criteria for KIM case management; not all must hold."""

    MULTIPLE_DIMENSIONS = "multiple_dimensions"
    SEVERAL_ACTORS = "several_actors"
    LONG_TERM_NEED = "long_term_need"
    STANDARD_CARE_INSUFFICIENT = "standard_care_insufficient"
    OWN_RESOURCES_INSUFFICIENT = "own_resources_insufficient"
    # Höxter's list adds these two (001 L128); a tenant chooses its list (settings)
    COMPLEX_TIME_CONSUMING_NEEDS = "complex_time_consuming_needs"
    STRUCTURAL_THEMES = "structural_themes"


#: the criteria of a tenant that has not chosen its own list (DOMAIN.md §4)
DEFAULT_ADMISSION_CRITERIA: tuple[AdmissionCriterion, ...] = (
    AdmissionCriterion.MULTIPLE_DIMENSIONS, AdmissionCriterion.SEVERAL_ACTORS,
    AdmissionCriterion.LONG_TERM_NEED, AdmissionCriterion.STANDARD_CARE_INSUFFICIENT,
    AdmissionCriterion.OWN_RESOURCES_INSUFFICIENT,
)


class CefrLevel(StrEnum):
    """Language level of the Common European Framework of Reference (GER)."""

    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"


class LanguageEvidence(StrEnum):
    """What a language level rests on (*Nachweis*, 004 L144)."""

    SELF_ASSESSMENT = "self_assessment"
    CASE_MANAGER_ASSESSMENT = "case_manager_assessment"
    PLACEMENT_TEST = "placement_test"
    DTZ = "dtz"  # Deutsch-Test für Zuwanderer (integration course)
    TELC = "telc"
    GOETHE = "goethe"
    TESTDAF = "testdaf"
    OESD = "oesd"
    SCHOOL_CERTIFICATE = "school_certificate"
    OTHER_CERTIFICATE = "other_certificate"


class OtherServiceKind(StrEnum):
    """What another service already counselling the person offers (*Parallelbetreuung*)."""

    MIGRATION_COUNSELLING = "migration_counselling"  # MBE
    YOUTH_MIGRATION_SERVICE = "youth_migration_service"  # JMD
    REFUGEE_COUNSELLING = "refugee_counselling"
    JOBCENTER = "jobcenter"
    YOUTH_WELFARE = "youth_welfare"
    SOCIAL_SERVICES = "social_services"
    SPECIALISED_COUNSELLING = "specialised_counselling"  # debts, addiction, health …
    OTHER_CASE_MANAGEMENT = "other_case_management"
    OTHER = "other"


class EarlierContactPurpose(StrEnum):
    """Why a case manager searches for an earlier intake of the same person (audited)."""

    RETURNING_CLIENT = "returning_client"  # "jederzeit wieder" (001 L211)
    PARALLEL_CARE = "parallel_care"  # Parallelbetreuung / Doppelförderung (000 L170, 002 L335)


class AnonymousContactKind(StrEnum):
    """Work not tied to a named person (*personenunabhängig*)."""

    SHORT_QUERY = "short_query"
    INFORMATION_EVENT = "information_event"


class Household(StrEnum):
    """The person's household, for target groups such as Höxter's (002 L217)."""

    SINGLE_PARENT = "single_parent"
    FAMILY = "family"
    MINOR_WITHOUT_FAMILY = "minor_without_family"
    SINGLE = "single"


class ProposalRouting(StrEnum):
    """Who decides a tenant's case proposals (*Fallvorschläge*)."""

    #: the coordinating office decides (default)
    COORDINATING_OFFICE = "coordinating_office"
    #: the office decides in a regularly scheduled case conference with the immigration
    #: office's Integrationslotsin, whose date the decision records (Borken, 003 L25)
    CASE_CONFERENCE = "case_conference"
    #: partners report to the case manager of the person's area, who decides herself (the
    #: office still may); Höxter, 002 L320
    CASE_MANAGER = "case_manager"


class ConsentKind(StrEnum):
    """Kind of a consent record (*Einwilligung*)."""

    DATA_PROTECTION_INFORMATION = "data_protection_information"
    RELEASE_OF_CONFIDENTIALITY = "release_of_confidentiality"
    COUNSELLING_AGREEMENT = "counselling_agreement"


class ResidenceStatus(StrEnum):
    """Residence status facts recorded at screening (special category: never leaves intake).

    A person may have several at once (tolerated *and* eligible under §25b).
    """

    DULDUNG = "duldung"
    GESTATTUNG = "gestattung"
    RECOGNISED_REFUGEE = "recognised_refugee"
    SUBSIDIARY_PROTECTION = "subsidiary_protection"
    ELIGIBLE_25A = "eligible_25a"
    ELIGIBLE_25B = "eligible_25b"
    ELIGIBLE_104C = "eligible_104c"
    EU_CITIZEN = "eu_citizen"
    OTHER_RESIDENCE_PERMIT = "other_residence_permit"
    SETTLEMENT_PERMIT = "settlement_permit"
    GERMAN_CITIZEN = "german_citizen"
    UNCLEAR = "unclear"


class RegionOfOrigin(StrEnum):
    """Region of origin, as coarse as target groups need it (Mettmann: South-East Europe)."""

    SOUTH_EAST_EUROPE = "south_east_europe"
    OTHER_EU = "other_eu"
    EASTERN_EUROPE = "eastern_europe"
    MIDDLE_EAST = "middle_east"
    NORTH_AFRICA = "north_africa"
    SUB_SAHARAN_AFRICA = "sub_saharan_africa"
    CENTRAL_ASIA = "central_asia"
    SOUTH_ASIA = "south_asia"
    EAST_ASIA = "east_asia"
    AMERICAS = "americas"
    OTHER = "other"


class IntakeStatus(StrEnum):
    """Where an intake stands."""

    RECORDED = "recorded"  # Erstkontakt erfasst
    SCREENED = "screened"  # Screeningbogen ausgefüllt
    DECIDED = "decided"  # Beratungstiefe entschieden
    ADMITTED = "admitted"  # ins Case Management aufgenommen


class ProposalStatus(StrEnum):
    """Where a case proposal (*Fallvorschlag*) stands."""

    SUBMITTED = "submitted"  # eingereicht
    ACCEPTED = "accepted"  # ins Case Management übernommen
    REFERRED = "referred"  # mit Verweisberatung beantwortet


LABELS: dict[type[StrEnum], dict[str, str]] = {
    AccessPath: {
        "partner_referral": "Vermittlung durch Kooperationspartner",
        "administration_referral": "Vermittlung durch die Verwaltung (Sozialamt …)",
        "outreach": "aufsuchende Arbeit",
        "self_referral": "Selbstmelder nach Öffentlichkeitsarbeit",
        "word_of_mouth": "Mundpropaganda über Multiplikatoren",
        "town_assignment": "Vorstellung bei Zuweisung in die Kommune",
        "immigration_office_screening": "Screening bei der Ausländerbehörde",
        "case_proposal": "Fallvorschlag an die Koordinierende Stelle",
        "handover_after_move": "Übergabe nach Umzug",
    },
    TopicArea: {
        "residence": "Aufenthalt", "language": "Sprache", "education": "Bildung",
        "work_training": "Arbeit / Ausbildung", "housing": "Wohnen", "health": "Gesundheit",
        "livelihood": "Existenzsicherung", "family_childcare": "Familie / Kinderbetreuung",
        "debts": "Schulden", "social_environment": "soziales Umfeld", "other": "Sonstiges",
    },
    CounsellingDepth: {
        "information": "Information",
        "guidance": "Anleitung und Hilfen",
        "accompaniment": "Begleitung",
        "referral": "Verweisberatung",
        "crisis_intervention": "Krisenintervention",
        "case_management": "KIM-Case-Management",
        "no_need": "kein Bedarf",
    },
    AdmissionCriterion: {
        "multiple_dimensions": "Bedarfe in mehreren Dimensionen",
        "several_actors": "mehrere Integrationsakteure beteiligt",
        "long_term_need": "langfristiger Unterstützungsbedarf",
        "standard_care_insufficient": "Regelversorgung reicht nicht",
        "own_resources_insufficient": "eigene Ressourcen reichen nicht",
        "complex_time_consuming_needs": "komplexe und zeitintensive Bedarfe",
        "structural_themes": "strukturelle Themen",
    },
    ConsentKind: {
        "data_protection_information": "Datenschutzinformation ausgehändigt",
        "release_of_confidentiality": "Schweigepflichtentbindung (je Partner und Problembereich)",
        "counselling_agreement": "Beratungsvereinbarung unterschrieben",
    },
    ResidenceStatus: {
        "duldung": "Duldung", "gestattung": "Aufenthaltsgestattung (Asylverfahren)",
        "recognised_refugee": "anerkannter Flüchtling",
        "subsidiary_protection": "subsidiär Schutzberechtigt",
        "eligible_25a": "berechtigt nach § 25a AufenthG",
        "eligible_25b": "berechtigt nach § 25b AufenthG",
        "eligible_104c": "berechtigt nach / Inhaber § 104c AufenthG (Chancen-Aufenthaltsrecht)",
        "eu_citizen": "Unionsbürger/in", "other_residence_permit": "sonstige Aufenthaltserlaubnis",
        "settlement_permit": "Niederlassungserlaubnis", "german_citizen": "deutsche Staatsangehörigkeit",
        "unclear": "ungeklärt",
    },
    RegionOfOrigin: {
        "south_east_europe": "Südosteuropa", "other_eu": "übrige EU", "eastern_europe": "Osteuropa",
        "middle_east": "Naher und Mittlerer Osten", "north_africa": "Nordafrika",
        "sub_saharan_africa": "Subsahara-Afrika", "central_asia": "Zentralasien",
        "south_asia": "Südasien", "east_asia": "Ostasien", "americas": "Amerika",
        "other": "sonstige",
    },
    IntakeStatus: {
        "recorded": "Erstkontakt erfasst", "screened": "Screening abgeschlossen",
        "decided": "Beratungstiefe entschieden", "admitted": "ins Case Management aufgenommen",
    },
    CefrLevel: {"A1": "A1", "A2": "A2", "B1": "B1", "B2": "B2", "C1": "C1", "C2": "C2"},
    LanguageEvidence: {
        "self_assessment": "Selbsteinschätzung",
        "case_manager_assessment": "Einschätzung der Case Managerin",
        "placement_test": "Einstufungstest", "dtz": "Deutsch-Test für Zuwanderer (DTZ)",
        "telc": "telc-Zertifikat", "goethe": "Goethe-Zertifikat", "testdaf": "TestDaF",
        "oesd": "ÖSD-Zertifikat", "school_certificate": "Schulzeugnis",
        "other_certificate": "sonstiges Zertifikat",
    },
    OtherServiceKind: {
        "migration_counselling": "Migrationsberatung für Erwachsene (MBE)",
        "youth_migration_service": "Jugendmigrationsdienst (JMD)",
        "refugee_counselling": "Flüchtlingsberatung",
        "jobcenter": "Jobcenter / Arbeitsagentur",
        "youth_welfare": "Jugendhilfe",
        "social_services": "Sozialamt / Sozialdienst",
        "specialised_counselling": "Fachberatung (z. B. Schulden, Sucht, Gesundheit)",
        "other_case_management": "anderes Case Management",
        "other": "sonstige",
    },
    EarlierContactPurpose: {
        "returning_client": "erneute Anfrage (wiederkehrende Person)",
        "parallel_care": "Prüfung auf Parallelbetreuung / Doppelförderung",
    },
    AnonymousContactKind: {
        "short_query": "Kurzanfrage (maximal 20 Minuten)",
        "information_event": "Informationsveranstaltung",
    },
    Household: {
        "single_parent": "alleinerziehend", "family": "Familie mit Kindern",
        "minor_without_family": "Kind oder Jugendliche/r ohne Familie",
        "single": "alleinstehend",
    },
    ProposalRouting: {
        "coordinating_office": "Entscheidung der Koordinierenden Stelle",
        "case_conference": "Entscheidung in der terminierten Fallkonferenz mit der "
                           "Integrationslotsin",
        "case_manager": "Meldung direkt an das Case Management",
    },
    ProposalStatus: {
        "submitted": "eingereicht", "accepted": "ins Case Management übernommen",
        "referred": "mit Verweisberatung beantwortet",
    },
}


def describe(enum: type[StrEnum]) -> str:
    """``value`` (*German label*) for every member: for API descriptions."""
    labels = LABELS[enum]
    return "; ".join(f"`{member.value}` ({labels[member.value]})" for member in enum)


E = TypeVar("E", bound=StrEnum)


def in_order(values: Iterable[str], enum: type[E]) -> list[E]:
    """Distinct members in the enumeration's own order (the form's order, not the alphabet's)."""
    chosen = {enum(v) for v in values}
    return [member for member in enum if member in chosen]
