"""Envelope encryption of personal data at rest, per tenant (ADR 0082).

Every object gets its own data key (AES-256-GCM, a fresh 96-bit nonce); the data key is wrapped
by the tenant's key-encryption key, which lives in a :class:`KeyStore` outside the database.
What is stored (:class:`Sealed`) is the id of the key that wrapped it, the wrapped data key and
the ciphertext — never a key that opens it.

- **Bound to its place.** The associated data of both encryptions names the tenant, the kind of
  object and its record (:class:`Binding`): a blob copied to another record, another kind or
  another tenant does not open (:class:`SealBroken`), even with the right key.
- **Rotation without downtime.** :meth:`KeyStore.rotate` adds a key; new objects are wrapped
  with the newest, the older keys stay and open what they wrapped. Nothing is re-encrypted.
- **Crypto-shredding.** Destroying a tenant's keys (:meth:`LocalKeyDirectory.shred`) makes every
  object sealed for that tenant unreadable, wherever copies of the database went.
- **Key stores.** :class:`LocalKeyDirectory` keeps one file per tenant (mode 0600) in a
  directory (``LOTSE_KEY_DIR``; embedded mode: under the data directory), created on first
  use. A KMS or Vault (transit engine) implements the same three methods: wrap and unwrap run
  in the key service, the key never leaves it (ADR 0082).

Only the public API of ``cryptography`` (``AESGCM``). Pure Python besides: no database, no web.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import secrets
import struct
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

#: the format of :meth:`Sealed.to_bytes`, first byte of every stored blob
FORMAT = 1
_NONCE = 12
_HEADER = struct.Struct(">BH")  # format, length of the wrapped data key


class SealBroken(Exception):
    """The blob does not open: another tenant's, record's or kind's, altered, or its key gone."""


class UnknownKey(SealBroken):
    """The tenant has no key of this id (never had, or shredded)."""


@dataclass(frozen=True)
class Binding:
    """Where a sealed object belongs; the associated data of its encryption."""

    tenant_id: uuid.UUID
    kind: str
    record_id: str

    def associated_data(self) -> bytes:
        return json.dumps(["lotse", str(self.tenant_id), self.kind, self.record_id],
                          separators=(",", ":")).encode()


@dataclass(frozen=True)
class Sealed:
    """An object sealed for its binding: the key id (stored beside it, in a column of its own,
    so that an operator can tell which keys are still in use) and the blob."""

    key_id: str
    wrapped_key: bytes
    ciphertext: bytes  # nonce + AES-GCM output (ciphertext and tag)

    def to_bytes(self) -> bytes:
        return _HEADER.pack(FORMAT, len(self.wrapped_key)) + self.wrapped_key + self.ciphertext

    @classmethod
    def from_bytes(cls, key_id: str, blob: bytes) -> Sealed:
        if len(blob) < _HEADER.size:
            raise SealBroken("not a sealed blob")
        version, wrapped_length = _HEADER.unpack_from(blob)
        if version != FORMAT:
            raise SealBroken(f"unknown format {version}")
        start = _HEADER.size
        wrapped = blob[start:start + wrapped_length]
        if len(wrapped) != wrapped_length:
            raise SealBroken("not a sealed blob")
        return cls(key_id=key_id, wrapped_key=wrapped, ciphertext=blob[start + wrapped_length:])


class KeyStore(Protocol):
    """The tenants' key-encryption keys. Wrapping happens where the keys are: in this process
    for the local directory, in the key service for a KMS or Vault."""

    def wrap(self, tenant_id: uuid.UUID, data_key: bytes, associated_data: bytes) -> tuple[str, bytes]:
        """``data_key`` wrapped with the tenant's newest key (made on first use): (key id,
        wrapped key)."""
        ...

    def unwrap(self, tenant_id: uuid.UUID, key_id: str, wrapped: bytes,
               associated_data: bytes) -> bytes:
        """The data key; :class:`SealBroken` (or :class:`UnknownKey`) when it does not open."""
        ...

    def rotate(self, tenant_id: uuid.UUID) -> str:
        """Add a new newest key for the tenant; returns its id. Older keys stay."""
        ...


class Envelopes:
    """Seals and opens objects with data keys wrapped by a :class:`KeyStore`."""

    def __init__(self, keys: KeyStore) -> None:
        self.keys = keys

    def seal(self, plaintext: bytes, binding: Binding) -> Sealed:
        aad = binding.associated_data()
        data_key = AESGCM.generate_key(bit_length=256)
        nonce = secrets.token_bytes(_NONCE)
        ciphertext = nonce + AESGCM(data_key).encrypt(nonce, plaintext, aad)
        key_id, wrapped = self.keys.wrap(binding.tenant_id, data_key, aad)
        return Sealed(key_id=key_id, wrapped_key=wrapped, ciphertext=ciphertext)

    def open(self, sealed: Sealed, binding: Binding) -> bytes:
        aad = binding.associated_data()
        data_key = self.keys.unwrap(binding.tenant_id, sealed.key_id, sealed.wrapped_key, aad)
        nonce, body = sealed.ciphertext[:_NONCE], sealed.ciphertext[_NONCE:]
        try:
            return AESGCM(data_key).decrypt(nonce, body, aad)
        except (InvalidTag, ValueError):
            raise SealBroken("the object does not open for this binding") from None


