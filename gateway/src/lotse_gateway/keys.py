"""The issuers' public signing keys, as the PEM files HAProxy's ``jwt_verify`` reads.

HAProxy 2.6 loads a key file when it parses its configuration, by a path written in the
configuration; it cannot fetch a JWKS. So the control plane fetches every trusted issuer's JWKS,
writes one PEM file per key (named after a digest of issuer, key id, algorithm and key, so a file
never changes once written), and renders one ``jwt_verify`` rule per key. A changed key set
means new files and a reload (:mod:`.control`).

HAProxy 2.6 verifies RS256/384/512 and ES256/384/512; a key for anything else (PS*, EdDSA) is
left out with a warning, and tokens signed with it are refused at the gateway.

The documents are fetched through the platform's pooled HTTP client
(:mod:`lotse_platform.outgoing`); the control plane keeps one for its polls.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from lotse_platform import outgoing

if TYPE_CHECKING:
    import httpx2

log = logging.getLogger("lotse.gateway.keys")

#: what HAProxy 2.6's jwt_verify can check (no RSASSA-PSS, no EdDSA)
GATEWAY_ALGORITHMS = ("RS256", "RS384", "RS512", "ES256", "ES384", "ES512")
_EC_ALGORITHM = {"P-256": "ES256", "P-384": "ES384", "P-521": "ES512"}
# a kid or issuer goes into the configuration between single quotes: nothing that could end them
_SAFE_KID = re.compile(r"[A-Za-z0-9._~+/=:-]{1,128}")
SAFE_ISSUER = re.compile(r"https?://[A-Za-z0-9._~:/?#\[\]@!$&()*+,;=%-]{1,490}")
MAX_JWKS_BYTES = 512_000


@dataclass(frozen=True)
class Issuer:
    """An issuer the gateway trusts: identity or one of ``LOTSE_TRUSTED_ISSUERS``."""

    issuer: str
    jwks_uri: str
    audience: str
    algorithms: tuple[str, ...] = ("RS256", "ES256")

    def __post_init__(self) -> None:
        if not SAFE_ISSUER.fullmatch(self.issuer) or "'" in self.issuer:
            raise ValueError(f"issuer {self.issuer!r} cannot be matched by the gateway")
        if not re.fullmatch(r"[A-Za-z0-9._~:/-]{1,200}", self.audience):
            raise ValueError(f"audience {self.audience!r} cannot be matched by the gateway")


@dataclass(frozen=True)
class SigningKey:
    issuer: str
    kid: str
    algorithm: str
    pem: bytes

    @property
    def file_name(self) -> str:
        digest = hashlib.sha256(b"\0".join([self.issuer.encode(), self.kid.encode(),
                                            self.algorithm.encode(), self.pem]))
        return f"{digest.hexdigest()[:24]}.pem"


@dataclass(frozen=True)
class IssuerKeys:
    """What the gateway knows of one issuer's keys; ``available`` is False until a fetch worked."""

    issuer: Issuer
    keys: tuple[SigningKey, ...] = ()
    available: bool = False


def signing_keys(issuer: Issuer, document: object) -> tuple[SigningKey, ...]:
    """The keys of a JWKS document that the gateway can verify with, as PEM."""
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError("not a JWKS document (no 'keys' list)")
    found: list[SigningKey] = []
    for entry in document["keys"]:
        if not isinstance(entry, dict) or entry.get("use", "sig") != "sig":
            continue
        kid = entry.get("kid")
        if not isinstance(kid, str) or not _SAFE_KID.fullmatch(kid):
            log.warning("gateway.key_skipped", extra={"issuer": issuer.issuer,
                                                      "reason": "kid missing or unusable"})
            continue
        algorithms = _algorithms(entry, issuer.algorithms)
        if not algorithms:
            log.warning("gateway.key_skipped", extra={"issuer": issuer.issuer, "kid": kid,
                                                      "reason": "algorithm not verifiable"})
            continue
        try:
            key = KeySet.import_key_set({"keys": [entry]}).keys[0]
            pem = key.as_pem(private=False)
        except (JoseError, ValueError, TypeError, KeyError):
            log.warning("gateway.key_skipped", extra={"issuer": issuer.issuer, "kid": kid,
                                                      "reason": "not a public key"})
            continue
        found.extend(SigningKey(issuer.issuer, kid, algorithm, pem) for algorithm in algorithms)
    return tuple(sorted(found, key=lambda k: (k.kid, k.algorithm)))


def _algorithms(entry: dict, allowed: Iterable[str]) -> tuple[str, ...]:
    allowed = [a for a in allowed if a in GATEWAY_ALGORITHMS]
    stated = entry.get("alg")
    if entry.get("kty") == "RSA":
        possible = [a for a in allowed if a.startswith("RS")]
    elif entry.get("kty") == "EC":
        possible = [a for a in allowed if a == _EC_ALGORITHM.get(entry.get("crv"))]
    else:
        possible = []
    if stated is not None:
        possible = [a for a in possible if a == stated]
    return tuple(possible)


def fetch_jwks(url: str, timeout: float = 5.0, *, client: httpx2.Client | None = None) -> object:
    """The JWKS document at ``url``, through ``client`` (else a client of its own); raises
    OSError (no answer, a status other than 2xx) or ValueError (too large, not JSON)."""
    if client is None:
        with outgoing.http_client(timeout=timeout) as own:
            return fetch_jwks(url, client=own)
    return outgoing.get_json(client, url, max_bytes=MAX_JWKS_BYTES)


def fetch_issuer_keys(issuer: Issuer, previous: IssuerKeys | None = None,
                      timeout: float = 5.0, *,
                      client: httpx2.Client | None = None) -> IssuerKeys:
    """Fetch an issuer's keys; when that fails the previous keys stay (a JWKS outage must not
    lock everybody out), and an issuer never reached stays unavailable."""
    try:
        keys = signing_keys(issuer, fetch_jwks(issuer.jwks_uri, timeout, client=client))
    except (OSError, ValueError) as error:
        log.warning("gateway.jwks_fetch_failed", extra={"issuer": issuer.issuer,
                                                        "error": outgoing.reason(error)})
        return previous if previous is not None else IssuerKeys(issuer)
    return IssuerKeys(issuer, keys, available=True)


def write_key_files(directory: Path, keys: Iterable[SigningKey]) -> list[Path]:
    """Write the files that are not there yet; returns every key's path."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for key in keys:
        path = directory / key.file_name
        if not path.exists():
            temporary = path.with_suffix(".tmp")
            temporary.write_bytes(key.pem)
            os.chmod(temporary, 0o644)  # public keys
            temporary.replace(path)
        paths.append(path)
    return paths


def remove_key_files(directory: Path, keep: Iterable[str]) -> int:
    """Remove key files no configuration refers to any more."""
    keep = set(keep)
    removed = 0
    for path in directory.glob("*.pem"):
        if path.name not in keep:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
