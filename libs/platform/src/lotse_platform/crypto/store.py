"""The key store a deployment names (``LOTSE_KEY_STORE``, ADR 0104).

``file:/path`` is a :class:`~lotse_platform.sealing.LocalKeyDirectory` (one file per tenant);
embedded mode's default is ``file:<data dir>/keys``. Vault's transit engine and a cloud KMS
implement the same :class:`~lotse_platform.sealing.KeyStore` protocol (ADR 0082 says how);
they are named ``vault:…`` and ``kms:…`` when the first cluster brings one.
"""

from __future__ import annotations

from pathlib import Path

from ..sealing import LocalKeyDirectory

#: the schemes LOTSE_KEY_STORE accepts
SCHEMES = ("file",)


def key_store_path(spec: str) -> Path:
    """The directory of ``file:/path``; ValueError for anything else."""
    scheme, _, rest = spec.partition(":")
    if scheme not in SCHEMES or not rest.strip():
        raise ValueError("use file:/path/to/key/directory (a KMS or Vault: ADR 0104)")
    return Path(rest.removeprefix("//") if rest.startswith("///") else rest)


def key_store_from(spec: str) -> LocalKeyDirectory:
    return LocalKeyDirectory(key_store_path(spec))
