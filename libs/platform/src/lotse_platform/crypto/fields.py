"""Free-text and special-category columns encrypted per tenant (ADR 0104).

A column typed :class:`EncryptedText` or :class:`EncryptedJSON` holds, in the database, text of
the form ``lotse1$<key id>$<wrapped data key>$<nonce + ciphertext + tag>`` (base64url):

- **Envelope encryption.** The value is encrypted with AES-256-GCM under a data key; the data
  key is wrapped by the tenant's key-encryption key in the :class:`~lotse_platform.sealing.KeyStore`
  (a local key directory; Vault's transit engine or a KMS implement the same protocol, ADR 0082)
  and travels with the value, together with the id (and so the version) of the key that wrapped
  it. A process keeps one data key per tenant for ``cache_seconds`` (then makes a new one):
  writing a field costs one AES-GCM encryption, not a call to the key store.
- **Bound to its place.** The associated data names the tenant, the table and the column: a
  value copied into another column, table or tenant does not decrypt, even with the right key.
- **The session knows its tenant.** A :class:`~lotse_platform.db.TenantSession` whose
  ``info`` carries a :class:`FieldCipher` (``Service.sessions`` gives every session the
  service's) makes that cipher and its tenant current for the thread whenever it begins,
  executes or flushes, until its transaction ends; the column types encrypt and decrypt with
  what is current. Outside such a transaction
  (or without a tenant) writing an encrypted column fails with :class:`NoFieldKeys`.
- **Rotation without downtime.** A new key-encryption key (``lotse-<service> keys rotate``)
  wraps the data keys made after it (within ``cache_seconds`` in running processes); older
  values keep decrypting with the older keys; ``keys re-encrypt`` rewrites old values in
  batches while the service runs.
- **Crypto-shredding.** Without the tenant's keys (``keys destroy``) its values do not decrypt:
  reading one raises :class:`FieldUnreadable` (HTTP 410, never a 500).
- **Before encryption.** A stored value that does not start with ``lotse1$`` is plaintext
  written before the column was encrypted (or by a process of the older release during a
  rolling upgrade); it is read as it is, and ``keys re-encrypt`` encrypts it.

Searching, sorting and comparing these columns in SQL is not possible (each value has its own
nonce); nothing in Lotse needs it.
"""

from __future__ import annotations

import base64
import binascii
import contextvars
import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from cachetools import TTLCache
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.engine.interfaces import Dialect

from ..errors import ProblemError, ServiceUnavailable
from ..sealing import KeyStore, SealBroken

__all__ = ["PREFIX", "EncryptedJSON", "EncryptedText", "FieldCipher", "FieldUnreadable",
           "NoFieldKeys", "current_fields", "encrypted_columns", "fields_of"]

#: what every encrypted value starts with (format 1)
PREFIX = "lotse1$"
_NONCE = 12
_SEPARATOR = "$"


class FieldUnreadable(ProblemError):
    """An encrypted value does not decrypt: the tenant's key was destroyed (crypto-shredding),
    or the value was altered or copied from another tenant, table or column."""

    status, title, type_suffix = 410, "Gone", "encrypted-data-unreadable"

    def __init__(self) -> None:
        super().__init__(
            "Encrypted data of this record cannot be read: the tenant's key is no longer "
            "available (destroyed), or the stored value does not belong here.",
            reason="encrypted field does not decrypt")


class NoFieldKeys(ServiceUnavailable):
    """An encrypted column was written without a key store (``LOTSE_KEY_STORE``) or outside a
    tenant's transaction."""

    def __init__(self, why: str) -> None:
        super().__init__("Encrypted data cannot be written: no key store is configured.",
                         reason=why)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def associated_data(tenant_id: uuid.UUID, place: str) -> bytes:
    """The associated data binding a value to its tenant and ``table.column``."""
    return json.dumps(["lotse-field", str(tenant_id), place], separators=(",", ":")).encode()


