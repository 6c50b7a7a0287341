"""The data map of intake (Art. 30 GDPR, ADR 0100): every column of the service's own tables
with its class of data, purpose, retention class and legal basis. The platform's shared tables
(outbox, inbox, audit log, …) are classified in :mod:`lotse_platform.datamap.platform_map`.
``make data-map`` writes ``docs/data-map/intake.md`` from it; a test fails when a column of the
mapped schema is missing here or one named here is gone.

Ids of a person's record (an intake's, a case's, a user's) are personal data: pseudonymous, but
this service can tell whose they are. Free text is special-category data: a case manager may
write anything into it."""

from __future__ import annotations

from lotse_platform.subject_rights import SubjectKeys
from lotse_platform.subject_rights.retention import RecordEnd
from lotse_platform.datamap import NOT_PERSONAL, PERSONAL, DataMap, Table, personal, special

DATA_MAP = DataMap([
    Table("admissions", "Aufnahme in das Case Management (Entscheidung, Zuständigkeit)",
          "admission to case management (decision, who is responsible)",
          "case_record", "task_sgb", {
              "intake_id": PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "case_manager_id": PERSONAL,
              "case_manager_org_id": PERSONAL,
              "admitted_on": PERSONAL,
              "admitted_by": PERSONAL,
              "target_group_ids":
                  special("residence", note="target groups are defined by residence status and origin"),
              "outside_target_groups": PERSONAL,
              "justification": special("free_text"),
          }),
    Table("anonymous_contacts", "Anonyme Kurzberatungen und Sprechstunden (nur Zählungen)",
          "anonymous short counselling and consultation hours (counts only)",
          "statistics", "task_sgb", {
              "id": NOT_PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "kind": NOT_PERSONAL,
              "area_id": NOT_PERSONAL,
              "held_on": NOT_PERSONAL,
              "topic_areas": NOT_PERSONAL,
              "languages": NOT_PERSONAL,
              "duration_minutes": NOT_PERSONAL,
              "people": NOT_PERSONAL,
              "recorded_by": PERSONAL,
              "recorded_at": NOT_PERSONAL,
          }),
    Table("case_closures", "Abschluss der Fälle aus Erstberatungen (für die Löschfrist der "
          "Fallakte; aus den Ereignissen des Fallmanagements)",
          "closure of the cases opened from intakes (for the case record's retention period; "
          "from casework's events)",
          "case_record", "task_sgb", {
              "case_id": PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "intake_id": PERSONAL,
              "closed_on": PERSONAL,
          }),
    Table("case_proposals", "Fallvorschläge von Partnern an die Koordinierende Stelle",
          "case proposals from partners to the coordinating office",
          "intake_without_admission", "task_sgb", {
              "id": PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "intake_id": PERSONAL,
              "proposing_org_id": PERSONAL,
              "proposed_by": PERSONAL,
              "area_id": PERSONAL,
              "topic_areas":
                  special("health", note="a person's topic areas include health and residence"),
              "reason": special("free_text"),
              "status": PERSONAL,
              "submitted_at": PERSONAL,
              "decided_on": PERSONAL,
              "decided_by": PERSONAL,
              "case_manager_id": PERSONAL,
              "case_manager_org_id": PERSONAL,
              "referral_org_id": PERSONAL,
              "referral_topic": PERSONAL,
              "case_conference_on": PERSONAL,
              "decided_by_case_manager": PERSONAL,
          }),
    Table("consents", "Einwilligungen und Schweigepflichtentbindungen der Person",
          "the person's consents and releases of confidentiality",
          "consent", "consent", {
              "id": PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "intake_id": PERSONAL,
              "kind": PERSONAL,
              "given_on": PERSONAL,
              "valid_from": PERSONAL,
              "valid_until": PERSONAL,
              "language": PERSONAL,
              "partner_org_id": PERSONAL,
              "topic_areas": special("health"),
              "recorded_by": PERSONAL,
              "withdrawn_on": PERSONAL,
              "withdrawn_at": PERSONAL,
              "withdrawn_by": PERSONAL,
          }),
    Table("depth_decisions", "Entscheidung über die Beratungstiefe (Erstberatung)",
          "decision on the depth of counselling (intake)",
          "intake_without_admission", "task_sgb", {
              "id": PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "intake_id": PERSONAL,
              "revision": NOT_PERSONAL,
              "depth": PERSONAL,
              "referral_org_id": PERSONAL,
              "referral_service_id": PERSONAL,
              "referral_topic": PERSONAL,
              "note": special("free_text"),
              "decided_by": PERSONAL,
              "decided_on": PERSONAL,
              "decided_at": PERSONAL,
          }),
    Table("household_members", "Zugehörigkeit einer Erstberatung zu einem Haushalt",
          "an intake's membership of a household",
          "intake_without_admission", "task_sgb", {
              "intake_id": PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "household_id": PERSONAL,
              "relation": PERSONAL,
              "linked_by": PERSONAL,
              "linked_on": PERSONAL,
          }),
    Table("households", "Haushalte (Familien) in der Erstberatung",
          "households (families) at intake",
          "intake_without_admission", "task_sgb", {
              "id": PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "kind": PERSONAL,
              "note": special("free_text"),
              "created_by": PERSONAL,
              "created_on": PERSONAL,
              "created_at": PERSONAL,
          }),
    Table("intakes", "Erstberatung: Person, Kontakt, Zugangsweg, Sprachen",
          "intake: the person, how to reach her, way in, languages",
          "intake_without_admission", "task_sgb", {
              "id": PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "area_id": PERSONAL,
              "operator_org_id": PERSONAL,
              "status": PERSONAL,
              "access_path": PERSONAL,
              "referring_org_id": PERSONAL,
              "contact_date": PERSONAL,
              "note": special("free_text"),
              "other_services": PERSONAL,
              "recorded_by": PERSONAL,
              "responsible_id": PERSONAL,
              "recorded_at": PERSONAL,
              "version": NOT_PERSONAL,
              "given_name": PERSONAL,
              "family_name": PERSONAL,
              "date_of_birth": PERSONAL,
              "phone": PERSONAL,
              "email": PERSONAL,
              "address": PERSONAL,
              "languages":
                  personal(note="languages spoken: personal; may hint at origin (not classed Art. 9)"),
              "interpreter_needed": PERSONAL,
              "language_levels": PERSONAL,
          }),
    Table("screenings", "Screening: Aufnahmekriterien, Problembereiche, Zielgruppenprüfung",
          "screening: admission criteria, topic areas, the target-group check",
          "intake_without_admission", "task_sgb_special", {
              "intake_id": PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "criteria":
                  special("free_text", note="each criterion's answer carries a free-text note"),
              "topic_areas": special("health"),
              "crisis": PERSONAL,
              "facts":
                  special("residence", note="residence statuses, region of origin (also ethnic origin), arrival dates"),
              "screened_on": PERSONAL,
              "screened_by": PERSONAL,
              "matching_target_group_ids": special("residence"),
              "target_group_ids": special("residence"),
              "target_group_note": special("free_text"),
          }),
    Table("target_groups", "Zielgruppen des Kreises (Beschluss der Lenkungsgruppe)",
          "the county's target groups (the steering group's decision)",
          "planning", "public_task", {
              "id": NOT_PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "name": NOT_PERSONAL,
              "description": NOT_PERSONAL,
              "conditions": NOT_PERSONAL,
              "area_ids": NOT_PERSONAL,
              "valid_from": NOT_PERSONAL,
              "valid_until": NOT_PERSONAL,
              "steering_decision_ref": NOT_PERSONAL,
              "created_by": PERSONAL,
              "created_at": NOT_PERSONAL,
          }),
])

