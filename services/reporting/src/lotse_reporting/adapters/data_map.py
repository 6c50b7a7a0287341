"""The data map of reporting (Art. 30 GDPR, ADR 0100): every column of the service's own tables
with its class of data, purpose, retention class and legal basis. The platform's shared tables
(outbox, inbox, audit log, …) are classified in :mod:`lotse_platform.datamap.platform_map`.
``make data-map`` writes ``docs/data-map/reporting.md`` from it; a test fails when a column of the
mapped schema is missing here or one named here is gone.

Ids of a person's record (an intake's, a case's, a user's) are personal data: pseudonymous, but
this service can tell whose they are. Free text is special-category data: a case manager may
write anything into it."""

from __future__ import annotations

from lotse_platform.datamap import NOT_PERSONAL, PERSONAL, DataMap, Table, personal, special
from lotse_platform.subject_rights import Found, SubjectKeys

from . import subject_keys

DATA_MAP = DataMap([
    Table("admin_forwarding_contracts", "Weiterleitungsverträge der Fördermittel",
          "contracts forwarding the funding",
          "statistics", "public_task", {
              "tenant_id": NOT_PERSONAL,
              "id": NOT_PERSONAL,
              "year": NOT_PERSONAL,
              "recipient_org_id": NOT_PERSONAL,
              "building_block": NOT_PERSONAL,
              "fte": NOT_PERSONAL,
              "amount": NOT_PERSONAL,
              "signed_on": NOT_PERSONAL,
              "transfers": NOT_PERSONAL,
          }),
    Table("admin_fund_calls", "Mittelabrufe",
          "calls of funds",
          "statistics", "public_task", {
              "tenant_id": NOT_PERSONAL,
              "year": NOT_PERSONAL,
              "half": NOT_PERSONAL,
              "due_on": NOT_PERSONAL,
              "amount": NOT_PERSONAL,
              "called_on": NOT_PERSONAL,
              "received_on": NOT_PERSONAL,
          }),
    Table("admin_funding_years", "Förderjahre: Antrag, Bescheid",
          "funding years: application, notice",
          "statistics", "public_task", {
              "tenant_id": NOT_PERSONAL,
              "year": NOT_PERSONAL,
              "applied_on": NOT_PERSONAL,
              "requested": NOT_PERSONAL,
              "notice_on": NOT_PERSONAL,
              "granted": NOT_PERSONAL,
              "granted_fte": NOT_PERSONAL,
          }),
    Table("admin_posts", "Stellen je Baustein (ohne Stelleninhaber)",
          "posts per building block (no holder named)",
          "statistics", "public_task", {
              "tenant_id": NOT_PERSONAL,
              "id": NOT_PERSONAL,
              "building_block": NOT_PERSONAL,
              "function": NOT_PERSONAL,
              "employer_org_id": NOT_PERSONAL,
              "area_id": NOT_PERSONAL,
              "fte": NOT_PERSONAL,
              "filled_fte": NOT_PERSONAL,
              "valid_from": NOT_PERSONAL,
              "valid_until": NOT_PERSONAL,
              "label": NOT_PERSONAL,
          }),
    Table("case_projection", "Lesemodell: Phase und Gebiet je pseudonymem Fall",
          "read model: phase and area per pseudonymous case",
          "statistics", "task_sgb", {
              "tenant_id": NOT_PERSONAL,
              "case_id": PERSONAL,
              "area_id": PERSONAL,
              "phase": PERSONAL,
              "area_seq": NOT_PERSONAL,
              "phase_seq": NOT_PERSONAL,
          }),
    Table("case_report_projection", "Lesemodell der Berichte je pseudonymem Fall",
          "the reports' read model per pseudonymous case",
          "statistics", "task_sgb", {
              "tenant_id": NOT_PERSONAL,
              "case_id": PERSONAL,
              "area_id": PERSONAL,
              "case_manager_id": PERSONAL,
              "target_group_ids": special("residence"),
              "primary_topic_area": special("health"),
              "phase": PERSONAL,
              "opened_on": PERSONAL,
              "closed_on": PERSONAL,
              "facts_seq": NOT_PERSONAL,
              "phase_seq": NOT_PERSONAL,
          }),
    Table("event_store", "Ereignisspeicher, aus dem die Lesemodelle neu gebaut werden",
          "event store the read models are rebuilt from",
          "statistics", "task_sgb", {
              "position": NOT_PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "event_id": NOT_PERSONAL,
              "type": NOT_PERSONAL,
              "source": NOT_PERSONAL,
              "subject": PERSONAL,
              "sequence": NOT_PERSONAL,
              "occurred_at": NOT_PERSONAL,
              "payload":
                  personal(note="the events: ids of persons' records and codes, no names"),
          }),
    Table("intake_report_projection", "Lesemodell der Berichte je pseudonymer Erstberatung",
          "the reports' read model per pseudonymous intake",
          "statistics", "task_sgb", {
              "tenant_id": NOT_PERSONAL,
              "intake_id": PERSONAL,
              "area_id": PERSONAL,
              "access_path": PERSONAL,
              "contact_date": PERSONAL,
              "recorded_by": PERSONAL,
              "depth": PERSONAL,
              "revision": NOT_PERSONAL,
              "referral_org_id": PERSONAL,
              "decided_by": PERSONAL,
              "decided_on": PERSONAL,
              "target_group_ids": special("residence"),
          }),
    Table("period_case_step", "Lesemodell: Phasen je pseudonymem Fall und Tag",
          "read model: phases per pseudonymous case and day",
          "statistics", "task_sgb", {
              "id": NOT_PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "case_id": PERSONAL,
              "day": PERSONAL,
              "case_manager_id": PERSONAL,
              "phase": PERSONAL,
              "sequence": NOT_PERSONAL,
          }),
    Table("period_figure", "Zahlen je Case-Managerin und Berichtszeitraum",
          "figures per case manager and period",
          "statistics", "employment", {
              "tenant_id": NOT_PERSONAL,
              "case_manager_id": PERSONAL,
              "period": NOT_PERSONAL,
              "figure": NOT_PERSONAL,
              "count": NOT_PERSONAL,
          }),
    Table("period_report", "Zweiwochenberichte der Case-Managerinnen",
          "the case managers' two-week reports",
          "statistics", "employment", {
              "tenant_id": NOT_PERSONAL,
              "case_manager_id": PERSONAL,
              "period": PERSONAL,
              "id": PERSONAL,
              "corrections":
                  special("free_text", note="corrected figures, each with the case manager's note"),
              "topics":
                  special("free_text", note="flagged topics in the case manager's words"),
              "network_minutes": PERSONAL,
              "system_minutes": PERSONAL,
              "version": NOT_PERSONAL,
              "submitted_at": PERSONAL,
              "figures": PERSONAL,
          }),
    Table("phase_entry", "Lesemodell: Eintritt eines Falls in eine Phase",
          "read model: a case entering a phase",
          "statistics", "task_sgb", {
              "tenant_id": NOT_PERSONAL,
              "case_id": PERSONAL,
              "sequence": NOT_PERSONAL,
              "phase": PERSONAL,
              "day": PERSONAL,
          }),
    Table("projection_versions", "Versionen der Lesemodelle",
          "versions of the read models",
          "operational", "none", {
              "name": NOT_PERSONAL,
              "version": NOT_PERSONAL,
          }),
    Table("referral_projection", "Lesemodell: Weiterleitungen",
          "read model: referrals",
          "statistics", "task_sgb", {
              "tenant_id": NOT_PERSONAL,
              "referral_id": PERSONAL,
              "partner_org_id": PERSONAL,
              "topic_area": special("health"),
              "status": PERSONAL,
              "arrived": PERSONAL,
          }),
    Table("referral_rate_projection",
          "Lesemodell der Vermittlungsquoten je pseudonymer Weiterleitung",
          "the referral rates' read model per pseudonymous referral",
          "statistics", "task_sgb", {
              "tenant_id": NOT_PERSONAL,
              "referral_id": PERSONAL,
              "partner_org_id": PERSONAL,
              "kind": PERSONAL,
              "topic_area": special("health"),
              "month": PERSONAL,
              "case_manager_id": PERSONAL,
              "area_id": PERSONAL,
              "target_group_ids": special("residence"),
              "sent": PERSONAL,
              "accepted": PERSONAL,
              "arrived": PERSONAL,
              "step": NOT_PERSONAL,
          }),
    Table("report_fact", "Gezählte Fakten der Monatsreihen (je Fall, wo je Fall gezählt)",
          "counted facts of the monthly series (per case where counted per case)",
          "statistics", "task_sgb", {
              "tenant_id": NOT_PERSONAL,
              "fact_id": PERSONAL,
              "figure": NOT_PERSONAL,
              "month": PERSONAL,
              "key": PERSONAL,
              "detail": PERSONAL,
              "area_id": PERSONAL,
              "case_manager_id": PERSONAL,
              "target_group_ids": special("residence"),
              "value": PERSONAL,
              "rank": NOT_PERSONAL,
              "subject":
                  personal(note="the pseudonymous case or intake a fact is about"),
          }),
    Table("staff_projection", "Lesemodell: Fachkräfte (Organisation, Stellenanteil)",
          "read model: staff (organisation, share of a post)",
          "staff_record", "employment", {
              "tenant_id": NOT_PERSONAL,
              "user_id": PERSONAL,
              "organisation_id": PERSONAL,
              "fte": PERSONAL,
              "case_manager": PERSONAL,
              "org_version": NOT_PERSONAL,
              "fte_version": NOT_PERSONAL,
              "roles_version": NOT_PERSONAL,
          }),
])

