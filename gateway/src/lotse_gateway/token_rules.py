"""The access-token check as HAProxy rules, rendered into every route's backend.

HAProxy 2.6's ``jwt_verify`` checks the signature and nothing else, so the claims are checked
here with ``jwt_header_query`` / ``jwt_payload_query`` and ``date()``. Each check sets
``txn.auth_error`` to a reason code unless an earlier one did (``refused``); the first reason
wins and one ``http-request return`` per reason answers with its problem document. The order:
Authorization header, Bearer scheme, ``alg`` on the allow-list, ``kid``, trusted ``iss``, the
signature with that issuer's key of that ``kid`` (one rule per key), ``exp``, ``nbf``, ``iat``
(with leeway), ``sub``, ``aud``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .keys import GATEWAY_ALGORITHMS, IssuerKeys
from .problems import REFUSALS, RETRY_AFTER_SECONDS, quoted, return_problem

#: ``aud`` may be a list; this many of its first entries are compared (HAProxy cannot search)
AUDIENCE_ENTRIES = 4


def token_rules(issuers: Sequence[IssuerKeys], key_dir: Path, leeway: int) -> list[str]:
    """The rules of a route's backend that check the bearer token (public paths excepted)."""
    # every rule runs only while the check goes on: `checked` is one or two variable lookups,
    # where `!open_path !refused` compared the path with each public path again in every rule
    # (issue 16, the gateway's CPU per request)
    when = "if !checked"
    trusted = list(issuers)
    algorithms = sorted({a for entry in trusted for a in entry.issuer.algorithms
                         if a in GATEWAY_ALGORITHMS}) or ["RS256"]
    names = " ".join(quoted(entry.issuer.issuer) for entry in trusted)
    lines = [
        "# the access token (public paths excepted)",
        "acl refused var(txn.auth_error) -m found",
        "http-request set-var(txn.public) bool(true) if open_path",
        # acl lines of one name are alternatives: checked = refused or public
        "acl checked var(txn.auth_error) -m found",
        "acl checked var(txn.public) -m found",
        f"http-request set-var(txn.auth_error) str(no_token) {when} "
        "!{ req.hdr(authorization) -m found }",
        f"http-request set-var(txn.jwt) http_auth_bearer {when}",
        f"http-request set-var(txn.auth_error) str(not_bearer) {when} "
        "!{ var(txn.jwt) -m found }",
        f"http-request set-var(txn.jwt_alg) var(txn.jwt),jwt_header_query('$.alg') {when}",
        f"http-request set-var(txn.jwt_kid) var(txn.jwt),jwt_header_query('$.kid') {when}",
        f"http-request set-var(txn.jwt_iss) var(txn.jwt),jwt_payload_query('$.iss') {when}",
        f"http-request set-var(txn.auth_error) str(malformed) {when} "
        "!{ var(txn.jwt_alg) -m found }",
        f"http-request set-var(txn.auth_error) str(algorithm) {when} "
        f"!{{ var(txn.jwt_alg) -m str {' '.join(algorithms)} }}",
        f"http-request set-var(txn.auth_error) str(no_kid) {when} "
        "!{ var(txn.jwt_kid) -m found }",
        f"http-request set-var(txn.auth_error) str(issuer) {when} "
        + (f"!{{ var(txn.jwt_iss) -m str -- {names} }}" if names else ""),
    ]
    for entry in trusted:
        iss = quoted(entry.issuer.issuer)
        if not entry.available:
            lines.append(f"http-request set-var(txn.auth_error) str(keys_unavailable) {when} "
                         f"{{ var(txn.jwt_iss) -m str -- {iss} }}")
            continue
        for key in entry.keys:
            path = quoted(str(key_dir / key.file_name))
            lines.append(
                f"http-request set-var(txn.jwt_valid) var(txn.jwt),"
                f"jwt_verify({key.algorithm},{path}) {when} "
                f"{{ var(txn.jwt_iss) -m str -- {iss} }} {{ var(txn.jwt_kid) -m str -- "
                f"{quoted(key.kid)} }} {{ var(txn.jwt_alg) -m str {key.algorithm} }}")
    lines += [
        f"http-request set-var(txn.auth_error) str(unknown_key) {when} "
        "!{ var(txn.jwt_valid) -m found }",
        f"http-request set-var(txn.auth_error) str(signature) {when} "
        "!{ var(txn.jwt_valid) -m int 1 }",
        "# claims, now that the signature holds (jwt_verify checks nothing else)",
        f"http-request set-var(txn.now) date() {when}",
        f"http-request set-var(txn.jwt_exp) var(txn.jwt),jwt_payload_query('$.exp','int') "
        f"{when}",
        f"http-request set-var(txn.jwt_nbf) var(txn.jwt),jwt_payload_query('$.nbf','int') "
        f"{when}",
        f"http-request set-var(txn.jwt_iat) var(txn.jwt),jwt_payload_query('$.iat','int') "
        f"{when}",
        f"http-request set-var(txn.jwt_sub) var(txn.jwt),jwt_payload_query('$.sub') {when}",
        f"http-request set-var(txn.auth_error) str(no_exp) {when} "
        "!{ var(txn.jwt_exp) -m found }",
        f"http-request set-var(txn.auth_error) str(expired) {when} "
        f"{{ var(txn.jwt_exp),add({leeway}),sub(txn.now) -m int lt 0 }}",
        f"http-request set-var(txn.auth_error) str(not_yet_valid) {when} "
        f"{{ var(txn.jwt_nbf),sub(txn.now) -m int gt {leeway} }}",
        f"http-request set-var(txn.auth_error) str(issued_in_future) {when} "
        f"{{ var(txn.jwt_iat),sub(txn.now) -m int gt {leeway} }}",
        f"http-request set-var(txn.auth_error) str(no_sub) {when} "
        "!{ var(txn.jwt_sub) -m found }",
    ]
    # aud may be a string or a list: the issuer's audience must be it or one of its first entries.
    # The list's entries are read only while none matched: a string audience (every token of
    # identity) costs one payload query here, not five (issue 16, the gateway's CPU per request)
    for entry in trusted:
        lines.append(f"http-request set-var(txn.aud_expected) str({entry.issuer.audience}) "
                     f"{when} {{ var(txn.jwt_iss) -m str -- {quoted(entry.issuer.issuer)} }}")
    lines += [
        f"http-request set-var(txn.aud_ok) bool(true) {when} "
        "{ var(txn.jwt),jwt_payload_query('$.aud'),strcmp(txn.aud_expected) eq 0 }",
        *(f"http-request set-var(txn.aud_ok) bool(true) {when} !{{ var(txn.aud_ok) -m bool }} "
          f"{{ var(txn.jwt),jwt_payload_query('$.aud[{n}]'),strcmp(txn.aud_expected) eq 0 }}"
          for n in range(AUDIENCE_ENTRIES)),
    ]
    lines.append(f"http-request set-var(txn.auth_error) str(audience) {when} "
                 "!{ var(txn.aud_ok) -m bool }")
    for refusal in REFUSALS:
        headers = {"WWW-Authenticate": refusal.challenge} if refusal.challenge else {}
        if refusal.status == 503:
            headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        lines.append(return_problem(refusal.status, refusal.detail, headers,
                                    f"if refused {{ var(txn.auth_error) -m str {refusal.code} }}"))
    return lines
