"""The tamper-evident audit trail: every read and write of personal data leaves an entry.

- :class:`AuditTrail` appends an unsealed :class:`AuditEntry` in the caller's transaction; a
  stated :class:`Purpose` (controlled vocabulary) becomes its reason, a free-text note goes beside
  it into the erasable ``audit_note`` (:mod:`.notes`);
- :class:`AuditSealer` (a worker loop) chains committed entries into the tenant's hash chain;
- :class:`AuditCheckpointer` (a worker loop) anchors each chain's head outside the database in
  signed :class:`Checkpoint` files (:mod:`.anchor`);
- :func:`verify_chain` recomputes a chain, holds it against its checkpoints, reports the first
  broken link and what is unsealed;
- ``lotse-audit verify | seal | checkpoint`` (:mod:`.cli`) do that from the command line.
"""

from .anchor import (
    AnchorDirectory,
    Checkpoint,
    create_key_file,
    load_signing_key,
    load_verify_key,
    public_key_text,
)
from .chain import GENESIS_HASH, canonical_form, entry_hash
from .checkpoints import AuditCheckpointer
from .heads import chain_heads
from .notes import NoteRetention, erase_notes
from .purposes import LABELS as PURPOSE_LABELS
from .purposes import Purpose, StatedPurpose, purpose_of
from .sealing import AuditSealer, Unsealed, seal_tenant, unsealed_tenants
from .trail import CREATE, DELETE, EXPORT, READ, UPDATE, AuditEntry, AuditTrail
from .verify import VerificationResult, verify_chain

__all__ = [
    "CREATE",
    "DELETE",
    "EXPORT",
    "GENESIS_HASH",
    "PURPOSE_LABELS",
    "READ",
    "UPDATE",
    "AnchorDirectory",
    "AuditCheckpointer",
    "AuditEntry",
    "AuditSealer",
    "AuditTrail",
    "Checkpoint",
    "NoteRetention",
    "Purpose",
    "StatedPurpose",
    "Unsealed",
    "VerificationResult",
    "canonical_form",
    "chain_heads",
    "create_key_file",
    "entry_hash",
    "erase_notes",
    "load_signing_key",
    "load_verify_key",
    "public_key_text",
    "purpose_of",
    "seal_tenant",
    "unsealed_tenants",
    "verify_chain",
]
