"""Signed copies of forms attached to a record, sealed with the tenant's key (ADR 0082).

A person signs a printed form — the data-protection consent, a release from confidentiality,
the counselling agreement, a help plan — and the case manager scans it and attaches it to the
intake or case it belongs to. The copy is evidence: it is kept when the consent it documents is
withdrawn (a withdrawal ends the processing from then on, it does not undo what was signed).

- **What is accepted.** PDF, JPEG or PNG, told by the first bytes of the file, not only by the
  type the client declares (:func:`check_file`); at most ``LOTSE_SIGNED_COPY_MAX_BYTES`` (10 MiB
  by default). Too big: 413, another type: 415, a type that the content belies or an empty file:
  422 — each naming the field ``file``.
- **How it is stored.** Sealed (:mod:`lotse_platform.sealing`) for the tenant, bound to record
  type, record id, form and the copy's own id, in the platform table ``signed_copy``. Beside the
  ciphertext only what can be shown without opening it: form, type, size, SHA-256 of the content,
  who uploaded it when, the key id. No file name: a scan's name is often the person's.
- **Who may.** The service checks the record first (whoever may work the record may attach and
  read its copies); every upload and download is audited in the same transaction by the
  service (:func:`upload_reason`, :func:`download_reason`).

This module is plain Python (the service layer imports it); :mod:`.store` is the SQL adapter.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from .. import clock
from ..errors import (
    ContentTooLarge,
    ProblemError,
    ServiceUnavailable,
    Unprocessable,
    UnsupportedMediaType,
)
from ..sealing import Binding, Envelopes, Sealed, SealBroken

#: media type -> the first bytes every file of that type starts with
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
ACCEPTED_TYPES = tuple(SIGNATURES)
#: the default of ``LOTSE_SIGNED_COPY_MAX_BYTES``
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
FIELD = "file"


class CopyUnreadable(ProblemError):
    """The stored copy does not open (its key gone, or the row altered): a 500 for the log."""


@dataclass(frozen=True)
class SignedCopy:
    """What is known of a stored copy without opening it."""

    id: uuid.UUID
    record_type: str
    record_id: str
    form: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime
    key_id: str


class SignedCopyRecords(Protocol):
    """The tenant's signed copies (``uow.signed_copies``)."""

    def add(self, copy: SignedCopy, sealed: Sealed) -> None: ...

    def of_record(self, record_type: str, record_id: str) -> list[SignedCopy]:
        """The record's copies, oldest first (without their content)."""
        ...

    def get(self, record_type: str, record_id: str,
            copy_id: uuid.UUID) -> tuple[SignedCopy, Sealed] | None:
        """One copy of the record with its sealed content; None when the record has none of
        this id."""
        ...


def sniff(content: bytes) -> str | None:
    """The accepted media type ``content`` starts like, or None."""
    for media_type, signatures in SIGNATURES.items():
        if content.startswith(signatures):
            return media_type
    return None


def check_file(content: bytes, declared: str | None, max_bytes: int) -> str:
    """The media type of an accepted file, or the refusal naming ``file``."""
    if len(content) > max_bytes:
        raise ContentTooLarge(f"A signed copy may be at most {max_bytes} bytes.", errors=[
            {"field": FIELD, "message": f"larger than {max_bytes} bytes"}])
    if not content:
        raise Unprocessable("The request did not pass validation; see errors.",
                            errors=[{"field": FIELD, "message": "the file is empty"}])
    media_type = (declared or "").split(";")[0].strip().lower()
    if media_type not in SIGNATURES:
        raise UnsupportedMediaType("Attach a PDF, JPEG or PNG file.", errors=[
            {"field": FIELD, "message": f"must be one of {', '.join(ACCEPTED_TYPES)}"}])
    if sniff(content) != media_type:
        raise Unprocessable("The request did not pass validation; see errors.", errors=[
            {"field": FIELD, "message": f"the content is not a {media_type} file"}])
    return media_type


def binding(tenant_id: uuid.UUID, copy: SignedCopy) -> Binding:
    """What a copy's seal is bound to: tenant, record, form and the copy itself."""
    return Binding(tenant_id=tenant_id, kind=f"signed_copy:{copy.record_type}:{copy.form}",
                   record_id=f"{copy.record_id}/{copy.id}")


def upload_reason(form: str) -> str:
    """The audit entry's reason of an upload (codes only)."""
    return f"signed_copy:upload:{form}"


def download_reason(form: str) -> str:
    return f"signed_copy:download:{form}"


def _tenant(tenant_id: uuid.UUID | None) -> uuid.UUID:
    if tenant_id is None:
        raise ValueError("a signed copy belongs to a tenant: the unit of work names none")
    return tenant_id


def attach(records: SignedCopyRecords, envelopes: Envelopes | None,
           tenant_id: uuid.UUID | None, *,
           record_type: str, record_id: object, form: str, content: bytes,
           content_type: str | None, uploaded_by: str, max_bytes: int,
           copy_id: uuid.UUID | None = None) -> SignedCopy:
    """Check the file, seal it for its record and add it; the caller audits and commits."""
    media_type = check_file(content, content_type, max_bytes)
    if envelopes is None:
        raise ServiceUnavailable("Signed copies cannot be stored: no key store is configured.",
                                 reason="no key store (LOTSE_KEY_DIR)")
    copy = SignedCopy(id=copy_id or uuid.uuid4(), record_type=record_type,
                      record_id=str(record_id), form=form, content_type=media_type,
                      size=len(content), sha256=hashlib.sha256(content).hexdigest(),
                      uploaded_by=uploaded_by[:200], uploaded_at=clock.now(), key_id="")
    sealed = envelopes.seal(content, binding(_tenant(tenant_id), copy))
    copy = replace(copy, key_id=sealed.key_id)
    records.add(copy, sealed)
    return copy


def open_copy(envelopes: Envelopes | None, tenant_id: uuid.UUID | None, copy: SignedCopy,
              sealed: Sealed) -> bytes:
    """The content of a stored copy, checked against its SHA-256."""
    if envelopes is None:
        raise ServiceUnavailable("Signed copies cannot be read: no key store is configured.",
                                 reason="no key store (LOTSE_KEY_DIR)")
    try:
        content = envelopes.open(sealed, binding(_tenant(tenant_id), copy))
    except SealBroken as error:
        raise CopyUnreadable(reason=f"signed copy does not open: {type(error).__name__}") from None
    if hashlib.sha256(content).hexdigest() != copy.sha256:
        raise CopyUnreadable(reason="signed copy does not match its sha256")
    return content


class InMemorySignedCopies:
    """The fake of :class:`SignedCopyRecords` for unit tests."""

    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, tuple[SignedCopy, Sealed]] = {}

    def add(self, copy: SignedCopy, sealed: Sealed) -> None:
        self.rows[copy.id] = (copy, sealed)

    def of_record(self, record_type: str, record_id: str) -> list[SignedCopy]:
        return sorted((c for c, _ in self.rows.values()
                       if (c.record_type, c.record_id) == (record_type, record_id)),
                      key=lambda c: (c.uploaded_at, str(c.id)))

    def get(self, record_type: str, record_id: str,
            copy_id: uuid.UUID) -> tuple[SignedCopy, Sealed] | None:
        found = self.rows.get(copy_id)
        if found is None or (found[0].record_type, found[0].record_id) != (record_type, record_id):
            return None
        return found