def _key_binding(tenant_id: uuid.UUID) -> bytes:
    """The associated data of a wrapped data key: the tenant's field data keys."""
    return json.dumps(["lotse-field-key", str(tenant_id)], separators=(",", ":")).encode()


@dataclass(frozen=True)
class _DataKey:
    key_id: str  # of the key-encryption key that wrapped it
    wrapped: str  # base64url
    cipher: AESGCM


class FieldCipher:
    """Encrypts and decrypts column values of one service with the tenants' keys in ``keys``.

    ``cache_seconds``: how long a data key is used for new values, and an unwrapped one kept
    (a rotation or a destruction of a key reaches running processes within it; 0: every value
    gets a data key of its own and every read asks the key store)."""

    def __init__(self, keys: KeyStore, *, cache_seconds: float = 60.0) -> None:
        self.keys = keys
        self.cache_seconds = cache_seconds
        self._lock = threading.Lock()
        self._writing: dict[uuid.UUID, tuple[float, _DataKey]] = {}
        self._opened: TTLCache[tuple[uuid.UUID, str, str], AESGCM] | None = (
            TTLCache(maxsize=4096, ttl=cache_seconds) if cache_seconds > 0 else None)

    # -- values ----------------------------------------------------------------------------------
    def encrypt(self, tenant_id: uuid.UUID, place: str, plaintext: str) -> str:
        key = self._write_key(tenant_id)
        nonce = secrets.token_bytes(_NONCE)
        body = nonce + key.cipher.encrypt(nonce, plaintext.encode(),
                                          associated_data(tenant_id, place))
        return _SEPARATOR.join((PREFIX.rstrip(_SEPARATOR), key.key_id, key.wrapped, _b64(body)))

    def decrypt(self, tenant_id: uuid.UUID, place: str, stored: str) -> str:
        if not is_encrypted(stored):
            return stored  # written before the column was encrypted
        try:
            head, wrapped, body = stored[len(PREFIX):].rsplit(_SEPARATOR, 2)
            raw = _unb64(body)
        except (ValueError, binascii.Error):
            raise FieldUnreadable() from None
        cipher = self._read_key(tenant_id, head, wrapped)
        try:
            return cipher.decrypt(raw[:_NONCE], raw[_NONCE:],
                                  associated_data(tenant_id, place)).decode()
        except (InvalidTag, ValueError):
            raise FieldUnreadable() from None

    # -- data keys -------------------------------------------------------------------------------
    def current_key_id(self, tenant_id: uuid.UUID) -> str:
        """The id of the key new values of the tenant are wrapped with (made on first use)."""
        return self._write_key(tenant_id).key_id

    def forget(self, tenant_id: uuid.UUID | None = None) -> None:
        """Drop the data keys this process holds (of one tenant, or all): after a rotation or a
        destruction in this process, without waiting for ``cache_seconds``."""
        with self._lock:
            if tenant_id is None:
                self._writing.clear()
                if self._opened is not None:
                    self._opened.clear()
                return
            self._writing.pop(tenant_id, None)
            if self._opened is not None:
                for cached in [k for k in self._opened if k[0] == tenant_id]:
                    self._opened.pop(cached, None)

    def _write_key(self, tenant_id: uuid.UUID) -> _DataKey:
        now = time.monotonic()
        with self._lock:
            held = self._writing.get(tenant_id)
            if held is not None and held[0] > now:
                return held[1]
        raw = AESGCM.generate_key(bit_length=256)
        key_id, wrapped = self.keys.wrap(tenant_id, raw, _key_binding(tenant_id))
        if _SEPARATOR in key_id:
            raise ValueError("a key id must not contain '$'")
        key = _DataKey(key_id, _b64(wrapped), AESGCM(raw))
        if self.cache_seconds > 0:
            with self._lock:
                self._writing[tenant_id] = (now + self.cache_seconds, key)
                if self._opened is not None:
                    self._opened[(tenant_id, key.key_id, key.wrapped)] = key.cipher
        return key

    def _read_key(self, tenant_id: uuid.UUID, key_id: str, wrapped: str) -> AESGCM:
        cached_as = (tenant_id, key_id, wrapped)
        if self._opened is not None:
            with self._lock:
                cipher = self._opened.get(cached_as)
            if cipher is not None:
                return cipher
        try:
            raw = self.keys.unwrap(tenant_id, key_id, _unb64(wrapped), _key_binding(tenant_id))
        except (SealBroken, binascii.Error, ValueError):
            raise FieldUnreadable() from None
        cipher = AESGCM(raw)
        if self._opened is not None:
            with self._lock:
                self._opened[cached_as] = cipher
        return cipher


