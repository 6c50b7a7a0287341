"""The tamper-evident audit trail: every read and write of personal data leaves an entry.

- :class:`AuditTrail` appends an unsealed :class:`AuditEntry` in the caller's transaction;
- :class:`AuditSealer` (a worker loop) chains committed entries into the tenant's hash chain;
- :func:`verify_chain` recomputes a chain, reports the first broken link and what is unsealed;
- ``lotse-audit verify`` and ``lotse-audit seal`` (:mod:`.cli`) do that from the command line.
"""

from .chain import GENESIS_HASH, canonical_form, entry_hash
from .sealing import AuditSealer, Unsealed, seal_tenant, unsealed_tenants
from .trail import CREATE, DELETE, EXPORT, READ, UPDATE, AuditEntry, AuditTrail
from .verify import VerificationResult, verify_chain

__all__ = [
    "CREATE",
    "DELETE",
    "EXPORT",
    "GENESIS_HASH",
    "READ",
    "UPDATE",
    "AuditEntry",
    "AuditSealer",
    "AuditTrail",
    "Unsealed",
    "VerificationResult",
    "canonical_form",
    "entry_hash",
    "seal_tenant",
    "unsealed_tenants",
    "verify_chain",
]
