"""The classification of the tables every service has (:mod:`lotse_platform.db.tables`): outbox,
inbox, audit log and its notes, the replica of identity's directory, the signed copies and the
subject-access tables (ADR 0103) and the erasure and retention tables (ADR 0106, 0109).

Ids of a person's record (a case's, a user's) are personal data: pseudonymous, but the service
that holds them can tell whose they are. Timestamps alone are not."""

from __future__ import annotations

from .model import NOT_PERSONAL, PERSONAL, DataMap, Table, not_personal, personal, special

PLATFORM_MAP = DataMap([
    Table("outbox", "Ausgehende Ereignisse bis zur bestätigten Zustellung (Outbox)",
          "integration events until the broker confirmed them (outbox)", "operational",
          "task_sgb", {
              "id": NOT_PERSONAL, "event_id": NOT_PERSONAL, "event_type": NOT_PERSONAL,
              "source": NOT_PERSONAL,
              "aggregate_id": personal(note="a case's or a person's id when the event is about one"), "sequence": NOT_PERSONAL, "tenant_id": NOT_PERSONAL,
              "subject": PERSONAL, "occurred_at": NOT_PERSONAL, "traceparent": NOT_PERSONAL,
              "payload": personal(note="the protobuf event: ids and codes; events name no person "
                                       "(docs/events.md) but carry the ids of persons' records"), "published_at": NOT_PERSONAL,
          }),
    Table("inbox", "Verarbeitete Ereignisse (genau einmal)", "events processed (exactly once)",
          "operational", "none", {
              "consumer": NOT_PERSONAL, "event_id": NOT_PERSONAL, "event_type": NOT_PERSONAL,
              "tenant_id": NOT_PERSONAL, "processed_at": NOT_PERSONAL,
          }),
    Table("audit_log", "Protokoll: wer wann welchen Datensatz wozu las oder änderte",
          "audit trail: who read or changed which record, when and why", "audit",
          "accountability", {
              "id": NOT_PERSONAL, "tenant_id": NOT_PERSONAL, "seq": NOT_PERSONAL,
              "at": NOT_PERSONAL,
              "actor": personal(purpose=("handelnde Person (Kennung)", "acting user (id)")),
              "acting_org": NOT_PERSONAL, "action": NOT_PERSONAL, "record_type": NOT_PERSONAL,
              "record_id": personal(purpose=("betroffener Datensatz (Kennung)",
                                             "record concerned (id)")),
              "reason": personal(note="composed by the service from codes and ids, never free "
                                      "text"), "request_id": NOT_PERSONAL, "prev_hash": NOT_PERSONAL,
              "hash": NOT_PERSONAL,
          }),
    Table("audit_note", "Notiz zum angegebenen Zweck eines Zugriffs (neben dem Protokoll)",
          "note on the stated purpose of an access (beside the trail)", "audit",
          "accountability", {
              "audit_id": NOT_PERSONAL, "tenant_id": NOT_PERSONAL, "written_at": NOT_PERSONAL,
              "note": special("free_text", legal_basis="accountability"),
          }),
    Table("known_reference", "Replikat des Verzeichnisses von identity (Organisationen, "
          "Gebiete, Nutzende) zur Prüfung von Verweisen",
          "replica of identity's directory (organisations, areas, users) to check references",
          "staff_record", "employment", {
              "tenant_id": NOT_PERSONAL, "kind": NOT_PERSONAL,
              "ref_id": personal(note="a user's id where kind is user"),
              "active": PERSONAL, "parent_id": PERSONAL, "roles": PERSONAL,
              "version": NOT_PERSONAL, "changed_at": NOT_PERSONAL,
              "name": not_personal("an organisation's name only, never a person's (ADR 0086)"),
          }),
    Table("signed_copy", "Unterschriebene Formulare (Einwilligung, Vereinbarung), verschlüsselt",
          "signed forms (consent, agreement), encrypted with the tenant's key", "consent",
          "consent", {
              "id": NOT_PERSONAL, "tenant_id": NOT_PERSONAL, "record_type": NOT_PERSONAL,
              "record_id": PERSONAL, "form": NOT_PERSONAL, "content_type": NOT_PERSONAL,
              "size": NOT_PERSONAL, "sha256": NOT_PERSONAL,
              "uploaded_by": PERSONAL, "uploaded_at": NOT_PERSONAL, "key_id": NOT_PERSONAL,
              "ciphertext": special("free_text", legal_basis="consent", note=(
                  "the signed form: the person's name, signature, possibly health details")),
          }),
    Table("subject_access_part", "Teil einer Auskunft nach Art. 15 DSGVO: die Daten der Person "
          "in diesem Dienst, bis die Koordination ihn abholt",
          "part of a subject-access request (Art. 15 GDPR): the person's data in this service, "
          "until the coordinating service fetches it", "case_record", "task_sgb_special", {
              "request_id": NOT_PERSONAL, "tenant_id": NOT_PERSONAL,
              "person_id": personal(note="the person's intake id"),
              "created_at": NOT_PERSONAL, "sha256": NOT_PERSONAL,
              "content": special("free_text", note=(
                  "a copy of every row about the person in this service, special categories "
                  "included, and the audit entries about her records")),
          }),
    Table("subject_access_request", "Auskunftsersuchen nach Art. 15 DSGVO (Koordination)",
          "subject-access requests (Art. 15 GDPR, the coordinating service)", "audit",
          "accountability", {
              "id": NOT_PERSONAL, "tenant_id": NOT_PERSONAL,
              "person_id": personal(note="the person's intake id"),
              "reference": personal(note="the legal basis or file number of the person's "
                                         "request"),
              "requested_by": personal(purpose=("Datenschutzbeauftragte/r (Kennung)",
                                                "data-protection officer (id)")),
              "requested_at": PERSONAL, "deadline": NOT_PERSONAL, "services": NOT_PERSONAL,
              "delivered_at": PERSONAL,
              "contact_phone": personal(note="the person's phone number the officer gave to find "
                                             "her where she is known only by it; cleared once "
                                             "every service answered (ADR 0108)"),
              "contact_email": personal(note="the person's e-mail address, likewise"),
          }),
    Table("subject_access_answer", "Antworten der Dienste auf ein Auskunftsersuchen",
          "the services' answers to a subject-access request", "audit", "accountability", {
              "request_id": NOT_PERSONAL, "service": NOT_PERSONAL, "tenant_id": NOT_PERSONAL,
              "answered_at": NOT_PERSONAL, "tables": NOT_PERSONAL, "rows": NOT_PERSONAL,
              "accesses": NOT_PERSONAL, "sha256": NOT_PERSONAL,
          }),
    Table("erasure_done", "Durchgeführte Löschungen dieses Dienstes (Art. 17 DSGVO): Kennungen "
          "und Zahlen", "erasures this service carried out (Art. 17 GDPR): ids and counts",
          "audit", "accountability", {
              "erasure_id": NOT_PERSONAL, "tenant_id": NOT_PERSONAL,
              "completed_at": NOT_PERSONAL, "deleted": NOT_PERSONAL, "anonymised": NOT_PERSONAL,
              "kept": NOT_PERSONAL,
          }),
    Table("erasure_request", "Löschungen nach Art. 17 DSGVO und nach Ablauf der Frist "
          "(Koordination)", "erasures under Art. 17 GDPR and at the end of the retention "
          "period (the coordinating service)", "audit", "accountability", {
              "id": NOT_PERSONAL, "tenant_id": NOT_PERSONAL,
              "person_id": personal(note="the person's intake id; it points at nothing "
                                         "personal once every service erased"),
              "trigger": NOT_PERSONAL, "record_kind": NOT_PERSONAL,
              "reference": personal(note="the legal ground or file number of the request"),
              "requested_by": personal(purpose=("Datenschutzbeauftragte/r (Kennung)",
                                                "data-protection officer (id)")),
              "requested_at": NOT_PERSONAL, "services": NOT_PERSONAL,
              "contact_phone": personal(note="the person's phone number the officer gave to find "
                                             "her where she is known only by it; cleared once "
                                             "every service answered (ADR 0108)"),
              "contact_email": personal(note="the person's e-mail address, likewise"),
          }),
    Table("erasure_answer", "Antworten der Dienste auf eine Löschung",
          "the services' answers to an erasure", "audit", "accountability", {
              "erasure_id": NOT_PERSONAL, "service": NOT_PERSONAL, "tenant_id": NOT_PERSONAL,
              "completed_at": NOT_PERSONAL, "deleted": NOT_PERSONAL, "anonymised": NOT_PERSONAL,
              "kept": NOT_PERSONAL,
          }),
    Table("retention_policy", "Löschfristen des Kreises je Löschklasse mit Rechtsgrundlage",
          "the tenant's retention periods per retention class with their legal basis",
          "operational", "accountability", {
              "tenant_id": NOT_PERSONAL, "record_kind": NOT_PERSONAL, "months": NOT_PERSONAL,
              "legal_basis": NOT_PERSONAL,
              "updated_by": personal(purpose=("Datenschutzbeauftragte/r (Kennung)",
                                              "data-protection officer (id)")),
              "updated_at": NOT_PERSONAL,
          }),
    Table("retention_sweep", "Tag des letzten Fristablauf-Laufs je Kreis",
          "the day of the tenant's last retention sweep", "operational", "none", {
              "tenant_id": NOT_PERSONAL, "swept_on": NOT_PERSONAL, "swept_at": NOT_PERSONAL,
              "started": NOT_PERSONAL,
          }),
])


#: special-category columns of the shared tables stored without field encryption, and why
#: (ADR 0104)
NOT_ENCRYPTED = {
    "signed_copy.ciphertext": "sealed object by object with the tenant's keys already "
                              "(lotse_platform.sealing, ADR 0082)",
}
