"""A development token server for ``make up`` while no identity service is installed.

NOT FOR PRODUCTION. It serves the public key of a :class:`~.devtokens.DevIssuer` at
``/.well-known/jwks.json`` (the services' ``LOTSE_JWKS_URL``) and hands out tokens for the
demo county's users at ``POST /token`` (``{"username": "cm.hoexter"}``), without a password.
The key is kept in ``--key-file`` so tokens survive a restart of the cluster.

    python -m lotse_composition.devserver --port 8100 --key-file .lotse/up/dev-key.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from flask import Flask, jsonify, request
from joserfc.jwk import RSAKey

from lotse_demo import COUNTY
from lotse_platform.auth.devtokens import DevIssuer
from lotse_platform.errors import NotFound, Unprocessable
from lotse_platform.http.problems import register_problem_handlers


def _issuer(key_file: Path, url: str) -> DevIssuer:
    issuer = DevIssuer(issuer=url)
    if key_file.is_file():
        issuer._key = RSAKey.import_key(json.loads(key_file.read_text()))
        issuer.kid = issuer._key.kid
    else:
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(json.dumps(issuer._key.as_dict(private=True)))
        os.chmod(key_file, 0o600)
    return issuer


def create_app(issuer: DevIssuer) -> Flask:
    app = Flask("lotse_devserver")
    register_problem_handlers(app)

    @app.get("/.well-known/jwks.json")
    def jwks():
        return jsonify(issuer.jwks())

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    @app.post("/token")
    def token():
        body = request.get_json(silent=True) or {}
        username = body.get("username")
        if not isinstance(username, str) or not username:
            raise Unprocessable("name a demo user", errors=[{"field": "username",
                                                             "message": "required"}])
        try:
            user = COUNTY.user(username)
        except StopIteration:
            raise NotFound("no such demo user") from None
        areas = [str(COUNTY.area(a).id) for a in user.areas]
        access = issuer.issue(str(user.id), COUNTY.tenant_id,
                              str(COUNTY.organisation(user.organisation).id), user.roles,
                              areas=areas, ttl=12 * 3600)
        return jsonify(access_token=access, token_type="Bearer", expires_in=12 * 3600)

    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lotse-devserver", description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--key-file", type=Path, required=True)
    args = parser.parse_args(argv)
    issuer = _issuer(args.key_file, f"http://{args.host}:{args.port}")
    from waitress import serve

    serve(create_app(issuer), host=args.host, port=args.port, threads=4, ident="lotse-dev")
    return 0


if __name__ == "__main__":
    sys.exit(main())
