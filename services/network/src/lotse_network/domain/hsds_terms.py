"""Lotse's taxonomy as HSDS 3.0 ``taxonomy`` and ``taxonomy_term`` objects (ADR 0088), and the
ids of the HSDS objects the directory derives from its own entries.

HSDS wants every object to have a UUID. Organisations, locations and services have theirs; the
objects a service holds as value objects (its languages, service areas, schedules, contacts and
their phones, its taxonomy attributes) get a name-based UUID (RFC 4122 version 5) derived from
the service's id and what the object is, so the same directory exports the same ids every time
and an import of an export changes nothing.

| taxonomy (``taxonomy_term.taxonomy``) | terms (``code``) | what it carries |
|---|---|---|
| ``lotse-kim-topic-area`` | ``TOPIC_AREA_RESIDENCE`` … | KIM topic areas (*Themenbereiche*), the codes of ``lotse.kim.v1.TopicArea`` |
| ``lotse-legal-area`` | ``LEGAL_AREA_SGB_II`` … | legal areas (*Rechtskreise*), ``lotse.kim.v1.LegalArea`` |
| ``lotse-service-kind`` | ``SERVICE_KIND_JOBCENTER`` … | the kind of service (*Angebotsart*), exactly one per service |
| ``lotse-case-management`` | ``OWN_CASE_MANAGEMENT`` | derived from the legal areas; exported, ignored on import |
| ``lotse-reference`` | ``LOTSE_AREA``, ``LOTSE_TARGET_GROUP`` | an attribute's ``value`` is an id Lotse checks: a location's town (identity area), a service's target group (intake) |
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from .vocabulary import LEGAL_AREAS, SERVICE_KINDS, TOPIC_AREAS, label

#: the namespace of every name-based HSDS id of Lotse (fixed: changing it changes every id)
LOTSE_NAMESPACE = uuid.UUID("bea99400-74fe-40cb-a775-54a79d632980")

TOPIC_AREA_TAXONOMY = "lotse-kim-topic-area"
LEGAL_AREA_TAXONOMY = "lotse-legal-area"
SERVICE_KIND_TAXONOMY = "lotse-service-kind"
CASE_MANAGEMENT_TAXONOMY = "lotse-case-management"
REFERENCE_TAXONOMY = "lotse-reference"

OWN_CASE_MANAGEMENT_CODE = "OWN_CASE_MANAGEMENT"
AREA_CODE = "LOTSE_AREA"
TARGET_GROUP_CODE = "LOTSE_TARGET_GROUP"
#: ``organization_identifier.identifier_scheme`` of the link to a Lotse organisation (identity)
IDENTITY_SCHEME = "lotse-identity"
#: ``service_area.uri`` of an identity area: this prefix and the area's id
AREA_URI_PREFIX = "urn:lotse:area:"

TAXONOMY_DESCRIPTIONS: dict[str, tuple[str, str]] = {
    TOPIC_AREA_TAXONOMY: ("KIM-Themenbereiche / KIM topic areas",
                          "The topic areas of Kommunales Integrationsmanagement NRW "
                          "(lotse.kim.v1.TopicArea)."),
    LEGAL_AREA_TAXONOMY: ("Rechtskreise / legal areas",
                          "The legal areas a service works under (lotse.kim.v1.LegalArea)."),
    SERVICE_KIND_TAXONOMY: ("Angebotsarten / kinds of service",
                            "The kind of a service of the KIM referral network."),
    CASE_MANAGEMENT_TAXONOMY: ("Eigenes Fallmanagement / own case management",
                               "Services that run their own case management get a referral, "
                               "never a takeover of the case (derived from the legal areas)."),
    REFERENCE_TAXONOMY: ("Lotse-Verweise / Lotse references",
                         "An attribute whose value is an id Lotse keeps: an area of the county "
                         "(identity) or a target group (intake)."),
}


def derived_id(owner: uuid.UUID | str, what: str) -> str:
    """The UUID of the HSDS object ``what`` of ``owner`` (a service, location, organisation),
    the same every time."""
    return str(uuid.uuid5(LOTSE_NAMESPACE, f"{owner}/{what}"))


def taxonomy_id(taxonomy: str) -> str:
    return str(uuid.uuid5(LOTSE_NAMESPACE, f"taxonomy/{taxonomy}"))


@dataclass(frozen=True)
class Term:
    """One HSDS ``taxonomy_term`` of Lotse's taxonomy, for the Lotse code ``value`` of a
    facet (a topic area, a legal area, a kind of service, a flag, a reference)."""

    taxonomy: str
    code: str
    value: str
    name: str
    description: str

    @property
    def id(self) -> str:
        return str(uuid.uuid5(LOTSE_NAMESPACE, f"taxonomy_term/{self.taxonomy}/{self.code}"))

    def as_hsds(self) -> dict[str, object]:
        name, description = TAXONOMY_DESCRIPTIONS[self.taxonomy]
        return {"id": self.id, "code": self.code, "name": self.name,
                "description": self.description, "taxonomy": self.taxonomy, "language": "de",
                "taxonomy_id": taxonomy_id(self.taxonomy),
                "taxonomy_detail": {"id": taxonomy_id(self.taxonomy), "name": name,
                                    "description": description,
                                    "uri": f"urn:lotse:taxonomy:{self.taxonomy}",
                                    "version": "1"}}


def _terms(taxonomy: str, prefix: str, values: tuple[str, ...], what: str) -> dict[str, Term]:
    return {v: Term(taxonomy, f"{prefix}{v.upper()}", v, label(v), f"{what}: {v}")
            for v in values}


TOPIC_AREA_TERMS = _terms(TOPIC_AREA_TAXONOMY, "TOPIC_AREA_", TOPIC_AREAS, "KIM topic area")
LEGAL_AREA_TERMS = _terms(LEGAL_AREA_TAXONOMY, "LEGAL_AREA_", LEGAL_AREAS, "legal area")
SERVICE_KIND_TERMS = _terms(SERVICE_KIND_TAXONOMY, "SERVICE_KIND_", SERVICE_KINDS,
                            "kind of service")
OWN_CASE_MANAGEMENT_TERM = Term(
    CASE_MANAGEMENT_TAXONOMY, OWN_CASE_MANAGEMENT_CODE, "own_case_management",
    "eigenes Fallmanagement", "runs its own case management: a referral, not a takeover")
AREA_TERM = Term(REFERENCE_TAXONOMY, AREA_CODE, "area", "Gebiet (Lotse)",
                 "the attribute's value is the id of an area of the county (identity): the "
                 "town a location lies in")
TARGET_GROUP_TERM = Term(REFERENCE_TAXONOMY, TARGET_GROUP_CODE, "target_group",
                         "Zielgruppe (Lotse)",
                         "the attribute's value is the id of a target group of the county "
                         "(intake) the service is for")

#: every Lotse term by its HSDS id, for reading an import back
TERMS_BY_ID: dict[str, Term] = {t.id: t for t in (
    *TOPIC_AREA_TERMS.values(), *LEGAL_AREA_TERMS.values(), *SERVICE_KIND_TERMS.values(),
    OWN_CASE_MANAGEMENT_TERM, AREA_TERM, TARGET_GROUP_TERM)}
LOTSE_TAXONOMIES = frozenset(TAXONOMY_DESCRIPTIONS)
