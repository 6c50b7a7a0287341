"""Key material: signing key pairs, their encryption at rest, and hashes of secrets.

- Signing keys are generated with joserfc (RS256: RSA 2048, ES256: P-256); the private key is
  stored as PEM encrypted with AES-256-GCM under the key-encryption key (KEK), with the ``kid``
  as associated data so a ciphertext cannot be moved to another key's row.
- The KEK comes from ``LOTSE_IDENTITY_KEY_ENCRYPTION_KEY`` (32 bytes, base64url) or the file
  ``LOTSE_IDENTITY_KEY_ENCRYPTION_KEY_FILE``; a missing file is created (0600) — in embedded
  mode beside the SQLite database, so ``make run`` needs no setup.
- Passwords: argon2id (argon2-cffi). Client secrets, refresh tokens and authorization codes are
  random with 256 bits of entropy: a SHA-256 of them is enough and lets us look them up.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import logging
import os
import secrets
import sys
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from joserfc.jwk import ECKey, RSAKey, import_key
from sqlalchemy.engine import make_url

from lotse_platform.settings import ConfigurationError, RunMode

log = logging.getLogger("lotse.identity.keys")

_NONCE = 12


class KeyEncryption:
    """AES-256-GCM with the key-encryption key."""

    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("the key-encryption key must be 32 bytes")
        self._aead = AESGCM(key)

    def encrypt(self, plaintext: bytes, kid: str) -> bytes:
        nonce = os.urandom(_NONCE)
        return nonce + self._aead.encrypt(nonce, plaintext, kid.encode())

    def decrypt(self, ciphertext: bytes, kid: str) -> bytes:
        return self._aead.decrypt(ciphertext[:_NONCE], ciphertext[_NONCE:], kid.encode())


def new_key_encryption_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")


def _decode_kek(text: str, source: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    except ValueError:
        raw = b""
    if len(raw) != 32:
        line = f"configuration error: {source} is invalid: 32 bytes, base64url encoded"
        print(line, file=sys.stderr)
        raise ConfigurationError(line)
    return raw


def key_encryption_from_settings(settings) -> KeyEncryption:
    if settings.key_encryption_key:
        return KeyEncryption(_decode_kek(settings.key_encryption_key,
                                         "LOTSE_IDENTITY_KEY_ENCRYPTION_KEY"))
    path = settings.key_encryption_key_file
    if path is None and settings.mode is RunMode.embedded:
        database = make_url(settings.database_url).database
        if database and database != ":memory:":
            path = Path(database).resolve().parent / "identity-key-encryption.key"
    if path is None:
        line = ("configuration error: LOTSE_IDENTITY_KEY_ENCRYPTION_KEY is required but not set "
                "(or LOTSE_IDENTITY_KEY_ENCRYPTION_KEY_FILE)")
        print(line, file=sys.stderr)
        raise ConfigurationError(line)
    path = Path(path)
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(new_key_encryption_key() + "\n")
        log.warning("identity.key_encryption_key_created", extra={"path": str(path)})
    return KeyEncryption(_decode_kek(path.read_text(), "LOTSE_IDENTITY_KEY_ENCRYPTION_KEY_FILE"))


def generate_signing_key(algorithm: str):
    """A new key pair (joserfc key) with a random ``kid``; ``use=sig`` and ``alg`` set."""
    kid = secrets.token_urlsafe(12)
    parameters = {"kid": kid, "alg": algorithm, "use": "sig"}
    if algorithm == "RS256":
        return RSAKey.generate_key(2048, parameters=parameters)
    if algorithm == "ES256":
        return ECKey.generate_key("P-256", parameters=parameters)
    raise ValueError(f"unsupported signing algorithm {algorithm}")


def load_private_key(pem: bytes, kid: str, algorithm: str):
    key_type = "RSA" if algorithm.startswith(("RS", "PS")) else "EC"
    return import_key(pem, key_type, parameters={"kid": kid, "alg": algorithm, "use": "sig"})


# -- secrets --------------------------------------------------------------------------------------

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    # verified against when a username is unknown, so the answer takes as long as for a known one
    return _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def random_secret() -> str:
    return secrets.token_urlsafe(32)


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(digest: str | None, secret: str) -> bool:
    return digest is not None and hmac.compare_digest(digest, secret_digest(secret))


def username_digest(tenant_id, username: str) -> str:
    """How failed logins are counted without storing the (possibly mistyped) username."""
    return hashlib.sha256(f"{tenant_id}:{username.strip().lower()}".encode()).hexdigest()
