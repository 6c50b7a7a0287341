"""Tables every service has in its own database: outbox, inbox, audit log, audit notes and the
replica of identity's directory (``known_reference``).

They are defined once here and attached to each service's own ``MetaData`` (services never
share tables, they share the shape). The outbox and inbox hold event ids, types and protobuf
bodies without personal data; they are infrastructure read by the relay and the consumers for
all tenants, so they carry ``tenant_id`` but are not under row-level security (ADR 0004). The
audit log is tenant-owned and is.

An audit entry is written *unsealed* (``seq``, ``prev_hash`` and ``hash`` NULL) in the
transaction of the access it records, and sealed into its tenant's hash chain afterwards by the
sealer (:mod:`lotse_platform.audit.sealing`, ADR 0008); ``ix_audit_log_unsealed`` finds the
entries still waiting, per tenant, in insertion order.

``audit_note`` holds what must not go into the unerasable trail: the free-text note a caller
adds to a stated purpose (ADR 0065), one per entry, tenant-owned, deleted when its retention ends
or on request (:mod:`lotse_platform.audit.notes`); encrypted with the tenant's keys (ADR 0104).

``signed_copy`` holds signed copies of forms (a consent, a counselling agreement) attached to a
record, sealed with the tenant's key (:mod:`lotse_platform.signed_copies`, ADR 0082): the
ciphertext, the id of the key that wrapped its data key, and what may be shown without opening
it (form, type, size, SHA-256 of the content, who uploaded it when). No file name.

The subject-access tables (Art. 15 GDPR, ADR 0103, :mod:`lotse_platform.subject_rights`):
``subject_access_part`` holds a service's part of a request (the person's rows and the audit
entries about them, as JSON, encrypted with the tenant's keys) until the coordinating service
has fetched it;
``subject_access_request`` and ``subject_access_answer`` are the coordinating service's record of
a request and of each service's answer (empty in the other services). All tenant-owned.

The erasure tables (Art. 17 GDPR, ADR 0106, :mod:`lotse_platform.subject_rights.erasure`):
``erasure_done`` is a service's record that it erased its rows of an erasure (ids and counts);
``erasure_request`` and ``erasure_answer`` are the coordinating service's record of an erasure
and each service's answer; ``retention_policy`` is the tenant's period per retention class
with its legal basis (the coordinating service's; empty in the others); ``retention_sweep``
the day of each tenant's last scheduled retention sweep (ADR 0109). All tenant-owned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from ..crypto.fields import EncryptedText

# SQLite only auto-increments INTEGER PRIMARY KEY, PostgreSQL should get a bigint.
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


class UtcDateTime(sa.TypeDecorator[datetime]):
    """A point in time, stored and returned in UTC, timezone-aware on every backend.

    PostgreSQL keeps the zone (``timestamptz``); SQLite keeps only the digits, so values are
    converted to UTC before they are stored and read back as UTC. A naive value is refused:
    nobody can tell which local time it meant.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: give a timezone-aware value (UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: object | None, dialect: Dialect) -> datetime | None:
        if not isinstance(value, datetime | None):
            raise TypeError("not a datetime")
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


Timestamp = UtcDateTime()


@dataclass(frozen=True)
class PlatformTables:
    outbox: sa.Table
    inbox: sa.Table
    audit_log: sa.Table
    known_reference: sa.Table
    audit_note: sa.Table
    signed_copy: sa.Table
    subject_access_part: sa.Table
    subject_access_request: sa.Table
    subject_access_answer: sa.Table
    erasure_done: sa.Table
    erasure_request: sa.Table
    erasure_answer: sa.Table
    retention_policy: sa.Table
    retention_sweep: sa.Table


