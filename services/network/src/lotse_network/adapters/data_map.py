"""The data map of network (Art. 30 GDPR, ADR 0100): every column of the service's own tables
with its class of data, purpose, retention class and legal basis. The platform's shared tables
(outbox, inbox, audit log, …) are classified in :mod:`lotse_platform.datamap.platform_map`.
``make data-map`` writes ``docs/data-map/network.md`` from it; a test fails when a column of the
mapped schema is missing here or one named here is gone.

Ids of a person's record (an intake's, a case's, a user's) are personal data: pseudonymous, but
this service can tell whose they are. Free text is special-category data: a case manager may
write anything into it."""

from __future__ import annotations

from lotse_platform.subject_rights import Derived, SubjectKeys
from lotse_platform.datamap import NOT_PERSONAL, PERSONAL, DataMap, Table, not_personal, personal, special

DATA_MAP = DataMap([
    Table("agreements", "Kooperationsvereinbarungen zwischen Organisationen",
          "cooperation agreements between organisations",
          "directory", "public_task", {
              "id": NOT_PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "title": NOT_PERSONAL,
              "party_org_ids": NOT_PERSONAL,
              "other_parties": NOT_PERSONAL,
              "target_group_ids": NOT_PERSONAL,
              "topic_areas": NOT_PERSONAL,
              "area_ids": NOT_PERSONAL,
              "cases_taken": NOT_PERSONAL,
              "data_handling": NOT_PERSONAL,
              "valid_from": NOT_PERSONAL,
              "valid_until": NOT_PERSONAL,
              "status": NOT_PERSONAL,
              "basis": NOT_PERSONAL,
              "signed_on": NOT_PERSONAL,
              "document_ref": NOT_PERSONAL,
              "created_at": NOT_PERSONAL,
              "updated_at": NOT_PERSONAL,
          }),
    Table("bodies", "Netzwerkgremien (Runde Tische, Arbeitskreise)",
          "network bodies (round tables, working groups)",
          "directory", "public_task", {
              "id": NOT_PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "name": NOT_PERSONAL,
              "kind": NOT_PERSONAL,
              "member_org_ids": NOT_PERSONAL,
              "area_id": NOT_PERSONAL,
              "rhythm": NOT_PERSONAL,
              "weekday": NOT_PERSONAL,
              "nth": NOT_PERSONAL,
              "starts_at": NOT_PERSONAL,
              "created_at": NOT_PERSONAL,
          }),
    Table("body_meetings", "Sitzungen der Netzwerkgremien mit Protokoll",
          "meetings of the network bodies with minutes",
          "planning", "public_task", {
              "id": NOT_PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "body_id": NOT_PERSONAL,
              "held_on": NOT_PERSONAL,
              "participant_org_ids": NOT_PERSONAL,
              "contributions": special("free_text"),
              "minutes":
                  special("free_text", note="free text: a case may be discussed, so protected as such"),
              "follow_ups": special("free_text"),
              "recorded_at": NOT_PERSONAL,
          }),
    Table("directory_locations", "Angebotsverzeichnis: Standorte",
          "service directory: locations",
          "directory", "public_task", {
              "id": NOT_PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "organization_id": NOT_PERSONAL,
              "name": NOT_PERSONAL,
              "location_type": NOT_PERSONAL,
              "address_1": NOT_PERSONAL,
              "postal_code": NOT_PERSONAL,
              "city": NOT_PERSONAL,
              "municipality_id": NOT_PERSONAL,
              "version": NOT_PERSONAL,
              "updated_at": NOT_PERSONAL,
              "updated_by": PERSONAL,
          }),
    Table("directory_organizations", "Angebotsverzeichnis: Organisationen",
          "service directory: organisations",
          "directory", "public_task", {
              "id": NOT_PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "name": NOT_PERSONAL,
              "description": NOT_PERSONAL,
              "identity_org_id": NOT_PERSONAL,
              "email":
                  not_personal("an organisation's address, not a person's"),
              "website": NOT_PERSONAL,
              "version": NOT_PERSONAL,
              "updated_at": NOT_PERSONAL,
              "updated_by": PERSONAL,
          }),
    Table("directory_schedules", "Angebotsverzeichnis: Öffnungszeiten",
          "service directory: opening hours",
          "directory", "public_task", {
              "service_id": NOT_PERSONAL,
              "position": NOT_PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "location_id": NOT_PERSONAL,
              "byday": NOT_PERSONAL,
              "opens_at": NOT_PERSONAL,
              "closes_at": NOT_PERSONAL,
              "valid_from": NOT_PERSONAL,
              "valid_to": NOT_PERSONAL,
              "description": NOT_PERSONAL,
          }),
    Table("directory_service_at_location", "Angebotsverzeichnis: Angebot an Standort",
          "service directory: service at a location",
          "directory", "public_task", {
              "service_id": NOT_PERSONAL,
              "location_id": NOT_PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "position": NOT_PERSONAL,
          }),
    Table("directory_service_facets", "Angebotsverzeichnis: Suchmerkmale eines Angebots",
          "service directory: a service's search facets",
          "directory", "public_task", {
              "service_id": NOT_PERSONAL,
              "facet": NOT_PERSONAL,
              "code": NOT_PERSONAL,
              "tenant_id": NOT_PERSONAL,
          }),
    Table("directory_services", "Angebotsverzeichnis: Angebote der Partner",
          "service directory: the partners' services",
          "directory", "public_task", {
              "id": NOT_PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "organization_id": NOT_PERSONAL,
              "name": NOT_PERSONAL,
              "description": NOT_PERSONAL,
              "kind": NOT_PERSONAL,
              "status": NOT_PERSONAL,
              "topic_areas": NOT_PERSONAL,
              "legal_areas": NOT_PERSONAL,
              "own_case_management": NOT_PERSONAL,
              "fees_description": NOT_PERSONAL,
              "target_group_ids": NOT_PERSONAL,
              "minimum_age": NOT_PERSONAL,
              "maximum_age": NOT_PERSONAL,
              "languages": NOT_PERSONAL,
              "service_area_ids": NOT_PERSONAL,
              "contacts":
                  personal(note="the service's contact persons: staff names, phone numbers"),
              "url": NOT_PERSONAL,
              "email": NOT_PERSONAL,
              "version": NOT_PERSONAL,
              "updated_at": NOT_PERSONAL,
              "updated_by": PERSONAL,
              "search_vector": NOT_PERSONAL,
          }),
    Table("directory_settings", "Einstellungen des Verzeichnisses (öffentliche Schnittstelle)",
          "settings of the directory (public API)",
          "directory", "public_task", {
              "tenant_id": NOT_PERSONAL,
              "public_api": NOT_PERSONAL,
              "updated_at": NOT_PERSONAL,
              "updated_by": PERSONAL,
          }),
    Table("knowledge_article_versions", "Wissensdatenbank: frühere Fassungen",
          "knowledge base: earlier versions",
          "directory", "public_task", {
              "tenant_id": NOT_PERSONAL,
              "article_id": NOT_PERSONAL,
              "version": NOT_PERSONAL,
              "title": NOT_PERSONAL,
              "body":
                  not_personal("know-how for staff, about no person"),
              "topic_areas": NOT_PERSONAL,
              "entry_ids": NOT_PERSONAL,
              "changed_by": PERSONAL,
              "changed_at": NOT_PERSONAL,
          }),
    Table("knowledge_articles", "Wissensdatenbank: Artikel für Fachkräfte",
          "knowledge base: articles for staff",
          "directory", "public_task", {
              "id": NOT_PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "title": NOT_PERSONAL,
              "body": NOT_PERSONAL,
              "topic_areas": NOT_PERSONAL,
              "entry_ids": NOT_PERSONAL,
              "version": NOT_PERSONAL,
              "created_by": PERSONAL,
              "updated_by": PERSONAL,
              "created_at": NOT_PERSONAL,
              "updated_at": NOT_PERSONAL,
          }),
    Table("referral_cases", "Fälle, für die weitergeleitet wird (aus casework)",
          "cases referrals are made for (from casework)",
          "referral", "task_sgb", {
              "case_id": PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "intake_id": PERSONAL,
              "operator_org_id": PERSONAL,
              "case_manager_id": PERSONAL,
          }),
    Table("referral_consents", "Einwilligungen, die eine Weiterleitung erlauben (aus intake)",
          "consents that allow a referral (from intake)",
          "consent", "consent", {
              "consent_id": PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "intake_id": PERSONAL,
              "operator_org_id": PERSONAL,
              "kind": PERSONAL,
              "partner_org_id": PERSONAL,
              "topic_areas": special("health"),
              "valid_from": PERSONAL,
              "valid_until": PERSONAL,
              "withdrawn_on": PERSONAL,
          }),
    Table("referral_steps", "Verlauf einer Weiterleitung (gesendet, angekommen, Rückmeldung)",
          "a referral's course (sent, arrived, feedback)",
          "referral", "consent", {
              "id": PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "referral_id": PERSONAL,
              "step": NOT_PERSONAL,
              "by": PERSONAL,
              "by_org": PERSONAL,
              "on": PERSONAL,
              "at": PERSONAL,
              "text": special("free_text"),
              "appointment_on": PERSONAL,
          }),
    Table("referrals", "Weiterleitungen an Partner mit den freigegebenen Daten",
          "referrals to partners with the data released",
          "referral", "consent", {
              "id": PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "case_id": PERSONAL,
              "intake_id": PERSONAL,
              "operator_org_id": PERSONAL,
              "case_manager_id": PERSONAL,
              "case_manager_org_id": PERSONAL,
              "partner_org_id": PERSONAL,
              "service_id": PERSONAL,
              "mode": PERSONAL,
              "topic_area": special("health"),
              "reason": special("free_text"),
              "urgency": PERSONAL,
              "shared":
                  special("free_text", note="the person's data released to the partner by her consent"),
              "consent_ids": PERSONAL,
              "status": PERSONAL,
              "status_on": PERSONAL,
              "created_on": PERSONAL,
              "created_at": PERSONAL,
              "sent_on": PERSONAL,
              "appointment_on": PERSONAL,
              "arrived_on": PERSONAL,
              "last_feedback_on": PERSONAL,
              "closed_on": PERSONAL,
              "shared_hidden_on": PERSONAL,
          }),
])