def is_encrypted(stored: str) -> bool:
    return stored.startswith(PREFIX)


def key_id_of(stored: str) -> str | None:
    """The id of the key that wrapped a stored value's data key (None: plaintext)."""
    if not is_encrypted(stored):
        return None
    return stored[len(PREFIX):].rsplit(_SEPARATOR, 2)[0]


# -- what is current for the thread --------------------------------------------------------------
@dataclass(frozen=True)
class FieldContext:
    cipher: FieldCipher
    tenant_id: uuid.UUID


_current: contextvars.ContextVar[FieldContext | None] = contextvars.ContextVar(
    "lotse_field_context", default=None)


def current_fields() -> FieldContext | None:
    return _current.get()


def make_current(context: FieldContext | None) -> None:
    """Make ``context`` the thread's (a tenant session begins, executes or flushes)."""
    _current.set(context)


class fields_of:  # noqa: N801 - used like a function: ``with fields_of(cipher, tenant):``
    """Make ``cipher`` and ``tenant_id`` current for a block (migrations, commands, tests)."""

    def __init__(self, cipher: FieldCipher | None, tenant_id: uuid.UUID) -> None:
        self._cipher, self._tenant = cipher, tenant_id

    def __enter__(self) -> None:
        context = FieldContext(self._cipher, self._tenant) if self._cipher else None
        self._token = _current.set(context)

    def __exit__(self, *_exc: object) -> None:
        _current.reset(self._token)


# -- the column types ----------------------------------------------------------------------------
class _Encrypted(sa.types.TypeDecorator[Any]):
    """Stored as text; ``place`` (``table.column``) is part of the associated data."""

    impl = sa.Text
    cache_ok = True

    def __init__(self, place: str) -> None:
        super().__init__()
        self.place = place

    #: whether the value is JSON (encrypted as its JSON text)
    as_json = False

    def _to_text(self, value: Any) -> str:
        if self.as_json:
            return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        return str(value)

    def _from_text(self, text: str) -> Any:
        return json.loads(text) if self.as_json else text

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        context = _current.get()
        if context is None:
            raise NoFieldKeys(f"{self.place} written without a tenant's field keys")
        return context.cipher.encrypt(context.tenant_id, self.place, self._to_text(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, str):  # a JSON column not yet converted to text (SQLite)
            return value
        if not is_encrypted(value):
            return self._from_text(value)
        context = _current.get()
        if context is None:
            raise FieldUnreadable()
        return self._from_text(context.cipher.decrypt(context.tenant_id, self.place, value))


class EncryptedText(_Encrypted):
    """A text column encrypted per tenant (``EncryptedText("contacts.notes")``)."""

    cache_ok = True


class EncryptedJSON(_Encrypted):
    """A JSON column encrypted per tenant: its JSON text is what is encrypted."""

    as_json = True
    cache_ok = True


def encrypted_columns(metadata: sa.MetaData) -> list[sa.Column[Any]]:
    """Every column of ``metadata`` stored encrypted, in table order."""
    return [column for table in metadata.sorted_tables for column in table.columns
            if isinstance(column.type, _Encrypted)]