#: how a person's records are found in reporting (ADR 0103, ADR 0108): the keys follow from
#: her intake id through the events reporting stores (:mod:`.subject_keys`) — her cases, her
#: referrals, her case proposals, then the stored events about them and the facts counted
#: from those. Her rows of every read model keyed by one of them (an intake's, a case's, a
#: referral's) are found by the column of the key's name.
SUBJECT_KEYS = SubjectKeys([
    Found("case_id", by=("intake_id",), find=subject_keys.cases),
    Found("referral_id", by=("intake_id", "case_id"), find=subject_keys.referrals),
    Found("proposal_id", by=("intake_id",), find=subject_keys.proposals),
    Found("event_id", by=subject_keys.SUBJECTS, find=subject_keys.events,
          table="event_store", column="event_id"),
    Found("fact_id", by=("intake_id", "event_id"), find=subject_keys.facts,
          table="report_fact", column="fact_id"),
], readable={"event_store": subject_keys.readable})

#: what an erasure leaves as it is (ADR 0108, amending ADR 0106): reporting's tables are
#: pseudonymous statistics — ids and codes, no name, birth date, contact or free text of the
#: person — whose figures must not change (Art. 17(3)(d) GDPR, statistical purposes under Art.
#: 89(1)); her rows there are counted as kept. Once intake, casework and network erased her,
#: nothing links the ids to her any more. Her subject-access parts are deleted.
ERASURE_RETAINS = ("case_projection", "case_report_projection", "event_store",
                   "intake_report_projection", "period_case_step", "phase_entry",
                   "referral_projection", "referral_rate_projection", "report_fact")

_CODES = ("codes from the closed lists of topic areas and of the tenant's target groups, not "
          "anyone's words: the figures are counted, grouped and filtered by them in SQL, and "
          "the events they come from carry the same codes")

#: special-category columns stored without field encryption, and why (ADR 0104); every other
#: special-category column of reporting (the two-week reports' topics and correction notes) is
#: encrypted with the tenant's keys
NOT_ENCRYPTED = {
    "case_report_projection.primary_topic_area": _CODES,
    "case_report_projection.target_group_ids": _CODES,
    "intake_report_projection.target_group_ids": _CODES,
    "referral_projection.topic_area": _CODES,
    "referral_rate_projection.target_group_ids": _CODES,
    "referral_rate_projection.topic_area": _CODES,
    "report_fact.target_group_ids": _CODES,
}
