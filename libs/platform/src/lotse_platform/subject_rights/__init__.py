"""The data subject's right of access (Art. 15 GDPR, issue 15 point 1, ADR 0103), once for
every service.

- :mod:`.declaration`: what a service declares next to its data map — how a person is found in
  its tables (``SUBJECT_KEYS`` in ``adapters/data_map.py``);
- :mod:`.export`: a service's part of a request — every row of its mapped tables about the
  person and the audit entries about those records (who, when, for which purpose);
- :mod:`.handlers`: the event handlers — every participating service answers
  ``subject_access.requested.v1`` with its part kept in ``subject_access_part`` and
  ``subject_access.answered.v1``; the coordinating service records each answer;
- :mod:`.coordinator` and :mod:`.api`: the coordinating service's requests, their state per
  service (pending, answered, overdue past the deadline) and the archive (JSON per service and
  a German PDF summary), and every service's internal API serving its part (role ``service``).
"""

from .declaration import ContactKeys, Contacts, Derived, Found, SubjectKeys, load_subject_keys

__all__ = ["ContactKeys", "Contacts", "Derived", "Found", "SubjectKeys", "load_subject_keys"]