#: how a subject-access request finds the person here (ADR 0103): her referrals name her
#: intake (``referrals.intake_id``), their course names the referral (``referral_id``)
SUBJECT_KEYS = SubjectKeys([
    Derived("case_id", table="referral_cases", column="case_id", by="intake_id"),
    Derived("referral_id", table="referrals", column="id", by="intake_id"),
])

#: what the erased person's referrals and her case's copy keep (ADR 0106): who referred to whom,
#: how, for which problem area (a code), its status and dates — so that they are still counted
#: and load; never the reason or the data released to the partner (free text)
ERASURE_KEEPS = {
    "referral_cases": ("operator_org_id", "case_manager_id"),
    "referrals": ("operator_org_id", "case_manager_id", "case_manager_org_id", "partner_org_id",
                  "service_id", "mode", "topic_area", "urgency", "consent_ids", "status",
                  "status_on", "created_on", "created_at", "sent_on", "appointment_on",
                  "arrived_on", "last_feedback_on", "closed_on", "shared_hidden_on"),
}

_TOPIC_CODES = ("codes from the closed list of topic areas, not the person's words: they say "
                "which kind of help, and stay queryable (the consent check selects the releases "
                "by topic area, the lists and events to reporting carry the same codes); the "
                "referral's reason and the data released are encrypted")

#: special-category columns stored without field encryption, and why (ADR 0104); every other
#: special-category column of network is encrypted with the tenant's keys
NOT_ENCRYPTED = {
    "referral_consents.topic_areas": _TOPIC_CODES,
    "referrals.topic_area": _TOPIC_CODES,
}
