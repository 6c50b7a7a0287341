"""Anchoring the audit chains outside the database they protect: signed checkpoints (ADR 0066).

A hash chain shows any change to an entry that is followed by an intact entry. It cannot show
what happens at its end: the last entries deleted or unsealed, or an entry changed and every
later one re-computed, leave a shorter or different chain that is intact in itself. So every
worker writes **checkpoints** — per tenant the head of its chain: ``seq`` (how many entries),
the head's ``hash``, the time — signed with an Ed25519 key the database never holds, to a
**write-once directory** the database's roles cannot write (``LOTSE_AUDIT_ANCHOR_DIR``).
``lotse-audit verify`` checks the chain against them: an entry a checkpoint counted that is
missing, unsealed or different fails verification.

- Keys: :func:`load_signing_key` reads the private key (``LOTSE_AUDIT_ANCHOR_KEY``, or the file
  ``LOTSE_AUDIT_ANCHOR_KEY_FILE``: base64url of the 32-byte Ed25519 seed, or a PKCS#8 PEM as
  ``openssl genpkey -algorithm ed25519`` writes it). Verifying needs only the public key
  (:func:`load_verify_key`, :func:`public_key_text`), which can be handed to an auditor.
- :class:`Checkpoint`: the signed statement; its payload is canonical JSON (sorted keys).
- :class:`AnchorDirectory`: ``<dir>/<service>/<tenant>/<seq, 20 digits>.json``, each file
  written once (to a temporary name, then hard-linked to its final name, which fails if it
  exists), read-only (0444), never rewritten.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .chain import canonical_time

log = logging.getLogger("lotse.audit")

CHECKPOINT_VERSION = 1
_SUFFIX = ".json"


# -- keys ------------------------------------------------------------------------------------------

def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    text = text.strip()
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        return b""


def new_signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def signing_key_text(key: Ed25519PrivateKey) -> str:
    """The private key as ``LOTSE_AUDIT_ANCHOR_KEY`` takes it: base64url of the 32-byte seed."""
    return _b64(key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                  serialization.NoEncryption()))


def public_key_text(key: Ed25519PublicKey | Ed25519PrivateKey) -> str:
    """The public key as checkpoints name their signer and ``--anchor-key`` takes it: base64url of
    its 32 bytes."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return _b64(public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def load_signing_key(text: str) -> Ed25519PrivateKey:
    """An Ed25519 private key from base64url (32 bytes) or PKCS#8 PEM; ValueError otherwise."""
    if "-----BEGIN" in text:
        try:
            key = serialization.load_pem_private_key(text.encode(), password=None)
        except (ValueError, TypeError):
            raise ValueError("not an unencrypted PEM private key") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("not an Ed25519 key")
        return key
    raw = _unb64(text)
    if len(raw) != 32:
        raise ValueError("an Ed25519 private key: 32 bytes, base64url encoded, or a PEM")
    return Ed25519PrivateKey.from_private_bytes(raw)


def load_verify_key(text: str) -> Ed25519PublicKey:
    """A public key to verify checkpoints with: base64url (32 bytes) or a PEM public key; a PEM
    private key gives its public half. (Base64url text is always read as a public key: a private
    key in that form is :func:`load_signing_key`'s.)"""
    if "PRIVATE KEY-----" in text:
        return load_signing_key(text).public_key()
    if "-----BEGIN" in text:
        try:
            key = serialization.load_pem_public_key(text.encode())
        except ValueError:
            raise ValueError("not a PEM public key") from None
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("not an Ed25519 key")
        return key
    raw = _unb64(text)
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key: 32 bytes, base64url encoded, or a PEM")
    return Ed25519PublicKey.from_public_bytes(raw)


def create_key_file(path: Path) -> Ed25519PrivateKey:
    """Write a new private key to ``path`` as PKCS#8 PEM (0600; refuses to replace a file) and
    return it. PEM says what it holds: the file can be given as ``--anchor-key`` too."""
    key = new_signing_key()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return key