def platform_tables(metadata: sa.MetaData) -> PlatformTables:
    outbox = sa.Table(
        "outbox",
        metadata,
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.Uuid, nullable=False, unique=True),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("aggregate_id", sa.String(100), nullable=False),
        sa.Column("sequence", sa.BigInteger, nullable=True),
        sa.Column("tenant_id", sa.Uuid, nullable=True),
        sa.Column("subject", sa.String(200), nullable=True),
        sa.Column("occurred_at", Timestamp, nullable=False),
        sa.Column("traceparent", sa.String(55), nullable=True),
        sa.Column("payload", sa.LargeBinary, nullable=False),
        sa.Column("published_at", Timestamp, nullable=True),
        sa.Index(
            "ix_outbox_unpublished",
            "id",
            postgresql_where=sa.text("published_at IS NULL"),
            sqlite_where=sa.text("published_at IS NULL"),
        ),
    )
    inbox = sa.Table(
        "inbox",
        metadata,
        sa.Column("consumer", sa.String(100), primary_key=True),
        sa.Column("event_id", sa.Uuid, primary_key=True),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("tenant_id", sa.Uuid, nullable=True),
        sa.Column("processed_at", Timestamp, nullable=False),
    )
    audit_log = sa.Table(
        "audit_log",
        metadata,
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        # no index of its own: uq_audit_log_tenant_seq and ix_audit_log_unsealed lead with it
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=True),  # NULL until sealed
        sa.Column("at", Timestamp, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("acting_org", sa.String(200), nullable=True),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("record_type", sa.String(100), nullable=False),
        sa.Column("record_id", sa.String(100), nullable=True),
        sa.Column("reason", sa.String(500), nullable=True),
        sa.Column("request_id", sa.String(100), nullable=True),
        sa.Column("prev_hash", sa.String(64), nullable=True),
        sa.Column("hash", sa.String(64), nullable=True),
        sa.UniqueConstraint("tenant_id", "seq", name="uq_audit_log_tenant_seq"),
        sa.Index(
            "ix_audit_log_unsealed",
            "tenant_id",
            "id",
            postgresql_where=sa.text("seq IS NULL"),
            sqlite_where=sa.text("seq IS NULL"),
        ),
    )
    audit_note = sa.Table(
        "audit_note",
        metadata,
        # one note per entry; the entry itself never goes (append-only), the note may
        sa.Column("audit_id", BigId, sa.ForeignKey("audit_log.id"), primary_key=True,
                  autoincrement=False),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("written_at", Timestamp, nullable=False),
        # encrypted with the tenant's keys (ADR 0104); at most MAX_NOTE_LENGTH characters
        sa.Column("note", EncryptedText("audit_note.note"), nullable=False),
        # row-level security's tenant and the retention's age
        sa.Index("ix_audit_note_tenant_written", "tenant_id", "written_at"),
    )
    known_reference = sa.Table(
        "known_reference",
        metadata,
        # the replica of what identity publishes (lotse_platform.references, ADR 0054)
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("kind", sa.String(20), primary_key=True),
        sa.Column("ref_id", sa.String(100), primary_key=True),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("parent_id", sa.String(100), nullable=True),
        sa.Column("roles", sa.JSON, nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("changed_at", Timestamp, nullable=False),
        # an organisation's name (ADR 0086); never a person's
        sa.Column("name", sa.String(300), nullable=True),
    )
    signed_copy = sa.Table(
        "signed_copy",
        metadata,
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        # the record it belongs to: the audit trail's record type ("intake", "case") and id
        sa.Column("record_type", sa.String(40), nullable=False),
        sa.Column("record_id", sa.String(100), nullable=False),
        sa.Column("form", sa.String(60), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("uploaded_by", sa.String(200), nullable=False),
        sa.Column("uploaded_at", Timestamp, nullable=False),
        sa.Column("key_id", sa.String(100), nullable=False),
        sa.Column("ciphertext", sa.LargeBinary, nullable=False),
        sa.Index("ix_signed_copy_record", "tenant_id", "record_type", "record_id"),
    )
    subject_access_part = sa.Table(
        "subject_access_part",
        metadata,
        sa.Column("request_id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("person_id", sa.String(100), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        # the part as the service serves it: JSON text (its SHA-256 is the answer's), encrypted
        # with the tenant's keys (ADR 0104)
        sa.Column("content", EncryptedText("subject_access_part.content"), nullable=False),
        sa.Index("ix_subject_access_part_tenant", "tenant_id", "created_at"),
    )
    subject_access_request = sa.Table(
        "subject_access_request",
        metadata,
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("person_id", sa.String(100), nullable=False),
        # the legal basis or the reference of the person's request (a file number): codes
        sa.Column("reference", sa.String(200), nullable=False),
        sa.Column("requested_by", sa.String(200), nullable=False),
        sa.Column("requested_at", Timestamp, nullable=False),
        sa.Column("deadline", Timestamp, nullable=False),
        # the services asked to answer, in order
        sa.Column("services", sa.JSON, nullable=False),
        sa.Column("delivered_at", Timestamp, nullable=True),
        *contact_columns(),
        sa.Index("ix_subject_access_request_tenant", "tenant_id", "requested_at"),
    )
    subject_access_answer = sa.Table(
        "subject_access_answer",
        metadata,
        sa.Column("request_id", sa.Uuid, primary_key=True),
        sa.Column("service", sa.String(100), primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("answered_at", Timestamp, nullable=False),
        sa.Column("tables", sa.Integer, nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("accesses", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Index("ix_subject_access_answer_tenant", "tenant_id", "request_id"),
    )
    erasure = erasure_tables(metadata)
    return PlatformTables(**erasure, retention_sweep=retention_sweep_table(metadata),
                          outbox=outbox, inbox=inbox, audit_log=audit_log,
                          audit_note=audit_note, known_reference=known_reference,
                          signed_copy=signed_copy, subject_access_part=subject_access_part,
                          subject_access_request=subject_access_request,
                          subject_access_answer=subject_access_answer)


def contact_columns() -> list[sa.Column[str]]:
    """What a data subject's request may name the person by beside her intake id, for the
    services that know people only by them (steering's forum invitation list; ADR 0108): her
    phone number (E.164) and e-mail address, as the officer gave them. Cleared once every
    service answered; never in an event or the audit trail (platform_0010)."""
    return [sa.Column("contact_phone", sa.String(20), nullable=True),
            sa.Column("contact_email", sa.String(254), nullable=True)]


def kept_column() -> sa.Column[int]:
    """The rows an erasure kept as they are: pseudonymous statistics (reporting's; ADR 0108,
    platform_0010)."""
    return sa.Column("kept", sa.Integer, nullable=False, server_default="0")


def erasure_tables(metadata: sa.MetaData) -> dict[str, sa.Table]:
    """The erasure and retention tables (ADR 0106), by their :class:`PlatformTables` field."""
    erasure_done = sa.Table(
        "erasure_done",
        metadata,
        sa.Column("erasure_id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("completed_at", Timestamp, nullable=False),
        sa.Column("deleted", sa.Integer, nullable=False),
        sa.Column("anonymised", sa.Integer, nullable=False),
        kept_column(),
        sa.Index("ix_erasure_done_tenant", "tenant_id", "completed_at"),
    )
    erasure_request = sa.Table(
        "erasure_request",
        metadata,
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        # the person's intake id: it points at nothing personal once every service erased
        sa.Column("person_id", sa.String(100), nullable=False),
        # "request" (Art. 17 GDPR) or "retention" (the period of record_kind ended)
        sa.Column("trigger", sa.String(20), nullable=False),
        sa.Column("record_kind", sa.String(50), nullable=True),
        # the legal ground or file number of the justified request: codes, no free text
        sa.Column("reference", sa.String(200), nullable=False),
        sa.Column("requested_by", sa.String(200), nullable=False),
        sa.Column("requested_at", Timestamp, nullable=False),
        sa.Column("services", sa.JSON, nullable=False),
        *contact_columns(),
        sa.Index("ix_erasure_request_tenant", "tenant_id", "requested_at"),
        sa.Index("ix_erasure_request_person", "tenant_id", "person_id"),
    )
    erasure_answer = sa.Table(
        "erasure_answer",
        metadata,
        sa.Column("erasure_id", sa.Uuid, primary_key=True),
        sa.Column("service", sa.String(100), primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("completed_at", Timestamp, nullable=False),
        sa.Column("deleted", sa.Integer, nullable=False),
        sa.Column("anonymised", sa.Integer, nullable=False),
        kept_column(),
        sa.Index("ix_erasure_answer_tenant", "tenant_id", "erasure_id"),
    )
    retention_policy = sa.Table(
        "retention_policy",
        metadata,
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("record_kind", sa.String(50), primary_key=True),
        # the period in months after the record's end; NULL: not erased by a period
        sa.Column("months", sa.Integer, nullable=True),
        sa.Column("legal_basis", sa.String(500), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column("updated_at", Timestamp, nullable=False),
    )
    return {"erasure_done": erasure_done, "erasure_request": erasure_request,
            "erasure_answer": erasure_answer, "retention_policy": retention_policy}


def retention_sweep_table(metadata: sa.MetaData) -> sa.Table:
    """The day of each tenant's last retention sweep (ADR 0109), on the tenant's calendar: the
    worker sweeps a tenant once a day and a restart neither repeats nor skips a day."""
    return sa.Table(
        "retention_sweep",
        metadata,
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("swept_on", sa.Date, nullable=False),
        sa.Column("swept_at", Timestamp, nullable=False),
        sa.Column("started", sa.Integer, nullable=False),
    )