class LocalKeyDirectory:
    """One JSON file per tenant (``<tenant id>.json``, mode 0600, the directory 0700) holding
    its keys, oldest first; the newest wraps. Made on first use.

    A key is wrapped with AES-GCM under the tenant's key, the associated data naming the tenant,
    the key id and the object's binding. Files are replaced atomically (write, fsync, rename),
    so a reader sees the old or the new list, never half of one; the keys are read on every use
    (a few hundred bytes), so a rotation by ``lotse-<service> keys rotate`` takes effect in every
    running process at once. **Back the directory up**: without it nothing sealed opens.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    # -- KeyStore --------------------------------------------------------------------------------
    def wrap(self, tenant_id: uuid.UUID, data_key: bytes, associated_data: bytes) -> tuple[str, bytes]:
        keys = self._keys(tenant_id) or self._create(tenant_id)
        key_id, key = keys[-1]
        nonce = secrets.token_bytes(_NONCE)
        wrapped = nonce + AESGCM(key).encrypt(nonce, data_key, self._aad(key_id, associated_data))
        return key_id, wrapped

    def unwrap(self, tenant_id: uuid.UUID, key_id: str, wrapped: bytes,
               associated_data: bytes) -> bytes:
        key = dict(self._keys(tenant_id)).get(key_id)
        if key is None:
            raise UnknownKey("the tenant has no key of this id")
        try:
            return AESGCM(key).decrypt(wrapped[:_NONCE], wrapped[_NONCE:],
                                       self._aad(key_id, associated_data))
        except (InvalidTag, ValueError):
            raise SealBroken("the data key does not open for this binding") from None

    def rotate(self, tenant_id: uuid.UUID) -> str:
        # under the directory's lock: two rotations at once must not drop each other's key
        with self._lock():
            keys = self._keys(tenant_id)
            new = (f"{tenant_id}:{len(keys) + 1}:{secrets.token_hex(4)}",
                   AESGCM.generate_key(256))
            self._write(tenant_id, [*keys, new])
        return new[0]

    # -- operations ------------------------------------------------------------------------------
    def key_ids(self, tenant_id: uuid.UUID) -> list[str]:
        """The tenant's key ids, oldest first (empty: none made yet, or shredded)."""
        return [key_id for key_id, _ in self._keys(tenant_id)]

    def shred(self, tenant_id: uuid.UUID) -> None:
        """Destroy the tenant's keys: nothing sealed for it opens again (crypto-shredding).
        Backups of the key directory must go too."""
        self._file(tenant_id).unlink(missing_ok=True)

    # -- the files -------------------------------------------------------------------------------
    @staticmethod
    def _aad(key_id: str, associated_data: bytes) -> bytes:
        return key_id.encode() + b"\x00" + associated_data

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        """The directory's lock (``.lock``, ``flock``): held while a key list is rewritten."""
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle = os.open(self.directory / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        finally:
            os.close(handle)  # releases the lock

    def _file(self, tenant_id: uuid.UUID) -> Path:
        return self.directory / f"{uuid.UUID(str(tenant_id))}.json"

    def _keys(self, tenant_id: uuid.UUID) -> list[tuple[str, bytes]]:
        try:
            document = json.loads(self._file(tenant_id).read_text())
        except FileNotFoundError:
            return []
        return [(k["id"], base64.b64decode(k["key"])) for k in document["keys"]]

    def _create(self, tenant_id: uuid.UUID) -> list[tuple[str, bytes]]:
        """The tenant's first key; when another process made one at the same moment, that."""
        first = (f"{tenant_id}:1:{secrets.token_hex(4)}", AESGCM.generate_key(256))
        self._write(tenant_id, [first], exclusive=True)
        return self._keys(tenant_id)

    def _write(self, tenant_id: uuid.UUID, keys: list[tuple[str, bytes]], *,
               exclusive: bool = False) -> None:
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        target = self._file(tenant_id)
        document = {"tenant_id": str(tenant_id), "written_at": datetime.now(UTC).isoformat(),
                    "keys": [{"id": key_id, "key": base64.b64encode(key).decode()}
                             for key_id, key in keys]}
        handle, name = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=".json")
        try:
            os.fchmod(handle, 0o600)
            with os.fdopen(handle, "w") as out:
                json.dump(document, out)
                out.flush()
                os.fsync(out.fileno())
            if exclusive:
                # fails when the file exists: the first of two processes making it wins
                with contextlib.suppress(FileExistsError):
                    os.link(name, target)
            else:
                os.replace(name, target)
        finally:
            Path(name).unlink(missing_ok=True)