# -- checkpoints -----------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class Checkpoint:
    """"Tenant ``tenant_id``'s chain in ``service`` had ``seq`` entries, the last with hash
    ``head_hash``, at ``at``", signed by the holder of the private key of ``key``."""

    service: str
    tenant_id: uuid.UUID
    seq: int
    head_hash: str
    at: datetime
    key: str
    signature: str = field(default="", compare=False)

    def payload(self) -> bytes:
        """The signed bytes: canonical JSON (sorted keys, no spaces, UTF-8) of every field but
        the signature."""
        return json.dumps(self._document(), sort_keys=True, separators=(",", ":"),
                          ensure_ascii=False).encode()

    def _document(self) -> dict[str, Any]:
        return {"v": CHECKPOINT_VERSION, "service": self.service,
                "tenant_id": str(self.tenant_id), "seq": self.seq,
                "head_hash": self.head_hash, "at": canonical_time(self.at), "key": self.key}

    @classmethod
    def signed(cls, key: Ed25519PrivateKey, *, service: str, tenant_id: uuid.UUID, seq: int,
               head_hash: str, at: datetime) -> Checkpoint:
        unsigned = cls(service=service, tenant_id=tenant_id, seq=seq, head_hash=head_hash,
                       at=at.astimezone(UTC), key=public_key_text(key))
        return replace(unsigned, signature=_b64(key.sign(unsigned.payload())))

    def signed_by(self, keys: Iterable[Ed25519PublicKey]) -> bool:
        """Whether one of ``keys`` signed it (the named key must be one of them)."""
        for public in keys:
            if public_key_text(public) != self.key:
                continue
            try:
                public.verify(_unb64(self.signature), self.payload())
            except InvalidSignature:
                return False
            return True
        return False

    def to_json(self) -> str:
        return json.dumps({**self._document(), "signature": self.signature}, sort_keys=True,
                          indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Checkpoint:
        """ValueError when it is not a checkpoint of this version."""
        try:
            document = json.loads(text)
            if document["v"] != CHECKPOINT_VERSION:
                raise ValueError(f"checkpoint version {document['v']} is not known")
            at = datetime.fromisoformat(document["at"])
            if at.tzinfo is None:
                raise ValueError("time without zone")
            return cls(service=str(document["service"]),
                       tenant_id=uuid.UUID(document["tenant_id"]), seq=int(document["seq"]),
                       head_hash=str(document["head_hash"]), at=at, key=str(document["key"]),
                       signature=str(document["signature"]))
        except (KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"not a checkpoint ({type(error).__name__})") from None


# -- the write-once directory ----------------------------------------------------------------------

class AnchorConflict(RuntimeError):
    """Another checkpoint of the same tenant and ``seq`` with another head is there already: the
    chain was changed between the two."""


@dataclass(frozen=True)
class AnchorReading:
    """A tenant's checkpoints in ``seq`` order (signatures verified) and what was wrong with the
    files that could not be used (a file name and why)."""

    checkpoints: list[Checkpoint]
    problems: list[str]

    @property
    def latest(self) -> Checkpoint | None:
        return self.checkpoints[-1] if self.checkpoints else None


class AnchorDirectory:
    """Checkpoints as files ``<root>/<service>/<tenant>/<seq, 20 digits>.json``, written once.

    The directory belongs on storage the database's roles (and its server's OS user) cannot
    write: another host's mount, a volume only the worker mounts, object storage with a
    retention lock synced from it, or at least a directory with ``chattr +a``.
    """

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def _folder(self, service: str, tenant: uuid.UUID) -> Path:
        return self.root / service / str(tenant)

    def write(self, checkpoint: Checkpoint) -> bool:
        """Store ``checkpoint``; False when the same head is stored at its ``seq`` already (a
        second worker was first). :class:`AnchorConflict` when another head is."""
        folder = self._folder(checkpoint.service, checkpoint.tenant_id)
        folder.mkdir(mode=0o755, parents=True, exist_ok=True)
        final = folder / f"{checkpoint.seq:020d}{_SUFFIX}"
        temporary = folder / f".{final.name}.{secrets.token_hex(6)}"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
        try:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(checkpoint.to_json())
                handle.flush()
                os.fsync(handle.fileno())
            try:
                os.link(temporary, final)  # atomic, and never replaces a file
            except FileExistsError:
                there = Checkpoint.from_json(final.read_text())
                if there.head_hash != checkpoint.head_hash:
                    raise AnchorConflict(
                        f"{final.name}: a checkpoint with another head is there") from None
                return False
        finally:
            _remove(temporary)
        _sync_directory(folder)
        return True

    def tenants(self, service: str) -> list[uuid.UUID]:
        """The tenants with a folder of checkpoints of ``service``."""
        folder = self.root / service
        if not folder.is_dir():
            return []
        found = []
        for entry in folder.iterdir():
            try:
                found.append(uuid.UUID(entry.name))
            except ValueError:
                continue
        return sorted(found)

    def read(self, service: str, tenant: uuid.UUID,
             keys: Iterable[Ed25519PublicKey]) -> AnchorReading:
        """Every checkpoint of ``tenant``'s chain in ``service``, checked: parsed, signed by one
        of ``keys``, about this service, tenant and ``seq``."""
        keys = list(keys)
        checkpoints, problems = [], []
        for name in self._names(service, tenant):
            found = self._checked(service, tenant, name, keys)
            if isinstance(found, Checkpoint):
                checkpoints.append(found)
            else:
                problems.append(found)
        return AnchorReading(checkpoints, problems)

    def latest(self, service: str, tenant: uuid.UUID,
               keys: Iterable[Ed25519PublicKey]) -> Checkpoint | None:
        """The last good checkpoint of ``tenant`` (None when there is none), read from the end."""
        keys = list(keys)
        for name in reversed(self._names(service, tenant)):
            found = self._checked(service, tenant, name, keys)
            if isinstance(found, Checkpoint):
                return found
        return None

    def _names(self, service: str, tenant: uuid.UUID) -> list[str]:
        folder = self._folder(service, tenant)
        return sorted(p.name for p in folder.glob(f"*{_SUFFIX}")) if folder.is_dir() else []

    def _checked(self, service: str, tenant: uuid.UUID, name: str,
                 keys: list[Ed25519PublicKey]) -> Checkpoint | str:
        """The checkpoint in file ``name``, or what is wrong with it."""
        try:
            checkpoint = Checkpoint.from_json((self._folder(service, tenant) / name).read_text())
        except (OSError, ValueError) as error:
            return f"checkpoint {name}: unreadable ({error})"
        if (checkpoint.service, checkpoint.tenant_id) != (service, tenant) or \
                name != f"{checkpoint.seq:020d}{_SUFFIX}":
            return (f"checkpoint {name}: belongs elsewhere (service {checkpoint.service}, "
                    f"entry {checkpoint.seq})")
        if not checkpoint.signed_by(keys):
            return (f"checkpoint {name}: signature does not verify with the given key (signed "
                    f"by {checkpoint.key})")
        return checkpoint


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:  # an append-only directory keeps it; readers skip dot files
        log.debug("audit.anchor_temporary_kept", extra={"file": path.name})


def _sync_directory(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
