"""Notes beside the audit trail (``audit_note``): erasable, unlike the trail itself (ADR 0065).

A caller who states a purpose may add a note in her own words ("Beschwerde vom 3. März");
the data-protection officer's queries of the trail keep the filters she used. Such text may name a
person, so it never enters the hash-chained, append-only ``audit_log``: it is stored here, one
row per entry, keyed by the entry's id, under the tenant's row-level security, and

- **erased on request**: :func:`erase_notes` (``DELETE /audit-trail/notes``), by entry or by the
  record the entries are about (a person's case erased: its notes go too);
- **erased when its retention ends**: :class:`NoteRetention`, a loop of every service's worker,
  deletes notes older than ``LOTSE_AUDIT_NOTE_RETENTION_DAYS`` (default 365) once an hour.

The entry stays in the trail with its purpose code; only the words beside it go.
"""

from __future__ import annotations

import logging
import threading
import uuid
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from .. import clock, retry
from ..db.engine import is_postgres
from .chain import connection_of, enter_tenant
from .heads import tenants_with_entries
from .trail import notes_table_of

log = logging.getLogger("lotse.audit")

#: how long a note is kept unless the settings say otherwise
DEFAULT_RETENTION_DAYS = 365


def erase_notes(bind: Session | Connection, audit_log: sa.Table, tenant: uuid.UUID, *,
                entry_id: int | None = None, record_id: str | None = None,
                record_type: str | None = None, written_before: datetime | None = None) -> int:
    """Delete ``tenant``'s notes of one entry, of the entries about one record (optionally of one
    type), or written before a time; returns how many. In the caller's transaction."""
    if entry_id is None and record_id is None and written_before is None:
        raise ValueError("name the notes to erase: an entry, a record or a time")
    if record_type is not None and record_id is None:
        raise ValueError("a record type narrows a record id, it names no notes of its own")
    notes = notes_table_of(audit_log)
    conditions = [notes.c.tenant_id == tenant]
    if entry_id is not None:
        conditions.append(notes.c.audit_id == entry_id)
    if written_before is not None:
        conditions.append(notes.c.written_at < written_before)
    if record_id is not None:
        about = [audit_log.c.tenant_id == tenant, audit_log.c.record_id == record_id]
        if record_type is not None:
            about.append(audit_log.c.record_type == record_type)
        conditions.append(notes.c.audit_id.in_(sa.select(audit_log.c.id).where(*about)))
    return connection_of(bind).execute(notes.delete().where(*conditions)).rowcount


class NoteRetention:
    """Deletes every tenant's notes once their retention has ended, once per ``interval``."""

    def __init__(self, engine: sa.Engine, audit_log: sa.Table, *, service: str = "",
                 retention_days: int = DEFAULT_RETENTION_DAYS, interval: float = 3600.0) -> None:
        if retention_days < 1:
            raise ValueError("notes are kept at least a day")
        self._engine = engine
        self._audit_log = audit_log
        self.service = service
        self.retention = timedelta(days=retention_days)
        self._interval = interval

    def erase_expired(self) -> int:
        """One round: every tenant's notes written before now minus the retention."""
        before = clock.now() - self.retention
        with self._engine.connect() as connection:
            tenants = tenants_with_entries(connection, self._audit_log)
        erased = 0
        for tenant in tenants:
            with self._engine.begin() as connection:
                if is_postgres(connection):
                    enter_tenant(connection, tenant)
                erased += erase_notes(connection, self._audit_log, tenant, written_before=before)
        if erased:
            log.info("audit.notes_expired", extra={"service": self.service, "notes": erased})
        return erased

    def run(self, stop: threading.Event) -> None:
        """A round every ``interval`` until ``stop``; a failed round (the database away) is
        tried again after 2, 4 … minutes, at most every interval."""
        log.info("audit.note_retention_start", extra={"service": self.service})
        rounds = retry.until_stopped(
            stop, first=120.0, most=self._interval,
            after=retry.log_failure(log, "audit.note_retention_error", service=self.service),
            retry_error_callback=retry.quietly)
        while not stop.is_set():
            rounds(self._round, stop)
            stop.wait(self._interval)
        log.info("audit.note_retention_stop", extra={"service": self.service})

    def _round(self, stop: threading.Event) -> None:
        if not stop.is_set():
            self.erase_expired()
