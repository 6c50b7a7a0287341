"""The tamper-evident audit trail: every read and write of personal data leaves an entry.

- :class:`AuditTrail` appends an :class:`AuditEntry` to the tenant's hash chain in the caller's
  transaction;
- :func:`verify_chain` recomputes a chain and reports the first broken link;
- ``lotse-audit verify`` (:mod:`.cli`) does that from the command line.
"""

from .trail import (
    CREATE,
    DELETE,
    EXPORT,
    GENESIS_HASH,
    READ,
    UPDATE,
    AuditEntry,
    AuditTrail,
    canonical_form,
    entry_hash,
)
from .verify import VerificationResult, verify_chain

__all__ = [
    "CREATE",
    "DELETE",
    "EXPORT",
    "GENESIS_HASH",
    "READ",
    "UPDATE",
    "AuditEntry",
    "AuditTrail",
    "VerificationResult",
    "canonical_form",
    "entry_hash",
    "verify_chain",
]
