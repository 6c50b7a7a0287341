"""The data map of example (Art. 30 GDPR, ADR 0100): every column of the service's own tables
with its class of data, purpose, retention class and legal basis. The platform's shared tables
(outbox, inbox, audit log, …) are classified in :mod:`lotse_platform.datamap.platform_map`.
``make data-map`` writes ``docs/data-map/example.md`` from it; a test fails when a column of the
mapped schema is missing here or one named here is gone.

Ids of a person's record (an intake's, a case's, a user's) are personal data: pseudonymous, but
this service can tell whose they are. Free text is special-category data: a case manager may
write anything into it."""

from __future__ import annotations

from lotse_platform.datamap import NOT_PERSONAL, PERSONAL, DataMap, Table, special

DATA_MAP = DataMap([
    Table("area_tallies", "Zähler der Notizen je Gebiet (Beispieldienst)",
          "count of notes per area (example service)",
          "statistics", "none", {
              "tenant_id": NOT_PERSONAL,
              "area_id": NOT_PERSONAL,
              "notes": NOT_PERSONAL,
          }),
    Table("notes", "Notizen zu Gebieten (Beispieldienst)",
          "notes about areas (example service)",
          "operational", "task_sgb", {
              "id": NOT_PERSONAL,
              "tenant_id": NOT_PERSONAL,
              "area_id": NOT_PERSONAL,
              "author_id": PERSONAL,
              "text": special("free_text"),
              "recorded_at": NOT_PERSONAL,
          }),
])

#: special-category columns stored without field encryption, and why (ADR 0104): none here —
#: a service names each one it leaves in clear with the reason (codes from a closed list it
#: counts and selects on, say); the build fails on a special-category column neither encrypted
#: nor named here
NOT_ENCRYPTED: dict[str, str] = {}
