"""Encryption of column values per tenant (ADR 0104); the key stores are
:mod:`lotse_platform.sealing`'s (ADR 0082)."""

from .fields import (
    PREFIX,
    EncryptedJSON,
    EncryptedText,
    FieldCipher,
    FieldUnreadable,
    NoFieldKeys,
    current_fields,
    encrypted_columns,
    fields_of,
    is_encrypted,
    key_id_of,
)
from .store import key_store_from

__all__ = ["PREFIX", "EncryptedJSON", "EncryptedText", "FieldCipher", "FieldUnreadable",
           "NoFieldKeys", "current_fields", "encrypted_columns", "fields_of", "is_encrypted",
           "key_id_of", "key_store_from"]