#: how a subject-access request finds the person here (ADR 0103): the person is her intake
#: (``intakes.id``); every other table names it as ``intake_id``
SUBJECT_KEYS = SubjectKeys(root=("intakes", "id"))

#: when a person's record ends for the retention sweep (ADR 0106, 0109): a first contact
#: without admission on its latest depth decision (``depth_decisions.decided_on``), unless she
#: was admitted; a case record on the closure of her last case (``case_closures.closed_on``,
#: from casework's events), unless a case of hers is still open (no closure yet)
RETENTION_ENDS = (
    RecordEnd("intake_without_admission", table="depth_decisions", person="intake_id",
              ended="decided_on", unless=("admissions", "intake_id")),
    RecordEnd("case_record", table="case_closures", person="intake_id", ended="closed_on"),
)

#: what the erased person's intake keeps (ADR 0106): to whom and where it belongs, when it was
#: recorded — so that it is still counted and loads; never her name, birth date, contact
#: details, languages or free text (its status and access path are enums, kept anyway)
ERASURE_KEEPS = {
    "intakes": ("area_id", "operator_org_id", "referring_org_id", "contact_date",
                "recorded_by", "responsible_id", "recorded_at"),
}

_TOPIC_CODES = ("codes from the closed list of topic areas, not the person's words: they say "
                "which kind of help, and stay queryable (consent checks, the handover to "
                "casework and the events to reporting carry the same codes)")
_TARGET_GROUP_CODES = ("ids of the tenant's target groups the screening matched, not the "
                       "person's words; the screening's own note is encrypted")

#: special-category columns stored without field encryption, and why (ADR 0104); every other
#: special-category column of intake is encrypted with the tenant's keys
NOT_ENCRYPTED = {
    "admissions.target_group_ids": _TARGET_GROUP_CODES,
    "case_proposals.topic_areas": _TOPIC_CODES,
    "consents.topic_areas": _TOPIC_CODES,
    "screenings.topic_areas": _TOPIC_CODES,
    "screenings.matching_target_group_ids": _TARGET_GROUP_CODES,
    "screenings.target_group_ids": _TARGET_GROUP_CODES,
}
